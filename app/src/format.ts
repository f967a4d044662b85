// How the app says dates, states and numbers to people: dates and times in the person's time zone,
// relative where natural ("today, 14:30"); the status words people use ("Scheduled", "Analysed");
// measurements rounded, with units. Every screen formats through here.
import type {
  AnalysisStatus,
  AttendanceStatus,
  FinalStatistics,
  GroupKind,
  InvitationStatus,
  NoteType,
  RiskLevel,
  Role,
  SessionPublic,
  SessionStatus,
  SessionType,
} from "./api/types";

export interface DateOptions {
  /** IANA zone; the browser's when absent. */
  timeZone?: string | undefined;
  /** BCP 47 locale for dates and numbers; the browser's when absent. */
  locale?: string | undefined;
  /** "Now", for tests. */
  now?: Date | undefined;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar day of an instant in a zone, as a day number (days since 1970-01-01). */
function dayNumber(instant: Date, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  })
    .formatToParts(instant)
    .reduce<Record<string, string>>((all, part) => Object.assign(all, { [part.type]: part.value }), {});
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / DAY_MS;
}

function time(instant: Date, options: DateOptions): string {
  return new Intl.DateTimeFormat(options.locale, { timeZone: options.timeZone, timeStyle: "short" }).format(
    instant,
  );
}

/**
 * When something happens or happened, as a person says it: "today, 14:30", "yesterday, 09:05",
 * "tomorrow, 08:00", the weekday within a week ("Monday, 14:30"), else the date ("12 Mar, 14:30";
 * "12 Mar 2025, 14:30" in another year). A bare date (`YYYY-MM-DD`) is said without a time.
 */
export function formatWhen(value: string | null | undefined, options: DateOptions = {}): string {
  if (!value) return "";
  const dateOnly = DATE_ONLY.test(value);
  // A bare date is a calendar day, not an instant: read it at noon UTC in UTC.
  const instant = new Date(dateOnly ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(instant.getTime())) return "";
  const zone = dateOnly ? "UTC" : options.timeZone;
  const now = options.now ?? new Date();
  const days = dayNumber(instant, zone) - dayNumber(now, options.timeZone);
  let day: string;
  if (days === 0) day = "today";
  else if (days === -1) day = "yesterday";
  else if (days === 1) day = "tomorrow";
  else if (Math.abs(days) < 7) {
    day = new Intl.DateTimeFormat(options.locale, { timeZone: zone, weekday: "long" }).format(instant);
  } else {
    const sameYear =
      new Intl.DateTimeFormat("en", { timeZone: zone, year: "numeric" }).format(instant) ===
      new Intl.DateTimeFormat("en", { timeZone: options.timeZone, year: "numeric" }).format(now);
    day = new Intl.DateTimeFormat(options.locale, {
      timeZone: zone,
      day: "numeric",
      month: "short",
      year: sameYear ? undefined : "numeric",
    }).format(instant);
  }
  return dateOnly ? capitalise(day) : `${capitalise(day)}, ${time(instant, options)}`;
}

/** A full date and time, for a detail page: "Thursday, 12 March 2026 at 14:30" (en-GB). */
export function formatDateTime(value: string | null | undefined, options: DateOptions = {}): string {
  if (!value) return "";
  const dateOnly = DATE_ONLY.test(value);
  const instant = new Date(dateOnly ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(instant.getTime())) return "";
  return new Intl.DateTimeFormat(options.locale, {
    timeZone: dateOnly ? "UTC" : options.timeZone,
    dateStyle: "full",
    ...(dateOnly ? {} : { timeStyle: "short" }),
  }).format(instant);
}

/** When a session happens: its actual start, else its scheduled start, else its day, else its creation. */
export function sessionTime(session: SessionPublic): string | null {
  return session.actualStart ?? session.scheduledStart ?? session.date ?? session.createdAt ?? null;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---- words ---------------------------------------------------------------------------------------

const STATUS: Record<SessionStatus, string> = {
  scheduled: "Scheduled",
  active: "In progress",
  completed: "Completed",
  cancelled: "Cancelled",
};

const ANALYSIS: Record<AnalysisStatus, string> = {
  pending: "Waiting for video",
  processing: "Analysing",
  completed: "Analysed",
  failed: "Analysis failed",
};

const SESSION_TYPE: Record<SessionType, string> = {
  Training: "Training",
  Competition: "Competition",
  Evaluation: "Evaluation",
  Analysis: "Video analysis",
  Practice: "Practice",
  Review: "Review",
  Test: "Test",
  Class: "Class",
};

const RISK: Record<RiskLevel, string> = { LOW: "Low", MODERATE: "Moderate", HIGH: "High" };

export const statusWord = (status: SessionStatus | null | undefined): string =>
  status ? STATUS[status] : "";
export const analysisWord = (status: AnalysisStatus | null | undefined): string =>
  status ? ANALYSIS[status] : "";
export const sessionTypeWord = (type: SessionType | null | undefined): string =>
  type ? SESSION_TYPE[type] : "";
export const riskWord = (level: RiskLevel | null | undefined): string => (level ? RISK[level] : "");

export type Tone = "neutral" | "info" | "success" | "warning" | "danger";

/**
 * The one state a list shows for a session: a cancellation first, then the analysis while it is
 * the news (running, done, failed), then the session's own status.
 */
export function sessionState(session: SessionPublic): { label: string; tone: Tone } {
  if (session.status === "cancelled") return { label: STATUS.cancelled, tone: "neutral" };
  switch (session.analysisStatus) {
    case "processing":
      return { label: ANALYSIS.processing, tone: "info" };
    case "completed":
      return { label: ANALYSIS.completed, tone: "success" };
    case "failed":
      return { label: ANALYSIS.failed, tone: "danger" };
    case "pending":
      return { label: ANALYSIS.pending, tone: "warning" };
    default:
      break;
  }
  if (session.status === "active") return { label: STATUS.active, tone: "info" };
  if (session.status === "completed") return { label: STATUS.completed, tone: "success" };
  return { label: STATUS.scheduled, tone: "neutral" };
}

/** What a session is called: its event, else its type in words. */
export function sessionTitle(session: SessionPublic): string {
  return session.event?.trim() || sessionTypeWord(session.sessionType) || "Session";
}

// ---- numbers -------------------------------------------------------------------------------------

function number(value: number, digits: number, locale?: string): string {
  return formatNumber(value, digits, { locale });
}

/**
 * A number in the person's locale (the browser's when absent), rounded to `digits` decimals, always
 * that many when `fixed` ("2.0"); a value that rounds to zero is "0", never "-0".
 */
export function formatNumber(
  value: number,
  digits = 0,
  { fixed = false, locale }: { fixed?: boolean; locale?: string | undefined } = {},
): string {
  return new Intl.NumberFormat(locale, {
    maximumFractionDigits: digits,
    minimumFractionDigits: fixed ? digits : 0,
    signDisplay: "negative",
  }).format(value);
}

/** A share as a percent: `fraction` 0–1 ("activeTimeFraction") or a value already 0–100. */
export function formatPercent(
  value: number,
  { fraction = false, locale }: { fraction?: boolean; locale?: string } = {},
) {
  return `${number(fraction ? value * 100 : value, 0, locale)} %`;
}

/** Seconds as people say a length of time: "45 s", "3 min 20 s", "1 h 05 min". */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, "0")} min`;
  const rest = total % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

/** Minutes rounded to whole minutes; a little under one is "less than 1 min", none is "0 min". */
export function formatMinutes(minutes: number, locale?: string): string {
  if (minutes > 0 && minutes < 0.5) return "less than 1 min";
  return `${number(Math.round(minutes), 0, locale)} min`;
}

interface MetricSpec {
  label: string;
  format: (value: number, locale?: string) => string;
}

// The analysis measurements (docs/api.md, "Uploads and analysis") and the analysis backend's.
// The built-in analyzer's motion energy is how much the picture changes from one frame to the
// next: the mean difference in brightness, in levels 0–255 (functions/sessionbase/analyzer.py);
// a frame interval above 0.5 levels counts as movement.
const levels = (v: number, l?: string) => `${number(v, 1, l)} of 255 levels`;
const METRICS: Record<string, MetricSpec> = {
  durationSeconds: { label: "Video length", format: (v) => formatDuration(v) },
  frameRate: { label: "Frame rate", format: (v, l) => `${number(v, 1, l)} fps` },
  width: { label: "Frame width", format: (v, l) => `${number(v, 0, l)} px` },
  height: { label: "Frame height", format: (v, l) => `${number(v, 0, l)} px` },
  framesDecoded: { label: "Frames analysed", format: (v, l) => number(v, 0, l) },
  motionEnergyMean: { label: "Average change between frames", format: levels },
  motionEnergyPeak: { label: "Largest change between frames", format: levels },
  activeTimeFraction: {
    label: "Time with movement",
    format: (v, l) => formatPercent(v, { fraction: true, locale: l }),
  },
  motionIQ: { label: "Motion IQ", format: (v, l) => `${number(v, 0, l)} / 100` },
  aclRisk: { label: "ACL risk", format: (v, l) => `${number(v, 0, l)} / 100` },
};

/** "motionEnergyMean" → "Motion energy mean": a name for a measurement the app does not know. */
function words(key: string): string {
  return capitalise(
    key
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .replace(/[_-]+/g, " ")
      .toLowerCase(),
  );
}

/** One measurement as a label and a rounded value with its unit. */
export function formatMetric(key: string, value: unknown, locale?: string): { label: string; value: string } {
  const spec = METRICS[key];
  if (typeof value === "number") {
    return spec
      ? { label: spec.label, value: spec.format(value, locale) }
      : { label: words(key), value: number(value, 2, locale) };
  }
  if (typeof value === "boolean") return { label: spec?.label ?? words(key), value: value ? "Yes" : "No" };
  return {
    label: spec?.label ?? words(key),
    value: value === null || value === undefined ? "–" : String(value),
  };
}

/** A session's measurements in a stable, meaningful order: the known ones first, as listed above. */
export function sessionMetrics(
  session: SessionPublic,
  locale?: string,
): { key: string; label: string; value: string }[] {
  const all: Record<string, unknown> = { ...session.metrics };
  if (typeof session.motionIQ === "number") all.motionIQ = session.motionIQ;
  if (typeof session.aclRisk === "number") all.aclRisk = session.aclRisk;
  const order = Object.keys(METRICS);
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return Object.keys(all)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((key) => ({ key, ...formatMetric(key, all[key], locale) }));
}

const days = (v: number, l?: string) => `${number(v, 0, l)} ${Math.round(v) === 1 ? "day" : "days"}`;
const count = (v: number, l?: string) => number(v, 0, l);

// The statistics of GET /api/sessions/stats (DashboardStats): percents are already 0–100 there.
const STATS: Record<string, MetricSpec> = {
  totalSessions: { label: "Sessions", format: count },
  completedSessions: { label: "Sessions completed", format: count },
  cancelledSessions: { label: "Cancelled", format: count },
  completedAnalyses: { label: "Analyses completed", format: count },
  completionRate: { label: "Completion rate", format: (v, l) => formatPercent(v, { locale: l }) },
  sessionsThisWeek: { label: "Sessions this week", format: count },
  currentStreak: { label: "Current streak", format: days },
  longestStreak: { label: "Longest streak", format: days },
  mindfulMinutes: { label: "Mindful minutes", format: (v, l) => formatMinutes(v, l) },
  averageScore: { label: "Average score", format: (v, l) => formatPercent(v, { locale: l }) },
  averageAccuracy: { label: "Average accuracy", format: (v, l) => formatPercent(v, { locale: l }) },
  averageMotionIQ: { label: "Average motion IQ", format: (v, l) => `${number(v, 0, l)} / 100` },
  averageAclRisk: { label: "Average ACL risk", format: (v, l) => `${number(v, 0, l)} / 100` },
  totalDurationSeconds: { label: "Time trained", format: (v) => formatDuration(v) },
  athleteCount: { label: "Athletes", format: count },
};

/** One statistic as a label and its value in words and units ("–" when there is none yet). */
export function formatStat(key: string, value: number | null | undefined, locale?: string) {
  const spec = STATS[key];
  const label = spec?.label ?? words(key);
  if (value === null || value === undefined) return { label, value: "–" };
  return { label, value: spec ? spec.format(value, locale) : number(value, 1, locale) };
}

// ---- classes and teams ---------------------------------------------------------------------------

const ATTENDANCE: Record<AttendanceStatus, { label: string; tone: Tone }> = {
  present: { label: "Present", tone: "success" },
  late: { label: "Late", tone: "warning" },
  excused: { label: "Excused", tone: "neutral" },
  absent: { label: "Absent", tone: "danger" },
};

/** How a member attended a class; no record yet is "Not checked in" while it runs. */
export function attendanceState(status: AttendanceStatus | null | undefined): { label: string; tone: Tone } {
  return status ? ATTENDANCE[status] : { label: "Not checked in", tone: "neutral" };
}

/** A group's kind as people say it. */
export const groupKindWord = (kind: GroupKind | null | undefined): string =>
  kind === "team" ? "Team" : kind === "course" ? "Course" : "";

/** "1 member", "12 members": a count with its noun (the plural by adding "s" unless given). */
export function formatCount(value: number, noun: string, plural = `${noun}s`, locale?: string): string {
  return `${number(value, 0, locale)} ${value === 1 ? noun : plural}`;
}

/** A class's frozen attendance: "2 present, 1 absent" (the absent part only when some were). */
export function attendanceSummary(final: FinalStatistics, locale?: string): string {
  const present = `${number(final.present, 0, locale)} present`;
  return final.absent ? `${present}, ${number(final.absent, 0, locale)} absent` : present;
}

// ---- records of a session and people (faculty and admin screens) ---------------------------------

const NOTE_TYPE: Record<NoteType, string> = {
  general: "General",
  "follow-up": "Follow-up",
  issue: "Issue",
  achievement: "Achievement",
};

export const NOTE_TYPES = Object.keys(NOTE_TYPE) as NoteType[];
export const noteTypeWord = (type: NoteType | null | undefined): string => NOTE_TYPE[type ?? "general"];

const ROLE: Record<Role, string> = { athlete: "Athlete", coach: "Coach", admin: "Admin" };
export const ROLES = Object.keys(ROLE) as Role[];
/** A role in words; none is an athlete (DESIGN §2). */
export const roleWord = (role: Role | null | undefined): string => ROLE[role ?? "athlete"];

/** A file's size as people read it: "820 bytes", "14 KB", "3.4 MB" (1 MB = 1024 KB, as the API's 100 MB). */
export function formatFileSize(bytes: number, locale?: string): string {
  if (bytes < 1024) return `${number(bytes, 0, locale)} bytes`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${number(value, value < 10 ? 1 : 0, locale)} ${units[unit]}`;
}

/** A moment of today as its time ("14:30"); of another day as formatWhen says it. */
export function formatClock(value: string | null | undefined, options: DateOptions = {}): string {
  if (!value || DATE_ONLY.test(value)) return formatWhen(value, options);
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return "";
  const today =
    dayNumber(instant, options.timeZone) === dayNumber(options.now ?? new Date(), options.timeZone);
  return today ? time(instant, options) : formatWhen(value, options);
}

// ---- a coach's invitations ------------------------------------------------------------------------

const INVITATION: Record<InvitationStatus, { label: string; tone: Tone }> = {
  pending: { label: "Waiting for an answer", tone: "warning" },
  accepted: { label: "Accepted", tone: "success" },
  declined: { label: "Declined", tone: "neutral" },
  revoked: { label: "Withdrawn", tone: "neutral" },
  ended: { label: "Link ended", tone: "neutral" },
  expired: { label: "Expired", tone: "neutral" },
};

/** An invitation's state in words ("Waiting for an answer", "Accepted", "Withdrawn", ...). */
export function invitationState(status: InvitationStatus): { label: string; tone: Tone } {
  return INVITATION[status] ?? { label: capitalise(status), tone: "neutral" };
}

/** formatWhen inside a sentence ("Sent yesterday, 14:30"): the relative words in lower case, names kept. */
export function formatWhenInSentence(value: string | null | undefined, options: DateOptions = {}): string {
  return formatWhen(value, options).replace(/^(Today|Yesterday|Tomorrow)\b/, (word) => word.toLowerCase());
}
