// The person's profile: name, e-mail, role and the time zone their dates and statistics' days are
// in, followed live (users/{uid}); "Change name or time zone" opens the form (PUT /api/users/me).
// A new zone makes the backend count the athlete's statistics again in it, which the page says.
// Below, which notifications also come by e-mail and push (people/NotificationSettings.tsx), then
// "Download my data" and "Delete my account" (screens/privacy, issue 27).
import { useCallback, useState } from "react";
import type { Profile as ProfileAnswer } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useDocument } from "../../data/firestore";
import { knownZone, profileDoc, profileFrom } from "../../data/profile";
import { roleWord } from "../../format";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import { NotificationSettings } from "../people/NotificationSettings";
import { ProfileForm } from "../people/ProfileForm";
import { zoneWords } from "../people/zones";
import { DataExport } from "../privacy/DataExport";
import { DeleteAccount } from "../privacy/DeleteAccount";
import styles from "./athlete.module.css";

export default function Profile() {
  const { account } = useSignedIn();
  const profile = useDocument(profileDoc(useDb(), account.uid), profileFrom);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const athlete = account.role === "athlete";
  const onSaved = useCallback(
    (answer: ProfileAnswer, before: { timeZone: string }) => {
      setEditing(false);
      const moved = answer.timezone !== before.timeZone;
      setSaved(
        moved && athlete
          ? `Saved. Your statistics are being counted again in ${zoneWords(answer.timezone)}: streaks and this week's figures may change in a moment.`
          : moved
            ? `Saved. Dates are now shown in ${zoneWords(answer.timezone)}.`
            : "Saved.",
      );
    },
    [athlete],
  );
  if (profile.status === "loading") return <Loading label="Loading your profile…" />;
  const record = profile.status === "ready" ? profile.data : null;
  const zone = knownZone(record?.timezone);
  const name = record?.displayName?.trim() || (account.name !== account.email ? account.name : "");
  const facts: [string, string][] = [
    ["Name", name || "Not set"],
    ["E-mail", account.email + (account.emailVerified ? "" : " (not verified yet)")],
    ["Role", roleWord(account.role)],
    ["Time zone", zone ? zoneWords(zone) : "Not set"],
  ];
  return (
    <Page title="Profile">
      {profile.status === "error" && (
        <Notice tone="warning">Your profile could not be read; what you see comes from your sign-in.</Notice>
      )}
      {saved && <Notice tone="success">{saved}</Notice>}
      <section className={styles.card} aria-labelledby="about-title">
        <h2 id="about-title">About you</h2>
        {editing ? (
          <ProfileForm
            label="Change your profile"
            name={name}
            timeZone={zone ?? account.timeZone}
            zoneHint={
              athlete
                ? "Your days (streaks, this week) count in this zone: a change counts your statistics again."
                : "Dates and times are shown in this zone."
            }
            submitLabel="Save"
            busyLabel="Saving…"
            onSaved={onSaved}
          >
            <Button variant="quiet" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </ProfileForm>
        ) : (
          <>
            <dl className={styles.about}>
              {facts.map(([label, value]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
            <div className={styles.actions}>
              <Button
                variant="secondary"
                onClick={() => {
                  setSaved(null);
                  setEditing(true);
                }}
              >
                Change name or time zone
              </Button>
            </div>
          </>
        )}
      </section>
      <section className={styles.section} aria-labelledby="zone-title">
        <h2 id="zone-title">Dates and days</h2>
        {zone ? (
          <p>
            Dates and times are shown in {zoneWords(zone)}
            {athlete ? ", and your statistics count days (streaks, this week) in it." : "."}
          </p>
        ) : (
          <p>
            Dates and times are shown in this device's time zone, {zoneWords(account.timeZone)}.
            {athlete && " Your statistics count days in UTC until a time zone is set on your profile."}
          </p>
        )}
      </section>
      <NotificationSettings email={record?.email || account.email} />
      <DataExport />
      <DeleteAccount />
    </Page>
  );
}
