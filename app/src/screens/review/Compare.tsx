// Two sessions' videos side by side (/compare?a=&b=&offsetMs=): played, paused, stepped and moved
// together on one timeline, B shifted by an offset the person sets (so the same movement lines
// up), and one measure of both on one chart (GET /api/sessions/compare, both on A's time base).
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { SessionComparison, SessionPublic } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useApiGet } from "../../data/apiGet";
import { useDb } from "../../data/db";
import { useDocument } from "../../data/firestore";
import { sessionDoc, sessionFrom } from "../../data/sessions";
import { formatWhen, sessionTime, sessionTitle } from "../../format";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import type { ChartLine } from "./AnalysisChart";
import { Controls, useFrameSize, VideoStage } from "./Player";
import { clipTime, formatVideoTime, frameRateOf, sharedSpan } from "./playback";
import styles from "./review.module.css";
import { hasValues, orderedSeries } from "./series";
import {
  type Playhead,
  usePlayState,
  useSessionVideo,
  useSharedTransport,
  useTransportKeys,
  useVideoSource,
} from "./transport";

const AnalysisChart = lazy(() => import("./AnalysisChart"));

const POINTS = 500;
/** The offset's bounds (ms): a minute either way is more than two attempts of a movement need. */
const MAX_OFFSET_MS = 60_000;

function offsetOf(value: string | null): number {
  const number = Math.round(Number(value ?? 0));
  return Number.isFinite(number) ? Math.max(-MAX_OFFSET_MS, Math.min(MAX_OFFSET_MS, number)) : 0;
}

export default function Compare() {
  const [params] = useSearchParams();
  const a = params.get("a") ?? "";
  const b = params.get("b") ?? "";
  const db = useDb();
  const first = useDocument(a ? sessionDoc(db, a) : null, sessionFrom);
  const second = useDocument(b ? sessionDoc(db, b) : null, sessionFrom);
  const back = (
    <Link to={a ? `/sessions/${encodeURIComponent(a)}/review` : "/sessions"} className={styles.back}>
      {a ? "← Review" : "← All sessions"}
    </Link>
  );
  if (!a || !b) {
    return (
      <Page title="Compare two videos" back={back}>
        <p>Open a session's video review and choose “Compare with…” to put two sessions side by side.</p>
      </Page>
    );
  }
  if (first.status === "loading" || second.status === "loading")
    return <Loading label="Loading the sessions…" />;
  if (first.status === "error" || second.status === "error" || !first.data || !second.data) {
    return (
      <Page title="Session not found" back={back}>
        <p>One of these sessions does not exist, or it is not shared with you.</p>
      </Page>
    );
  }
  return <CompareView a={first.data} b={second.data} back={back} />;
}

function CompareView({ a, b, back }: { a: SessionPublic; b: SessionPublic; back: React.ReactNode }) {
  const { account } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const offsetMs = offsetOf(params.get("offsetMs"));
  const setOffset = (value: number) => {
    const next = new URLSearchParams(params);
    next.set("offsetMs", String(offsetOf(String(value))));
    setParams(next, { replace: true });
  };

  const videoA = useRef<HTMLVideoElement>(null);
  const videoB = useRef<HTMLVideoElement>(null);
  const sourceA = useSessionVideo(a.sessionId);
  const sourceB = useSessionVideo(b.sessionId);
  const readyA = sourceA.answer.status === "ready" ? sourceA.answer.video : null;
  const readyB = sourceB.answer.status === "ready" ? sourceB.answer.video : null;
  useVideoSource(videoA, readyA?.url ?? null);
  useVideoSource(videoB, readyB?.url ?? null);
  const fpsA = frameRateOf(a.metrics?.frameRate);
  const fpsB = frameRateOf(b.metrics?.frameRate);
  const transport = useSharedTransport(videoA, videoB, offsetMs / 1000, Math.max(fpsA, fpsB));
  useTransportKeys(transport);
  const [frameA, measureA] = useFrameSize(videoA, { width: readyA?.width, height: readyA?.height });
  const [frameB, measureB] = useFrameSize(videoB, { width: readyB?.width, height: readyB?.height });

  const asked = useDebounced(offsetMs, 400);
  const comparison = useApiGet<SessionComparison>("/api/sessions/compare", {
    a: a.sessionId,
    b: b.sessionId,
    offsetMs: asked,
    points: POINTS,
  });

  const when = (session: SessionPublic) => formatWhen(sessionTime(session), { timeZone: account.timeZone });
  const name = (session: SessionPublic) => [sessionTitle(session), when(session)].filter(Boolean).join(" · ");
  const stepMs = Math.round(1000 / fpsB);

  return (
    <Page title="Compare two videos" back={back}>
      <p className={styles.muted}>
        A: {name(a)} — B: {name(b)}
      </p>
      <div className={styles.pair}>
        {[
          {
            key: "A",
            session: a,
            video: videoA,
            ready: readyA,
            frame: frameA,
            measure: measureA,
            source: sourceA,
            shift: 0,
          },
          {
            key: "B",
            session: b,
            video: videoB,
            ready: readyB,
            frame: frameB,
            measure: measureB,
            source: sourceB,
            shift: offsetMs / 1000,
          },
        ].map((side) => (
          <section key={side.key} className={styles.side} aria-label={`Video ${side.key}`}>
            <h2 className={styles.sideTitle}>
              {side.key}: {name(side.session)}
            </h2>
            <VideoStage
              video={side.video}
              label={`Video ${side.key}: ${name(side.session)}`}
              poster={side.ready?.posterUrl ?? null}
              frame={side.frame}
              onMeasure={side.measure}
              onError={() => side.source.renew()}
            />
            {side.source.answer.status === "error" && (
              <Notice tone="danger">{side.source.answer.error.message}</Notice>
            )}
            <ClipClock playhead={transport.playhead} shift={side.shift} video={side.video} />
          </section>
        ))}
      </div>
      <Controls transport={transport} label="Controls of both videos" />
      <div className={styles.card}>
        <div className={styles.offset}>
          <label className={styles.label} htmlFor="offset">
            Offset of B (ms)
          </label>
          <p className={styles.hint} id="offset-hint">
            B’s start is placed this long after A’s (negative: before), to line up the same movement.
          </p>
          <div className={styles.formActions}>
            <Button variant="secondary" onClick={() => setOffset(offsetMs - stepMs)}>
              1 frame earlier
            </Button>
            <input
              id="offset"
              className={styles.number}
              type="number"
              inputMode="numeric"
              step={stepMs}
              min={-MAX_OFFSET_MS}
              max={MAX_OFFSET_MS}
              value={offsetMs}
              aria-describedby="offset-hint"
              onChange={(event) => setOffset(Number(event.currentTarget.value))}
            />
            <Button variant="secondary" onClick={() => setOffset(offsetMs + stepMs)}>
              1 frame later
            </Button>
          </div>
        </div>
      </div>
      <section className={styles.card} aria-labelledby="compare-chart-title">
        <h2 id="compare-chart-title">Both on one chart</h2>
        <CompareChart
          comparison={comparison.status === "ready" ? comparison.data : null}
          error={comparison.status === "error" ? comparison.error.message : null}
          playhead={transport.playhead}
          onSeek={transport.seek}
          span={spanOf(a, b, offsetMs)}
        />
      </section>
    </Page>
  );
}

function spanOf(a: SessionPublic, b: SessionPublic, offsetMs: number) {
  const da = a.metrics?.durationSeconds;
  const db = b.metrics?.durationSeconds;
  return typeof da === "number" && typeof db === "number" ? sharedSpan(da, db, offsetMs / 1000) : null;
}

/** A value that follows `value` once it has stayed the same for `wait` ms. */
function useDebounced<T>(value: T, wait: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), wait);
    return () => clearTimeout(timer);
  }, [value, wait]);
  return settled;
}

/** Where one clip is at the shared playhead: its own time, or that it has not begun or has ended. */
function ClipClock({
  playhead,
  shift,
  video,
}: {
  playhead: Playhead;
  shift: number;
  video: React.RefObject<HTMLVideoElement | null>;
}) {
  const { time } = usePlayState(playhead);
  const duration = video.current?.duration;
  if (!(typeof duration === "number" && Number.isFinite(duration))) return null;
  const at = clipTime(time, shift, duration);
  const said =
    time - shift < 0
      ? "Not started yet"
      : at.inside
        ? `At ${formatVideoTime(at.time, { tenths: true })}`
        : "Ended";
  return <p className={styles.hint}>{said}</p>;
}

function CompareChart({
  comparison,
  error,
  playhead,
  onSeek,
  span,
}: {
  comparison: SessionComparison | null;
  error: string | null;
  playhead: Playhead;
  onSeek: (time: number) => void;
  span: { start: number; end: number } | null;
}) {
  const names = useMemo(() => {
    if (!comparison) return [];
    return orderedSeries(Object.keys(comparison.series)).filter((series) => {
      const both = comparison.series[series.name];
      return both && (hasValues(both.a) || hasValues(both.b));
    });
  }, [comparison]);
  const [chosen, setChosen] = useState("");
  const measure = names.find((series) => series.name === chosen) ?? names[0];
  const lines = useMemo<ChartLine[]>(() => {
    if (!comparison || !measure) return [];
    const both = comparison.series[measure.name];
    if (!both) return [];
    return [
      {
        key: "a",
        label: `A: ${measure.label}`,
        short: `A: ${measure.short}`,
        scale: measure.scale,
        colour: 1,
        x: comparison.times,
        y: both.a,
      },
      {
        key: "b",
        label: `B: ${measure.label}`,
        short: `B: ${measure.short}`,
        scale: measure.scale,
        colour: 2,
        dashed: true,
        x: comparison.times,
        y: both.b,
      },
    ];
  }, [comparison, measure]);
  if (error) return <Notice tone="danger">{error}</Notice>;
  if (!comparison) return <Loading label="Loading both analyses…" />;
  if (!measure) return <p className={styles.muted}>Neither session has an analysis to chart yet.</p>;
  return (
    <>
      <div className={styles.field}>
        <label className={styles.label} htmlFor="measure">
          Measure
        </label>
        <select
          id="measure"
          className={styles.select}
          value={measure.name}
          onChange={(event) => setChosen(event.currentTarget.value)}
        >
          {names.map((series) => (
            <option key={series.name} value={series.name}>
              {series.label}
            </option>
          ))}
        </select>
      </div>
      <Suspense fallback={<Loading label="Loading the chart…" />}>
        <AnalysisChart
          lines={lines}
          playhead={playhead}
          onSeek={onSeek}
          span={span}
          title="Both sessions on one time line"
        />
      </Suspense>
    </>
  );
}
