import { describe, expect, it } from "vitest";
import type { DashboardStats } from "../../api/types";
import {
  countBars,
  countedSentence,
  riskBars,
  riskSentence,
  risksRecorded,
  trendWords,
  typeBars,
} from "./statistics";

function stats(over: Partial<DashboardStats> = {}): DashboardStats {
  return {
    totalSessions: 0,
    completedSessions: 0,
    cancelledSessions: 0,
    completionRate: 0,
    completedAnalyses: 0,
    averageMotionIQ: null,
    averageAclRisk: null,
    riskLevels: { LOW: 0, MODERATE: 0, HIGH: 0 },
    byEvent: {},
    bySessionType: {},
    totalDurationSeconds: 0,
    mindfulMinutes: 0,
    sessionsThisWeek: 0,
    currentStreak: 0,
    longestStreak: 0,
    averageAccuracy: null,
    averageScore: null,
    lastSessionAt: null,
    trend: { motionIQ: null, accuracy: null },
    timezone: "UTC",
    ...over,
  };
}

describe("the statistics' bars", () => {
  it("counts most first, ties by name, and leaves out what was counted 0", () => {
    expect(countBars({ Sprint: 2, "High jump": 5, Hurdles: 2, Relay: 0 })).toEqual([
      { key: "High jump", label: "High jump", count: 5 },
      { key: "Hurdles", label: "Hurdles", count: 2 },
      { key: "Sprint", label: "Sprint", count: 2 },
    ]);
    expect(countBars({})).toEqual([]);
  });

  it("says the counts in a sentence, naming the most only when one leads", () => {
    expect(countedSentence(countBars({ Sprint: 3, Relay: 1 }), "event")).toBe(
      "4 sessions over 2 events; the most: Sprint (3).",
    );
    expect(countedSentence(countBars({ Sprint: 1, Relay: 1 }), "event")).toBe("2 sessions over 2 events.");
    expect(countedSentence(countBars({ Sprint: 1 }), "event")).toBe("1 session over 1 event.");
  });

  it("names session types in words", () => {
    expect(typeBars(stats({ bySessionType: { Training: 3, Practice: 1 } })).map((b) => b.label)).toEqual([
      "Training",
      "Practice",
    ]);
  });

  it("keeps the three risk levels in their order", () => {
    const s = stats({ riskLevels: { HIGH: 1, LOW: 4, MODERATE: 0 } });
    expect(riskBars(s).map((b) => [b.label, b.count])).toEqual([
      ["Low", 4],
      ["Moderate", 0],
      ["High", 1],
    ]);
    expect(risksRecorded(s)).toBe(5);
    expect(riskSentence(s)).toBe("5 sessions with a risk level: 4 low, 0 moderate, 1 high.");
  });

  it("says plainly when no risk level was recorded, and counts the analyses that exist", () => {
    expect(riskSentence(stats({ completedAnalyses: 3 }))).toBe(
      "No risk levels were recorded: the analysis that ran does not estimate injury risk (3 completed analyses).",
    );
    expect(riskSentence(stats({ completedAnalyses: 1 }))).toContain("(1 completed analysis)");
    expect(riskSentence(stats())).toBe("No risk levels were recorded: no analysis has completed yet.");
  });

  it("says a trend in words, or nothing without one", () => {
    expect(trendWords(null)).toBeNull();
    expect(trendWords(4.4)).toBe("up 4");
    expect(trendWords(-2.6)).toBe("down 3");
    expect(trendWords(0.3)).toBe("no change");
  });
});
