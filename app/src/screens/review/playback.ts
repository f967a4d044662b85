// The arithmetic of the review player, kept apart from the screens so it can be tested: frames and
// times, the comment's moment in milliseconds, the keypoints at a moment, where two clips are when
// they are played together with an offset, and the drawings' normalised coordinates (0–1 of the
// frame, as the API stores them) to and from the picture on screen.
import type { Drawing, DrawingShape, LandmarkFrame, PoseLandmark, SessionComment } from "../../api/types";

/**
 * A moment of a video as a player shows it: "0:04", "12:30", "1:02:03"; with `tenths`, "0:04.2".
 * Rounded down, as a player's clock counts: 4.99 s is still "0:04" (the frame shown is before 0:05).
 */
export function formatVideoTime(seconds: number, { tenths = false }: { tenths?: boolean } = {}): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const whole = Math.floor(safe + 1e-9);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, "0");
  const clock = hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
  if (!tenths) return clock;
  return `${clock}.${Math.min(9, Math.floor((safe - whole) * 10 + 1e-6))}`;
}

/** The speeds offered, slowest first (issue 24: 0.25–2×). */
export const SPEEDS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/** The frame rate when the analysis does not give one (before it ends, or without metrics). */
export const DEFAULT_FRAME_RATE = 30;

/** A usable frame rate: the clip's, else DEFAULT_FRAME_RATE. */
export function frameRateOf(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 && value <= 1000
    ? value
    : DEFAULT_FRAME_RATE;
}

/** The frame shown at `time`: frame i is on screen from i / fps until (i + 1) / fps. */
export function frameAt(time: number, fps: number): number {
  return Math.max(0, Math.floor(time * fps + 1e-6));
}

/**
 * The time to seek to for the frame `delta` frames from the one shown at `time` (−1: the previous,
 * +1: the next), within the clip: the middle of that frame, so that rounding in the browser's seek
 * cannot land on its neighbour.
 */
export function stepFrame(time: number, fps: number, delta: number, duration: number | null): number {
  const last = duration && duration > 0 ? Math.max(0, Math.ceil(duration * fps - 1e-6) - 1) : Infinity;
  const frame = Math.min(last, Math.max(0, frameAt(time, fps) + delta));
  const at = (frame + 0.5) / fps;
  return duration && duration > 0 ? Math.min(at, duration) : at;
}

/** A moment in whole milliseconds within the clip, as a comment's `atMs` (0…duration). */
export function atMsOf(time: number, duration: number | null): number {
  const ms = Math.round(Math.max(0, time) * 1000);
  return duration && duration > 0 ? Math.min(ms, Math.floor(duration * 1000)) : ms;
}

/** The nearest index of a sorted `times` to `time`, if within `tolerance` seconds; else -1. */
export function nearestIndex(times: readonly number[], time: number, tolerance: number): number {
  if (times.length === 0) return -1;
  let low = 0;
  let high = times.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((times[middle] ?? 0) < time) low = middle + 1;
    else high = middle;
  }
  let best = low;
  if (low > 0 && Math.abs((times[low - 1] ?? 0) - time) <= Math.abs((times[low] ?? 0) - time)) best = low - 1;
  return Math.abs((times[best] ?? Infinity) - time) <= tolerance ? best : -1;
}

/** The keypoints shown at `time`: the nearest frame measured, if it is near enough (two sampling
 * steps, at least 0.2 s), as landmarks skeleton.ts draws; null where no person was found. */
export function landmarksAt(
  landmarks: { times: number[]; frames: LandmarkFrame[] } | null | undefined,
  time: number,
): PoseLandmark[] | null {
  if (!landmarks || landmarks.times.length === 0) return null;
  const { times } = landmarks;
  const step = times.length > 1 ? ((times[times.length - 1] ?? 0) - (times[0] ?? 0)) / (times.length - 1) : 0;
  const index = nearestIndex(times, time, Math.max(0.2, 2 * step));
  const frame = index < 0 ? null : landmarks.frames[index];
  return frame ? frame.map(([x, y, visibility]) => ({ x, y, visibility })) : null;
}

// ---- two clips together (the compare page) -----------------------------------------------------

/** The span of the shared timeline, on a's time base: b starts at `offset` seconds. */
export function sharedSpan(
  durationA: number,
  durationB: number,
  offset: number,
): { start: number; end: number } {
  return { start: Math.min(0, offset), end: Math.max(durationA, offset + durationB) };
}

/** Where one clip is at the shared time `time`: its own time (clamped to the clip) and whether the
 * moment is inside it (outside, it waits on its first or last frame). */
export function clipTime(time: number, shift: number, duration: number): { time: number; inside: boolean } {
  const local = time - shift;
  const end = Math.max(0, duration - 0.001);
  return { time: Math.min(end, Math.max(0, local)), inside: local >= 0 && local < duration };
}

// ---- drawings ----------------------------------------------------------------------------------

/** The limits of a drawing (the API refuses more, naming the field). */
export const DRAWING_LIMITS = { shapes: 50, points: 2000, freehand: 500 } as const;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a `videoWidth` × `videoHeight` frame is drawn in a `width` × `height` box, letterboxed
 * and centred (object-fit: contain; an SVG's preserveAspectRatio="xMidYMid meet"). */
export function frameBox(width: number, height: number, videoWidth: number, videoHeight: number): Box {
  if (!(videoWidth > 0 && videoHeight > 0 && width > 0 && height > 0)) return { x: 0, y: 0, width, height };
  const scale = Math.min(width / videoWidth, height / videoHeight);
  const w = videoWidth * scale;
  const h = videoHeight * scale;
  return { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h };
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** A point of the box (px from its top-left corner) as 0–1 of the frame, clamped to the frame. */
export function toFrame(x: number, y: number, frame: Box): [number, number] {
  const nx = frame.width > 0 ? (x - frame.x) / frame.width : 0;
  const ny = frame.height > 0 ? (y - frame.y) / frame.height : 0;
  return [round4(Math.min(1, Math.max(0, nx))), round4(Math.min(1, Math.max(0, ny)))];
}

/** A freehand line as drawn: points closer than `minimum` (0–1 of the frame) to the last one kept
 * are dropped, and at most `limit` are kept (evenly, the first and last always). */
export function simplify(
  points: readonly [number, number][],
  minimum = 0.004,
  limit: number = DRAWING_LIMITS.freehand,
): [number, number][] {
  const kept: [number, number][] = [];
  for (const point of points) {
    const last = kept[kept.length - 1];
    if (!last || Math.hypot(point[0] - last[0], point[1] - last[1]) >= minimum) kept.push(point);
  }
  const final = points[points.length - 1];
  if (final && kept.length > 1 && kept[kept.length - 1] !== final) kept[kept.length - 1] = final;
  if (kept.length <= limit) return kept;
  const step = (kept.length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, i) => kept[Math.round(i * step)] as [number, number]);
}

/** Whether a drawing is within the API's limits (a shape too many, or points, is not sent). */
export function drawingRoom(drawing: Drawing): { shapes: number; points: number } {
  const points = drawing.shapes.reduce((sum, shape) => sum + shape.points.length, 0);
  return { shapes: DRAWING_LIMITS.shapes - drawing.shapes.length, points: DRAWING_LIMITS.points - points };
}

/** A finished shape worth keeping: two distinct points at least (a click is not a line). */
export function isShape(shape: DrawingShape): boolean {
  const [first, second] = shape.points;
  if (!first || !second) return false;
  return shape.points.some((point) => Math.hypot(point[0] - first[0], point[1] - first[1]) > 0.005);
}

/** What SVG draws for a shape, in frame pixels (`width` × `height`). */
export type Geometry =
  | { kind: "line"; x1: number; y1: number; x2: number; y2: number; head: string | null }
  | { kind: "circle"; cx: number; cy: number; r: number }
  | { kind: "polyline"; points: string };

export function geometry(shape: DrawingShape, width: number, height: number): Geometry | null {
  const scaled = shape.points.map(([x, y]) => [x * width, y * height] as const);
  const [a, b] = scaled;
  if (!a || !b) return null;
  if (shape.kind === "circle") {
    return { kind: "circle", cx: a[0], cy: a[1], r: Math.hypot(b[0] - a[0], b[1] - a[1]) };
  }
  if (shape.kind === "freehand") {
    return { kind: "polyline", points: scaled.map(([x, y]) => `${round1(x)},${round1(y)}`).join(" ") };
  }
  let head: string | null = null;
  if (shape.kind === "arrow") {
    // Two strokes back from the tip, at ±28°, a twentieth of the frame's shorter side long.
    const angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
    const length = Math.min(width, height) / 20;
    const wing = (turn: number) =>
      `${round1(b[0] - length * Math.cos(angle + turn))},${round1(b[1] - length * Math.sin(angle + turn))}`;
    head = `M${wing(0.49)} L${round1(b[0])},${round1(b[1])} L${wing(-0.49)}`;
  }
  return { kind: "line", x1: a[0], y1: a[1], x2: b[0], y2: b[1], head };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** How long a comment's drawing stays over the frame around its moment (seconds before, after). */
export const DRAWING_SHOWN = { before: 0.5, after: 1.5 } as const;

/** The comments whose drawing is shown at `time`. */
export function drawingsAt(comments: readonly SessionComment[], time: number): SessionComment[] {
  return comments.filter((comment) => {
    if (!comment.drawing?.shapes.length) return false;
    const at = comment.atMs / 1000;
    return time >= at - DRAWING_SHOWN.before && time <= at + DRAWING_SHOWN.after;
  });
}
