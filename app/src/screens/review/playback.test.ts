import { describe, expect, it } from "vitest";
import type { SessionComment } from "../../api/types";
import { byMoment, commentFrom, drawingFrom, onEarlierVideo, threads } from "../../data/comments";

import {
  atMsOf,
  clipTime,
  DRAWING_LIMITS,
  drawingRoom,
  drawingsAt,
  formatVideoTime,
  frameAt,
  frameBox,
  frameRateOf,
  geometry,
  isShape,
  landmarksAt,
  nearestIndex,
  sharedSpan,
  simplify,
  stepFrame,
  toFrame,
} from "./playback";

describe("a moment of a video in words", () => {
  it("counts minutes and seconds as a player does, rounding down", () => {
    expect(formatVideoTime(0)).toBe("0:00");
    expect(formatVideoTime(4.99)).toBe("0:04");
    expect(formatVideoTime(65)).toBe("1:05");
    expect(formatVideoTime(3723)).toBe("1:02:03");
  });

  it("gives tenths when asked, never rounding up into the next second", () => {
    expect(formatVideoTime(4.2, { tenths: true })).toBe("0:04.2");
    expect(formatVideoTime(4.999, { tenths: true })).toBe("0:04.9");
    expect(formatVideoTime(0.3, { tenths: true })).toBe("0:00.3");
  });

  it("says 0:00 for what is not a time yet", () => {
    expect(formatVideoTime(Number.NaN)).toBe("0:00");
    expect(formatVideoTime(-3)).toBe("0:00");
  });
});

describe("frames", () => {
  it("uses the clip's frame rate, else 30", () => {
    expect(frameRateOf(25)).toBe(25);
    expect(frameRateOf(null)).toBe(30);
    expect(frameRateOf(0)).toBe(30);
    expect(frameRateOf("25")).toBe(30);
  });

  it("knows which frame is on screen", () => {
    expect(frameAt(0, 25)).toBe(0);
    expect(frameAt(0.039, 25)).toBe(0);
    expect(frameAt(0.04, 25)).toBe(1); // exactly at a frame's start, despite floating point
    expect(frameAt(4, 30)).toBe(120);
  });

  it("steps to the middle of the next or previous frame", () => {
    expect(stepFrame(4, 25, 1, 10)).toBeCloseTo(4.06, 6); // frame 100 → 101, its middle
    expect(stepFrame(4, 25, -1, 10)).toBeCloseTo(3.98, 6);
    // Stepping again from where a step landed moves one frame each time.
    let time = 0;
    for (let i = 0; i < 5; i += 1) time = stepFrame(time, 30, 1, 10);
    expect(frameAt(time, 30)).toBe(5);
  });

  it("stays within the clip", () => {
    expect(stepFrame(0, 25, -1, 10)).toBeCloseTo(0.02, 6);
    expect(frameAt(stepFrame(9.99, 25, 1, 10), 25)).toBe(249); // the last frame of 10 s at 25 fps
  });

  it("puts a comment's moment in whole milliseconds within the clip", () => {
    expect(atMsOf(4.2304, 10)).toBe(4230);
    expect(atMsOf(-1, 10)).toBe(0);
    expect(atMsOf(10.0004, 10)).toBe(10000);
    expect(atMsOf(12, null)).toBe(12000);
  });
});

describe("the keypoints at the playhead", () => {
  const frame = (x: number) => Array.from({ length: 33 }, () => [x, 0.5, 0.9] as [number, number, number]);
  const landmarks = { times: [0, 0.1, 0.2, 0.3], frames: [frame(0.1), null, frame(0.3), frame(0.4)] };

  it("finds the nearest sample", () => {
    expect(nearestIndex([0, 0.1, 0.2], 0.14, 1)).toBe(1);
    expect(nearestIndex([0, 0.1, 0.2], 0.16, 1)).toBe(2);
    expect(nearestIndex([0, 0.1, 0.2], 5, 0.5)).toBe(-1);
    expect(nearestIndex([], 0, 1)).toBe(-1);
  });

  it("gives the nearest frame's landmarks, none where no person was seen or too far away", () => {
    expect(landmarksAt(landmarks, 0.19)?.[0]).toEqual({ x: 0.3, y: 0.5, visibility: 0.9 });
    expect(landmarksAt(landmarks, 0.1)).toBeNull();
    expect(landmarksAt(landmarks, 3)).toBeNull();
    expect(landmarksAt(null, 0)).toBeNull();
  });
});

describe("two clips on one timeline", () => {
  it("spans both clips, b shifted by the offset", () => {
    expect(sharedSpan(10, 8, 1)).toEqual({ start: 0, end: 10 });
    expect(sharedSpan(10, 8, 4)).toEqual({ start: 0, end: 12 });
    expect(sharedSpan(10, 8, -2)).toEqual({ start: -2, end: 10 });
  });

  it("puts each clip at its own time, waiting on its first or last frame outside it", () => {
    expect(clipTime(5, 1.5, 8)).toEqual({ time: 3.5, inside: true });
    expect(clipTime(1, 1.5, 8)).toEqual({ time: 0, inside: false });
    expect(clipTime(11, 1.5, 8)).toEqual({ time: 7.999, inside: false });
  });
});

describe("drawings in frame coordinates", () => {
  it("finds the letterboxed frame in its box", () => {
    // A 16:9 frame in a square box: bars above and below.
    expect(frameBox(400, 400, 1600, 900)).toEqual({ x: 0, y: 87.5, width: 400, height: 225 });
    // A portrait frame in a 16:9 box: bars left and right.
    expect(frameBox(640, 360, 1080, 1920)).toEqual({ x: 218.75, y: 0, width: 202.5, height: 360 });
  });

  it("turns a point on screen into 0–1 of the frame, clamped to the frame", () => {
    const box = frameBox(400, 400, 1600, 900);
    expect(toFrame(200, 200, box)).toEqual([0.5, 0.5]);
    expect(toFrame(0, 87.5, box)).toEqual([0, 0]);
    expect(toFrame(400, 400, box)).toEqual([1, 1]); // in the bar below: the frame's edge
    expect(toFrame(100, 143.75, box)).toEqual([0.25, 0.25]);
  });

  it("turns 0–1 of the frame back into the frame's pixels, the circle's radius in pixels", () => {
    const circle = geometry(
      {
        kind: "circle",
        colour: "#ffffff",
        points: [
          [0.5, 0.5],
          [0.5, 0.75],
        ],
      },
      1600,
      900,
    );
    expect(circle).toEqual({ kind: "circle", cx: 800, cy: 450, r: 225 });
    const arrow = geometry(
      {
        kind: "arrow",
        colour: "#ffffff",
        points: [
          [0, 0.5],
          [0.5, 0.5],
        ],
      },
      1000,
      1000,
    );
    expect(arrow?.kind).toBe("line");
    if (arrow?.kind === "line") {
      expect([arrow.x1, arrow.y1, arrow.x2, arrow.y2]).toEqual([0, 500, 500, 500]);
      expect(arrow.head).toMatch(/^M[\d.]+,[\d.]+ L500,500 L[\d.]+,[\d.]+$/);
    }
    expect(geometry({ kind: "line", colour: "#ffffff", points: [[0, 0]] }, 10, 10)).toBeNull();
  });

  it("thins a freehand line and keeps it within the API's 500 points", () => {
    const wobble = Array.from({ length: 2000 }, (_, i) => [i / 2000, 0.5] as [number, number]);
    const thin = simplify(wobble);
    expect(thin.length).toBeLessThanOrEqual(DRAWING_LIMITS.freehand);
    expect(thin[0]).toEqual([0, 0.5]);
    expect(thin[thin.length - 1]).toEqual([1999 / 2000, 0.5]);
    expect(simplify(wobble, 0).length).toBe(500);
  });

  it("keeps a shape only when it has two distinct points", () => {
    expect(
      isShape({
        kind: "line",
        colour: "#fff",
        points: [
          [0.2, 0.2],
          [0.2, 0.2],
        ],
      }),
    ).toBe(false);
    expect(
      isShape({
        kind: "line",
        colour: "#fff",
        points: [
          [0.2, 0.2],
          [0.3, 0.2],
        ],
      }),
    ).toBe(true);
  });

  it("counts the room left in a drawing", () => {
    const shapes = Array.from({ length: 3 }, () => ({
      kind: "line" as const,
      colour: "#fff",
      points: [
        [0, 0],
        [1, 1],
      ] as [number, number][],
    }));
    expect(drawingRoom({ shapes })).toEqual({ shapes: 47, points: 1994 });
  });
});

const comment = (id: string, atMs: number, extra: Partial<SessionComment> = {}): SessionComment => ({
  commentId: id,
  sessionId: "s",
  atMs,
  text: id,
  drawing: null,
  replyTo: null,
  authorId: "u",
  authorName: "Ada",
  createdAt: `2026-03-01T10:00:0${id.length}Z`,
  editedAt: null,
  resolved: false,
  resolvedBy: null,
  resolvedAt: null,
  videoJobId: "job-2",
  ...extra,
});

describe("comments", () => {
  it("orders by moment, then by when written, replies under their comment", () => {
    const all = [
      comment("late", 9000),
      comment("b", 4000),
      comment("reply2", 4000, { replyTo: "a", createdAt: "2026-03-01T10:05:00Z" }),
      comment("a", 4000, { createdAt: "2026-03-01T09:00:00Z" }),
      comment("reply1", 4000, { replyTo: "a", createdAt: "2026-03-01T10:01:00Z" }),
      comment("orphan", 100, { replyTo: "gone" }),
    ];
    expect([...all].sort(byMoment)[0]?.commentId).toBe("orphan");
    const listed = threads(all);
    expect(listed.map((t) => t.comment.commentId)).toEqual(["a", "b", "late"]);
    expect(listed[0]?.replies.map((r) => r.commentId)).toEqual(["reply1", "reply2"]);
  });

  it("marks a comment on a replaced video", () => {
    expect(onEarlierVideo(comment("a", 0, { videoJobId: "job-1" }), "job-2")).toBe(true);
    expect(onEarlierVideo(comment("a", 0), "job-2")).toBe(false);
    expect(onEarlierVideo(comment("a", 0, { earlierVideo: true }), "job-2")).toBe(true);
  });

  it("shows a drawing from half a second before its moment to a second and a half after", () => {
    const drawn = comment("d", 4000, {
      drawing: {
        shapes: [
          {
            kind: "line",
            colour: "#fff",
            points: [
              [0, 0],
              [1, 1],
            ],
          },
        ],
      },
    });
    const plain = comment("p", 4000);
    expect(drawingsAt([drawn, plain], 4)).toEqual([drawn]);
    expect(drawingsAt([drawn], 3.5)).toEqual([drawn]);
    expect(drawingsAt([drawn], 3.4)).toEqual([]);
    expect(drawingsAt([drawn], 5.5)).toEqual([drawn]);
    expect(drawingsAt([drawn], 5.6)).toEqual([]);
  });
});

describe("a comment as a listener reads it", () => {
  it("turns the stored {x, y} points into the API's [x, y]", () => {
    const stored = {
      shapes: [
        {
          kind: "arrow",
          colour: "#ffd60a",
          points: [
            { x: 0.1, y: 0.2 },
            { x: 0.3, y: 0.4 },
          ],
        },
      ],
    };
    expect(commentFrom("c1", { atMs: 10, text: "t", drawing: stored }).drawing).toEqual({
      shapes: [
        {
          kind: "arrow",
          colour: "#ffd60a",
          points: [
            [0.1, 0.2],
            [0.3, 0.4],
          ],
        },
      ],
    });
    expect(commentFrom("c2", { atMs: 10, text: "t" })).toMatchObject({
      commentId: "c2",
      drawing: null,
      resolved: false,
    });
    expect(
      drawingFrom({
        shapes: [
          {
            kind: "line",
            colour: "#fff",
            points: [
              [0, 1],
              [1, 0],
            ],
          },
        ],
      })?.shapes[0]?.points,
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
});
