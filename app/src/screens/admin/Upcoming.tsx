// Upcoming (faculty seed, first tab): every scheduled session of the project, soonest first, the
// ones whose time has gone by without a completion on top ("Overdue"), each with the way to
// complete it. Live, so a completion elsewhere takes the row away.
import { useState } from "react";
import { Link } from "react-router";
import type { SessionPublic } from "../../api/types";
import { type Account, useSignedIn } from "../../auth/AuthProvider";
import { isOverdue, PAGE, sessionsByStatus, soonestFirst } from "../../data/admin";
import { useDb } from "../../data/db";
import { useQuery } from "../../data/firestore";
import { sessionFrom } from "../../data/sessions";
import { sessionTime, sessionTitle } from "../../format";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./admin.module.css";
import { type Row, SessionRows, ShowMore } from "./SessionRows";

export default function Upcoming() {
  const { account } = useSignedIn();
  const db = useDb();
  const [count, setCount] = useState(PAGE);
  const sessions = useQuery(sessionsByStatus(db, "scheduled", count), sessionFrom);

  return (
    <Page title="Upcoming">
      {sessions.status === "loading" && <Loading label="Loading the upcoming sessions…" />}
      {sessions.status === "error" && (
        <Notice tone="danger">
          The sessions could not be loaded. Check your connection and reload the page.
        </Notice>
      )}
      {sessions.status === "ready" && (
        <UpcomingRows
          rows={sessions.data.filter((s) => s.archived !== true)}
          account={account}
          more={sessions.data.length >= count}
          onMore={() => setCount((n) => n + PAGE)}
        />
      )}
    </Page>
  );
}

function UpcomingRows({
  rows,
  account,
  more,
  onMore,
}: {
  rows: SessionPublic[];
  account: Account;
  more: boolean;
  onMore: () => void;
}) {
  if (rows.length === 0) {
    return (
      <p className={styles.empty}>
        Nothing is scheduled. Sessions planned by coaches and schedules appear here.
      </p>
    );
  }
  const now = new Date();
  const sorted = soonestFirst(rows);
  const overdue = sorted.filter((session) => isOverdue(session, now));
  const ahead = sorted.filter((session) => !isOverdue(session, now));
  const toRow =
    (late: boolean) =>
    (session: SessionPublic): Row => ({
      session,
      when: sessionTime(session),
      // Every row is scheduled: only an overdue one says more.
      state: late ? { label: "Overdue", tone: "warning" } : undefined,
      action: (
        <Link
          to={`/sessions/${encodeURIComponent(session.sessionId)}#complete`}
          className={styles.action}
          aria-label={`Complete ${sessionTitle(session)}`}
        >
          Complete
        </Link>
      ),
    });
  return (
    <>
      {overdue.length > 0 && (
        <section className={styles.group} aria-labelledby="overdue-title">
          <h2 id="overdue-title">Waiting to be completed</h2>
          <SessionRows rows={overdue.map(toRow(true))} account={account} label="Overdue sessions" />
        </section>
      )}
      <section className={styles.group} aria-labelledby="ahead-title">
        <h2 id="ahead-title">Coming up</h2>
        {ahead.length ? (
          <SessionRows rows={ahead.map(toRow(false))} account={account} label="Upcoming sessions" />
        ) : (
          <p className={styles.empty}>Nothing else is scheduled.</p>
        )}
      </section>
      <ShowMore shown={more} onMore={onMore} />
    </>
  );
}
