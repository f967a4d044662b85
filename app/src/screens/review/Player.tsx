// The player's parts, shared by the review and the compare page: the <video> with what is drawn
// over it (the skeleton at the playhead, the comments' drawings around their moment, a drawing in
// progress), and the controls (play, a frame back or on, the position, the speed).
import { type PointerEvent as ReactPointerEvent, type RefObject, useId, useRef, useState } from "react";
import type { DrawingShape, PoseLandmark, ShapeKind } from "../../api/types";

import { skeleton } from "../athlete/skeleton";
import { formatVideoTime, frameBox, geometry, isShape, SPEEDS, simplify, toFrame } from "./playback";
import styles from "./review.module.css";
import { type Playhead, type Transport, usePlayState } from "./transport";

// ---- the picture -------------------------------------------------------------------------------

export interface FrameSize {
  width: number;
  height: number;
}

/** The frame's size in pixels: the video's own once it is loaded, else the analysis's, else 16:9. */
export function useFrameSize(
  video: RefObject<HTMLVideoElement | null>,
  known: { width?: number | null; height?: number | null },
): [FrameSize, () => void] {
  const fallback = {
    width: known.width && known.width > 0 ? known.width : 640,
    height: known.height && known.height > 0 ? known.height : 360,
  };
  const [own, setOwn] = useState<FrameSize | null>(null);
  const measure = () => {
    const element = video.current;
    if (element && element.videoWidth > 0 && element.videoHeight > 0) {
      setOwn({ width: element.videoWidth, height: element.videoHeight });
    }
  };
  return [own ?? fallback, measure];
}

interface StageProps {
  video: RefObject<HTMLVideoElement | null>;
  /** what the video is, for its accessible name: "Video of Vault, 12 March" */
  label: string;
  poster: string | null;
  frame: FrameSize;
  onMeasure: () => void;
  onError?: (() => void) | undefined;
  /** drawn over the frame (aria-hidden: the page says in words what it shows) */
  children?: React.ReactNode;
  /** set while drawing: the shape tool and colour, and where finished shapes go */
  drawing?: DrawingTool | null | undefined;
}

export interface DrawingTool {
  kind: ShapeKind;
  colour: string;
  width: number;
  onShape: (shape: DrawingShape) => void;
}

export function VideoStage({
  video,
  label,
  poster,
  frame,
  onMeasure,
  onError,
  children,
  drawing,
}: StageProps) {
  return (
    <div className={styles.stage}>
      {/* biome-ignore lint/a11y/useMediaCaption: an athlete's own recording has no captions to offer */}
      <video
        ref={video}
        className={styles.video}
        aria-label={label}
        poster={poster ?? undefined}
        preload="metadata"
        playsInline
        onLoadedMetadata={onMeasure}
        onError={onError}
      />
      <Overlay frame={frame} drawing={drawing ?? null}>
        {children}
      </Overlay>
    </div>
  );
}

/** The SVG over the video, in the frame's own pixels and letterboxed as the video is (meet). While
 * drawing it takes the pointer: each press–drag–release is a shape, in 0–1 of the frame. */
function Overlay({
  frame,
  drawing,
  children,
}: {
  frame: FrameSize;
  drawing: DrawingTool | null;
  children: React.ReactNode;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const [current, setCurrent] = useState<DrawingShape | null>(null);
  const at = (event: ReactPointerEvent<SVGSVGElement>): [number, number] => {
    const box = event.currentTarget.getBoundingClientRect();
    const fitted = frameBox(box.width, box.height, frame.width, frame.height);
    return toFrame(event.clientX - box.left, event.clientY - box.top, fitted);
  };
  const handlers = drawing
    ? {
        onPointerDown(event: ReactPointerEvent<SVGSVGElement>) {
          event.currentTarget.setPointerCapture(event.pointerId);
          const point = at(event);
          setCurrent({
            kind: drawing.kind,
            colour: drawing.colour,
            width: drawing.width,
            points: [point, point],
          });
        },
        onPointerMove(event: ReactPointerEvent<SVGSVGElement>) {
          if (!current) return;
          const point = at(event);
          setCurrent({
            ...current,
            points:
              current.kind === "freehand" ? [...current.points, point] : [current.points[0] ?? point, point],
          });
        },
        onPointerUp() {
          if (!current) return;
          const shape =
            current.kind === "freehand" ? { ...current, points: simplify(current.points) } : current;
          if (isShape(shape)) drawing.onShape(shape);
          setCurrent(null);
        },
        onPointerCancel: () => setCurrent(null),
      }
    : {};
  return (
    <svg
      ref={svg}
      className={drawing ? `${styles.overlay} ${styles.drawing}` : styles.overlay}
      viewBox={`0 0 ${frame.width} ${frame.height}`}
      preserveAspectRatio="xMidYMid meet"
      aria-hidden="true"
      focusable="false"
      {...handlers}
    >
      {children}
      {current && <Shape shape={current} frame={frame} />}
    </svg>
  );
}

/** The skeleton at the playhead (skeleton.ts: points seen with visibility ≥ 0.5 and their edges). */
export function SkeletonShape({ landmarks, frame }: { landmarks: PoseLandmark[]; frame: FrameSize }) {
  const drawn = skeleton(landmarks, frame.width, frame.height);
  const r = Math.max(2, Math.min(frame.width, frame.height) / 120);
  return (
    <g className={styles.skeleton}>
      {drawn.lines.map(({ from, to }) => (
        <line key={`${from.index}-${to.index}`} x1={from.x} y1={from.y} x2={to.x} y2={to.y} />
      ))}
      {drawn.points.map((p) => (
        <circle key={p.index} cx={p.x} cy={p.y} r={r} />
      ))}
    </g>
  );
}

/** One drawn shape, its stroke as wide on screen whatever the video's size. */
export function Shape({ shape, frame }: { shape: DrawingShape; frame: FrameSize }) {
  const drawn = geometry(shape, frame.width, frame.height);
  if (!drawn) return null;
  const stroke = { stroke: shape.colour, strokeWidth: shape.width ?? 4 };
  if (drawn.kind === "circle") {
    return <circle className={styles.shape} cx={drawn.cx} cy={drawn.cy} r={drawn.r} {...stroke} />;
  }
  if (drawn.kind === "polyline")
    return <polyline className={styles.shape} points={drawn.points} {...stroke} />;
  return (
    <g className={styles.shape} {...stroke}>
      <line x1={drawn.x1} y1={drawn.y1} x2={drawn.x2} y2={drawn.y2} />
      {drawn.head && <path d={drawn.head} />}
    </g>
  );
}

// ---- the controls ------------------------------------------------------------------------------

export function Controls({ transport, label = "Video controls" }: { transport: Transport; label?: string }) {
  const state = usePlayState(transport.playhead);
  const speedId = useId();
  const duration = state.duration ?? 0;
  const now = formatVideoTime(state.time, { tenths: true });
  const end = formatVideoTime(duration, { tenths: true });
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of controls, not a form's fieldset
    <div className={styles.controls} role="group" aria-label={label}>
      <input
        className={styles.position}
        type="range"
        min={0}
        max={Math.max(duration, 0.001)}
        step={1 / transport.fps}
        value={Math.min(state.time, duration || state.time)}
        onChange={(event) => transport.seek(Number(event.currentTarget.value))}
        aria-label="Position in the video"
        aria-valuetext={`${now} of ${end}`}
        disabled={!state.duration}
      />
      <div className={styles.buttons}>
        <button type="button" className={styles.play} onClick={transport.toggle} aria-keyshortcuts="k">
          {state.playing ? "Pause" : "Play"}
        </button>
        <button
          type="button"
          className={styles.control}
          onClick={() => transport.step(-1)}
          aria-label="Previous frame"
          aria-keyshortcuts=","
        >
          ‹ Frame
        </button>
        <button
          type="button"
          className={styles.control}
          onClick={() => transport.step(1)}
          aria-label="Next frame"
          aria-keyshortcuts="."
        >
          Frame ›
        </button>
        <span className={styles.clock} data-testid="clock">
          {now} / {end}
        </span>
        <span className={styles.speed}>
          <label htmlFor={speedId}>Speed</label>
          <select
            id={speedId}
            className={styles.select}
            value={state.rate}
            onChange={(event) => transport.setRate(Number(event.currentTarget.value))}
          >
            {SPEEDS.map((speed) => (
              <option key={speed} value={speed}>
                {speed}×
              </option>
            ))}
          </select>
        </span>
      </div>
      <p className={styles.hint}>Keys: “,” and “.” step one frame, “k” plays or pauses.</p>
    </div>
  );
}

/** The time at the playhead, for the parts that only need it to the tenth (the comment form). */
export function PlayheadTime({ playhead }: { playhead: Playhead }) {
  const state = usePlayState(playhead);
  return <>{formatVideoTime(state.time)}</>;
}
