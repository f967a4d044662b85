import { describe, expect, it } from "vitest";
import { downloadRange, nextDay } from "./downloads";

describe("the download log's days", () => {
  it("steps to the next calendar day across months and years", () => {
    expect(nextDay("2025-02-28")).toBe("2025-03-01");
    expect(nextDay("2024-12-31")).toBe("2025-01-01");
  });

  it("asks from the first moment of the first day to the first moment after the last, in the zone", () => {
    expect(downloadRange("2025-03-01", "2025-03-02", "Europe/Paris")).toEqual({
      from: "2025-02-28T23:00:00Z",
      to: "2025-03-02T23:00:00Z",
    });
    expect(downloadRange("", "2025-07-01", "UTC")).toEqual({ to: "2025-07-02T00:00:00Z" });
    expect(downloadRange("bad", "", "UTC")).toEqual({});
  });
});
