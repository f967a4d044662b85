// A class running now, live (ported from web/src/main.js's liveClass): the session's document
// gives its count; the owner follows the roster (the members and the roll of check-ins, two
// listeners), a member their own record. Check-in and the end go through the API; the listeners
// then show them, on every screen that has the class open.
import { useState } from "react";
import { api, isAbort } from "../../api";
import type {
  ActiveSession,
  CheckedIn,
  GroupPublic,
  LiveSessionEnded,
  MemberPublic,
  SessionPublic,
} from "../../api/types";
import { type Account, useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useDocument, useQuery } from "../../data/firestore";
import { attendanceFrom, classRoll, myAttendance } from "../../data/groups";
import { sessionDoc, sessionFrom } from "../../data/sessions";
import { attendanceState, formatClock, formatCount } from "../../format";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Notice } from "../../ui/Notice";
import { rosterRows } from "./classes";
import styles from "./classes.module.css";
import { RosterList } from "./RosterList";

function errorText(error: unknown, fallback: string): string | null {
  if (isAbort(error)) return null;
  return error instanceof Error && error.message ? error.message : fallback;
}

/** What a class is called: its topic, else "Class in progress". */
function liveTitle(session: SessionPublic | null): string {
  return session?.event?.trim() || "Class in progress";
}

/** One class of the group running now, for its owner (roster, End class) or a member (Check in). */
export function LiveClass({
  group,
  entry,
  owns,
  members,
  onEnded,
}: {
  group: GroupPublic;
  entry: ActiveSession;
  owns: boolean;
  /** The roster (the owner's listener); null for a member, who may not read it. */
  members: MemberPublic[] | null;
  onEnded: (ended: LiveSessionEnded) => void;
}) {
  const { account } = useSignedIn();
  const db = useDb();
  const session = useDocument(sessionDoc(db, entry.sessionId), sessionFrom);
  const data = session.status === "ready" ? session.data : null;
  const present = data?.presentCount ?? entry.studentCount;
  const started = formatClock(data?.actualStart ?? entry.startedAt, { timeZone: account.timeZone });
  const count =
    owns && typeof group.memberCount === "number"
      ? `${present} of ${formatCount(group.memberCount, "member")} checked in`
      : `${present} checked in`;
  const titleId = `live-${entry.sessionId}`;

  return (
    <section
      className={`${styles.card} ${styles.live}`}
      aria-labelledby={titleId}
      data-live-session={entry.sessionId}
    >
      <div className={styles.heading}>
        <h2 id={titleId}>{liveTitle(data)}</h2>
        <Badge tone="info">Live now</Badge>
      </div>
      <p aria-live="polite" data-class="summary">
        Started {started} · {count}
      </p>
      {session.status === "error" && (
        <Notice tone="danger">This class could not be followed. Reload the page.</Notice>
      )}
      {owns ? (
        <OwnerControls sessionId={entry.sessionId} members={members} onEnded={onEnded} />
      ) : (
        <CheckIn sessionId={entry.sessionId} account={account} />
      )}
    </section>
  );
}

function OwnerControls({
  sessionId,
  members,
  onEnded,
}: {
  sessionId: string;
  members: MemberPublic[] | null;
  onEnded: (ended: LiveSessionEnded) => void;
}) {
  const db = useDb();
  const roll = useQuery(classRoll(db, sessionId), attendanceFrom);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const end = async () => {
    setBusy(true);
    setError(null);
    try {
      onEnded(await api.post<LiveSessionEnded>(`/api/sessions/${encodeURIComponent(sessionId)}/end`));
    } catch (caught) {
      setError(errorText(caught, "The class could not be ended. Try again."));
      setBusy(false);
    }
  };
  const rows = members && roll.status === "ready" ? rosterRows(members, roll.data) : null;
  return (
    <>
      {roll.status === "error" && (
        <Notice tone="danger">The roll could not be loaded. Reload the page.</Notice>
      )}
      {rows && rows.length === 0 && (
        <p className={styles.muted}>Nobody is in this group yet: invite members below.</p>
      )}
      {rows && rows.length > 0 && <RosterList rows={rows} label="Roster" />}
      <div className={styles.actions}>
        <Button variant="secondary" onClick={end} disabled={busy} busy={busy} busyLabel="Ending…">
          End class
        </Button>
      </div>
      {error && <Notice tone="danger">{error}</Notice>}
    </>
  );
}

/** A member's check-in: the button until their record exists, then that they are in. */
export function CheckIn({ sessionId, account }: { sessionId: string; account: Account }) {
  const db = useDb();
  const mine = useDocument(myAttendance(db, sessionId, account.uid), attendanceFrom);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The API's answer, until the listener brings the record it wrote (no button flashing back).
  const [answer, setAnswer] = useState<CheckedIn | null>(null);
  const checkIn = async () => {
    setBusy(true);
    setError(null);
    try {
      setAnswer(await api.post<CheckedIn>(`/api/sessions/${encodeURIComponent(sessionId)}/check-in`));
    } catch (caught) {
      setError(errorText(caught, "You could not be checked in. Try again."));
    } finally {
      setBusy(false);
    }
  };
  // Its place is kept while the record loads, so nothing below moves when the button appears.
  if (mine.status === "loading") return <div className={styles.checkIn} />;
  const record = (mine.status === "ready" && mine.data) || answer;
  if (record) {
    const state = attendanceState(record.status);
    const at = formatClock(record.at, { timeZone: account.timeZone });
    return (
      <div className={styles.checkIn}>
        <Notice tone="success">
          You are checked in: {state.label.toLowerCase()} at {at}.
        </Notice>
      </div>
    );
  }
  return (
    <div className={`${styles.checkIn} ${styles.actions}`}>
      <Button onClick={checkIn} disabled={busy} busy={busy} busyLabel="Checking in…">
        Check in
      </Button>
      {error && <Notice tone="danger">{error}</Notice>}
    </div>
  );
}
