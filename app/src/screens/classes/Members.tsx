// The owner's side of a group's people: the members (live), removing one, inviting someone by
// e-mail (an invitation they accept; the answer is the same whether or not the address has an
// account, so the screen says the same too), and the invitations still waiting, with Revoke.
import { useCallback, useMemo, useRef, useState } from "react";
import { api, isAbort } from "../../api";
import type { InvitationPublic, MemberInvited, MemberPublic } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { type Live, useQuery } from "../../data/firestore";
import { pendingGroupInvitations } from "../../data/groups";
import { formatWhen } from "../../format";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormInvalid, text, useForm } from "../../ui/form";
import { FormError, Notice } from "../../ui/Notice";
import { memberName } from "./classes";
import styles from "./classes.module.css";

const invitationFrom = (id: string, data: Record<string, unknown>) =>
  ({ ...data, invitationId: id }) as InvitationPublic;

function errorText(error: unknown, fallback: string): string | null {
  if (isAbort(error)) return null;
  return error instanceof Error && error.message ? error.message : fallback;
}

export function Members({ groupId, members }: { groupId: string; members: Live<MemberPublic[]> }) {
  return (
    <section className={styles.section} aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      {members.status === "error" && <Notice tone="danger">The members could not be loaded.</Notice>}
      {members.status === "ready" && members.data.length === 0 && (
        <p className={styles.muted}>No members yet. Invite your athletes or students by e-mail.</p>
      )}
      {members.status === "ready" && members.data.length > 0 && (
        <ul className={styles.people} aria-label="Members">
          {[...members.data]
            .sort((a, b) => memberName(a).localeCompare(memberName(b)))
            .map((member) => (
              <MemberRow key={member.uid} groupId={groupId} member={member} />
            ))}
        </ul>
      )}
      <InviteForm groupId={groupId} />
      <PendingInvitations groupId={groupId} />
    </section>
  );
}

/** A member, with Remove asking once more before it acts. */
function MemberRow({ groupId, member }: { groupId: string; member: MemberPublic }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = memberName(member);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      // The members listener then drops the row.
      await api.delete(
        `/api/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(member.uid)}`,
      );
    } catch (caught) {
      setError(errorText(caught, `${name} could not be removed. Try again.`));
      setBusy(false);
    }
  };
  return (
    <li className={styles.person} data-member={member.uid}>
      <span className={styles.name}>{name}</span>
      {asking ? (
        <span className={styles.actions}>
          <span>Remove {name} from the group?</span>
          <Button variant="secondary" onClick={remove} disabled={busy} busy={busy} busyLabel="Removing…">
            Remove
          </Button>
          <Button variant="quiet" onClick={() => setAsking(false)} disabled={busy}>
            Keep
          </Button>
        </span>
      ) : (
        <Button variant="quiet" onClick={() => setAsking(true)} aria-label={`Remove ${name}`}>
          Remove
        </Button>
      )}
      {error && <Notice tone="danger">{error}</Notice>}
    </li>
  );
}

function InviteForm({ groupId }: { groupId: string }) {
  const invite = useMemo(
    () => api.creator<MemberInvited>(`/api/groups/${encodeURIComponent(groupId)}/members`),
    [groupId],
  );
  const form = useRef<HTMLFormElement>(null);
  const [sent, setSent] = useState<string | null>(null);
  const submit = useCallback(
    async (data: FormData, signal: AbortSignal) => {
      setSent(null);
      const email = text(data, "email");
      if (!email) throw new FormInvalid({ fields: { email: "Enter the e-mail address to invite." } });
      return invite({ email }, { signal });
    },
    [invite],
  );
  const onDone = useCallback((invited: MemberInvited) => {
    form.current?.reset();
    setSent(invited.email ?? null);
  }, []);
  const { submitting, errors, formProps } = useForm({ submit, onDone });
  return (
    <form ref={form} className={styles.form} aria-label="Invite a member" {...formProps}>
      <fieldset className={styles.fieldset} disabled={submitting}>
        <Field
          label="Invite by e-mail"
          name="email"
          type="email"
          autoComplete="off"
          hint="They join when they accept the invitation, which waits for them for 30 days."
          error={errors.fields.email}
          onInput={() => setSent(null)}
        />
        <FormError>{errors.form}</FormError>
        <div className={styles.actions}>
          <Button type="submit" busy={submitting} busyLabel="Sending…">
            Send invitation
          </Button>
        </div>
      </fieldset>
      {/* The same sentence whatever the address: the API says nothing of accounts either. */}
      <div aria-live="polite" className={styles.announce}>
        {sent !== null && <Notice tone="success">Invitation sent to {sent}.</Notice>}
      </div>
    </form>
  );
}

/** Invitations to this group nobody has answered yet (live), each revocable. */
function PendingInvitations({ groupId }: { groupId: string }) {
  const { account } = useSignedIn();
  const db = useDb();
  const pending = useQuery(pendingGroupInvitations(db, account.uid, groupId), invitationFrom);
  if (pending.status !== "ready" || pending.data.length === 0) return null;
  const rows = [...pending.data].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <div className={styles.section}>
      <h3>Waiting for an answer</h3>
      <ul className={styles.people} aria-label="Invitations waiting for an answer">
        {rows.map((invitation) => (
          <PendingRow key={invitation.invitationId} invitation={invitation} />
        ))}
      </ul>
    </div>
  );
}

function PendingRow({ invitation }: { invitation: InvitationPublic }) {
  const { account } = useSignedIn();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const who = invitation.athleteEmail || "An account";
  const expired = new Date(invitation.expiresAt).getTime() <= Date.now();
  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/invitations/${encodeURIComponent(invitation.invitationId)}/revoke`);
    } catch (caught) {
      setError(errorText(caught, "The invitation could not be revoked. Try again."));
      setBusy(false);
    }
  };
  return (
    <li className={styles.person}>
      <span className={styles.name}>
        {who}{" "}
        <span className={styles.muted}>
          · {expired ? "Expired" : formatWhen(invitation.createdAt, { timeZone: account.timeZone })}
        </span>
      </span>
      <Button
        variant="quiet"
        onClick={revoke}
        disabled={busy}
        busy={busy}
        busyLabel="Revoking…"
        aria-label={`Revoke the invitation to ${who}`}
      >
        Revoke
      </Button>
      {error && <Notice tone="danger">{error}</Notice>}
    </li>
  );
}
