import { describe, expect, it } from "vitest";
import type { SessionPublic } from "../../api/types";
import { eventsOf, filterFrom, isFiltered, matches } from "./sessionFilter";

const session = (over: Partial<SessionPublic>): SessionPublic => ({ sessionId: "s", ...over });

describe("the coach's session filters", () => {
  it("reads only valid values from the URL", () => {
    const filter = filterFrom(new URLSearchParams("type=Class&event=%20Sprint%20&from=2025-03-01&to=March"));
    expect(filter).toEqual({ type: "", event: "Sprint", from: "2025-03-01", to: "" });
    expect(isFiltered(filter)).toBe(true);
    expect(isFiltered(filterFrom(new URLSearchParams("athlete=u1")))).toBe(false);
  });

  it("filters by type and by event, whatever the event's case", () => {
    const filter = { type: "Training" as const, event: "sprint", from: "", to: "" };
    expect(matches(session({ sessionType: "Training", event: "Sprint " }), filter)).toBe(true);
    expect(matches(session({ sessionType: "Test", event: "Sprint" }), filter)).toBe(false);
    expect(matches(session({ sessionType: "Training", event: "Relay" }), filter)).toBe(false);
  });

  it("filters by the session's day in the person's zone, both days included", () => {
    const filter = { type: "" as const, event: "", from: "2025-03-02", to: "2025-03-02" };
    // 23:30 UTC on 1 March is 2 March in Tokyo, still 1 March in New York.
    const late = session({ scheduledStart: "2025-03-01T23:30:00Z" });
    expect(matches(late, filter, "Asia/Tokyo")).toBe(true);
    expect(matches(late, filter, "America/New_York")).toBe(false);
    expect(matches(session({ date: "2025-03-02" }), filter, "America/New_York")).toBe(true);
    expect(matches(session({}), filter)).toBe(false);
  });

  it("offers each event once, in alphabetical order", () => {
    const events = eventsOf([
      session({ event: "Sprint" }),
      session({ event: "sprint" }),
      session({ event: "High jump" }),
      session({ event: " " }),
      session({}),
    ]);
    expect(events).toEqual(["High jump", "Sprint"]);
  });
});
