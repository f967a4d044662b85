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

/** Sign-in, sign-up, reset: a signed-in person goes on to where they were going, or home. */
export function SignedOutOnly() {
  const state = useAuth();
  const [params] = useSearchParams();
  if (state.status === "starting" || state.status === "failed") return <Starting />;
  if (state.status === "signed-in")
    return <Navigate replace to={afterSignIn(params.get("next"), state.account.role)} />;
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
