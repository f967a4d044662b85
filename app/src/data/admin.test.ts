import { describe, expect, it } from "vitest";
import type { SessionPublic } from "../api/types";
import {
  dayOf,
  historyRows,
  historyStatuses,
  isOverdue,
  latestFirst,
  NO_FILTER,
  soonestFirst,
} from "./admin";

const now = new Date("2026-03-12T12:00:00Z");
const s = (sessionId: string, fields: Partial<SessionPublic>): SessionPublic => ({ sessionId, ...fields });

describe("ordering by the session's own time", () => {
  const rows = [
    s("day", { date: "2026-03-14" }),
    s("start", { scheduledStart: "2026-03-13T09:00:00Z" }),
    s("created", { createdAt: "2026-03-20T09:00:00Z" }),
    s("none", {}),
    s("actual", { actualStart: "2026-03-10T09:00:00Z", scheduledStart: "2026-03-15T09:00:00Z" }),
  ];

  it("puts the soonest first and sessions with no time last", () => {
    expect(soonestFirst(rows).map((r) => r.sessionId)).toEqual(["actual", "start", "day", "created", "none"]);
  });

  it("puts the latest first and sessions with no time last", () => {
    expect(latestFirst(rows).map((r) => r.sessionId)).toEqual(["created", "day", "start", "actual", "none"]);
  });
});

describe("overdue", () => {
  it("is a scheduled session whose end (else start) has gone by", () => {
    expect(isOverdue(s("a", { status: "scheduled", scheduledEnd: "2026-03-12T11:00:00Z" }), now)).toBe(true);
    expect(isOverdue(s("a", { status: "scheduled", scheduledStart: "2026-03-12T13:00:00Z" }), now)).toBe(
      false,
    );
    expect(isOverdue(s("a", { status: "completed", scheduledEnd: "2026-03-12T11:00:00Z" }), now)).toBe(false);
  });

  it("counts a bare date as gone by only once that day has ended in every zone", () => {
    expect(isOverdue(s("a", { status: "scheduled", date: "2026-03-12" }), now)).toBe(false);
    expect(isOverdue(s("a", { status: "scheduled", date: "2026-03-11" }), now)).toBe(false);
    expect(isOverdue(s("a", { status: "scheduled", date: "2026-03-10" }), now)).toBe(true);
  });
});

describe("history", () => {
  const rows = [
    s("done", { status: "completed", actualStart: "2026-03-11T09:00:00Z", sessionType: "Training" }),
    s("off", { status: "cancelled", scheduledStart: "2026-03-20T09:00:00Z", sessionType: "Review" }),
    s("missed", { status: "scheduled", scheduledStart: "2026-03-01T09:00:00Z", sessionType: "Training" }),
    s("later", { status: "scheduled", scheduledStart: "2026-03-13T09:00:00Z" }),
    s("archived", { status: "completed", actualStart: "2026-03-11T10:00:00Z", archived: true }),
  ];
  const ids = (list: SessionPublic[]) => list.map((r) => r.sessionId);

  it("holds what is past, cancelled ones included, latest first", () => {
    expect(ids(historyRows(rows, NO_FILTER, { now }))).toEqual(["off", "done", "missed"]);
  });

  it("filters by state, type and the days in the person's zone", () => {
    expect(ids(historyRows(rows, { ...NO_FILTER, status: "missed" }, { now }))).toEqual(["missed"]);
    expect(ids(historyRows(rows, { ...NO_FILTER, type: "Training" }, { now }))).toEqual(["done", "missed"]);
    expect(ids(historyRows(rows, { ...NO_FILTER, from: "2026-03-02", to: "2026-03-11" }, { now }))).toEqual([
      "done",
    ]);
    expect(historyStatuses("all")).toEqual(["completed", "cancelled", "scheduled"]);
  });

  it("reads a session's day in the person's zone, a bare date as it is", () => {
    const late = s("x", { actualStart: "2026-03-11T23:30:00Z" });
    expect(dayOf(late, "UTC")).toBe("2026-03-11");
    expect(dayOf(late, "Europe/Paris")).toBe("2026-03-12");
    expect(dayOf(s("y", { date: "2026-03-11" }), "Pacific/Kiritimati")).toBe("2026-03-11");
  });
});
