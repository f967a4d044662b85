// A session's video review (/sessions/:sessionId/review): the video with its controls, the
// skeleton the pose analysis saw at the playhead, the comments' drawings around their moment; the
// analysis's series under it with a line at the playhead (a click seeks); the comments by moment,
// live, with a form that comments at the playhead; and "Compare with…" another session of the
// same athlete. Who may read the session may review it (the API and the rules decide).
import { lazy, type ReactNode, Suspense, useCallback, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import type { Drawing, DrawingShape, SessionAnalysisData, SessionPublic, ShapeKind } from "../../api/types";
import { type Account, useSignedIn } from "../../auth/AuthProvider";
import { type Answer, useApiGet } from "../../data/apiGet";
import { athleteSessions } from "../../data/athleteSessions";
import { commentFrom, onEarlierVideo, sessionComments, threads } from "../../data/comments";
import { useDb } from "../../data/db";
import { useDocument, useQuery } from "../../data/firestore";
import { coachSessionsWith, mySessions, sessionDoc, sessionFrom } from "../../data/sessions";
import { analysisWord, formatWhen, sessionTime, sessionTitle } from "../../format";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import type { ChartLine } from "./AnalysisChart";
import { CommentForm, CommentList } from "./Comments";
import {
  Controls,
  type DrawingTool,
  type FrameSize,
  Shape,
  SkeletonShape,
  useFrameSize,
  VideoStage,
} from "./Player";
import { drawingRoom, drawingsAt, frameRateOf, landmarksAt } from "./playback";
import styles from "./review.module.css";
import { countValues, initiallyShown, orderedSeries } from "./series";
import {
  type Playhead,
  usePlayState,
  useSessionVideo,
  useTransportKeys,
  useVideoSource,
  useVideoTransport,
} from "./transport";

const AnalysisChart = lazy(() => import("./AnalysisChart"));

/** Points a series is asked for: enough for a chart as wide as a desktop's, a few kB on a phone. */
const POINTS = 500;

function hasVideo(session: SessionPublic): boolean {
  return Boolean(session.videoPath || session.videoName);
}

export default function Review() {
  const { sessionId = "" } = useParams();
  const { account } = useSignedIn();
  const db = useDb();
  const session = useDocument(sessionDoc(db, sessionId), sessionFrom);
  const back = (
    <Link to={`/sessions/${encodeURIComponent(sessionId)}`} className={styles.back}>
      ← Session
    </Link>
  );
  if (session.status === "loading") return <Loading label="Loading the session…" />;
  if (session.status === "error" || session.data === null) {
    return (
      <Page title="Session not found" back={back}>
        <p>This session does not exist, or it is not shared with you.</p>
      </Page>
    );
  }
  if (!hasVideo(session.data)) {
    return (
      <Page title={`Review: ${sessionTitle(session.data)}`} back={back}>
        <p>This session has no video yet. Once its coach uploads one, it can be reviewed here.</p>
      </Page>
    );
  }
  return <ReviewView session={session.data} account={account} back={back} />;
}

const COLOURS = [
  { name: "Yellow", value: "#ffd60a" },
  { name: "Red", value: "#ff453a" },
  { name: "Blue", value: "#40a9ff" },
  { name: "Green", value: "#32d74b" },
  { name: "White", value: "#ffffff" },
] as const;

const TOOLS: { kind: ShapeKind; name: string }[] = [
  { kind: "arrow", name: "Arrow" },
  { kind: "line", name: "Line" },
  { kind: "circle", name: "Circle" },
  { kind: "freehand", name: "Freehand" },
];

const NO_DRAWING: Drawing = { shapes: [] };

function ReviewView({
  session,
  account,
  back,
}: {
  session: SessionPublic;
  account: Account;
  back: ReactNode;
}) {
  const db = useDb();
  const video = useRef<HTMLVideoElement>(null);
  const { answer, renew } = useSessionVideo(session.sessionId);
  const ready = answer.status === "ready" ? answer.video : null;
  const fps = frameRateOf(session.metrics?.frameRate);
  const metricDuration = session.metrics?.durationSeconds;
  const duration =
    typeof metricDuration === "number" && metricDuration > 0
      ? metricDuration
      : (ready?.durationSeconds ?? null);
  const transport = useVideoTransport(video, fps, duration);
  useTransportKeys(transport);
  useVideoSource(video, ready?.url ?? null);
  const [frame, measure] = useFrameSize(video, { width: ready?.width, height: ready?.height });
  const [failed, setFailed] = useState(false);
  const onVideoError = useCallback(() => {
    // An expired URL (or one the browser could not read): ask for a new one, once in a while.
    setFailed(!renew());
  }, [renew]);

  const completed = session.analysisStatus === "completed";
  const analysis = useApiGet<SessionAnalysisData>(
    completed ? `/api/sessions/${encodeURIComponent(session.sessionId)}/analysis` : null,
    { points: POINTS },
    session.analysisJobId,
  );
  const data = analysis.status === "ready" ? analysis.data : null;

  const comments = useQuery(sessionComments(db, session.sessionId), commentFrom);
  const all = comments.status === "ready" ? comments.data : [];
  const current = useMemo(
    () => all.filter((comment) => !onEarlierVideo(comment, session.analysisJobId)),
    [all, session.analysisJobId],
  );

  const [drawingOn, setDrawingOn] = useState(false);
  const [draft, setDraft] = useState<Drawing>(NO_DRAWING);
  const [tool, setTool] = useState<ShapeKind>("arrow");
  const [colour, setColour] = useState<string>(COLOURS[0].value);
  const [showSkeleton, setShowSkeleton] = useState(true);
  const room = drawingRoom(draft);
  const drawing: DrawingTool | null = drawingOn
    ? {
        kind: tool,
        colour,
        width: 4,
        onShape: (shape: DrawingShape) => {
          if (room.shapes > 0 && room.points >= shape.points.length)
            setDraft((before) => ({ shapes: [...before.shapes, shape] }));
        },
      }
    : null;
  const startDrawing = () => {
    transport.pause();
    setDrawingOn(true);
  };

  const title = `Review: ${sessionTitle(session)}`;
  const when = formatWhen(sessionTime(session), { timeZone: account.timeZone });
  const label = `Video of ${sessionTitle(session)}${when ? `, ${when}` : ""}`;

  return (
    <Page title={title} back={back}>
      <p className={styles.muted}>
        {[session.athleteName, when, session.analysisStatus ? analysisWord(session.analysisStatus) : ""]
          .filter(Boolean)
          .join(" · ")}
      </p>
      <div className={styles.layout}>
        <div className={styles.main}>
          <section className={styles.player} aria-label="Video">
            <VideoStage
              video={video}
              label={label}
              poster={ready?.posterUrl ?? null}
              frame={frame}
              onMeasure={measure}
              onError={onVideoError}
              drawing={drawing}
            >
              <Over
                playhead={transport.playhead}
                frame={frame}
                landmarks={showSkeleton ? (data?.landmarks ?? null) : null}
                comments={current}
                draft={drawingOn || draft.shapes.length > 0 ? draft.shapes : []}
              />
            </VideoStage>
            {answer.status === "error" && <Notice tone="danger">{answer.error.message}</Notice>}
            {answer.status === "loading" && <Loading label="Loading the video…" />}
            {failed && (
              <Notice tone="danger">
                The video could not be played. Check your connection, then{" "}
                <button type="button" className={styles.link} onClick={() => setFailed(!renew())}>
                  try again
                </button>
                .
              </Notice>
            )}
            <Controls transport={transport} />
            <div className={styles.toggles}>
              {data?.landmarks && (
                <label className={styles.check}>
                  <input
                    type="checkbox"
                    checked={showSkeleton}
                    onChange={(event) => setShowSkeleton(event.currentTarget.checked)}
                  />
                  Show the skeleton
                </label>
              )}
            </div>
            {drawingOn && (
              <DrawingTools
                tool={tool}
                colour={colour}
                shapes={draft.shapes.length}
                full={room.shapes <= 0}
                onTool={setTool}
                onColour={setColour}
                onUndo={() => setDraft((before) => ({ shapes: before.shapes.slice(0, -1) }))}
                onClear={() => setDraft(NO_DRAWING)}
                onDone={() => setDrawingOn(false)}
              />
            )}
          </section>
          <section className={styles.card} aria-labelledby="chart-title">
            <h2 id="chart-title">Analysis</h2>
            <ChartPart
              session={session}
              analysis={analysis}
              playhead={transport.playhead}
              onSeek={transport.seek}
            />
          </section>
          <CompareWith session={session} account={account} />
        </div>
        <section className={styles.aside} aria-labelledby="comments-title">
          <h2 id="comments-title">Comments</h2>
          <CommentForm
            sessionId={session.sessionId}
            playhead={transport.playhead}
            duration={duration}
            draft={draft}
            onSent={() => {
              setDraft(NO_DRAWING);
              setDrawingOn(false);
            }}
            drawButton={
              drawingOn ? null : (
                <Button variant="secondary" onClick={startDrawing}>
                  {draft.shapes.length ? "Draw more" : "Draw on the frame"}
                </Button>
              )
            }
          />
          {comments.status === "loading" && <Loading label="Loading the comments…" />}
          {comments.status === "error" && <Notice tone="danger">The comments could not be loaded.</Notice>}
          {comments.status === "ready" && (
            <CommentList
              threads={threads(all)}
              session={session}
              account={account}
              onSeek={(seconds) => {
                transport.pause();
                transport.seek(seconds);
              }}
              timeZone={account.timeZone}
            />
          )}
        </section>
      </div>
    </Page>
  );
}

/** What is drawn over the frame at the playhead: the skeleton, the drawings of comments around
 * their moment (of this video only), and the drawing being made. */
function Over({
  playhead,
  frame,
  landmarks,
  comments,
  draft,
}: {
  playhead: Playhead;
  frame: FrameSize;
  landmarks: SessionAnalysisData["landmarks"];
  comments: Parameters<typeof drawingsAt>[0];
  draft: DrawingShape[];
}) {
  const { time } = usePlayState(playhead);
  const pose = landmarksAt(landmarks, time);
  const shown = drawingsAt(comments, time);
  return (
    <>
      {pose && <SkeletonShape landmarks={pose} frame={frame} />}
      {shown.flatMap((comment) =>
        (comment.drawing?.shapes ?? []).map((shape, index) => (
          <Shape key={`${comment.commentId}-${index}`} shape={shape} frame={frame} />
        )),
      )}
      {draft.map((shape, index) => (
        <Shape key={index} shape={shape} frame={frame} />
      ))}
    </>
  );
}

function DrawingTools(props: {
  tool: ShapeKind;
  colour: string;
  shapes: number;
  full: boolean;
  onTool: (kind: ShapeKind) => void;
  onColour: (colour: string) => void;
  onUndo: () => void;
  onClear: () => void;
  onDone: () => void;
}) {
  return (
    <div className={styles.tools}>
      <p className={styles.hint}>
        Draw on the paused frame with a finger or the mouse; the drawing goes with your next comment.
        {props.full && " That is as many shapes as one comment takes."}
      </p>
      <fieldset className={styles.choices}>
        <legend>Shape</legend>
        {TOOLS.map((tool) => (
          <label key={tool.kind} className={styles.choice}>
            <input
              type="radio"
              name="shape"
              value={tool.kind}
              checked={props.tool === tool.kind}
              onChange={() => props.onTool(tool.kind)}
            />
            {tool.name}
          </label>
        ))}
      </fieldset>
      <fieldset className={styles.choices}>
        <legend>Colour</legend>
        {COLOURS.map((colour) => (
          <label key={colour.value} className={styles.choice}>
            <input
              type="radio"
              name="colour"
              value={colour.value}
              checked={props.colour === colour.value}
              onChange={() => props.onColour(colour.value)}
            />
            <span className={`${styles.dot} ${styles[`dot${colour.name}`]}`} aria-hidden="true" />
            {colour.name}
          </label>
        ))}
      </fieldset>
      <div className={styles.formActions}>
        <Button variant="secondary" onClick={props.onUndo} disabled={props.shapes === 0}>
          Undo
        </Button>
        <Button variant="secondary" onClick={props.onClear} disabled={props.shapes === 0}>
          Clear
        </Button>
        <Button variant="quiet" onClick={props.onDone}>
          Stop drawing
        </Button>
      </div>
    </div>
  );
}

function ChartPart({
  session,
  analysis,
  playhead,
  onSeek,
}: {
  session: SessionPublic;
  analysis: Answer<SessionAnalysisData>;
  playhead: Playhead;
  onSeek: (time: number) => void;
}) {
  const data = analysis.status === "ready" ? analysis.data : null;
  const names = useMemo(() => orderedSeries(Object.keys(data?.series ?? {})), [data]);
  const measured = useCallback(
    (name: string) => countValues((data?.series[name] ?? []).map(([, value]) => value)),
    [data],
  );
  const withValues = useCallback((name: string) => measured(name) > 0, [measured]);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const shown = chosen ?? initiallyShown(names, measured);
  const lines = useMemo<ChartLine[]>(
    () =>
      names
        .map((series, index) => ({ series, colour: (index % 6) + 1 }))
        .filter(({ series }) => shown.includes(series.name))
        .map(({ series, colour }) => {
          const points = data?.series[series.name] ?? [];
          return {
            key: series.name,
            label: series.label,
            short: series.short,
            scale: series.scale,
            colour,
            x: points.map(([time]) => time),
            y: points.map(([, value]) => value),
          };
        }),
    [names, shown, data],
  );
  if (session.analysisStatus !== "completed") {
    return (
      <p className={styles.muted}>
        {session.analysisStatus === "failed"
          ? "The analysis failed, so there is nothing to chart; the video and the comments work as ever."
          : `${analysisWord(session.analysisStatus)}: the chart and the skeleton appear here once the analysis is done.`}
      </p>
    );
  }
  if (analysis.status === "loading") return <Loading label="Loading the analysis…" />;
  if (analysis.status === "error") return <Notice tone="danger">{analysis.error.message}</Notice>;
  const drawable = names.filter((series) => withValues(series.name));
  if (drawable.length === 0) return <p className={styles.muted}>The analysis has no series to draw.</p>;
  const duration = session.metrics?.durationSeconds;
  return (
    <>
      <Suspense fallback={<Loading label="Loading the chart…" />}>
        <AnalysisChart
          lines={lines}
          playhead={playhead}
          onSeek={onSeek}
          span={typeof duration === "number" && duration > 0 ? { start: 0, end: duration } : null}
          title="The analysis over the video's time"
        />
      </Suspense>
      <details className={styles.details}>
        <summary>Choose what the chart shows</summary>
        <fieldset className={styles.choices}>
          <legend className={styles.hidden}>Series on the chart</legend>
          {drawable.map((series) => (
            <label key={series.name} className={styles.choice}>
              <input
                type="checkbox"
                checked={shown.includes(series.name)}
                onChange={(event) => {
                  const on = event.currentTarget.checked;
                  setChosen(on ? [...shown, series.name] : shown.filter((name) => name !== series.name));
                }}
              />
              {series.label}
            </label>
          ))}
        </fieldset>
      </details>
    </>
  );
}

/** "Compare with…": another session of the same athlete that has a video. */
function CompareWith({ session, account }: { session: SessionPublic; account: Account }) {
  const db = useDb();
  const navigate = useNavigate();
  const athleteId = session.athleteId ?? null;
  const query = !athleteId
    ? null
    : account.role === "admin"
      ? athleteSessions(db, athleteId)
      : account.role === "coach"
        ? coachSessionsWith(db, account.uid, athleteId)
        : athleteId === account.uid
          ? mySessions(db, account)
          : null;
  const others = useQuery(query, sessionFrom);
  const [choice, setChoice] = useState("");
  if (!query) return null;
  const candidates =
    others.status === "ready"
      ? others.data.filter((other) => other.sessionId !== session.sessionId && hasVideo(other))
      : [];
  return (
    <section className={styles.card} aria-labelledby="compare-title">
      <h2 id="compare-title">Compare with…</h2>
      {others.status === "loading" && <Loading label="Loading other sessions…" />}
      {others.status === "ready" && candidates.length === 0 && (
        <p className={styles.muted}>
          No other session of {session.athleteName || "this athlete"} has a video yet.
        </p>
      )}
      {candidates.length > 0 && (
        <form
          className={styles.compareForm}
          aria-label="Compare with another session"
          onSubmit={(event) => {
            event.preventDefault();
            const other = choice || candidates[0]?.sessionId;
            if (other)
              navigate(`/compare?a=${encodeURIComponent(session.sessionId)}&b=${encodeURIComponent(other)}`);
          }}
        >
          <label className={styles.label} htmlFor="compare-with">
            Another session of {session.athleteName || "this athlete"}
          </label>
          <div className={styles.formActions}>
            <select
              id="compare-with"
              className={styles.select}
              value={choice || candidates[0]?.sessionId}
              onChange={(event) => setChoice(event.currentTarget.value)}
            >
              {candidates.map((other) => (
                <option key={other.sessionId} value={other.sessionId}>
                  {sessionTitle(other)} · {formatWhen(sessionTime(other), { timeZone: account.timeZone })}
                </option>
              ))}
            </select>
            <Button type="submit" variant="secondary">
              Compare
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
