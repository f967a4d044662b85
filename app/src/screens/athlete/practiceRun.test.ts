import { describe, expect, it } from "vitest";
import { answered, next, type Run, savedRun, saveRun } from "./practiceRun";

const run: Run = {
  sessionId: "s1",
  startedAt: "2026-03-12T10:00:00Z",
  exerciseIds: ["a", "b"],
  index: 0,
  answered: 0,
  right: 0,
};

describe("practice runs", () => {
  it("keeps a run per person and forgets it when cleared", () => {
    saveRun("ben", run, sessionStorage);
    expect(savedRun("ben", sessionStorage)).toEqual(run);
    expect(savedRun("ana", sessionStorage)).toBeNull();
    saveRun("ben", null, sessionStorage);
    expect(savedRun("ben", sessionStorage)).toBeNull();
  });

  it("reads a malformed record as none", () => {
    sessionStorage.setItem("sessionbase.practice.ben", "{not json");
    expect(savedRun("ben", sessionStorage)).toBeNull();
    sessionStorage.setItem("sessionbase.practice.ben", JSON.stringify({ ...run, index: -1 }));
    expect(savedRun("ben", sessionStorage)).toBeNull();
    sessionStorage.setItem("sessionbase.practice.ben", JSON.stringify({ ...run, exerciseIds: [1] }));
    expect(savedRun("ben", sessionStorage)).toBeNull();
  });

  it("counts answers and moves on, never past the last exercise", () => {
    const after = answered(answered(run, true), false);
    expect(after).toMatchObject({ answered: 2, right: 1 });
    expect(next(next(next(after))).index).toBe(2);
  });
});
