// The period a report covers: two calendar days (both included) in the person's time zone, as
// GET /api/reports/* take them (`from`, `to`: YYYY-MM-DD, at most 400 days apart).

export interface Period {
  from: string;
  to: string;
}

/** The longest period a report takes (the API refuses more, naming `from` and `to`). */
export const MAX_DAYS = 400;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date (YYYY-MM-DD) in the zone. */
export function today(now: Date, timeZone?: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

/** `day` moved by whole months, kept in the month (31 May less 3 months is 28 or 29 February). */
export function addMonths(day: string, months: number): string {
  const [year = 0, month = 1, date = 1] = day.split("-").map(Number);
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(date, last));
  return first.toISOString().slice(0, 10);
}

/** The default period: the last three months up to today, in the person's zone. */
export function defaultPeriod(now = new Date(), timeZone?: string, months = 3): Period {
  const to = today(now, timeZone);
  return { from: addMonths(to, -months), to };
}

/** Days from `from` to `to`, both included. */
export function daysIn({ from, to }: Period): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** What is wrong with a period, by field (empty when it can be asked for). */
export function periodErrors(period: Period): Partial<Record<keyof Period, string>> {
  const errors: Partial<Record<keyof Period, string>> = {};
  if (!DAY.test(period.from)) errors.from = "Choose the first day.";
  if (!DAY.test(period.to)) errors.to = "Choose the last day.";
  if (errors.from || errors.to) return errors;
  const days = daysIn(period);
  if (days < 1) errors.to = "The last day comes on or after the first.";
  else if (days > MAX_DAYS) errors.to = `Choose at most ${MAX_DAYS} days: this period has ${days}.`;
  return errors;
}
