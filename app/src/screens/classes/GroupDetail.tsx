// One group, live: who leads it and how many belong, the class running now (its roster for the
// owner, Check in for a member), Start class, the members and invitations (owner), leaving
// (member), the past classes with their attendance, and the owner's attendance report. A group the rules do not let this
// person read reads as "Group not found".
import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, isAbort } from "../../api";
import type { GroupPublic, LiveSessionEnded, LiveSessionStarted } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useDocument, useQuery } from "../../data/firestore";
import { groupDoc, groupFrom, groupMembers, memberFrom } from "../../data/groups";
import { attendanceSummary, formatCount, groupKindWord } from "../../format";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import { Reports } from "../privacy/Reports";
import { ClassHistory } from "./ClassHistory";
import styles from "./classes.module.css";
import { LiveClass } from "./LiveClass";
import { Members } from "./Members";

export default function GroupDetail() {
  const { groupId = "" } = useParams();
  const db = useDb();
  const group = useDocument(groupDoc(db, groupId), groupFrom);
  const back = (
    <Link to="/classes" className={styles.back}>
      ← All classes
    </Link>
  );
  if (group.status === "loading") return <Loading label="Loading the group…" />;
  if (group.status === "error" || group.data === null) {
    return (
      <Page title="Group not found" back={back}>
        <p>This group does not exist, or you are not one of its members.</p>
      </Page>
    );
  }
  return <GroupView group={group.data} back={back} />;
}

function GroupView({ group, back }: { group: GroupPublic; back: React.ReactNode }) {
  const { account } = useSignedIn();
  const db = useDb();
  const owns = group.ownerId === account.uid;
  // The roster is the owner's alone (firestore.rules): a member's screen does not ask for it.
  const members = useQuery(owns ? groupMembers(db, group.groupId) : null, memberFrom);
  const [ended, setEnded] = useState<LiveSessionEnded | null>(null);
  const active = group.activeSessions ?? [];
  const count = formatCount(group.memberCount ?? 0, "member");
  const about = owns
    ? [groupKindWord(group.kind), count, "you lead it"]
    : [groupKindWord(group.kind), group.ownerName ? `led by ${group.ownerName}` : "", count];
  const roster = members.status === "ready" ? members.data : null;

  return (
    <Page title={group.name} back={back}>
      <p className={styles.muted}>{about.filter(Boolean).join(" · ")}</p>
      <div aria-live="polite" className={styles.announce}>
        {ended && (
          <Notice tone="success">
            Class ended: {attendanceSummary(ended.finalStatistics)}
            {ended.finalStatistics.total ? ` of ${ended.finalStatistics.total}` : ""}.
          </Notice>
        )}
      </div>
      {active.map((entry) => (
        <LiveClass
          key={entry.sessionId}
          group={group}
          entry={entry}
          owns={owns}
          members={roster}
          onEnded={setEnded}
        />
      ))}
      {owns && (active.length === 0 || group.allowConcurrent) && (
        <StartClass groupId={group.groupId} onStarted={() => setEnded(null)} />
      )}
      {!owns && active.length === 0 && (
        <p className={styles.muted}>
          No class is running now. When {group.ownerName || "the group's leader"} starts one, Check in appears
          here and on Classes.
        </p>
      )}
      {owns && <Members groupId={group.groupId} members={members} />}
      <ClassHistory groupId={group.groupId} owns={owns} members={roster} />
      {owns && (
        <Reports
          title="Attendance report"
          intro="Each member's attendance in the group's classes of the period (present, late, absent, excused) and their rate, as a spreadsheet (CSV)."
          reports={[
            {
              label: "Attendance (CSV)",
              path: "/api/reports/attendance",
              query: { groupId: group.groupId },
              rows: "member",
            },
          ]}
        />
      )}
      {!owns && <LeaveGroup group={group} />}
    </Page>
  );
}

function StartClass({ groupId, onStarted }: { groupId: string; onStarted: () => void }) {
  const start = useMemo(
    () => api.creator<LiveSessionStarted>(`/api/groups/${encodeURIComponent(groupId)}/sessions`),
    [groupId],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await start({}); // the group's listener then shows the class
      onStarted();
    } catch (caught) {
      if (!isAbort(caught)) setError(caught instanceof Error ? caught.message : "The class could not start.");
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={styles.actions}>
      <Button onClick={run} disabled={busy} busy={busy} busyLabel="Starting…">
        Start class
      </Button>
      {error && <Notice tone="danger">{error}</Notice>}
    </div>
  );
}

/** A member leaves: asked once more, then back to Classes. */
function LeaveGroup({ group }: { group: GroupPublic }) {
  const { account } = useSignedIn();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const leave = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.delete(
        `/api/groups/${encodeURIComponent(group.groupId)}/members/${encodeURIComponent(account.uid)}`,
      );
      navigate("/classes", { state: { left: group.name } });
    } catch (caught) {
      if (!isAbort(caught))
        setError(caught instanceof Error ? caught.message : "You could not leave. Try again.");
      setBusy(false);
    }
  };
  return (
    <section className={styles.section} aria-labelledby="leave-title">
      <h2 id="leave-title">Leave the group</h2>
      {asking ? (
        <div className={styles.actions}>
          <span>Leave {group.name}? You need a new invitation to come back.</span>
          <Button variant="secondary" onClick={leave} disabled={busy} busy={busy} busyLabel="Leaving…">
            Leave group
          </Button>
          <Button variant="quiet" onClick={() => setAsking(false)} disabled={busy}>
            Stay
          </Button>
        </div>
      ) : (
        <div className={styles.actions}>
          <Button variant="secondary" onClick={() => setAsking(true)}>
            Leave…
          </Button>
        </div>
      )}
      {error && <Notice tone="danger">{error}</Notice>}
    </section>
  );
}
