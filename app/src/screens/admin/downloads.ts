// The download log's filters (admins): first and last day, in the admin's zone, as the instants
// GET /api/attachments/downloads takes (`from` inclusive, `to` exclusive; a bare date there would
// be a UTC day).
import { fromInputValue } from "../sessions/records/times";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + 1);
  return at.toISOString().slice(0, 10);
}

/** The query for days `from`..`to` (inclusive, either may be ""), in the zone. */
export function downloadRange(from: string, to: string, timeZone?: string): { from?: string; to?: string } {
  const range: { from?: string; to?: string } = {};
  const start = DAY.test(from) ? fromInputValue(`${from}T00:00`, timeZone) : null;
  const end = DAY.test(to) ? fromInputValue(`${nextDay(to)}T00:00`, timeZone) : null;
  if (start) range.from = start;
  if (end) range.to = end;
  return range;
}
