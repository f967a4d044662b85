import { describe, expect, it } from "vitest";
import { calendarDay, daysEnding, perDay } from "./stats";

describe("per-day statistics", () => {
  it("says the calendar day of an instant in a zone", () => {
    const instant = new Date("2026-03-12T23:30:00Z");
    expect(calendarDay(instant, "UTC")).toBe("2026-03-12");
    expect(calendarDay(instant, "Europe/Paris")).toBe("2026-03-13");
    expect(calendarDay(instant, "America/New_York")).toBe("2026-03-12");
  });

  it("lists the days that end with a day, across months and years", () => {
    expect(daysEnding("2026-03-02", 3)).toEqual(["2026-02-28", "2026-03-01", "2026-03-02"]);
    expect(daysEnding("2026-01-01", 2)).toEqual(["2025-12-31", "2026-01-01"]);
  });

  it("reads each day's counts from its year's document, zero when absent or malformed", () => {
    const years = {
      "2025": { "12-31": { sessions: 2, completed: 1 } },
      "2026": { "01-01": { sessions: 1 }, "01-02": { sessions: -3, completed: Number.NaN } },
    };
    expect(perDay(["2025-12-31", "2026-01-01", "2026-01-02", "2026-01-03"], years)).toEqual([
      { day: "2025-12-31", sessions: 2, completed: 1 },
      { day: "2026-01-01", sessions: 1, completed: 0 },
      { day: "2026-01-02", sessions: 0, completed: 0 },
      { day: "2026-01-03", sessions: 0, completed: 0 },
    ]);
    expect(perDay(["2027-01-01"], { "2027": null })).toEqual([
      { day: "2027-01-01", sessions: 0, completed: 0 },
    ]);
  });
});
