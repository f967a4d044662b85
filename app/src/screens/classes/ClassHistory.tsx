// The group's past classes, newest first: when, how long, how many came (the attendance frozen at
// the end). Its owner opens the roll of each (who came, who was absent); a member sees their own
// record, the only one the rules let them read.
import { useState } from "react";
import type { MemberPublic, SessionPublic } from "../../api/types";
import { type Account, useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useDocument, useQuery } from "../../data/firestore";
import { attendanceFrom, classRoll, myAttendance, pastClasses } from "../../data/groups";
import { sessionFrom } from "../../data/sessions";
import { attendanceState, attendanceSummary, formatDuration, formatWhen } from "../../format";
import { Badge } from "../../ui/Badge";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { cameFirst, rosterRows } from "./classes";
import styles from "./classes.module.css";
import { RosterList } from "./RosterList";

export function ClassHistory({
  groupId,
  owns,
  members,
}: {
  groupId: string;
  owns: boolean;
  members: MemberPublic[] | null;
}) {
  const { account } = useSignedIn();
  const db = useDb();
  const past = useQuery(pastClasses(db, groupId), sessionFrom);
  return (
    <section className={styles.section} aria-labelledby="history-title">
      <h2 id="history-title">Past classes</h2>
      {past.status === "loading" && <Loading label="Loading past classes…" />}
      {past.status === "error" && (
        <Notice tone="danger">Past classes could not be loaded. Reload the page.</Notice>
      )}
      {past.status === "ready" && past.data.length === 0 && (
        <p className={styles.muted}>No class has ended yet. Each one appears here with its attendance.</p>
      )}
      {past.status === "ready" && past.data.length > 0 && (
        <ul className={styles.history} aria-label="Past classes">
          {past.data.map((session) => (
            <PastClass
              key={session.sessionId}
              session={session}
              account={account}
              owns={owns}
              members={members}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function PastClass({
  session,
  account,
  owns,
  members,
}: {
  session: SessionPublic;
  account: Account;
  owns: boolean;
  members: MemberPublic[] | null;
}) {
  const when = formatWhen(session.actualStart ?? session.createdAt, { timeZone: account.timeZone });
  const facts = [
    typeof session.durationSeconds === "number" ? formatDuration(session.durationSeconds) : "",
    session.finalStatistics ? attendanceSummary(session.finalStatistics) : "No attendance taken",
  ].filter(Boolean);
  return (
    <li className={styles.past} data-past-session={session.sessionId}>
      <div className={styles.pastTop}>
        <span className={styles.name}>
          {when}
          {session.event?.trim() ? ` · ${session.event.trim()}` : ""}
        </span>
        <span className={styles.muted}>{facts.join(" · ")}</span>
      </div>
      {owns ? (
        <Roll sessionId={session.sessionId} members={members} />
      ) : (
        <MyRecord sessionId={session.sessionId} account={account} />
      )}
    </li>
  );
}

/** The owner's roll of a past class, read when opened (one listener per opened class). */
function Roll({ sessionId, members }: { sessionId: string; members: MemberPublic[] | null }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Who came</summary>
      {open && <RollRows sessionId={sessionId} members={members ?? []} />}
    </details>
  );
}

function RollRows({ sessionId, members }: { sessionId: string; members: MemberPublic[] }) {
  const db = useDb();
  const roll = useQuery(classRoll(db, sessionId), attendanceFrom);
  if (roll.status === "loading") return <Loading label="Loading the roll…" />;
  if (roll.status === "error") return <Notice tone="danger">The roll could not be loaded.</Notice>;
  // Only the people on this class's roll: a member who joined later was not expected there.
  const onRoll = new Set(roll.data.map((record) => record.uid));
  const rows = cameFirst(rosterRows(members, roll.data).filter((row) => onRoll.has(row.uid)));
  if (rows.length === 0) return <p className={styles.muted}>Nobody was on the roll.</p>;
  return <RosterList rows={rows} label="Roll" />;
}

/** A member's own record of a past class (the rules give a member nobody else's). */
function MyRecord({ sessionId, account }: { sessionId: string; account: Account }) {
  const db = useDb();
  const mine = useDocument(myAttendance(db, sessionId, account.uid), attendanceFrom);
  if (mine.status !== "ready") return null;
  if (!mine.data) return <p className={styles.muted}>You were not on this class's roll.</p>;
  const state = attendanceState(mine.data.status);
  return (
    <p>
      You: <Badge tone={state.tone}>{state.label}</Badge>
    </p>
  );
}
