// The person's name and time zone (PUT /api/users/me), for the set-up after sign-up and for the
// Profile page. The zone is picked from every IANA zone this browser knows, grouped by region.
// The API also gives the name to the Auth account; the app then refreshes its ID token, which names
// the person to the API (a link's athlete name, an invitation's coach name), and the header.
import { updateProfile } from "firebase/auth";
import { type ReactNode, useCallback, useMemo } from "react";
import { api } from "../../api";
import type { Profile, ProfileUpdate } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormInvalid, text, useForm } from "../../ui/form";
import { FormError } from "../../ui/Notice";
import { SelectField } from "../sessions/records/controls";
import styles from "./people.module.css";
import { zoneGroups, zoneNames } from "./zones";

export interface ProfileFormProps {
  label: string;
  name: string;
  timeZone: string;
  /** A sentence under the zone (e.g. that it was guessed from this device). */
  zoneHint?: string | undefined;
  submitLabel: string;
  busyLabel: string;
  onSaved: (profile: Profile, before: { name: string; timeZone: string }) => void;
  /** Beside the submit button (e.g. Cancel). */
  children?: ReactNode;
}

export function ProfileForm({
  label,
  name,
  timeZone,
  zoneHint,
  submitLabel,
  busyLabel,
  onSaved,
  children,
}: ProfileFormProps) {
  const { user } = useSignedIn();
  const groups = useMemo(() => zoneGroups(zoneNames(timeZone)), [timeZone]);
  const submit = useCallback(
    async (data: FormData, signal: AbortSignal) => {
      const body: ProfileUpdate = {
        displayName: text(data, "displayName"),
        timezone: text(data, "timezone"),
      };
      if (!body.displayName) throw new FormInvalid({ fields: { displayName: "Enter your name." } });
      const profile = await api.put<Profile>("/api/users/me", body, { signal });
      if (profile.displayName) {
        try {
          // The API gave the Auth account the name too; this copy is the one the header reads.
          if (profile.displayName !== user.displayName) {
            await updateProfile(user, { displayName: profile.displayName });
          }
          // A fresh token carries the name (`name` claim): what the API records on what the
          // person makes next (a session's athleteName, an invitation's coachName).
          const token = await user.getIdTokenResult();
          if (token.claims.name !== profile.displayName) await user.getIdToken(true);
        } catch {
          // The profile has the name; the token carries it from its next hourly refresh.
        }
      }
      return profile;
    },
    [user],
  );
  const onDone = useCallback(
    (profile: Profile) => onSaved(profile, { name, timeZone }),
    [onSaved, name, timeZone],
  );
  const { submitting, errors, formProps } = useForm({ submit, onDone });

  return (
    <form className={styles.form} aria-label={label} {...formProps}>
      <fieldset className={styles.fieldset} disabled={submitting}>
        <Field
          label="Your name"
          name="displayName"
          autoComplete="name"
          defaultValue={name}
          maxLength={200}
          hint="As your coach and your classes see you."
          error={errors.fields.displayName}
        />
        <SelectField
          label="Time zone"
          name="timezone"
          defaultValue={timeZone}
          hint={zoneHint}
          error={errors.fields.timezone}
        >
          {groups.map((group) => (
            <optgroup key={group.region} label={group.region}>
              {group.zones.map((zone) => (
                <option key={zone.value} value={zone.value}>
                  {zone.label}
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
        <FormError>{errors.form}</FormError>
        <div className={styles.actions}>
          <Button type="submit" busy={submitting} busyLabel={busyLabel}>
            {submitLabel}
          </Button>
          {children}
        </div>
      </fieldset>
    </form>
  );
}
