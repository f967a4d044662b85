// A practice in progress, as the Practice screen keeps it: the session the API started, the
// exercises in the order they were given, how far the learner got and how many were right. It
// is kept in this tab's sessionStorage, so a reload (or a visit to Home) continues the same
// session instead of leaving it open on the server and starting another.

export interface Run {
  sessionId: string;
  startedAt: string;
  /** The exercises of this practice, in order (fixed when it started). */
  exerciseIds: string[];
  /** The exercise shown now (== exerciseIds.length: all answered). */
  index: number;
  answered: number;
  right: number;
}

const key = (uid: string) => `sessionbase.practice.${uid}`;

function isRun(value: unknown): value is Run {
  if (value === null || typeof value !== "object") return false;
  const run = value as Record<string, unknown>;
  return (
    typeof run.sessionId === "string" &&
    typeof run.startedAt === "string" &&
    Array.isArray(run.exerciseIds) &&
    run.exerciseIds.every((id) => typeof id === "string") &&
    [run.index, run.answered, run.right].every((n) => Number.isInteger(n) && (n as number) >= 0)
  );
}

/** The practice this person left open in this tab, if any (a malformed record is none). */
export function savedRun(uid: string, storage: Storage = sessionStorage): Run | null {
  try {
    const value: unknown = JSON.parse(storage.getItem(key(uid)) ?? "null");
    return isRun(value) ? value : null;
  } catch {
    return null;
  }
}

export function saveRun(uid: string, run: Run | null, storage: Storage = sessionStorage): void {
  try {
    if (run) storage.setItem(key(uid), JSON.stringify(run));
    else storage.removeItem(key(uid));
  } catch {
    // Storage full or refused (private mode): the practice still runs, it only cannot resume.
  }
}

/** The run after an answer: one more answered, one more right if it was. */
export function answered(run: Run, correct: boolean): Run {
  return { ...run, answered: run.answered + 1, right: run.right + (correct ? 1 : 0) };
}

/** The run moved on to the next exercise. */
export function next(run: Run): Run {
  return { ...run, index: Math.min(run.index + 1, run.exerciseIds.length) };
}
