// The person's sessions, live: what, with whom (the other person's name), when, and its state.
// The pattern for a list screen: a query from data/, useQuery, loading / error / empty / rows.
import { lazy, Suspense, useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { SessionPublic } from "../../api/types";
import { type Account, useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useQuery } from "../../data/firestore";
import { coachSessionsWith, mySessions, sessionFrom } from "../../data/sessions";
import { formatWhen, sessionState, sessionTime, sessionTitle } from "../../format";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import { AthleteFilter, NewSessionLink } from "../coach/AthleteFilter";
import styles from "./sessions.module.css";

// The coach's filters (type, event, days) and the filtering load after the list: their code is
// not in the first screen's.
const SessionFilters = lazy(() => import("../coach/SessionFilters"));

/** How many sessions the list reads at first; "Show more" reads this many more. */
const PAGE = 50;

/** The other person of a session: the athlete for their coach, the coach for their athlete. */
export function withWhom(session: SessionPublic, account: Account): string {
  if (session.coachId === account.uid) {
    return session.athleteName || session.athleteEmail || "Athlete not linked yet";
  }
  return session.coachName || (session.createdBy === account.uid ? "On your own" : "");
}

export default function SessionsList() {
  const { account } = useSignedIn();
  const db = useDb();
  // A coach may look at the sessions with one athlete (?athlete=<uid>, from the Athletes screen).
  const [params, setParams] = useSearchParams();
  const coach = account.role === "coach";
  const athlete = coach ? params.get("athlete") || null : null;
  // The coach's other filters (type, event, days) filter what was read; "Show more" reads more.
  const [count, setCount] = useState(PAGE);
  const sessions = useQuery(
    athlete ? coachSessionsWith(db, account.uid, athlete, count) : mySessions(db, account, count),
    sessionFrom,
  );
  const read = sessions.status === "ready" ? sessions.data : [];

  return (
    <Page title="Sessions" actions={coach ? <NewSessionLink athleteId={athlete} /> : undefined}>
      {coach && (
        <AthleteFilter
          value={athlete}
          onChange={(id) => {
            const next = new URLSearchParams(params);
            if (id) next.set("athlete", id);
            else next.delete("athlete");
            setParams(next);
          }}
        />
      )}

      {sessions.status === "loading" && <Loading label="Loading your sessions…" />}
      {sessions.status === "error" && (
        <Notice tone="danger">
          Your sessions could not be loaded. Check your connection and reload the page.
        </Notice>
      )}
      {sessions.status === "ready" &&
        (coach ? (
          <Suspense fallback={<Loading label="Loading your sessions…" />}>
            <SessionFilters sessions={read} timeZone={account.timeZone} more={read.length >= count}>
              {(shown, filtered) => <SessionRows sessions={shown} account={account} filtered={filtered} />}
            </SessionFilters>
          </Suspense>
        ) : (
          <SessionRows sessions={read} account={account} filtered={false} />
        ))}
      {sessions.status === "ready" && read.length >= count && (
        <div className={styles.more}>
          <Button variant="secondary" onClick={() => setCount((n) => n + PAGE)}>
            Show more
          </Button>
        </div>
      )}
    </Page>
  );
}

function SessionRows({
  sessions,
  account,
  filtered,
}: {
  sessions: SessionPublic[];
  account: Account;
  filtered: boolean;
}) {
  // Classes have their own screen, with their roster and history.
  const shown = sessions.filter((session) => session.sessionType !== "Class");
  if (shown.length === 0 && filtered)
    return <p className={styles.empty}>No session matches these filters.</p>;
  if (shown.length === 0) {
    return (
      <p className={styles.empty}>
        {account.role === "coach"
          ? "No sessions yet. Sessions you create for your athletes appear here."
          : "No sessions yet. Sessions your coach plans with you, and your practice, appear here."}
      </p>
    );
  }
  return (
    <ul className={styles.list} aria-label="Your sessions">
      {shown.map((session) => {
        const state = sessionState(session);
        const whom = withWhom(session, account);
        const when = formatWhen(sessionTime(session), { timeZone: account.timeZone });
        return (
          <li key={session.sessionId}>
            <Link to={`/sessions/${session.sessionId}`} className={styles.row}>
              <span className={styles.title}>{sessionTitle(session)}</span>
              <span className={styles.meta}>{[whom, when].filter(Boolean).join(" · ")}</span>
              <span className={styles.state}>
                <Badge tone={state.tone}>{state.label}</Badge>
              </span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
