// The audit trail in words (screens/privacy/Audit.tsx): an operation's name as people say it,
// who did it, which screen a document opens at, and a sensitive change as "field: before → after".
import { type DateOptions, formatWhen } from "../../format";

/** Operations whose words are not their name split into words. */
const OPERATIONS: Record<string, string> = {
  exportMyData: "Asked for a copy of their data",
  deleteMyAccount: "Asked to delete their account",
  deleteUserAccount: "Deleted an account",
  runAccountDeletion: "Account deletion (a step)",
  runDataExport: "Built a data export",
  count_session_change: "Statistics counted",
  recount_on_timezone_change: "Statistics counted again (new time zone)",
  register_upload: "Video received",
  analyzeSession: "Video analysed",
  remove_old_videos: "Old videos removed",
  grant_role: "Role granted (command line)",
};

/** "createSession" → "Create session", "count_session_change" → "Count session change". */
export function operationWords(operation: string): string {
  const known = OPERATIONS[operation];
  if (known) return known;
  const words = operation
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .trim()
    .toLowerCase();
  return words ? words[0]?.toUpperCase() + words.slice(1) : "Unnamed operation";
}

/** Who, when the entry's uid gives no name: the system, or an account that was deleted. */
export function actorFallback(uid: string | null): string | null {
  if (uid === null) return "System";
  if (uid.startsWith("deleted-")) return "A deleted account";
  return null;
}

const FIELDS: Record<string, string> = {
  completionCode: "Completion code",
  role: "Role",
  actualStart: "Started",
  actualEnd: "Ended",
  analysisStatus: "Analysis",
  motionIQ: "Motion IQ",
  aclRisk: "ACL risk",
  riskLevel: "Risk level",
  metrics: "Measurements",
  pose: "Pose",
  correctCount: "Correct answers",
  scorePercentage: "Score",
};

export const fieldWords = (field: string): string => FIELDS[field] ?? operationWords(field);

const TRANSFORMS: Record<string, string> = {
  Increment: "counted up",
  ArrayUnion: "added to",
  ArrayRemove: "removed from",
};
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const LONGEST = 60;

/** One value of a change, short: times in the zone, nothing as "none", objects summarised. */
export function valueWords(value: unknown, dates: DateOptions = {}): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "string") {
    // A Firestore transform, named by the trail, not applied: its amount is not recorded.
    if (TRANSFORMS[value]) return TRANSFORMS[value];
    if (INSTANT.test(value)) return formatWhen(value, dates);
    return value.length > LONGEST ? `${value.slice(0, LONGEST - 1)}…` : value;
  }
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  if (typeof value === "boolean") return value ? "yes" : "no";
  const text = JSON.stringify(value);
  return text.length > LONGEST ? `${text.slice(0, LONGEST - 1)}…` : text;
}

export interface Change {
  document: string;
  field: string;
  before?: unknown;
  after?: unknown;
}

/** A change as the API sends it (a loose record), or null when it is not one. */
export function asChange(raw: Record<string, unknown>): Change | null {
  if (typeof raw.document !== "string" || typeof raw.field !== "string") return null;
  return { document: raw.document, field: raw.field, before: raw.before, after: raw.after };
}

/** "Completion code: none → 4821" ("before" left out when the request had not read it). */
export function changeWords(change: Change, dates: DateOptions = {}): string {
  const after = valueWords(change.after, dates);
  const before =
    "before" in change && change.before !== undefined ? `${valueWords(change.before, dates)} → ` : "";
  return `${fieldWords(change.field)}: ${before}${after}`;
}

/** The app's page for a document: a session's (its notes, comments, … too), else none. */
export function documentLink(path: string): string | null {
  const [collection, id] = path.split("/");
  return collection === "sessions" && id ? `/sessions/${encodeURIComponent(id)}` : null;
}

/** A path split where its session's link ends: ["sessions/s1", "/notes/n1"], or [null, path]. */
export function sessionPart(path: string): [string | null, string] {
  const match = /^(sessions\/[^/]+)(.*)$/.exec(path);
  return match ? [match[1] ?? null, match[2] ?? ""] : [null, path];
}
