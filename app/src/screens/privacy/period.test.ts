import { describe, expect, it } from "vitest";
import { addMonths, daysIn, defaultPeriod, periodErrors, today } from "./period";

describe("period", () => {
  it("defaults to the last three months up to today, in the person's zone", () => {
    // 23:30 UTC on 5 March is already 6 March in Berlin.
    const now = new Date("2026-03-05T23:30:00Z");
    expect(today(now, "UTC")).toBe("2026-03-05");
    expect(defaultPeriod(now, "Europe/Berlin")).toEqual({ from: "2025-12-06", to: "2026-03-06" });
    expect(defaultPeriod(now, "America/New_York")).toEqual({ from: "2025-12-05", to: "2026-03-05" });
  });

  it("keeps a day that a shorter month lacks in that month", () => {
    expect(addMonths("2026-05-31", -3)).toBe("2026-02-28");
    expect(addMonths("2024-05-31", -3)).toBe("2024-02-29");
    expect(addMonths("2026-01-15", -3)).toBe("2025-10-15");
  });

  it("counts both days and names what is wrong", () => {
    expect(daysIn({ from: "2026-01-01", to: "2026-01-01" })).toBe(1);
    expect(periodErrors({ from: "2026-01-01", to: "2026-03-31" })).toEqual({});
    expect(periodErrors({ from: "", to: "2026-03-31" })).toEqual({ from: "Choose the first day." });
    expect(periodErrors({ from: "2026-02-01", to: "2026-01-01" }).to).toMatch(/on or after/);
    expect(periodErrors({ from: "2024-01-01", to: "2026-01-01" }).to).toMatch(
      /at most 400 days: this period has 732/,
    );
  });
});
