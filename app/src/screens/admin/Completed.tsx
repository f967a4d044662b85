// Completed (faculty seed, second tab): the project's completed sessions, latest first, with
// when they really ran, for how long, and their completion code. Live. Below, the completions and
// sessions reports (privacy/Reports.tsx).
import { useState } from "react";
import type { SessionPublic } from "../../api/types";
import { type Account, useSignedIn } from "../../auth/AuthProvider";
import { latestFirst, PAGE, sessionsByStatus } from "../../data/admin";
import { useDb } from "../../data/db";
import { useQuery } from "../../data/firestore";
import { sessionFrom } from "../../data/sessions";
import { formatDuration, sessionTime } from "../../format";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import { Reports } from "../privacy/Reports";
import styles from "./admin.module.css";
import { type Row, SessionRows, ShowMore } from "./SessionRows";
import { VerifyCode } from "./VerifyCode";

export default function Completed() {
  const { account } = useSignedIn();
  const db = useDb();
  const [count, setCount] = useState(PAGE);
  const sessions = useQuery(sessionsByStatus(db, "completed", count), sessionFrom);

  return (
    <Page title="Completed">
      <VerifyCode />
      {sessions.status === "loading" && <Loading label="Loading the completed sessions…" />}
      {sessions.status === "error" && (
        <Notice tone="danger">
          The sessions could not be loaded. Check your connection and reload the page.
        </Notice>
      )}
      {sessions.status === "ready" && (
        <>
          <CompletedRows rows={sessions.data.filter((s) => s.archived !== true)} account={account} />
          <ShowMore shown={sessions.data.length >= count} onMore={() => setCount((n) => n + PAGE)} />
        </>
      )}
      <Reports
        intro="The completion codes given in the period, and every session with its results, as spreadsheets (CSV), with dates in your time zone."
        reports={[
          { label: "Completions (CSV)", path: "/api/reports/completions", rows: "code" },
          { label: "Sessions (CSV)", path: "/api/reports/sessions", rows: "session" },
        ]}
      />
    </Page>
  );
}

/** A completed session's row: its actual time, its length and its code (and the state word in a mixed list). */
export function completedRow(session: SessionPublic, showState = false): Row {
  return {
    session,
    when: sessionTime(session),
    state: showState ? { label: "Completed", tone: "success" } : undefined,
    extra: [
      session.durationSeconds ? formatDuration(session.durationSeconds) : "",
      session.completionCode ? `Code ${session.completionCode}` : "",
    ],
  };
}

function CompletedRows({ rows, account }: { rows: SessionPublic[]; account: Account }) {
  if (rows.length === 0) {
    return <p className={styles.empty}>No session has been completed yet. Completed sessions appear here.</p>;
  }
  return (
    <SessionRows
      rows={latestFirst(rows).map((row) => completedRow(row))}
      account={account}
      label="Completed sessions"
    />
  );
}
