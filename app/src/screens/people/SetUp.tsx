// The profile set-up, the last welcome step: the name coaches and classes see, and the time zone
// the person's days count in (guessed from this device, changeable), sent with PUT /api/users/me;
// then where they were going, else their home.
import { useCallback } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useSignedIn } from "../../auth/AuthProvider";
import { afterSignIn } from "../../layout/navigation";
import { Page } from "../../ui/Page";
import { ProfileForm } from "./ProfileForm";
import styles from "./people.module.css";
import { guessZone, zoneWords } from "./zones";

export default function SetUp() {
  const { account } = useSignedIn();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = params.get("next");
  const guess = guessZone();
  const done = useCallback(
    () => navigate(afterSignIn(next, account.role), { replace: true }),
    [navigate, next, account.role],
  );
  return (
    <Page title="Set up your profile">
      <p className={styles.muted}>
        Your name is how your coach and your classes see you. Your days (streaks, this week) count in your
        time zone, and dates are shown in it.
      </p>
      <ProfileForm
        label="Your profile"
        name={account.name === account.email ? "" : account.name}
        timeZone={guess}
        zoneHint={`Guessed from this device: ${zoneWords(guess)}.`}
        submitLabel="Save and continue"
        busyLabel="Saving…"
        onSaved={done}
      />
    </Page>
  );
}
