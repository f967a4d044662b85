import { describe, expect, it } from "vitest";
import type { PoseLandmark } from "../../api/types";
import { EDGES, skeleton } from "./skeleton";

const all = (visibility: number): PoseLandmark[] =>
  Array.from({ length: 33 }, (_, i) => ({ x: i / 32, y: 1 - i / 32, visibility }));

describe("the skeleton over a photo", () => {
  it("joins the 33 BlazePose points with 35 edges, each within the 33", () => {
    expect(EDGES).toHaveLength(35);
    for (const [a, b] of EDGES) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(33);
    }
    const drawn = skeleton(all(0.9), 100, 200);
    expect(drawn.points).toHaveLength(33);
    expect(drawn.lines).toHaveLength(35);
  });

  it("scales the normalised points to the picture", () => {
    const [first] = skeleton(all(1), 320, 640).points;
    expect(first).toEqual({ index: 0, x: 0, y: 640 });
  });

  it("leaves out points seen less than half and every edge that touches one", () => {
    const landmarks = all(0.9);
    landmarks[25] = { x: 0.5, y: 0.5, visibility: 0.49 }; // left knee
    landmarks[26] = { x: 0.5, y: 0.5, visibility: 0.5 }; // right knee: just enough
    const drawn = skeleton(landmarks, 1, 1);
    expect(drawn.points.map((p) => p.index)).not.toContain(25);
    expect(drawn.points.map((p) => p.index)).toContain(26);
    const touching = (i: number) => drawn.lines.some((l) => l.from.index === i || l.to.index === i);
    expect(touching(25)).toBe(false);
    expect(touching(26)).toBe(true);
    expect(drawn.lines).toHaveLength(33); // 23–25 and 25–27 gone
  });

  it("draws nothing when nothing is seen", () => {
    expect(skeleton(all(0.1), 1, 1)).toEqual({ points: [], lines: [] });
  });
});
