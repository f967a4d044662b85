// The person's profile, `users/{uid}` (firestore.rules: the person and admins read it; only the
// functions write it). Its `timezone` is the one the statistics count days in, so the app shows
// dates in it too (AuthProvider): loaded on demand, so the sign-in screen does not fetch Firestore.
import {
  type DocumentData,
  type DocumentReference,
  doc,
  type Firestore,
  onSnapshot,
} from "firebase/firestore";
import type { UserRecord } from "../api/types";
import type { Services } from "../firebase";
import { firestoreOf } from "./db";

export function profileDoc(db: Firestore, uid: string): DocumentReference {
  return doc(db, "users", uid);
}

export const profileFrom = (_id: string, data: DocumentData): UserRecord => data as UserRecord;

/** A zone this browser can show dates in (an IANA name it knows), else null. */
export function knownZone(value: unknown): string | null {
  if (typeof value !== "string" || !value) return null;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Follows the profile's time zone (null: none, or one this browser does not know); returns the stop. */
export function watchTimeZone(
  services: Services,
  uid: string,
  change: (zone: string | null) => void,
): () => void {
  return onSnapshot(
    profileDoc(firestoreOf(services), uid),
    (snapshot) => change(knownZone(snapshot.get("timezone"))),
    // Unreadable (a disabled account, no connection yet): dates stay in the browser's zone.
    () => change(null),
  );
}
