// What faculty and staff (the admin role) list: every session of the project by status, and the
// profiles an admin may read. The rules let an admin run any query on `sessions` and `users`
// (docs/security-rules.md); each query below uses an index firestore.indexes.json already has
// (status + createdAt, archived + createdAt), and the screens order the rows by the session's own
// time, which not every session has in one field (scheduledStart, else date, else createdAt).
import {
  collection,
  type DocumentData,
  type Firestore,
  limit,
  orderBy,
  type Query,
  query,
  where,
} from "firebase/firestore";
import type { Role, SessionPublic, SessionStatus, SessionType } from "../api/types";
import { sessionTime } from "../format";

/** How many sessions a list reads at first; "Show more" reads this many more each time. */
export const PAGE = 100;

/** The project's sessions of one status (or any of some), most recently created first. */
export function sessionsByStatus(
  db: Firestore,
  status: SessionStatus | SessionStatus[],
  count = PAGE,
): Query {
  return query(
    collection(db, "sessions"),
    Array.isArray(status) ? where("status", "in", status) : where("status", "==", status),
    orderBy("createdAt", "desc"),
    limit(count),
  );
}

/** Every session of the project that is not archived, most recently created first. */
export function allSessions(db: Firestore, count = PAGE): Query {
  return query(
    collection(db, "sessions"),
    where("archived", "==", false),
    orderBy("createdAt", "desc"),
    limit(count),
  );
}

function timeOf(session: SessionPublic): number {
  const when = sessionTime(session);
  if (!when) return Number.NaN;
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(when) ? `${when}T12:00:00Z` : when).getTime();
}

/** Soonest first; a session with no time at all goes last. */
export function soonestFirst(sessions: readonly SessionPublic[]): SessionPublic[] {
  return [...sessions].sort((a, b) => order(timeOf(a), timeOf(b)));
}

/** Latest first (by the actual start when there is one); a session with no time goes last. */
export function latestFirst(sessions: readonly SessionPublic[]): SessionPublic[] {
  return [...sessions].sort((a, b) => order(-timeOf(a), -timeOf(b)));
}

function order(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

// The zone furthest ahead of UTC: a calendar day has ended everywhere 14 h after it ends in UTC.
const LATEST_ZONE = 14 * 3_600_000;

/** A scheduled session whose time has gone by without being completed or cancelled. */
export function isOverdue(session: SessionPublic, now: Date = new Date()): boolean {
  if (session.status !== "scheduled") return false;
  const end = session.scheduledEnd ?? session.scheduledStart;
  if (end) return new Date(end).getTime() < now.getTime();
  // A bare date is a calendar day: gone by once that day has ended everywhere (UTC+14).
  if (session.date) return new Date(`${session.date}T23:59:59Z`).getTime() + LATEST_ZONE < now.getTime();
  return false;
}

// ---- History --------------------------------------------------------------------------------------

export type HistoryStatus = "all" | "completed" | "cancelled" | "missed";

export interface HistoryFilter {
  status: HistoryStatus;
  type: SessionType | "all";
  /** `YYYY-MM-DD` bounds on the session's day, inclusive; "" for none. */
  from: string;
  to: string;
}

export const NO_FILTER: HistoryFilter = { status: "all", type: "all", from: "", to: "" };

/** The statuses the History query reads for a filter ("missed": scheduled, its time gone by). */
export function historyStatuses(status: HistoryStatus): SessionStatus[] {
  switch (status) {
    case "completed":
      return ["completed"];
    case "cancelled":
      return ["cancelled"];
    case "missed":
      return ["scheduled"];
    default:
      return ["completed", "cancelled", "scheduled"];
  }
}

/**
 * History: what is past — completed and cancelled sessions, and scheduled ones whose time has
 * gone by without a completion ("missed") — filtered, latest first. Archived ones stay out.
 */
export function historyRows(
  sessions: readonly SessionPublic[],
  filter: HistoryFilter,
  { timeZone, now = new Date() }: { timeZone?: string | undefined; now?: Date } = {},
): SessionPublic[] {
  const wanted = new Set(historyStatuses(filter.status));
  return latestFirst(
    sessions.filter((session) => {
      if (session.archived === true || !session.status || !wanted.has(session.status)) return false;
      if (session.status === "scheduled" && !isOverdue(session, now)) return false;
      if (filter.type !== "all" && session.sessionType !== filter.type) return false;
      if (filter.from || filter.to) {
        const day = dayOf(session, timeZone);
        if (!day || (filter.from && day < filter.from) || (filter.to && day > filter.to)) return false;
      }
      return true;
    }),
  );
}

/** The session's calendar day (`YYYY-MM-DD`) in a zone: a bare date is that day everywhere. */
export function dayOf(session: SessionPublic, timeZone?: string): string | null {
  const when = sessionTime(session);
  if (!when) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(when)) return when;
  const instant = new Date(when);
  if (Number.isNaN(instant.getTime())) return null;
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

// ---- users ----------------------------------------------------------------------------------------

/** A profile as an admin reads it (`users/{uid}`): written by role changes (services/users.py). */
export interface UserProfile {
  uid: string;
  email?: string | null;
  displayName?: string | null;
  /** null or absent: no role, an athlete. */
  role?: Role | null;
  disabled?: boolean | null;
  roleChangedAt?: string | null;
}

export const profileFrom = (id: string, data: DocumentData): UserProfile => ({ ...data, uid: id });

/** The profiles admins may list, by e-mail. */
export function profiles(db: Firestore, count = 200): Query {
  return query(collection(db, "users"), orderBy("email"), limit(count));
}
