// History (faculty seed, third tab): everything past — completed, cancelled, and scheduled
// sessions whose time went by without a completion ("Missed") — latest first, filtered by state,
// type and days. The filters live in the URL, so a reload or a shared link keeps them.
import { type ChangeEvent, useState } from "react";
import { useSearchParams } from "react-router";
import type { SessionPublic, SessionType } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import {
  type HistoryFilter,
  type HistoryStatus,
  historyRows,
  historyStatuses,
  NO_FILTER,
  PAGE,
  sessionsByStatus,
} from "../../data/admin";
import { useDb } from "../../data/db";
import { useQuery } from "../../data/firestore";
import { sessionFrom } from "../../data/sessions";
import { sessionTime, sessionTypeWord } from "../../format";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import { SelectField } from "../sessions/records/controls";
import styles from "./admin.module.css";
import { completedRow } from "./Completed";
import { type Row, SessionRows, ShowMore } from "./SessionRows";

const STATUSES: [HistoryStatus, string][] = [
  ["all", "All"],
  ["completed", "Completed"],
  ["cancelled", "Cancelled"],
  ["missed", "Missed"],
];
const TYPES: SessionType[] = [
  "Training",
  "Competition",
  "Evaluation",
  "Analysis",
  "Practice",
  "Review",
  "Test",
  "Class",
];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function filterOf(params: URLSearchParams): HistoryFilter {
  const status = params.get("status");
  const type = params.get("type");
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  return {
    status: STATUSES.some(([value]) => value === status) ? (status as HistoryStatus) : NO_FILTER.status,
    type: TYPES.includes(type as SessionType) ? (type as SessionType) : "all",
    from: DAY.test(from) ? from : "",
    to: DAY.test(to) ? to : "",
  };
}

function historyRow(session: SessionPublic): Row {
  if (session.status === "completed") return completedRow(session, true);
  if (session.status === "cancelled") {
    return {
      session,
      when: sessionTime(session),
      state: { label: "Cancelled", tone: "neutral" },
      extra: session.cancelReason ? [session.cancelReason] : [],
    };
  }
  return { session, when: sessionTime(session), state: { label: "Missed", tone: "danger" } };
}

export default function History() {
  const { account } = useSignedIn();
  const db = useDb();
  const [params, setParams] = useSearchParams();
  const filter = filterOf(params);
  const [count, setCount] = useState(PAGE);
  const sessions = useQuery(sessionsByStatus(db, historyStatuses(filter.status), count), sessionFrom);

  const set = (name: keyof HistoryFilter) => (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const { value } = event.target;
    const next = new URLSearchParams(params);
    if (!value || value === "all") next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  };
  const filtered = filter.status !== "all" || filter.type !== "all" || filter.from || filter.to;
  const rows =
    sessions.status === "ready" ? historyRows(sessions.data, filter, { timeZone: account.timeZone }) : [];

  return (
    <Page title="History">
      <search aria-label="Filter the history" className={styles.filters}>
        <SelectField label="State" name="status" value={filter.status} onChange={set("status")}>
          {STATUSES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Type" name="type" value={filter.type} onChange={set("type")}>
          <option value="all">All types</option>
          {TYPES.map((type) => (
            <option key={type} value={type}>
              {sessionTypeWord(type)}
            </option>
          ))}
        </SelectField>
        <Field label="From" name="from" type="date" value={filter.from} onChange={set("from")} />
        <Field label="To" name="to" type="date" value={filter.to} onChange={set("to")} />
        {filtered && (
          <div className={styles.clear}>
            <Button variant="quiet" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
              Clear filters
            </Button>
          </div>
        )}
      </search>
      {sessions.status === "loading" && <Loading label="Loading the history…" />}
      {sessions.status === "error" && (
        <Notice tone="danger">
          The sessions could not be loaded. Check your connection and reload the page.
        </Notice>
      )}
      {sessions.status === "ready" && rows.length === 0 && (
        <p className={styles.empty}>
          {filtered
            ? "No past session matches these filters."
            : "Nothing has happened yet: past sessions appear here."}
        </p>
      )}
      {rows.length > 0 && <SessionRows rows={rows.map(historyRow)} account={account} label="Past sessions" />}
      {sessions.status === "ready" && (
        <ShowMore shown={sessions.data.length >= count} onMore={() => setCount((n) => n + PAGE)} />
      )}
    </Page>
  );
}
