// The person's profile: name, e-mail, role and the time zone their dates and statistics' days are
// in. Read-only for now: the API has no way yet to change a name or a time zone (users/{uid} is
// written only by the functions), so this screen says where each value comes from instead.
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useDocument } from "../../data/firestore";
import { knownZone, profileDoc, profileFrom } from "../../data/profile";
import { roleWord } from "../../format";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./athlete.module.css";

/** "Europe/Paris" → "Europe/Paris (Central European Standard Time)": the zone as people know it. */
function zoneWords(zone: string): string {
  const name = new Intl.DateTimeFormat(undefined, { timeZone: zone, timeZoneName: "long" })
    .formatToParts(new Date())
    .find((part) => part.type === "timeZoneName")?.value;
  return name && name !== zone ? `${zone.replaceAll("_", " ")} (${name})` : zone.replaceAll("_", " ");
}

export default function Profile() {
  const { account } = useSignedIn();
  const profile = useDocument(profileDoc(useDb(), account.uid), profileFrom);
  if (profile.status === "loading") return <Loading label="Loading your profile…" />;
  const record = profile.status === "ready" ? profile.data : null;
  const zone = knownZone(record?.timezone);
  const named = account.name && account.name !== account.email;
  const facts: [string, string][] = [
    ["Name", named ? account.name : "Not set"],
    ["E-mail", account.email + (account.emailVerified ? "" : " (not verified yet)")],
    ["Role", roleWord(account.role)],
    ["Time zone", zone ? zoneWords(zone) : "Not set"],
  ];
  return (
    <Page title="Profile">
      {profile.status === "error" && (
        <Notice tone="warning">Your profile could not be read; what you see comes from your sign-in.</Notice>
      )}
      <section className={styles.card} aria-labelledby="about-title">
        <h2 id="about-title">About you</h2>
        <dl className={styles.about}>
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className={styles.section} aria-labelledby="zone-title">
        <h2 id="zone-title">Dates and days</h2>
        {zone ? (
          <p>
            Dates and times are shown in {zoneWords(zone)}, and your statistics count days (streaks, this
            week) in it.
          </p>
        ) : (
          <p>
            Dates and times are shown in this device's time zone, {zoneWords(account.timeZone)}. Your
            statistics count days in UTC until a time zone is set on your profile.
          </p>
        )}
        <p className={styles.muted}>Your name and time zone cannot be changed in the app yet.</p>
      </section>
    </Page>
  );
}
