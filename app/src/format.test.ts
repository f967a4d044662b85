import { describe, expect, it } from "vitest";
import type { SessionPublic } from "./api/types";
import {
  formatDateTime,
  formatDuration,
  formatMetric,
  formatMinutes,
  formatPercent,
  formatStat,
  formatWhen,
  sessionMetrics,
  sessionState,
  sessionTime,
  sessionTitle,
} from "./format";

// Thursday 12 March 2026, 10:00 in Berlin (09:00 UTC).
const now = new Date("2026-03-12T09:00:00Z");
const berlin = { timeZone: "Europe/Berlin", locale: "en-GB", now };

describe("formatWhen", () => {
  it("says today, yesterday and tomorrow with the time in the person's zone", () => {
    expect(formatWhen("2026-03-12T13:30:00Z", berlin)).toBe("Today, 14:30");
    expect(formatWhen("2026-03-11T08:05:00Z", berlin)).toBe("Yesterday, 09:05");
    expect(formatWhen("2026-03-13T07:00:00Z", berlin)).toBe("Tomorrow, 08:00");
  });

  it("counts days in the person's zone, not UTC's", () => {
    // 23:30 UTC on the 11th is already the 12th in Berlin, still the 11th in New York.
    expect(formatWhen("2026-03-11T23:30:00Z", berlin)).toBe("Today, 00:30");
    const newYork = { timeZone: "America/New_York", locale: "en-GB", now };
    expect(formatWhen("2026-03-11T23:30:00Z", newYork)).toBe("Yesterday, 19:30");
  });

  it("names the weekday within a week, else the date, with the year only when it is another", () => {
    expect(formatWhen("2026-03-09T12:00:00Z", berlin)).toBe("Monday, 13:00");
    expect(formatWhen("2026-03-16T12:00:00Z", berlin)).toBe("Monday, 13:00");
    expect(formatWhen("2026-02-01T12:00:00Z", berlin)).toBe("1 Feb, 13:00");
    expect(formatWhen("2025-12-24T12:00:00Z", berlin)).toBe("24 Dec 2025, 13:00");
  });

  it("says a bare date without a time, as that calendar day in any zone", () => {
    expect(formatWhen("2026-03-12", berlin)).toBe("Today");
    // 09:00 UTC is still the 11th in Honolulu: the 12th is tomorrow there.
    expect(formatWhen("2026-03-12", { ...berlin, timeZone: "Pacific/Honolulu" })).toBe("Tomorrow");
    expect(formatWhen("2026-01-05", berlin)).toBe("5 Jan");
  });

  it("says nothing for nothing or nonsense", () => {
    expect(formatWhen(null, berlin)).toBe("");
    expect(formatWhen("not a date", berlin)).toBe("");
  });
});

describe("formatDateTime", () => {
  it("says the full date and time in the zone", () => {
    expect(formatDateTime("2026-03-12T13:30:00Z", berlin)).toBe("Thursday, 12 March 2026 at 14:30");
    expect(formatDateTime("2026-03-12", berlin)).toBe("Thursday, 12 March 2026");
  });
});

const session = (fields: Partial<SessionPublic>): SessionPublic => ({ sessionId: "s", ...fields });

describe("session words", () => {
  it("shows the state people care about", () => {
    expect(sessionState(session({ status: "scheduled" })).label).toBe("Scheduled");
    expect(sessionState(session({ status: "scheduled", analysisStatus: "processing" }))).toEqual({
      label: "Analysing",
      tone: "info",
    });
    expect(sessionState(session({ status: "completed", analysisStatus: "completed" })).label).toBe(
      "Analysed",
    );
    expect(sessionState(session({ analysisStatus: "failed" })).label).toBe("Analysis failed");
    expect(sessionState(session({ analysisStatus: "pending" })).label).toBe("Waiting for video");
    expect(sessionState(session({ status: "cancelled", analysisStatus: "completed" })).label).toBe(
      "Cancelled",
    );
    expect(sessionState(session({ status: "completed" })).label).toBe("Completed");
    expect(sessionState(session({ status: "active" })).label).toBe("In progress");
  });

  it("calls a session by its event, else its type in words", () => {
    expect(sessionTitle(session({ event: "100 m sprint", sessionType: "Training" }))).toBe("100 m sprint");
    expect(sessionTitle(session({ event: " ", sessionType: "Analysis" }))).toBe("Video analysis");
    expect(sessionTitle(session({}))).toBe("Session");
  });

  it("dates a session by when it ran, else was planned, else was made", () => {
    expect(sessionTime(session({ createdAt: "c", date: "d", scheduledStart: "s", actualStart: "a" }))).toBe(
      "a",
    );
    expect(sessionTime(session({ createdAt: "c", date: "d" }))).toBe("d");
    expect(sessionTime(session({ createdAt: "c" }))).toBe("c");
  });
});

describe("numbers with units", () => {
  it("rounds the analysis measurements and names them in words", () => {
    expect(formatMetric("motionEnergyMean", 40.7477, "en-GB")).toEqual({
      label: "Average change between frames",
      value: "40.7 of 255 levels",
    });
    expect(formatMetric("activeTimeFraction", 1, "en-GB")).toEqual({
      label: "Time with movement",
      value: "100 %",
    });
    expect(formatMetric("activeTimeFraction", 0.4166, "en-GB").value).toBe("42 %");
    expect(formatMetric("durationSeconds", 83.2, "en-GB")).toEqual({
      label: "Video length",
      value: "1 min 23 s",
    });
    expect(formatMetric("frameRate", 29.97, "en-GB").value).toBe("30 fps");
    expect(formatMetric("framesDecoded", 2490, "en-GB").value).toBe("2,490");
    expect(formatMetric("someNewScore", 1.23456, "en-GB")).toEqual({
      label: "Some new score",
      value: "1.23",
    });
  });

  it("orders a session's measurements, known ones first", () => {
    const keys = sessionMetrics(
      session({ metrics: { zeta: 1, activeTimeFraction: 0.5, durationSeconds: 10 }, motionIQ: 71.6 }),
      "en-GB",
    ).map((m) => `${m.label}: ${m.value}`);
    expect(keys).toEqual([
      "Video length: 10 s",
      "Time with movement: 50 %",
      "Motion IQ: 72 / 100",
      "Zeta: 1",
    ]);
  });

  it("says durations, minutes and percents as people do", () => {
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(180)).toBe("3 min");
    expect(formatDuration(3900)).toBe("1 h 05 min");
    expect(formatMinutes(0.1)).toBe("less than 1 min");
    expect(formatMinutes(0)).toBe("0 min");
    expect(formatMinutes(12.6)).toBe("13 min");
    expect(formatPercent(87.46)).toBe("87 %");
  });

  it("formats the statistics with their units", () => {
    expect(formatStat("mindfulMinutes", 0.1)).toEqual({ label: "Mindful minutes", value: "less than 1 min" });
    expect(formatStat("currentStreak", 1).value).toBe("1 day");
    expect(formatStat("currentStreak", 4).value).toBe("4 days");
    expect(formatStat("averageAccuracy", 91.25).value).toBe("91 %");
    expect(formatStat("averageScore", null).value).toBe("–");
  });
});
