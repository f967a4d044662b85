// Firestore for the screens that read it: made on first use, connected to the emulator on this
// machine. Only screens import this module, so Firestore's code loads with the first of them.
import { connectFirestoreEmulator, type Firestore, getFirestore } from "firebase/firestore";
import { useSignedIn } from "../auth/AuthProvider";
import type { Services } from "../firebase";

let db: Firestore | undefined;

export function firestoreOf(services: Services): Firestore {
  if (!db) {
    db = getFirestore(services.app);
    const emulator = services.emulators.firestore;
    if (emulator) connectFirestoreEmulator(db, emulator.host, emulator.port);
  }
  return db;
}

/** Firestore, inside the signed-in screens. */
export function useDb(): Firestore {
  return firestoreOf(useSignedIn().services);
}
