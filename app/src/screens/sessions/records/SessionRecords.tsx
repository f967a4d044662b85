// The faculty seed's part of a session (docs/api.md, "Completing sessions, notes and
// attachments"): how it was closed (actual times, completion code) or the form that closes it,
// its notes and its attachments. SessionDetail shows it under the session's facts.
import type { SessionPublic } from "../../../api/types";
import type { Account } from "../../../auth/AuthProvider";
import { formatDateTime } from "../../../format";
import { Attachments } from "./Attachments";
import { CloseSession } from "./CloseSession";
import { Notes } from "./Notes";
import styles from "./records.module.css";

/** The session's coach, its creator or an admin: who completes, cancels (and deletes) it. */
export function managesSession(session: SessionPublic, account: Account): boolean {
  return account.role === "admin" || session.coachId === account.uid || session.createdBy === account.uid;
}

/** Open to a completion: scheduled, or running (not a live class: that one is ended, not completed). */
export function closable(session: SessionPublic): boolean {
  if (session.archived === true) return false;
  if (session.status === "scheduled") return true;
  return session.status === "active" && session.sessionType !== "Class";
}

export function SessionRecords({ session, account }: { session: SessionPublic; account: Account }) {
  return (
    <>
      {session.status === "completed" && <Completion session={session} account={account} />}
      {session.status === "cancelled" && (
        <section className={styles.card} aria-labelledby="cancelled-title">
          <h2 id="cancelled-title">Cancelled</h2>
          <p>{session.cancelReason || "No reason was given."}</p>
        </section>
      )}
      {closable(session) && managesSession(session, account) && (
        <CloseSession session={session} account={account} />
      )}
      <Notes session={session} account={account} />
      <Attachments session={session} account={account} />
    </>
  );
}

function Completion({ session, account }: { session: SessionPublic; account: Account }) {
  const dates = { timeZone: account.timeZone };
  const facts: [string, string][] = [
    ["Completion code", session.completionCode ?? ""],
    ["Started", formatDateTime(session.actualStart, dates)],
    ["Ended", formatDateTime(session.actualEnd, dates)],
  ];
  return (
    <section className={styles.card} aria-labelledby="completion-title">
      <h2 id="completion-title">Completion</h2>
      <dl className={styles.facts}>
        {facts
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd data-field={label === "Completion code" ? "completionCode" : undefined}>{value}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}
