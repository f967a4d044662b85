// The figures of the coach's statistics screen, from GET /api/sessions/stats (DashboardStats) and
// nothing else: bars are the API's counts, and what it did not record is said, not drawn.
import type { DashboardStats, SessionType } from "../../api/types";
import { formatCount, riskWord, sessionTypeWord } from "../../format";

export interface Bar {
  key: string;
  label: string;
  count: number;
}

/** A count per name as bars, most first (ties by name); names counted 0 are left out. */
export function countBars(counts: Record<string, number>, label: (key: string) => string = (k) => k): Bar[] {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([key, count]) => ({ key, label: label(key), count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

export const typeBars = (stats: DashboardStats): Bar[] =>
  countBars(stats.bySessionType, (key) => sessionTypeWord(key as SessionType) || key);

/** "5 sessions over 3 events; the most: Sprint (3)." — "the most" only when one leads. */
export function countedSentence(bars: Bar[], noun: string): string {
  const total = bars.reduce((sum, bar) => sum + bar.count, 0);
  const [top, second] = bars;
  const lead = top && bars.length > 1 && (!second || top.count > second.count);
  return `${formatCount(total, "session")} over ${formatCount(bars.length, noun)}${
    lead ? `; the most: ${top.label} (${top.count})` : ""
  }.`;
}

const RISK_ORDER = ["LOW", "MODERATE", "HIGH"] as const;

/** The risk levels in their order (zeros kept, so the three always show once any is recorded). */
export function riskBars(stats: DashboardStats): Bar[] {
  return RISK_ORDER.map((level) => ({
    key: level,
    label: riskWord(level),
    count: stats.riskLevels[level] ?? 0,
  }));
}

/** The sessions with a risk level recorded. */
export const risksRecorded = (stats: DashboardStats): number =>
  Object.values(stats.riskLevels).reduce((sum, n) => sum + n, 0);

/** The risk distribution in one sentence; with none recorded, says so and counts what exists. */
export function riskSentence(stats: DashboardStats): string {
  const recorded = risksRecorded(stats);
  const analyses = formatCount(stats.completedAnalyses, "completed analysis", "completed analyses");
  if (recorded === 0) {
    return stats.completedAnalyses > 0
      ? `No risk levels were recorded: the analysis that ran does not estimate injury risk (${analyses}).`
      : "No risk levels were recorded: no analysis has completed yet.";
  }
  const parts = riskBars(stats).map((bar) => `${bar.count} ${bar.label.toLowerCase()}`);
  return `${formatCount(recorded, "session")} with a risk level: ${parts.join(", ")}.`;
}

/** "+4" / "−3" / "0": a trend as a signed whole number, or null when there is none yet. */
export function trendWords(value: number | null): string | null {
  if (value === null) return null;
  const rounded = Math.round(value);
  if (rounded === 0) return "no change";
  return rounded > 0 ? `up ${rounded}` : `down ${-rounded}`;
}
