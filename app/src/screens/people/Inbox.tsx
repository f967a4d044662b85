// The athlete's invitations (GET /api/invitations?for=me): those waiting for their answer, from a
// coach (to be coached) or for a class or team, each with who sent it; Accept (the existing
// accept) or Decline (asked once more; the coach's list then says "Declined"). Invitations are
// found by the verified address, so an unverified one is asked to verify it (a group's invitation
// by account shows either way).
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { api, isAbort } from "../../api";
import type {
  InvitationAccepted,
  InvitationDeclined,
  InvitationList,
  InvitationPublic,
} from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useApiGet } from "../../data/apiGet";
import { formatWhenInSentence } from "../../format";
import { invitationsChanged } from "../../layout/pendingInvitations";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./people.module.css";
import { linkError, sendLink } from "./verify";

/** Who sent it, by name (the address only when the API has no name). */
export function senderOf(invitation: InvitationPublic): string {
  return invitation.coachName?.trim() || invitation.coachEmail || "A coach";
}

/** What accepting does, in a sentence. */
export function offerOf(invitation: InvitationPublic): string {
  if (invitation.kind === "group") return `invites you to join ${invitation.groupName || "their class"}.`;
  return "invites you to be coached by them: they plan your sessions and see the ones you have together.";
}

type Answered = { text: string; groupId?: string | null | undefined };

export default function Inbox() {
  const { account } = useSignedIn();
  const [asked, setAsked] = useState(0);
  const [answered, setAnswered] = useState<Answered | null>(null);
  // Verified meanwhile (the card below): invitations to the address are the API's to give now.
  const answer = useApiGet<InvitationList>(
    "/api/invitations",
    { for: "me" },
    `${asked} ${account.emailVerified}`,
  );
  useEffect(() => {
    if (account.emailVerified) invitationsChanged();
  }, [account.emailVerified]);
  const done = (result: Answered) => {
    setAnswered(result);
    setAsked((n) => n + 1);
    invitationsChanged();
  };

  const waiting =
    answer.status === "ready"
      ? answer.data.invitations.filter((i) => i.status === "pending" && i.coachId !== account.uid)
      : [];
  return (
    <Page title="Invitations">
      {answered && (
        <Notice tone="success">
          {answered.text}{" "}
          {answered.groupId ? (
            <Link to={`/classes/${encodeURIComponent(answered.groupId)}`}>Open the class</Link>
          ) : answered.groupId === null ? (
            <Link to="/sessions">Your sessions</Link>
          ) : null}
        </Notice>
      )}
      {!account.emailVerified && <Unverified />}
      <section className={styles.section} aria-labelledby="waiting-title">
        <h2 id="waiting-title">Waiting for your answer</h2>
        {answer.status === "loading" && <Loading label="Loading your invitations…" />}
        {answer.status === "error" && <Notice tone="danger">{answer.error.message}</Notice>}
        {answer.status === "ready" &&
          (waiting.length === 0 ? (
            <p className={styles.muted}>
              No invitations waiting.
              {account.emailVerified && ` When a coach invites ${account.email}, it shows here.`}
            </p>
          ) : (
            <ul className={styles.list} aria-labelledby="waiting-title">
              {waiting.map((invitation) => (
                <InvitationRow
                  key={invitation.invitationId}
                  invitation={invitation}
                  timeZone={account.timeZone}
                  onAnswered={done}
                />
              ))}
            </ul>
          ))}
      </section>
    </Page>
  );
}

function Unverified() {
  const { user, account } = useSignedIn();
  const [said, setSaid] = useState<string | null>(null);
  const [busy, setBusy] = useState<"send" | "check" | null>(null);
  const send = async () => {
    setBusy("send");
    try {
      await sendLink(user);
      setSaid(`Link sent to ${account.email}. Open it, then come back here.`);
    } catch (error) {
      setSaid(linkError(error));
    } finally {
      setBusy(null);
    }
  };
  // Verified in another tab or device: a fresh token carries it here (and to the API).
  const check = async () => {
    setBusy("check");
    try {
      await user.reload();
      if (user.emailVerified) await user.getIdToken(true);
      else setSaid("Not verified yet. Open the link in the e-mail, then try again.");
    } catch {
      setSaid("No connection. Check your network and try again.");
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className={styles.card} aria-labelledby="verify-title">
      <h2 id="verify-title">Verify your e-mail address</h2>
      <p>
        Coaches invite you by e-mail. Verify <strong className={styles.address}>{account.email}</strong> to
        see the invitations sent to it: open the link in the e-mail we sent when you signed up.
      </p>
      <div role="status" className={styles.status}>
        {said}
      </div>
      <div className={styles.actions}>
        <Button onClick={check} busy={busy === "check"} busyLabel="Checking…" disabled={busy !== null}>
          I have verified it
        </Button>
        <Button
          variant="secondary"
          onClick={send}
          busy={busy === "send"}
          busyLabel="Sending…"
          disabled={busy !== null}
        >
          Send the link again
        </Button>
      </div>
    </section>
  );
}

function InvitationRow({
  invitation,
  timeZone,
  onAnswered,
}: {
  invitation: InvitationPublic;
  timeZone: string;
  onAnswered: (answered: Answered) => void;
}) {
  const [busy, setBusy] = useState<"accept" | "decline" | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const who = senderOf(invitation);
  const at = (value: string | null | undefined) => formatWhenInSentence(value, { timeZone });
  const path = `/api/invitations/${encodeURIComponent(invitation.invitationId)}`;
  const group = invitation.kind === "group";

  const act = async (which: "accept" | "decline") => {
    setBusy(which);
    setError(null);
    try {
      if (which === "accept") {
        const accepted = await api.post<InvitationAccepted>(`${path}/accept`);
        onAnswered(
          group
            ? {
                text: `You joined ${invitation.groupName || "the class"}.`,
                groupId: accepted.groupId ?? undefined,
              }
            : { text: `${who} is now your coach.`, groupId: null },
        );
      } else {
        await api.post<InvitationDeclined>(`${path}/decline`);
        onAnswered({ text: `You declined ${who}'s invitation.` });
      }
    } catch (caught) {
      if (!isAbort(caught))
        setError(caught instanceof Error ? caught.message : "That did not work. Try again.");
      setBusy(null);
    }
  };

  return (
    <li className={styles.item} data-invitation={invitation.invitationId}>
      <p className={styles.offer}>
        <span className={styles.who}>{who}</span> {offerOf(invitation)}
      </p>
      <p className={styles.meta}>
        Sent {at(invitation.createdAt)} · open until {at(invitation.expiresAt)}
      </p>
      {confirming ? (
        <div className={styles.confirm}>
          <p>Decline the invitation from {who}? They will see that you declined.</p>
          <div className={styles.actions}>
            <Button
              variant="secondary"
              onClick={() => act("decline")}
              busy={busy === "decline"}
              busyLabel="Declining…"
              disabled={busy !== null}
            >
              Yes, decline
            </Button>
            <Button variant="quiet" onClick={() => setConfirming(false)} disabled={busy !== null}>
              Keep it
            </Button>
          </div>
        </div>
      ) : (
        <div className={styles.actions}>
          <Button
            onClick={() => act("accept")}
            busy={busy === "accept"}
            busyLabel="Accepting…"
            disabled={busy !== null}
            aria-label={`Accept the invitation from ${who}`}
          >
            Accept
          </Button>
          <Button
            variant="secondary"
            onClick={() => setConfirming(true)}
            disabled={busy !== null}
            aria-label={`Decline the invitation from ${who}`}
          >
            Decline
          </Button>
        </div>
      )}
      {error && <Notice tone="danger">{error}</Notice>}
    </li>
  );
}
