// The coach's filters of /sessions (issue 26: "filter sessions by athlete, type, event, date"),
// kept in the URL (?type=&event=&from=&to=, beside ?athlete=) so a reload or a shared link keeps
// them. They filter the sessions the list read (its newest, "Show more" reads more), on the
// session's own day in the person's zone, as History does.
import type { SessionPublic, SessionType } from "../../api/types";
import { sessionTime } from "../../format";

export interface SessionFilter {
  type: SessionType | "";
  event: string;
  /** `YYYY-MM-DD` bounds on the session's day, inclusive; "" for none. */
  from: string;
  to: string;
}

export const FILTER_KEYS = ["type", "event", "from", "to"] as const;

/** The session types a coach plans (classes have their own screen and are not listed). */
export const LISTED_TYPES: SessionType[] = [
  "Training",
  "Competition",
  "Evaluation",
  "Analysis",
  "Practice",
  "Review",
  "Test",
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function filterFrom(params: URLSearchParams): SessionFilter {
  const type = params.get("type") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  return {
    type: LISTED_TYPES.includes(type as SessionType) ? (type as SessionType) : "",
    event: (params.get("event") ?? "").trim(),
    from: DAY.test(from) ? from : "",
    to: DAY.test(to) ? to : "",
  };
}

export const isFiltered = (filter: SessionFilter): boolean =>
  Boolean(filter.type || filter.event || filter.from || filter.to);

/** The session's calendar day in a zone (a bare date is that day everywhere), or null. */
export function dayIn(session: SessionPublic, timeZone?: string): string | null {
  const when = sessionTime(session);
  if (!when) return null;
  if (DAY.test(when)) return when;
  const instant = new Date(when);
  if (Number.isNaN(instant.getTime())) return null;
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

/** Whether a session passes the filter; events compare without case or surrounding spaces. */
export function matches(session: SessionPublic, filter: SessionFilter, timeZone?: string): boolean {
  if (filter.type && session.sessionType !== filter.type) return false;
  if (filter.event && (session.event ?? "").trim().toLowerCase() !== filter.event.toLowerCase()) return false;
  if (filter.from || filter.to) {
    const day = dayIn(session, timeZone);
    if (!day || (filter.from && day < filter.from) || (filter.to && day > filter.to)) return false;
  }
  return true;
}

/** The events of the sessions read, once each (the first spelling), in alphabetical order. */
export function eventsOf(sessions: readonly SessionPublic[]): string[] {
  const seen = new Map<string, string>();
  for (const session of sessions) {
    const event = session.event?.trim();
    if (event && !seen.has(event.toLowerCase())) seen.set(event.toLowerCase(), event);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}
