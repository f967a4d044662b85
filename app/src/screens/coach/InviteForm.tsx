// Invite an athlete by e-mail (POST /api/invitations): once per click however often it is sent
// (the fieldset is disabled while it runs; api.creator keeps one Idempotency-Key per invitation).
import { useCallback, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { api } from "../../api";
import type { InvitationCreated } from "../../api/types";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormInvalid, text, useForm } from "../../ui/form";
import { FormError, Notice } from "../../ui/Notice";
import styles from "./coach.module.css";

export function InviteForm({ onSent }: { onSent?: () => void }) {
  const create = useMemo(() => api.creator<InvitationCreated>("/api/invitations"), []);
  const form = useRef<HTMLFormElement>(null);
  const [sent, setSent] = useState<string | null>(null);
  const submit = useCallback(
    async (data: FormData, signal: AbortSignal) => {
      setSent(null);
      const athleteEmail = text(data, "athleteEmail");
      if (!athleteEmail) {
        throw new FormInvalid({ fields: { athleteEmail: "Enter the athlete's e-mail address." } });
      }
      await create({ athleteEmail }, { signal });
      return athleteEmail;
    },
    [create],
  );
  const onDone = useCallback(
    (address: string) => {
      form.current?.reset();
      setSent(address);
      onSent?.();
    },
    [onSent],
  );
  const { submitting, errors, formProps } = useForm({ submit, onDone });

  return (
    <section className={styles.card} aria-labelledby="invite-title">
      <h2 id="invite-title">Invite an athlete</h2>
      <form ref={form} className={styles.form} aria-labelledby="invite-title" {...formProps}>
        <fieldset className={styles.fieldset} disabled={submitting}>
          <div className={styles.inline}>
            <Field
              label="Athlete's e-mail"
              name="athleteEmail"
              type="email"
              autoComplete="off"
              hint="They accept in Sessionbase; then they appear here."
              error={errors.fields.athleteEmail}
              onChange={() => setSent(null)}
            />
            <Button type="submit" busy={submitting} busyLabel="Sending…">
              Send invitation
            </Button>
          </div>
          <FormError>{errors.form}</FormError>
        </fieldset>
      </form>
      {sent && (
        <Notice tone="success">
          Invitation sent to {sent}. It waits for their answer for 30 days:{" "}
          <Link to="/invitations">see your invitations</Link>.
        </Notice>
      )}
    </section>
  );
}
