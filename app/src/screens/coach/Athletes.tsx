// The coach's athletes (the links their accepted invitations made): each by name, since when,
// their latest session, a way to their sessions and to a new one, and ending the link (confirmed
// first). Above them, the invitation form.
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { api, isAbort } from "../../api";
import type { LinkEnded, LinkPublic, SessionPublic } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useQuery } from "../../data/firestore";
import { athleteLabel, linkFrom, myAthletes } from "../../data/links";
import { mySessions, sessionFrom } from "../../data/sessions";
import { formatWhenInSentence, sessionTime } from "../../format";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import { CoachReports } from "../privacy/CoachReports";
import styles from "./coach.module.css";
import { InviteForm } from "./InviteForm";

/** How many of the coach's newest sessions the "last session" dates are taken from. */
const RECENT = 100;

interface Latest {
  /** The latest session that has begun, and the next one planned (instants or dates). */
  last: string | null;
  next: string | null;
  name: string | null;
}

/** Each athlete's last and next session (and a name a session gives them) among the coach's newest. */
export function latestByAthlete(sessions: readonly SessionPublic[], now = new Date()): Map<string, Latest> {
  const latest = new Map<string, Latest>();
  const today = now.toISOString();
  for (const session of sessions) {
    if (!session.athleteId || session.sessionType === "Class") continue;
    const when = sessionTime(session);
    const seen = latest.get(session.athleteId) ?? { last: null, next: null, name: null };
    const name = seen.name ?? session.athleteName ?? null;
    if (when && when > today) {
      latest.set(session.athleteId, {
        ...seen,
        name,
        next: !seen.next || when < seen.next ? when : seen.next,
      });
    } else {
      latest.set(session.athleteId, {
        ...seen,
        name,
        last: when && (!seen.last || when > seen.last) ? when : seen.last,
      });
    }
  }
  return latest;
}

export default function Athletes() {
  const { account } = useSignedIn();
  const db = useDb();
  const links = useQuery(myAthletes(db, account.uid), linkFrom);
  const sessions = useQuery(mySessions(db, account, RECENT), sessionFrom);
  const recent = sessions.status === "ready" ? sessions.data : [];
  const latest = useMemo(() => latestByAthlete(recent), [recent]);
  // Every session is among those read: an athlete missing from them has none.
  const complete = sessions.status === "ready" && recent.length < RECENT;

  return (
    <Page title="Athletes">
      <InviteForm />
      <section className={styles.section} aria-labelledby="athletes-title">
        <h2 id="athletes-title">Your athletes</h2>
        {links.status === "loading" && <Loading label="Loading your athletes…" />}
        {links.status === "error" && (
          <Notice tone="danger">
            Your athletes could not be loaded. Check your connection and reload the page.
          </Notice>
        )}
        {links.status === "ready" && links.data.length === 0 && (
          <p className={styles.empty}>
            No athletes yet. Invite one above: once they accept, they appear here and you can plan their
            sessions.
          </p>
        )}
        {links.status === "ready" && links.data.length > 0 && (
          <ul className={styles.list} aria-labelledby="athletes-title">
            {[...links.data]
              .map((link) => ({ link, label: athleteLabel(link, latest.get(link.athleteId)?.name) }))
              .sort((a, b) => a.label.localeCompare(b.label))
              .map(({ link, label }) => (
                <AthleteRow
                  key={link.linkId}
                  link={link}
                  label={label}
                  latest={latest.get(link.athleteId)}
                  complete={complete}
                  timeZone={account.timeZone}
                />
              ))}
          </ul>
        )}
      </section>
      {links.status === "ready" && (
        <CoachReports
          athletes={links.data
            .map((link) => ({
              uid: link.athleteId,
              label: athleteLabel(link, latest.get(link.athleteId)?.name),
            }))
            .sort((a, b) => a.label.localeCompare(b.label))}
        />
      )}
    </Page>
  );
}

function AthleteRow({
  link,
  label,
  latest,
  complete,
  timeZone,
}: {
  link: LinkPublic;
  label: string;
  latest: Latest | undefined;
  complete: boolean;
  timeZone: string;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const at = (value: string) => formatWhenInSentence(value, { timeZone });
  const sessions = [
    latest?.last ? `Last session ${at(latest.last)}` : "",
    latest?.next ? `next ${at(latest.next)}` : "",
  ].filter(Boolean);
  const last = sessions.length ? sessions.join(", ") : complete ? "No sessions yet" : "";
  const since = link.createdAt ? `Linked ${formatWhenInSentence(link.createdAt, { timeZone })}` : "";

  const end = async () => {
    setBusy(true);
    setError(null);
    try {
      // The listener drops the row once the link is gone.
      await api.delete<LinkEnded>(`/api/links/${encodeURIComponent(link.linkId)}`);
    } catch (caught) {
      if (!isAbort(caught))
        setError(caught instanceof Error ? caught.message : "The link could not be ended.");
      setBusy(false);
    }
  };

  return (
    <li className={styles.item} data-athlete={link.athleteId}>
      <div className={styles.who}>
        <span className={styles.name}>{label}</span>
        <span className={styles.meta}>{[last, since].filter(Boolean).join(" · ")}</span>
      </div>
      <div className={styles.actions}>
        <Link
          className={styles.action}
          to={`/sessions?athlete=${encodeURIComponent(link.athleteId)}`}
          aria-label={`Sessions with ${label}`}
        >
          Sessions
        </Link>
        <Link
          className={styles.action}
          to={`/statistics?athlete=${encodeURIComponent(link.athleteId)}`}
          aria-label={`Statistics of ${label}`}
        >
          Statistics
        </Link>
        <Link
          className={styles.action}
          to={`/sessions/new?athlete=${encodeURIComponent(link.athleteId)}`}
          aria-label={`New session for ${label}`}
        >
          New session
        </Link>
        {!confirming && (
          <button
            type="button"
            className={styles.linkButton}
            onClick={() => setConfirming(true)}
            aria-label={`End link with ${label}`}
          >
            End link
          </button>
        )}
      </div>
      {confirming && (
        <div className={styles.confirm}>
          <p>
            End the link with {label}? You will no longer see their sessions or statistics, and they keep
            every session you had together. You can invite them again later.
          </p>
          <div className={styles.buttons}>
            <Button onClick={end} busy={busy} busyLabel="Ending…" disabled={busy}>
              End the link
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)} disabled={busy}>
              Keep the link
            </Button>
          </div>
          {error && <Notice tone="danger">{error}</Notice>}
        </div>
      )}
    </li>
  );
}
