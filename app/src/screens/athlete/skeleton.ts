// The skeleton drawn over a checked photo: the 33 BlazePose landmarks (POST /api/analyze/{pose}'s
// `landmarks`, normalised 0–1 to the upright photo) joined by MediaPipe Pose's usual edges, only
// where the model saw the point well enough (visibility ≥ 0.5); a hidden point would be a guess.
import type { PoseLandmark } from "../../api/types";

export const MIN_VISIBILITY = 0.5;

/** MediaPipe's POSE_CONNECTIONS: face, arms and hands, trunk, legs and feet. */
// biome-ignore format: read as pairs
export const EDGES: readonly (readonly [number, number])[] = [
  [0, 1], [1, 2], [2, 3], [3, 7], [0, 4], [4, 5], [5, 6], [6, 8], [9, 10],
  [11, 12], [11, 13], [13, 15], [15, 17], [15, 19], [15, 21], [17, 19],
  [12, 14], [14, 16], [16, 18], [16, 20], [16, 22], [18, 20],
  [11, 23], [12, 24], [23, 24],
  [23, 25], [24, 26], [25, 27], [26, 28], [27, 29], [28, 30], [29, 31], [30, 32], [27, 31], [28, 32],
];

export interface Point {
  index: number;
  x: number;
  y: number;
}

export interface Skeleton {
  points: Point[];
  lines: { from: Point; to: Point }[];
}

/** The visible points, scaled to a `width` × `height` picture, and the edges between two of them. */
export function skeleton(landmarks: readonly PoseLandmark[], width: number, height: number): Skeleton {
  const seen = new Map<number, Point>();
  landmarks.forEach((landmark, index) => {
    if (landmark.visibility >= MIN_VISIBILITY) {
      seen.set(index, { index, x: landmark.x * width, y: landmark.y * height });
    }
  });
  const lines: Skeleton["lines"] = [];
  for (const [a, b] of EDGES) {
    const from = seen.get(a);
    const to = seen.get(b);
    if (from && to) lines.push({ from, to });
  }
  return { points: [...seen.values()], lines };
}
