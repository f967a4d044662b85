// Date-times typed into a form, in the person's time zone (which need not be the browser's):
// a `datetime-local` value ("2026-03-12T09:30") to an instant and back, and the times the
// completion form starts with.
import type { SessionPublic } from "../../../api/types";

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** The wall-clock fields of an instant in a zone, read back as if they were UTC (ms). */
function wallClock(instant: number, timeZone: string | undefined): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** An instant as a `datetime-local` value in the zone ("" for none). */
export function toInputValue(value: string | Date | null | undefined, timeZone?: string): string {
  if (!value) return "";
  const instant = value instanceof Date ? value.getTime() : new Date(value).getTime();
  if (Number.isNaN(instant)) return "";
  return new Date(wallClock(instant, timeZone)).toISOString().slice(0, 16);
}

/**
 * A `datetime-local` value, read in the zone, as an RFC 3339 instant ("…Z"), or null when it is
 * not one. A time the clocks skip (spring forward) moves forward by the gap; one they pass twice
 * is the first.
 */
export function fromInputValue(value: string, timeZone?: string): string | null {
  const match = LOCAL.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute] = match.map(Number) as [number, ...number[]];
  const wall = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0);
  if (Number.isNaN(wall)) return null;
  // The zone's offsets a day either side (they differ around a change of the clocks).
  const offset = (at: number) => wallClock(at, timeZone) - at;
  const candidates = [wall - offset(wall - DAY), wall - offset(wall + DAY)];
  const exact = candidates.filter((at) => wallClock(at, timeZone) === wall).sort((a, b) => a - b);
  // None fits in the gap of a spring change: the offset before it moves the time past the gap.
  const instant = exact[0] ?? Math.max(...candidates);
  return new Date(instant).toISOString().replace(".000Z", "Z");
}

/**
 * The actual times the completion form offers: the scheduled ones once they have begun, else
 * (not yet begun, or never planned to the minute) the planned length ending now (an hour when
 * there is none), to the minute.
 */
export function completionDefaults(
  session: SessionPublic,
  { timeZone, now = new Date() }: { timeZone?: string | undefined; now?: Date } = {},
): { start: string; end: string } {
  const start = session.scheduledStart ? new Date(session.scheduledStart).getTime() : Number.NaN;
  const end = session.scheduledEnd ? new Date(session.scheduledEnd).getTime() : Number.NaN;
  const length = end > start ? end - start : 60 * MINUTE;
  if (start <= now.getTime()) {
    return {
      start: toInputValue(new Date(start), timeZone),
      end: toInputValue(new Date(start + length), timeZone),
    };
  }
  const until = Math.floor(now.getTime() / MINUTE) * MINUTE;
  return {
    start: toInputValue(new Date(until - length), timeZone),
    end: toInputValue(new Date(until), timeZone),
  };
}
