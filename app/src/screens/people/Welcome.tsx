// "Check your e-mail", the first welcome step after sign-up: the verification e-mail goes out
// once (the Auth emulator prints its link in the emulators' log), and this screen notices the
// address verified by asking Auth again (every few seconds while it is in view, and when the tab
// comes back), then moves on to the profile set-up. Verifying may wait: invitations sent to the
// address are shown only once it is verified, and the inbox says so.
import { useCallback, useEffect, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { leave, useSignedIn } from "../../auth/AuthProvider";
import { expectNewAccount, isNewAccount } from "../../auth/guards";
import { Button } from "../../ui/Button";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./people.module.css";
import { linkError, sendLink } from "./verify";

const EVERY_MS = 4000;

// The first link, sent once per new account (a module value: StrictMode runs effects twice).
let firstLink: Promise<void> | null = null;

/** The step after: the profile set-up, keeping where the person was going. */
export function setUpPath(next: string | null): string {
  return `/welcome/profile${next ? `?next=${encodeURIComponent(next)}` : ""}`;
}

export default function Welcome() {
  const { user, account, services } = useSignedIn();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = params.get("next");
  const [sent, setSent] = useState<"sending" | "sent" | { error: string } | null>(null);
  const [checking, setChecking] = useState(false);
  const [notYet, setNotYet] = useState(false);

  useEffect(() => {
    if (isNewAccount()) {
      expectNewAccount(false);
      firstLink = sendLink(user);
    }
    const sending = firstLink;
    if (!sending) return;
    let gone = false;
    setSent("sending");
    sending.then(
      () => !gone && setSent("sent"),
      (error: unknown) => !gone && setSent({ error: linkError(error) }),
    );
    return () => {
      gone = true;
    };
  }, [user]);

  // Verified elsewhere (the link, maybe on another device): a fresh token carries it to the app.
  const check = useCallback(async () => {
    await user.reload();
    if (user.emailVerified) await user.getIdToken(true);
    return user.emailVerified;
  }, [user]);

  useEffect(() => {
    if (account.emailVerified) return;
    const look = () => {
      if (document.visibilityState === "visible") check().catch(() => {}); // offline: next time
    };
    const timer = window.setInterval(look, EVERY_MS);
    document.addEventListener("visibilitychange", look);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", look);
    };
  }, [account.emailVerified, check]);

  useEffect(() => {
    if (!account.emailVerified) return;
    const timer = window.setTimeout(() => navigate(setUpPath(next), { replace: true }), 1500);
    return () => window.clearTimeout(timer);
  }, [account.emailVerified, navigate, next]);

  if (account.emailVerified && sent === null && !checking) {
    // Opened again after verifying (a reload, the link's way back): straight on.
    return <Navigate replace to={setUpPath(next)} />;
  }

  const again = async () => {
    setSent("sending");
    try {
      await sendLink(user);
      setSent("sent");
    } catch (error) {
      setSent({ error: linkError(error) });
    }
  };
  const verifiedYet = async () => {
    setChecking(true);
    setNotYet(false);
    try {
      setNotYet(!(await check()));
    } catch {
      setNotYet(true);
    } finally {
      setChecking(false);
    }
  };

  return (
    <Page title="Check your e-mail">
      {account.emailVerified ? (
        <Notice tone="success">Your e-mail address is verified. Next, your name and time zone…</Notice>
      ) : (
        <>
          <p>
            We sent a link to <strong className={styles.address}>{account.email}</strong>. Open it to confirm
            the address is yours; this page notices by itself and moves on.
          </p>
          <p className={styles.muted}>
            Coaches invite you by this address: their invitations show once it is verified. No e-mail? Look in
            your spam folder, or send it again.
          </p>
          <div role="status" className={styles.status}>
            {sent === "sending" && "Sending the link…"}
            {sent === "sent" && `Link sent to ${account.email}.`}
            {notYet && "Not verified yet. Open the link in the e-mail, then come back here."}
          </div>
          {typeof sent === "object" && sent !== null && <Notice tone="danger">{sent.error}</Notice>}
          <div className={styles.actions}>
            <Button onClick={verifiedYet} busy={checking} busyLabel="Checking…" disabled={checking}>
              I have opened the link
            </Button>
            <Button variant="secondary" onClick={again} disabled={sent === "sending"}>
              Send the link again
            </Button>
          </div>
          <div className={styles.links}>
            <Link to={setUpPath(next)}>Verify later and set up your profile</Link>
            <button type="button" className={styles.linkButton} onClick={() => leave(services.auth)}>
              Wrong address? Sign out
            </button>
          </div>
        </>
      )}
    </Page>
  );
}
