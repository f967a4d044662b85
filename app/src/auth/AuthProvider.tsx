// Who is signed in, as the whole app sees it. Starts Firebase, follows the ID token (sign-in,
// sign-out, the hourly refresh, a role change), reads the role from the token's `role` claim
// (none means athlete, DESIGN §2) and keeps Hosting's `__session` cookie in step.
import { type Auth, onIdTokenChanged, signOut, type User } from "firebase/auth";
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";
import type { Role } from "../api/types";
import { firebase, type Services } from "../firebase";
import { keepSessionCookie } from "../site";

export interface Account {
  uid: string;
  email: string;
  /** The person's name, else their e-mail (never empty). */
  name: string;
  role: Role;
  emailVerified: boolean;
  /** IANA zone dates are shown in: the browser's until the profile's (users/{uid}.timezone) is read. */
  timeZone: string;
}

export type AuthState =
  | { status: "starting" }
  | { status: "failed"; error: Error }
  /** `left`: this person just signed out here (so the next one starts afresh, not where they were). */
  | { status: "signed-out"; services: Services; left: boolean }
  | { status: "signed-in"; services: Services; user: User; account: Account };

const AuthContext = createContext<AuthState>({ status: "starting" });

let leaving = false;

/** Sign out on purpose (the account menu): the sign-in page that follows forgets the last page. */
export async function leave(auth: Auth): Promise<void> {
  leaving = true;
  await signOut(auth);
}

function roleOf(claim: unknown): Role {
  return claim === "coach" || claim === "admin" ? claim : "athlete";
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: "starting" });
  useEffect(() => {
    let stop = () => {};
    let gone = false;
    firebase().then(
      (services) => {
        if (gone) return;
        stop = onIdTokenChanged(services.auth, async (user) => {
          if (!user) {
            keepSessionCookie("", 0);
            setState({ status: "signed-out", services, left: leaving });
            leaving = false;
            return;
          }
          const token = await user.getIdTokenResult();
          // Hosting forwards this one cookie to functions: same-site pages may rely on it (README).
          keepSessionCookie(token.token, 3600);
          const account: Account = {
            uid: user.uid,
            email: user.email ?? "",
            name: user.displayName || user.email || "",
            role: roleOf(token.claims.role),
            // As the API sees it (the token's claim): user.reload() learns of a verification before
            // a fresh token carries it, and a screen that then asks the API would be told too early.
            emailVerified: token.claims.email_verified === true,
            timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          };
          setState((before) =>
            // The hourly refresh changes nothing a screen shows: keep the same object.
            before.status === "signed-in" && sameAccount(before.account, account)
              ? before
              : { status: "signed-in", services, user, account },
          );
        });
      },
      (error: Error) => {
        console.error("Sessionbase could not start:", error);
        setState({ status: "failed", error });
      },
    );
    return () => {
      gone = true;
      stop();
    };
  }, []);
  const shown = useProfileZone(state);
  return <AuthContext value={shown}>{children}</AuthContext>;
}

/**
 * The state with the profile's time zone (users/{uid}.timezone, which the statistics count days
 * in) once it is read; the browser's until then, or when the profile has none. Firestore loads on
 * demand here, so the sign-in screen still does not fetch it.
 */
function useProfileZone(state: AuthState): AuthState {
  const [zone, setZone] = useState<{ uid: string; timeZone: string | null } | null>(null);
  const services = state.status === "signed-in" ? state.services : null;
  const uid = state.status === "signed-in" ? state.account.uid : null;
  useEffect(() => {
    if (!services || !uid) return;
    let stop = () => {};
    let gone = false;
    import("../data/profile").then(
      ({ watchTimeZone }) => {
        if (!gone) stop = watchTimeZone(services, uid, (timeZone) => setZone({ uid, timeZone }));
      },
      () => {}, // not loaded (offline): dates stay in the browser's zone
    );
    return () => {
      gone = true;
      stop();
    };
  }, [services, uid]);
  return useMemo(() => {
    if (state.status !== "signed-in" || zone?.uid !== state.account.uid || !zone.timeZone) return state;
    if (zone.timeZone === state.account.timeZone) return state;
    return { ...state, account: { ...state.account, timeZone: zone.timeZone } };
  }, [state, zone]);
}

function sameAccount(a: Account, b: Account): boolean {
  return a.uid === b.uid && a.role === b.role && a.name === b.name && a.emailVerified === b.emailVerified;
}

/** The auth state: starting, failed, signed out or signed in. */
export function useAuth(): AuthState {
  return useContext(AuthContext);
}

/** Inside the signed-in part of the app (routes under <RequireSignIn>): the person and services. */
export function useSignedIn(): Extract<AuthState, { status: "signed-in" }> {
  const state = useAuth();
  if (state.status !== "signed-in") throw new Error("useSignedIn outside the signed-in routes");
  return state;
}
