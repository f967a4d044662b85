// The API's models the app uses, written by hand after docs/api.md ("Models"), with the same names.
// Dates and date-times are the API's strings (`YYYY-MM-DD`, RFC 3339); Firestore listeners give
// the same shapes (data/firestore.ts turns Timestamps into the same strings).
// When GET /api/openapi.json exists (DESIGN §7), these are to be generated from it instead.

export type ErrorCode =
  | "invalid-argument"
  | "unauthenticated"
  | "permission-denied"
  | "not-found"
  | "already-exists"
  | "failed-precondition"
  | "aborted"
  | "resource-exhausted"
  | "internal";

export interface FieldError {
  field: string;
  message: string;
}

/** Every error: `{detail, code}`, plus `errors` naming each bad field when input is at fault. */
export interface ErrorBody {
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
}

export type Role = "athlete" | "coach" | "admin";

export type SessionType =
  | "Training"
  | "Competition"
  | "Evaluation"
  | "Analysis"
  | "Practice"
  | "Review"
  | "Test"
  | "Class";

export type SessionStatus = "scheduled" | "active" | "completed" | "cancelled";
export type AnalysisStatus = "pending" | "processing" | "completed" | "failed";
export type RiskLevel = "LOW" | "MODERATE" | "HIGH";

export interface FinalStatistics {
  present: number;
  absent: number;
  total: number;
}

/** A session as a client reads it (GET /api/sessions, and the `sessions/{id}` document). */
export interface SessionPublic {
  sessionId: string;
  athleteId?: string | null;
  athleteEmail?: string | null;
  athleteName?: string | null;
  coachId?: string | null;
  coachEmail?: string | null;
  coachName?: string | null;
  groupId?: string | null;
  createdBy?: string | null;
  sessionType?: SessionType | null;
  event?: string | null;
  notes?: string | null;
  status?: SessionStatus | null;
  date?: string | null;
  scheduledStart?: string | null;
  scheduledEnd?: string | null;
  actualStart?: string | null;
  actualEnd?: string | null;
  durationSeconds?: number | null;
  completionCode?: string | null;
  cancelReason?: string | null;
  videoName?: string | null;
  originalVideoName?: string | null;
  fileSize?: number | null;
  analysisStatus?: AnalysisStatus | null;
  analysisProgress?: number | null;
  analysisError?: string | null;
  analysisAttempts?: number | null;
  motionIQ?: number | null;
  aclRisk?: number | null;
  riskLevel?: RiskLevel | null;
  metrics?: Record<string, number | string | boolean | null> | null;
  /** The body angles the built-in analyzer measured from the video's keypoints (issue 23). */
  pose?: PoseBlock | null;
  /** Where the per-frame series is stored: `analysis/{sid}/{job}/pose.json`. */
  poseFile?: string | null;
  /** Where the session's video is stored; absent without one. */
  videoPath?: string | null;
  /** The current analysis job: comments made on another one are on an earlier video. */
  analysisJobId?: string | null;
  itemCount?: number | null;
  correctCount?: number | null;
  scorePercentage?: number | null;
  avgAccuracy?: number | null;
  presentCount?: number | null;
  finalStatistics?: FinalStatistics | null;
  archived?: boolean | null;
  createdAt?: string | null;
  updatedAt?: string | null;
}

/** One measure of a session's pose block: all null (and `samples` 0) when never measured. */
export interface PoseMeasureSummary {
  /** degrees; for trunk lean the value furthest from upright, signed; for knee FPPA the largest (valgus +) */
  peak: number | null;
  /** seconds into the video of the (first) peak */
  peakTime: number | null;
  /** degrees, max − min over the frames measured */
  rangeOfMotion: number | null;
  /** frames in which it was measured */
  samples: number;
}

export type PoseView = "frontal" | "side" | "unknown";

export type PoseMeasureName =
  | "leftKneeFlexion"
  | "rightKneeFlexion"
  | "leftHipFlexion"
  | "rightHipFlexion"
  | "leftElbowFlexion"
  | "rightElbowFlexion"
  | "leftShoulderAbduction"
  | "rightShoulderAbduction"
  | "leftKneeFppa"
  | "rightKneeFppa"
  | "trunkLean";

export type PoseAsymmetryName =
  | "kneeFlexion"
  | "hipFlexion"
  | "elbowFlexion"
  | "shoulderAbduction"
  | "kneeFppa";

/** A session's `pose` block (docs/decisions.md, "Pose measurements"): the clip's body angles in 2-D. */
export interface PoseBlock {
  model?: string | null;
  /** frames sampled a second, at most */
  sampleRate?: number | null;
  /** false when the time for pose ran out before the clip's end */
  complete?: boolean | null;
  /** seconds: the time of the last frame measured */
  measuredSeconds?: number | null;
  frames: number;
  /** frames with a person ÷ frames (null with no frames) */
  personFraction: number | null;
  view: PoseView;
  views?: Partial<Record<PoseView, number>>;
  measures: Partial<Record<PoseMeasureName, PoseMeasureSummary>>;
  /** |left peak − right peak| in degrees, null unless both sides were measured */
  asymmetry?: Partial<Record<PoseAsymmetryName, number | null>>;
}

/** GET /api/sessions */
export interface SessionPage {
  sessions: SessionPublic[];
  nextCursor: string | null;
}

/** POST /api/sessions */
export interface SessionCreated {
  sessionId: string;
}

// ---- groups and live classes (docs/api.md, "Models": GroupPublic ... LiveSessionEnded) ----------

export type GroupKind = "course" | "team";
export type MemberRole = "owner" | "member";
export type AttendanceStatus = "present" | "late" | "excused" | "absent";

/** One entry of a group's `activeSessions`: a class running now. */
export interface ActiveSession {
  sessionId: string;
  teacherId: string;
  studentCount: number;
  startedAt: string;
}

/** A group as its owner and members read it (GET /api/groups, and the `groups/{id}` document). */
export interface GroupPublic {
  groupId: string;
  name: string;
  kind: GroupKind;
  ownerId: string;
  ownerName?: string | null;
  allowConcurrent?: boolean;
  lateAfterMinutes?: number;
  maxDurationMinutes?: number;
  memberCount?: number;
  activeSessions?: ActiveSession[];
  createdAt: string;
  updatedAt: string;
}

/** GET /api/groups */
export interface GroupList {
  groups: GroupPublic[];
}

/** POST /api/groups */
export interface GroupCreated {
  groupId: string;
}

/** A member as the group's owner reads it (`groups/{id}/members/{uid}`). */
export interface MemberPublic {
  uid: string;
  role: MemberRole;
  email?: string | null;
  displayName?: string | null;
  joinedAt: string;
}

/** POST /api/groups/{groupId}/members: an invitation, the same whether or not the account exists. */
export interface MemberInvited {
  invitationId: string;
  groupId: string;
  email?: string | null;
  userId?: string | null;
  status: "pending";
  expiresAt: string;
}

/** DELETE /api/groups/{groupId}/members/{userId} */
export interface MemberRemoved {
  groupId: string;
  userId: string;
  removed: boolean;
}

/** POST /api/groups/{groupId}/sessions */
export interface LiveSessionStarted {
  sessionId: string;
  startedAt: string;
}

/** POST /api/sessions/{sessionId}/check-in */
export interface CheckedIn {
  sessionId: string;
  status: "present" | "late";
  at: string;
}

/** POST /api/sessions/{sessionId}/end */
export interface LiveSessionEnded {
  sessionId: string;
  endedAt: string;
  finalStatistics: FinalStatistics;
}

/** `sessions/{id}/attendance/{uid}` (a listener; the id is the member's uid). */
export interface AttendanceRecord {
  uid: string;
  status: AttendanceStatus;
  at: string;
}

// ---- invitations (docs/api.md, "Models": InvitationPublic ... InvitationAccepted) -------------

export type InvitationKind = "coach" | "group";
export type InvitationStatus = "pending" | "accepted" | "declined" | "revoked" | "ended" | "expired";

/** An invitation as a client reads it (GET /api/invitations); a lapsed pending one is `expired`. */
export interface InvitationPublic {
  invitationId: string;
  kind?: InvitationKind;
  status: InvitationStatus;
  coachId: string;
  coachEmail?: string | null;
  coachName?: string | null;
  athleteEmail?: string | null;
  inviteeId?: string | null;
  groupId?: string | null;
  groupName?: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt?: string | null;
  declinedAt?: string | null;
  resentAt?: string | null;
  revokedAt?: string | null;
  endedAt?: string | null;
  athleteId?: string | null;
}

/** GET /api/invitations */
export interface InvitationList {
  invitations: InvitationPublic[];
}

/** POST /api/invitations/{invitationId}/accept */
export interface InvitationAccepted {
  invitationId: string;
  status: "accepted";
  kind?: InvitationKind;
  groupId?: string | null;
  coachId: string;
  athleteId: string;
  linkedSessions: number;
}

/** One session in a window of GET /api/occurrences: of a schedule (made or not yet), or a one-off. */
export interface Occurrence {
  sessionId: string;
  scheduleId?: string | null;
  title: string;
  start: string;
  end: string;
  timezone?: string | null;
  status: string;
  athleteId?: string | null;
  groupId?: string | null;
  coachId?: string | null;
}

/** GET /api/occurrences */
export interface OccurrenceList {
  occurrences: Occurrence[];
  truncated?: boolean;
}

/** Mean of the last 5 results minus the mean of the 5 before (null with fewer than 10). */
export interface Trend {
  motionIQ: number | null;
  accuracy: number | null;
}

/** The dashboard figures of one athlete or coach (GET /api/sessions/stats). */
export interface DashboardStats {
  totalSessions: number;
  completedSessions: number;
  cancelledSessions: number;
  completionRate: number;
  completedAnalyses: number;
  averageMotionIQ: number | null;
  averageAclRisk: number | null;
  riskLevels: Record<string, number>;
  byEvent: Record<string, number>;
  bySessionType: Record<string, number>;
  totalDurationSeconds: number;
  mindfulMinutes: number;
  sessionsThisWeek: number;
  currentStreak: number;
  longestStreak: number;
  averageAccuracy: number | null;
  averageScore: number | null;
  lastSessionAt: string | null;
  trend: Trend;
  /** The IANA zone the figures' days are counted in (the profile's, else UTC). */
  timezone: string;
  athleteCount?: number | null;
}

/** GET /api/sessions/stats */
export interface SessionStats {
  stats: DashboardStats;
}

/** POST /api/exercises/session/start (the practice seed's snake_case shapes). */
export interface PracticeStarted {
  session_id: string;
  started_at: string;
}

/** POST /api/exercises/submit */
export interface AnswerValidation {
  is_correct: boolean;
  correct_answer: string;
  exercise_id: string;
  session_id: string;
}

/** POST /api/exercises/session/end */
export interface PracticeSummary {
  session_id: string;
  started_at: string;
  ended_at: string;
  duration_seconds: number;
  total_exercises: number;
  correct_answers: number;
  score_percentage: number;
  session_type: string;
}

/** The person's profile, `users/{uid}` (read with a listener; every field may be absent). */
export interface UserRecord {
  timezone?: string | null;
  role?: Role | null;
  email?: string | null;
  displayName?: string | null;
}

/** A note record of a session (`sessions/{id}/notes/{noteId}`, and the notes operations). */
export type NoteType = "general" | "follow-up" | "issue" | "achievement";

export interface NotePublic {
  noteId: string;
  type?: NoteType | null;
  text?: string | null;
  authorId?: string | null;
  authorName?: string | null;
  createdAt?: string | null;
  updatedAt?: string | null;
}

/** An attachment as the API lists it, with a signed download URL valid until `downloadUrlExpiresAt`. */
export interface AttachmentPublic {
  attachmentId: string;
  path?: string | null;
  fileName?: string | null;
  contentType?: string | null;
  size?: number | null;
  description?: string | null;
  uploadedBy?: string | null;
  createdAt?: string | null;
  downloadUrl?: string | null;
  downloadUrlExpiresAt?: string | null;
}

/** GET /api/sessions/{id}/attachments */
export interface AttachmentPage {
  attachments: AttachmentPublic[];
  nextCursor: string | null;
}

/** POST /api/sessions/{id}/upload: a resumable upload session for exactly the declared size. */
export interface UploadUrl {
  uploadUrl: string;
  bucket: string;
  path: string;
  expiresAt: string;
}

/** POST /api/users/{uid}/role */
export interface RoleChanged {
  uid: string;
  role: Role | null;
  tokensRevokedAt: string;
}

// ---- coach: links, sent invitations (docs/api.md) ----------------------------------------------

/** `links/{coachId}_{athleteId}`, read by a listener (firestore.rules: its coach, its athlete). */
export interface LinkPublic {
  linkId: string;
  coachId: string;
  athleteId: string;
  athleteEmail?: string | null;
  /** The name the athlete accepted with (absent on links made before it was recorded). */
  athleteName?: string | null;
  createdAt?: string | null;
  invitationId?: string | null;
}

/** DELETE /api/links/{linkId} */
export interface LinkEnded {
  linkId: string;
  coachId: string;
  athleteId: string;
  ended: true;
}

/** POST /api/invitations */
export interface InvitationCreated {
  invitationId: string;
}

/** POST /api/invitations/{id}/decline */
export interface InvitationDeclined {
  invitationId: string;
  status: "declined";
}

/** POST /api/invitations/{id}/resend: the same invitation, pending until the new `expiresAt`. */
export interface InvitationResent {
  invitationId: string;
  status: "pending";
  expiresAt: string;
}

/** POST /api/invitations/{id}/revoke */
export interface InvitationRevoked {
  invitationId: string;
  status: "revoked";
}

/** One pose of GET /api/poses; `key` is the `pose_name` of POST /api/analyze/{pose_name}. */
export interface PoseSummary {
  key: string;
  name: string;
  sanskritName: string;
  description: string;
}

/** GET /api/poses */
export interface PoseList {
  poses: PoseSummary[];
}

/** One of the 33 body landmarks (BlazePose order), normalised to the upright photo (0–1). */
export interface PoseLandmark {
  x: number;
  y: number;
  visibility: number;
}

/** POST /api/analyze/{pose_name} (multipart `file`) */
export interface PoseAnalysis {
  pose_name: string;
  /** 0–100 */
  accuracy: number;
  feedback: string[];
  improvements: string[];
  angles: Record<string, number>;
  landmarks: PoseLandmark[];
}

/** One pose of the yoga body of POST /api/sessions (YogaSessionCreate). */
export interface PoseIn {
  pose_name: string;
  accuracy: number;
  feedback?: string[];
  improvements?: string[];
}

/** The yoga body of POST /api/sessions: a finished practice with its poses. */
export interface YogaSessionCreate {
  /** minutes */
  duration: number;
  poses: PoseIn[];
  avg_accuracy?: number | null;
}

// ---- Video review (issue 24) ----------------------------------------------------------------------

/** GET /api/sessions/{sessionId}/video: a short-lived URL to play the session's video. */
export interface SessionVideo {
  url: string;
  /** RFC 3339; ask again before then */
  expiresAt: string;
  contentType: string | null;
  /** from the analysis's metrics; null before the analysis */
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  posterUrl: string | null;
}

/** One value of a series: [seconds into the video, value or null where unmeasured]. */
export type SeriesPoint = [number, number | null];

/** One frame of keypoints: 33 × [x, y, visibility], normalised to the frame; null without a person. */
export type LandmarkFrame = [number, number, number][] | null;

export interface ThumbnailSprite {
  url: string;
  tileWidth: number;
  tileHeight: number;
  columns: number;
  count: number;
  times: number[];
}

/** GET /api/sessions/{sessionId}/analysis?points=N */
export interface SessionAnalysisData {
  sessionId: string;
  jobId: string | null;
  analysisStatus: AnalysisStatus | null;
  summary: {
    metrics: Record<string, number | string | boolean | null> | null;
    pose: PoseBlock | null;
  };
  /** `motionEnergy` and each pose measure present, at most `points` points each */
  series: Record<string, SeriesPoint[]>;
  landmarks: { times: number[]; frames: LandmarkFrame[] } | null;
  assets: { posterUrl: string | null; thumbnails: ThumbnailSprite | null };
  expiresAt: string | null;
}

/** One side of GET /api/sessions/compare. */
export interface ComparedSession {
  sessionId: string;
  summary: SessionAnalysisData["summary"];
  video: SessionVideo | null;
}

/** GET /api/sessions/compare?a=&b=&offsetMs=&points= : b's time t is at t + offsetMs/1000 on a's. */
export interface SessionComparison {
  offsetMs: number;
  a: ComparedSession;
  b: ComparedSession;
  /** the common grid, seconds on a's time base */
  times: number[];
  /** each series of both sessions on `times` (null outside a clip or where unmeasured) */
  series: Record<string, { a: (number | null)[]; b: (number | null)[] }>;
}

export type ShapeKind = "line" | "arrow" | "circle" | "freehand";

/** A shape drawn on a frame: points 0–1 of the frame (circle: centre, then a point on the rim). */
export interface DrawingShape {
  kind: ShapeKind;
  points: [number, number][];
  /** "#rrggbb" */
  colour: string;
  /** 1–20 */
  width?: number | null;
}

export interface Drawing {
  shapes: DrawingShape[];
}

/** `sessions/{sessionId}/comments/{commentId}` and the comments of the API. */
export interface SessionComment {
  commentId: string;
  sessionId: string;
  /** milliseconds into the video */
  atMs: number;
  text: string;
  drawing: Drawing | null;
  /** a top-level comment's id, for a reply */
  replyTo: string | null;
  authorId: string;
  authorName: string | null;
  createdAt: string | null;
  editedAt: string | null;
  resolved: boolean;
  resolvedBy: string | null;
  resolvedAt: string | null;
  /** the session's analysisJobId when it was written */
  videoJobId: string | null;
  /** API answers only: written on a video since replaced */
  earlierVideo?: boolean;
}

/** POST /api/sessions/{sessionId}/comments */
export interface CommentCreate {
  atMs: number;
  text: string;
  drawing?: Drawing | null;
  replyTo?: string | null;
}

export interface CommentCreated {
  commentId: string;
}

// ---- people (docs/api.md, "Models": Profile, ProfileUpdate) ------------------------------------

/** GET|PUT /api/users/me: the caller's profile; `timezone` is the zone statistics count days in. */
export interface Profile {
  uid: string;
  email: string | null;
  displayName: string | null;
  timezone: string;
  locale: string | null;
  photoUrl: string | null;
  role: Role;
  /** Every kind with both channels, defaults filled in (the effective table). */
  notifications: NotificationPreferences;
  createdAt: string | null;
}

/** Body of PUT /api/users/me: each field sent replaces the stored one, one left out is kept. */
export interface ProfileUpdate {
  displayName?: string;
  timezone?: string;
  locale?: string;
  photoUrl?: string | null;
  notifications?: NotificationPreferences;
}

// ---- notifications (issue 25; docs/api.md, "Models": NotificationPublic ... DeviceRegistered) ----

/** The event kinds a person is told about; also the keys of the preferences. */
export const NOTIFICATION_KINDS = [
  "invitationReceived",
  "invitationAccepted",
  "invitationDeclined",
  "analysisCompleted",
  "analysisFailed",
  "commentAdded",
  "sessionCompleted",
  "classStarted",
  "markedAbsent",
  "roleChanged",
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One notification of the in-app inbox (`users/{uid}/notifications/{id}`, GET /api/notifications).
 * `link` is a path of this app; `readAt` is null while unread. */
export interface NotificationPublic {
  id: string;
  kind: NotificationKind | string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string | null;
  readAt: string | null;
}

/** GET /api/notifications: newest first; `unread` counts all the unread ones. */
export interface NotificationList {
  notifications: NotificationPublic[];
  unread: number;
  nextCursor: string | null;
}

/** Body of POST /api/notifications/read: exactly one of `ids` (1–100) and `all`. */
export type NotificationsReadBody = { ids: string[] } | { all: true };

/** POST /api/notifications/read: how many were newly marked, and how many are unread after. */
export interface NotificationsRead {
  read: number;
  unread: number;
}

/** POST /api/users/me/devices {token} (the same token, the same id). */
export interface DeviceRegistered {
  deviceId: string;
}

/** DELETE /api/users/me/devices/{deviceId} */
export interface DeviceRemoved {
  deviceId: string;
  removed: true;
}

/** One kind's channels; in-app is always on and not a channel. */
export interface ChannelPreference {
  email: boolean;
  push: boolean;
}

/** A profile's `notifications`: GET /api/users/me answers every kind; PUT takes any subset. */
export type NotificationPreferences = Partial<Record<NotificationKind, ChannelPreference>>;

/** GET /api/completion-codes/{code} (admins): the session a code completed, by whom, when. */
export interface CompletionCodePublic {
  code: string;
  sessionId: string;
  completedBy: string;
  completedAt: string;
}

/** One download link the API handed out (GET /api/attachments/downloads, admins). */
export interface DownloadPublic {
  downloadId: string;
  sessionId: string;
  attachmentId: string;
  fileName?: string | null;
  uid: string;
  email?: string | null;
  createdAt: string;
}

/** GET /api/attachments/downloads: newest first, and the next page's cursor (or null). */
export interface DownloadList {
  downloads: DownloadPublic[];
  nextCursor: string | null;
}

// ---- issue 27 (privacy, audit, reports): the generated models (openapi.d.ts), by their names. ----
type Generated = import("./openapi").components["schemas"];

/** A report written to Storage (GET /api/reports/*): a signed URL until `expiresAt`, and its rows. */
export type ReportFile = Generated["ReportFile"];
/** A "download my data" job (POST /api/users/me/export, GET /api/users/me/exports/{id}). */
export type DataExportPublic = Generated["DataExportPublic"];
export type DataExportList = Generated["DataExportList"];
export type ExportStatus = Generated["ExportStatus"];
/** An account deletion job (DELETE /api/users/me: 202). */
export type AccountDeletionPublic = Generated["AccountDeletionPublic"];
/** GET /api/audit (admins): entries newest first, and the next page's cursor. */
export type AuditEntry = Generated["AuditEntry"];
export type AuditPage = Generated["AuditPage"];
