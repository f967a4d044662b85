// Which notifications also come by e-mail and as push, per kind (the Profile page). The table is
// the profile's (GET /api/users/me answers every kind with both channels); Save sends all of it
// with PUT /api/users/me {notifications}. In the app every notification is shown: not a choice.
import { useCallback, useState } from "react";
import { api } from "../../api";
import type { NotificationPreferences, Profile } from "../../api/types";
import { useApiGet } from "../../data/apiGet";
import { Button } from "../../ui/Button";
import { useForm } from "../../ui/form";
import { FormError, Notice } from "../../ui/Notice";
import styles from "./notifications.module.css";
import { changedPreferences, type PreferenceRow, preferenceRows } from "./notificationWords";

export function NotificationSettings({ email }: { email: string }) {
  const profile = useApiGet<Profile>("/api/users/me");
  return (
    <section className={styles.settings} aria-labelledby="notify-title">
      <h2 id="notify-title">Notifications</h2>
      <p>
        In the app, every notification is shown under the bell at the top: that is always on. Choose which
        also come by e-mail{email ? ` (to ${email})` : ""} and as push notifications on the devices where you
        allowed them.
      </p>
      {profile.status === "loading" && <p className={styles.empty}>Loading your notification settings…</p>}
      {profile.status === "error" && <Notice tone="danger">{profile.error.message}</Notice>}
      {profile.status === "ready" && <PreferencesForm table={profile.data.notifications ?? {}} />}
    </section>
  );
}

function PreferencesForm({ table }: { table: NotificationPreferences }) {
  const [rows, setRows] = useState(() => preferenceRows(table));
  const [saved, setSaved] = useState(false);
  const submit = useCallback(async (data: FormData, signal: AbortSignal) => {
    setSaved(false);
    return api.put<Profile>("/api/users/me", { notifications: changedPreferences(data) }, { signal });
  }, []);
  const onDone = useCallback((profile: Profile) => {
    setRows(preferenceRows(profile.notifications ?? {}));
    setSaved(true);
  }, []);
  const { submitting, errors, formProps } = useForm({ submit, onDone });
  const problem = errors.form ?? Object.values(errors.fields)[0];
  return (
    <form aria-label="Notification settings" className={styles.form} {...formProps}>
      <fieldset className={styles.fieldset} disabled={submitting} onChange={() => setSaved(false)}>
        <ul className={styles.kinds}>
          {rows.map((row) => (
            <KindRow key={`${row.kind}:${row.email}:${row.push}`} row={row} />
          ))}
        </ul>
        <FormError>{problem}</FormError>
        <div className={styles.actions}>
          <Button type="submit" busy={submitting} busyLabel="Saving…">
            Save notification settings
          </Button>
          <span role="status" className={styles.savedNote}>
            {saved ? "Saved." : ""}
          </span>
        </div>
      </fieldset>
    </form>
  );
}

function KindRow({ row }: { row: PreferenceRow }) {
  return (
    <li>
      <fieldset className={styles.kind}>
        <legend className={styles.kindName}>{row.label}</legend>
        <label className={styles.channel}>
          <input type="checkbox" name={`${row.kind}.email`} defaultChecked={row.email} />
          E-mail
        </label>
        <label className={styles.channel}>
          <input type="checkbox" name={`${row.kind}.push`} defaultChecked={row.push} />
          Push
        </label>
      </fieldset>
    </li>
  );
}
