// One session, live: what it is, who, when, its state, and the analysis as it runs (progress,
// then the measurements in words and units). The pattern for a detail screen: a document from
// data/, useDocument, "not found" for a session the person may not read (the rules refuse it),
// and changes through the API client (archive / restore).
import { type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import { api, isAbort } from "../../api";
import type { PoseBlock, SessionPublic } from "../../api/types";
import { type Account, useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useDocument } from "../../data/firestore";
import { sessionDoc, sessionFrom } from "../../data/sessions";
import {
  analysisWord,
  formatDateTime,
  formatDuration,
  formatPercent,
  riskWord,
  sessionMetrics,
  sessionState,
  sessionTime,
  sessionTitle,
  sessionTypeWord,
} from "../../format";
import { homeOf } from "../../layout/navigation";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./detail.module.css";
import { type PoseRow, poseWords } from "./poseWords";
import { SessionRecords } from "./records/SessionRecords";
import { VideoUpload } from "./VideoUpload";

export default function SessionDetail() {
  const { sessionId = "" } = useParams();
  const { account } = useSignedIn();
  const db = useDb();
  const session = useDocument(sessionDoc(db, sessionId), sessionFrom);
  const back = (
    <Link to={account.role === "admin" ? homeOf("admin") : "/sessions"} className={styles.back}>
      ← All sessions
    </Link>
  );

  if (session.status === "loading") return <Loading label="Loading the session…" />;
  // A session the rules do not let this person read does not exist for them.
  if (session.status === "error" || session.data === null) {
    return (
      <Page title="Session not found" back={back}>
        <p>This session does not exist, or it is not shared with you.</p>
      </Page>
    );
  }
  return <SessionView session={session.data} account={account} back={back} />;
}

function SessionView({
  session,
  account,
  back,
}: {
  session: SessionPublic;
  account: Account;
  back: ReactNode;
}) {
  const state = sessionState(session);
  const dates = { timeZone: account.timeZone };
  const mayArchive =
    account.role === "admin" ||
    (account.role === "coach" && (session.coachId === account.uid || session.createdBy === account.uid));
  const facts: [string, string][] = [
    ["When", formatDateTime(sessionTime(session), dates)],
    ["Type", sessionTypeWord(session.sessionType)],
    ["Athlete", session.athleteName || session.athleteEmail || ""],
    ["Coach", session.coachName || ""],
    ["Length", session.durationSeconds ? formatDuration(session.durationSeconds) : ""],
  ];

  return (
    <Page title={sessionTitle(session)} back={back} actions={<Badge tone={state.tone}>{state.label}</Badge>}>
      {session.archived && <Notice tone="warning">Archived: read-only until it is restored.</Notice>}
      <dl className={styles.facts}>
        {facts
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {session.notes && <p>{session.notes}</p>}
      {(session.videoPath || session.videoName) && (
        <Link to={`/sessions/${encodeURIComponent(session.sessionId)}/review`} className={styles.review}>
          Review the video
        </Link>
      )}
      {session.analysisStatus && <Analysis session={session} />}
      {mayUploadVideo(session, account) && <VideoUpload session={session} />}
      {typeof session.scorePercentage === "number" && (
        <section className={styles.card} aria-labelledby="practice-title">
          <h2 id="practice-title">Practice</h2>
          <p>
            Score {formatPercent(session.scorePercentage)}
            {typeof session.itemCount === "number" &&
              ` (${session.correctCount ?? 0} of ${session.itemCount} right)`}
          </p>
        </section>
      )}
      <SessionRecords session={session} account={account} />
      {mayArchive && <ArchiveButton sessionId={session.sessionId} archived={session.archived === true} />}
      {account.role === "admin" && (
        <p>
          <Link to={`/admin/audit?doc=${encodeURIComponent(`sessions/${session.sessionId}`)}`}>
            Who changed this session (audit trail)
          </Link>
        </p>
      )}
    </Page>
  );
}

/** Its coach (or an admin) uploads a session's video, while it is neither archived nor cancelled. */
function mayUploadVideo(session: SessionPublic, account: Account): boolean {
  const manages = account.role === "admin" || (account.role === "coach" && session.coachId === account.uid);
  return manages && !session.archived && session.status !== "cancelled" && session.sessionType !== "Class";
}

function Analysis({ session }: { session: SessionPublic }) {
  const progress = Math.max(0, Math.min(100, session.analysisProgress ?? 0));
  const metrics = sessionMetrics(session);
  return (
    <section className={styles.card} aria-labelledby="analysis-title">
      <h2 id="analysis-title">Analysis</h2>
      <p aria-live="polite" data-field="analysisStatus">
        {analysisWord(session.analysisStatus)}
        {session.analysisStatus === "processing" && ` · ${progress} %`}
      </p>
      {session.analysisStatus === "processing" && (
        <div className={styles.progress}>
          <progress max={100} value={progress} aria-label="Analysis progress">
            {progress} %
          </progress>
        </div>
      )}
      {session.analysisStatus === "failed" && session.analysisError && (
        <Notice tone="danger">{session.analysisError}</Notice>
      )}
      {session.riskLevel && <p>Risk level: {riskWord(session.riskLevel)}</p>}
      {session.metrics && "motionEnergyMean" in session.metrics && (
        <p className={styles.hint}>
          Movement is measured from the picture: how much it changes from one frame to the next, in brightness
          levels from 0 to 255. A moment counts as movement above half a level.
        </p>
      )}
      {metrics.length > 0 && (
        <dl className={styles.facts} aria-label="Measurements">
          {metrics.map((metric) => (
            <div key={metric.key} data-metric={metric.key}>
              <dt>{metric.label}</dt>
              <dd>{metric.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {session.analysisStatus === "completed" && session.pose && <BodyAngles pose={session.pose} />}
    </section>
  );
}

/** The body angles measured from the video's keypoints (the pose block), in words and units. */
function BodyAngles({ pose }: { pose: PoseBlock }) {
  const words = poseWords(pose);
  return (
    <section className={styles.pose} aria-labelledby="pose-title">
      <h3 id="pose-title">Body angles</h3>
      <p>{words.about.join(" ")}</p>
      {words.partial && <Notice tone="warning">{words.partial}</Notice>}
      {words.empty && <p>{words.empty}</p>}
      <AngleRows rows={words.measures} />
      {words.asymmetry.length > 0 && (
        <div className={styles.sides}>
          <h4>Left–right differences</h4>
          <AngleRows rows={words.asymmetry} />
        </div>
      )}
      {words.unseen && <p>{words.unseen}</p>}
      {words.notes.map((note) => (
        <p key={note} className={styles.hint}>
          {note}
        </p>
      ))}
    </section>
  );
}

function AngleRows({ rows }: { rows: PoseRow[] }) {
  if (rows.length === 0) return null;
  return (
    <dl className={styles.angles}>
      {rows.map((row) => (
        <div key={row.key} data-pose={row.key}>
          <dt>{row.label}</dt>
          <dd>{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Archive or restore through the API; the listener then shows the new state. */
function ArchiveButton({ sessionId, archived }: { sessionId: string; archived: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const action = archived ? "restore" : "archive";
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post<SessionPublic>(`/api/sessions/${encodeURIComponent(sessionId)}/${action}`);
    } catch (caught) {
      if (!isAbort(caught))
        setError(caught instanceof Error ? caught.message : `Could not ${action} the session.`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={styles.actions}>
      <Button variant="secondary" onClick={run} disabled={busy} busy={busy} busyLabel="Saving…">
        {archived ? "Restore session" : "Archive session"}
      </Button>
      {error && <Notice tone="danger">{error}</Notice>}
    </div>
  );
}
