import { describe, expect, it } from "vitest";
import { completionDefaults, fromInputValue, toInputValue } from "./times";

describe("datetime-local values in the person's zone", () => {
  it("reads and writes wall-clock times of a zone, not the browser's", () => {
    expect(toInputValue("2026-03-12T08:30:00Z", "Europe/Paris")).toBe("2026-03-12T09:30");
    expect(fromInputValue("2026-03-12T09:30", "Europe/Paris")).toBe("2026-03-12T08:30:00Z");
    expect(fromInputValue("2026-07-01T09:30", "America/New_York")).toBe("2026-07-01T13:30:00Z");
    expect(toInputValue("2026-07-01T13:30:00Z", "America/New_York")).toBe("2026-07-01T09:30");
  });

  it("moves a time the clocks skip forward by the gap, and takes the first of a repeated one", () => {
    // Paris springs forward at 02:00 on 2026-03-29: 02:30 does not exist, 03:30 CEST is meant.
    expect(fromInputValue("2026-03-29T02:30", "Europe/Paris")).toBe("2026-03-29T01:30:00Z");
    // It falls back at 03:00 on 2026-10-25: 02:30 happens twice; the first is CEST.
    expect(fromInputValue("2026-10-25T02:30", "Europe/Paris")).toBe("2026-10-25T00:30:00Z");
  });

  it("refuses what is not a datetime-local value", () => {
    expect(fromInputValue("", "UTC")).toBeNull();
    expect(fromInputValue("09:30", "UTC")).toBeNull();
    expect(toInputValue(null, "UTC")).toBe("");
  });
});

describe("the completion form's times", () => {
  const now = new Date("2026-03-12T12:07:31Z");

  it("offers the scheduled times once the session has begun", () => {
    const session = {
      sessionId: "s",
      scheduledStart: "2026-03-12T09:00:00Z",
      scheduledEnd: "2026-03-12T10:30:00Z",
    };
    expect(completionDefaults(session, { timeZone: "UTC", now })).toEqual({
      start: "2026-03-12T09:00",
      end: "2026-03-12T10:30",
    });
  });

  it("offers the planned length ending now for a session not yet begun, or an hour", () => {
    const later = {
      sessionId: "s",
      scheduledStart: "2026-03-13T09:00:00Z",
      scheduledEnd: "2026-03-13T09:45:00Z",
    };
    expect(completionDefaults(later, { timeZone: "UTC", now })).toEqual({
      start: "2026-03-12T11:22",
      end: "2026-03-12T12:07",
    });
    expect(
      completionDefaults({ sessionId: "s", date: "2026-03-12" }, { timeZone: "Europe/Paris", now }),
    ).toEqual({
      start: "2026-03-12T12:07",
      end: "2026-03-12T13:07",
    });
  });
});
