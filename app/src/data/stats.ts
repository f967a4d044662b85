// A person's statistics as stored for listeners (firestore.rules: the athlete, a linked coach,
// admin): `athleteStats/{uid}` changes whenever one of their sessions is counted (so a screen
// asks GET /api/sessions/stats again), and `athleteStats/{uid}/years/{yyyy}` holds that year's
// days, `{year, days: {"MM-DD": {sessions, completed}}}`, in the time zone the statistics use
// (DashboardStats.timezone): the per-day figures the API's answer does not carry.
import { type DocumentData, type DocumentReference, doc, type Firestore } from "firebase/firestore";

export function athleteStatsDoc(db: Firestore, uid: string): DocumentReference {
  return doc(db, "athleteStats", uid);
}

export function statsYearDoc(db: Firestore, uid: string, year: string): DocumentReference {
  return doc(db, "athleteStats", uid, "years", year);
}

/** A year's days: "MM-DD" → counts (sessions not cancelled; of them, completed). */
export type YearDays = Record<string, { sessions?: number; completed?: number }>;

/** A year document's days, whatever its shape (an absent or malformed one has none). */
export const yearDaysFrom = (_id: string, data: DocumentData): YearDays => {
  const days: unknown = data.days;
  return days !== null && typeof days === "object" ? (days as YearDays) : {};
};

export interface DayCount {
  /** YYYY-MM-DD */
  day: string;
  sessions: number;
  completed: number;
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function calendarDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

/** The `count` calendar days that end with `last` (YYYY-MM-DD), oldest first. */
export function daysEnding(last: string, count: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

/** Each day's counts, from the year documents (by year, "YYYY"); a day with none counts 0. */
export function perDay(days: string[], years: Record<string, YearDays | null | undefined>): DayCount[] {
  return days.map((day) => {
    const found = years[day.slice(0, 4)]?.[day.slice(5)];
    const count = (value: unknown) =>
      typeof value === "number" && Number.isFinite(value) ? Math.max(0, value) : 0;
    return { day, sessions: count(found?.sessions), completed: count(found?.completed) };
  });
}
