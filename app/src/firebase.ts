// The Firebase app and Auth, made once (Firestore: data/db.ts, loaded with the first screen
// that reads it, so the sign-in screen does not download it). On this machine (127.0.0.1 or localhost) the
// app uses the demo project and asks the Hosting emulator where the other emulators run; anywhere
// else it reads the project's web configuration from Hosting's /__/firebase/init.json — one build
// serves both (as the reference app in web/src did).
import { type FirebaseApp, type FirebaseOptions, initializeApp } from "firebase/app";
import { type Auth, connectAuthEmulator, getAuth } from "firebase/auth";
import { onEmulators } from "./site";

export const LOCAL_PROJECT = "demo-sessionbase";
export const LOCAL = onEmulators(window.location);

export interface Services {
  app: FirebaseApp;
  auth: Auth;
  /** Where the emulators run, on this machine; empty when deployed. */
  emulators: Record<string, EmulatorAddress>;
}

export interface EmulatorAddress {
  host: string;
  port: number;
  hostAndPort: string;
}

async function config(): Promise<FirebaseOptions> {
  if (LOCAL) return { projectId: LOCAL_PROJECT, apiKey: "fake-api-key" };
  const reply = await fetch("/__/firebase/init.json"); // served by Firebase Hosting
  if (!reply.ok) throw new Error(`Hosting's /__/firebase/init.json answered ${reply.status}`);
  return (await reply.json()) as FirebaseOptions;
}

/**
 * The Hosting emulator knows where the other emulators run (whatever ports this run uses) and says
 * so in /__/firebase/init.js?useEmulator=true, as `var firebaseEmulators = {...}`.
 */
export function parseEmulators(script: string): Record<string, EmulatorAddress> {
  const found = script.match(/var firebaseEmulators = (\{[\s\S]*?\});/);
  return found?.[1] ? (JSON.parse(found[1]) as Record<string, EmulatorAddress>) : {};
}

async function start(): Promise<Services> {
  const options = await config();
  // Ask where the emulators run before Auth exists: Auth starts refreshing a signed-in person's
  // token as soon as it is made, and may then no longer be pointed at the emulator
  // (auth/emulator-config-failed; the reference app's order lost that race on some reloads).
  const emulators = LOCAL
    ? parseEmulators(await (await fetch("/__/firebase/init.js?useEmulator=true")).text())
    : {};
  if (LOCAL && !emulators.auth) throw new Error("the Hosting emulator named no Auth emulator");
  const app = initializeApp(options);
  const auth = getAuth(app);
  if (emulators.auth)
    connectAuthEmulator(auth, `http://${emulators.auth.hostAndPort}`, { disableWarnings: true });
  return { app, auth, emulators };
}

let started: Promise<Services> | undefined;

/** The app and Auth, connected: the first call starts them, later calls share the same promise. */
export function firebase(): Promise<Services> {
  started ??= start();
  return started;
}
