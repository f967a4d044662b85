// Route guards: who may see a part of the app. The URL is kept across the sign-in (?next=), so a
// deep link or a reload lands where it pointed.
import { Navigate, Outlet, useLocation, useSearchParams } from "react-router";
import type { Role } from "../api/types";
import { afterSignIn } from "../layout/navigation";
import { Loading } from "../ui/Loading";
import { Notice } from "../ui/Notice";
import { Page } from "../ui/Page";
import { useAuth, useSignedIn } from "./AuthProvider";

function Starting() {
  const state = useAuth();
  if (state.status === "failed") {
    return (
      <main id="main">
        <Notice tone="danger">Sessionbase could not start. Reload the page to try again.</Notice>
      </main>
    );
  }
  return <Loading label="Starting Sessionbase…" />;
}

/** Signed-in routes: a signed-out visitor goes to the sign-in page, and comes back after it. */
export function RequireSignIn() {
  const state = useAuth();
  const location = useLocation();
  if (state.status === "starting" || state.status === "failed") return <Starting />;
  if (state.status === "signed-out") {
    const next = `${location.pathname}${location.search}`;
    const keep = !state.left && next !== "/";
    return <Navigate replace to={keep ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in"} />;
  }
  return <Outlet />;
}

let welcoming = false;

/**
 * Sign-up says so before it creates the account (and again, false, if that fails); the welcome
 * screen says false once it is shown. While true, the guard below sends the new person to the
 * welcome steps (verify the address, set up the profile) instead of straight on.
 */
export function expectNewAccount(yes: boolean): void {
  welcoming = yes;
}

export function isNewAccount(): boolean {
  return welcoming;
}

/** Sign-in, sign-up, reset: a signed-in person goes on to where they were going, or home. */
export function SignedOutOnly() {
  const state = useAuth();
  const [params] = useSearchParams();
  if (state.status === "starting" || state.status === "failed") return <Starting />;
  if (state.status === "signed-in") {
    const next = afterSignIn(params.get("next"), state.account.role);
    return <Navigate replace to={welcoming ? `/welcome?next=${encodeURIComponent(next)}` : next} />;
  }
  return <Outlet />;
}

/** A screen of some roles only: others are told it is not theirs (a URL typed or shared). */
export function RequireRole({ roles }: { roles: readonly Role[] }) {
  const { account } = useSignedIn();
  if (roles.includes(account.role)) return <Outlet />;
  return (
    <Page title="Not available">
      <p>This page is not part of your account. Use the navigation to find what you need.</p>
    </Page>
  );
}
