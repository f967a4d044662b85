// The invitations the coach sent to athletes (GET /api/invitations): to whom, their state in
// words, when; resend a pending or lapsed one (the same invitation, open again for its full
// lifetime, and the athlete told again), withdraw a pending one, invite again after it was
// declined, withdrawn or the link ended. Group invitations (kind "group") belong to the class screens and are not listed here.
import { useMemo, useState } from "react";
import { api, isAbort } from "../../api";
import type {
  InvitationCreated,
  InvitationList,
  InvitationPublic,
  InvitationResent,
  InvitationRevoked,
} from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useApiGet } from "../../data/apiGet";
import { useDb } from "../../data/db";
import { useQuery } from "../../data/firestore";
import { athleteLabel, linkFrom, myAthletes } from "../../data/links";
import { formatWhenInSentence, invitationState } from "../../format";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./coach.module.css";
import { InviteForm } from "./InviteForm";

/** The coach's own invitations to athletes (a document without `kind` is one, as stored before groups). */
export function sentToAthletes(
  invitations: readonly InvitationPublic[],
  coachId: string,
): InvitationPublic[] {
  return invitations.filter((i) => i.coachId === coachId && (i.kind ?? "coach") === "coach");
}

/** When, in words: sent, then what happened to it (or when a pending one lapses). */
export function invitationWhen(invitation: InvitationPublic, timeZone: string, now?: Date): string {
  const at = (value: string | null | undefined) => formatWhenInSentence(value, { timeZone, now });
  const sent = `Sent ${at(invitation.createdAt)}`;
  switch (invitation.status) {
    case "pending":
      return `${sent} · open until ${at(invitation.expiresAt)}`;
    case "accepted":
      return invitation.acceptedAt ? `${sent} · accepted ${at(invitation.acceptedAt)}` : sent;
    case "declined":
      return invitation.declinedAt ? `${sent} · declined ${at(invitation.declinedAt)}` : sent;
    case "revoked":
      return invitation.revokedAt ? `${sent} · withdrawn ${at(invitation.revokedAt)}` : sent;
    case "ended":
      return invitation.endedAt ? `${sent} · link ended ${at(invitation.endedAt)}` : sent;
    case "expired":
      return `${sent} · lapsed ${at(invitation.expiresAt)}`;
    default:
      return sent;
  }
}

export default function Invitations() {
  const { account } = useSignedIn();
  const db = useDb();
  const [asked, setAsked] = useState(0);
  const answer = useApiGet<InvitationList>("/api/invitations", undefined, asked);
  const links = useQuery(myAthletes(db, account.uid), linkFrom);
  const refresh = () => setAsked((n) => n + 1);
  const names = useMemo(() => {
    const known = new Map<string, string>();
    if (links.status === "ready")
      for (const link of links.data) known.set(link.athleteId, athleteLabel(link));
    return known;
  }, [links]);

  return (
    <Page title="Invitations">
      <InviteForm onSent={refresh} />
      <section className={styles.section} aria-labelledby="sent-title">
        <h2 id="sent-title">Sent invitations</h2>
        {answer.status === "loading" && <Loading label="Loading your invitations…" />}
        {answer.status === "error" && <Notice tone="danger">{answer.error.message}</Notice>}
        {answer.status === "ready" && (
          <SentList
            invitations={sentToAthletes(answer.data.invitations, account.uid)}
            names={names}
            timeZone={account.timeZone}
            onChange={refresh}
          />
        )}
      </section>
    </Page>
  );
}

function SentList({
  invitations,
  names,
  timeZone,
  onChange,
}: {
  invitations: InvitationPublic[];
  names: Map<string, string>;
  timeZone: string;
  onChange: () => void;
}) {
  if (invitations.length === 0) {
    return <p className={styles.empty}>No invitations yet. Invite an athlete by e-mail above.</p>;
  }
  return (
    <ul className={styles.list} aria-labelledby="sent-title">
      {invitations.map((invitation) => (
        <InvitationRow
          key={invitation.invitationId}
          invitation={invitation}
          name={invitation.athleteId ? names.get(invitation.athleteId) : undefined}
          timeZone={timeZone}
          onChange={onChange}
        />
      ))}
    </ul>
  );
}

function InvitationRow({
  invitation,
  name,
  timeZone,
  onChange,
}: {
  invitation: InvitationPublic;
  name: string | undefined;
  timeZone: string;
  onChange: () => void;
}) {
  // Which action runs: its button says so, the others wait.
  const [busy, setBusy] = useState<"resend" | "withdraw" | "again" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [resent, setResent] = useState<string | null>(null);
  const state = invitationState(invitation.status);
  const address = invitation.athleteEmail ?? "";
  // Once accepted, the athlete has a name; before that, the address is all the coach typed.
  const who = name ?? address;
  // Pending or lapsed: the same invitation again; answered or ended: a new one.
  const resendable = invitation.status === "pending" || invitation.status === "expired";
  const again =
    invitation.status === "declined" || invitation.status === "revoked" || invitation.status === "ended";

  const act = async (which: "resend" | "withdraw" | "again", run: () => Promise<unknown>, failed: string) => {
    setBusy(which);
    setError(null);
    setResent(null);
    try {
      await run();
      onChange();
    } catch (caught) {
      if (!isAbort(caught)) setError(caught instanceof Error ? caught.message : failed);
    } finally {
      setBusy(null);
    }
  };
  const withdraw = () =>
    act(
      "withdraw",
      () =>
        api.post<InvitationRevoked>(`/api/invitations/${encodeURIComponent(invitation.invitationId)}/revoke`),
      "The invitation could not be withdrawn.",
    );
  const resend = () =>
    act(
      "resend",
      async () => {
        const answer = await api.post<InvitationResent>(
          `/api/invitations/${encodeURIComponent(invitation.invitationId)}/resend`,
        );
        setResent(`Sent again: open until ${formatWhenInSentence(answer.expiresAt, { timeZone })}.`);
      },
      "The invitation could not be sent again.",
    );
  const inviteAgain = () =>
    act(
      "again",
      () => api.creator<InvitationCreated>("/api/invitations")({ athleteEmail: address }),
      "The invitation could not be sent.",
    );

  return (
    <li className={styles.item} data-invitation={invitation.invitationId}>
      <div className={styles.who}>
        <span className={styles.name}>{who}</span>
        <span className={styles.meta}>{invitationWhen(invitation, timeZone)}</span>
      </div>
      <span className={styles.state}>
        <Badge tone={state.tone}>{state.label}</Badge>
      </span>
      {(resendable || again) && (
        <div className={styles.actions}>
          {resendable && (
            <Button
              variant="secondary"
              onClick={resend}
              disabled={busy !== null}
              busy={busy === "resend"}
              busyLabel="Sending…"
              aria-label={`Resend the invitation to ${who}`}
            >
              Resend
            </Button>
          )}
          {invitation.status === "pending" && (
            <Button
              variant="secondary"
              onClick={withdraw}
              disabled={busy !== null}
              busy={busy === "withdraw"}
              busyLabel="Withdrawing…"
              aria-label={`Withdraw the invitation to ${who}`}
            >
              Withdraw
            </Button>
          )}
          {again && address && (
            <Button
              variant="secondary"
              onClick={inviteAgain}
              disabled={busy !== null}
              busy={busy === "again"}
              busyLabel="Sending…"
              aria-label={`Invite again: ${who}`}
            >
              Invite again
            </Button>
          )}
        </div>
      )}
      {error && (
        <div className={styles.actions}>
          <Notice tone="danger">{error}</Notice>
        </div>
      )}
      {resent && (
        <div className={styles.actions}>
          <Notice tone="success">{resent}</Notice>
        </div>
      )}
    </li>
  );
}
