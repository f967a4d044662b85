"""Sessions (DESIGN.md §3): what a client may send, what Firestore holds, what a client reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from sessionbase.models.base import Input, Output, Part, Record
from sessionbase.models.fields import (
    DateOrTime,
    Day,
    Email,
    FileName,
    FiniteFloat,
    Id,
    LongText,
    MetricName,
    MetricValue,
    Moment,
    Name,
    QueryBool,
    QueryInt,
    ShortText,
    StoredDay,
)


class SessionType(StrEnum):
    """What kind of session this is."""

    TRAINING = "Training"
    COMPETITION = "Competition"
    EVALUATION = "Evaluation"
    ANALYSIS = "Analysis"
    PRACTICE = "Practice"
    REVIEW = "Review"
    TEST = "Test"
    CLASS = "Class"


class SessionStatus(StrEnum):
    """Lifecycle of a session."""

    SCHEDULED = "scheduled"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class AnalysisStatus(StrEnum):
    """Progress of a session's video analysis."""

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


RiskLevel = Literal["LOW", "MODERATE", "HIGH"]

# ---- input ----------------------------------------------------------------------------------


class SessionCreate(Input):
    """Body of ``POST /api/sessions`` for an athlete session (field names as the athlete seed)."""

    athleteId: Id | None = None
    athleteEmail: Email | None = None
    athleteName: Name | None = None
    coachId: Id | None = None
    coachEmail: Email | None = None
    coachName: Name | None = None
    sessionType: SessionType = SessionType.TRAINING
    event: ShortText = ""
    notes: LongText = ""
    status: Literal["scheduled", "active", "completed"] = "scheduled"
    date: Day | None = None
    scheduledStart: Moment | None = None
    scheduledEnd: Moment | None = None
    actualStart: Moment | None = None
    actualEnd: Moment | None = None
    durationSeconds: int | None = Field(default=None, ge=0, le=7 * 24 * 3600)
    duration: ShortText | None = None
    videoName: FileName | None = None
    originalVideoName: FileName | None = None
    fileSize: int | None = Field(default=None, ge=0, le=2**53)

    @field_validator("scheduledEnd", "actualEnd")
    @classmethod
    def _ends_after_start(cls, end: dt.datetime | None, info: ValidationInfo) -> dt.datetime | None:
        start = info.data.get((info.field_name or "").replace("End", "Start"))
        if end is not None and start is not None and end < start:
            raise ValueError("ends before it starts")
        return end


class PoseIn(Input):
    """One pose of a yoga practice (yoga seed, snake_case as written there)."""

    pose_name: Name
    accuracy: float = Field(ge=0, le=100)
    feedback: list[ShortText] = Field(default_factory=list, max_length=50)
    improvements: list[ShortText] = Field(default_factory=list, max_length=50)


MAX_POSES = 100  # poses in one yoga body (docs/decisions.md, "The yoga body")


class YogaSessionCreate(Input):
    """The yoga seed's body for ``POST /api/sessions``: a finished practice with its poses."""

    duration: float = Field(ge=0, le=24 * 60, description="minutes")
    # One item document per pose: 100 poses (a long class) bound a body to 101 writes.
    poses: list[PoseIn] = Field(max_length=MAX_POSES)
    avg_accuracy: float | None = Field(default=None, ge=0, le=100)


# ``shape=yoga`` on GET /api/sessions and GET /api/sessions/{id}: the yoga seed's reading of a
# session (``YogaSession``) in place of ours (docs/decisions.md, "OpenAPI, health and the yoga
# shapes").
Shape = Literal["yoga"]


class SessionReadQuery(Input):
    """Query parameters of ``GET /api/sessions/{id}``."""

    shape: Shape | None = Field(
        default=None, description="`yoga`: the yoga seed's shape (YogaSession), poses included"
    )


def session_body_model(body: Any) -> type[SessionCreate] | type[YogaSessionCreate]:
    """Which of the two bodies of ``POST /api/sessions`` this is: the yoga one has ``poses``."""
    return YogaSessionCreate if isinstance(body, dict) and "poses" in body else SessionCreate


class CreateWithAthlete(SessionCreate):
    """Body of ``POST /api/sessions/create-with-athlete`` (the seed's example, as written)."""

    videoName: FileName
    athleteEmail: Email


class LinkBackendSession(Input):
    """Body of ``POST /api/sessions/link-backend``."""

    backendSessionId: Id
    athleteId: Id | None = None
    athleteEmail: Email | None = None
    athleteName: Name | None = None
    event: ShortText = ""
    sessionType: SessionType = SessionType.ANALYSIS
    coachId: Id | None = None
    coachEmail: Email | None = None
    coachName: Name | None = None

    def as_create(self) -> SessionCreate:
        """The session this link creates when the backend id is new."""
        return SessionCreate.model_validate(
            self.model_dump(exclude={"backendSessionId"}, exclude_none=True)
        )


class SessionUpdate(Input):
    """Body of ``PUT /api/sessions/{id}``; the policy decides which fields a caller may send."""

    athleteName: Name | None = None
    event: ShortText | None = None
    sessionType: SessionType | None = None
    notes: LongText | None = None
    date: Day | None = None
    scheduledStart: Moment | None = None
    scheduledEnd: Moment | None = None
    duration: ShortText | None = None
    videoName: FileName | None = None
    originalVideoName: FileName | None = None
    # Analysis results: written by the analysis pipeline, or by an admin correcting them.
    analysisStatus: AnalysisStatus | None = None
    perFrameStatus: AnalysisStatus | None = None
    analysisProgress: int | None = Field(default=None, ge=0, le=100)
    motionIQ: float | None = Field(default=None, ge=0, le=100)
    aclRisk: float | None = Field(default=None, ge=0, le=100)
    riskLevel: RiskLevel | None = None
    metrics: dict[MetricName, MetricValue] | None = Field(default=None, max_length=200)

    @field_validator(
        "athleteName", "event", "sessionType", "notes", "analysisStatus", "perFrameStatus",
        "analysisProgress", mode="before",
    )  # fmt: skip
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        """Fields every session has: they can be changed, not erased."""
        if value is None:
            raise ValueError("cannot be null")
        return value


class SessionListQuery(Input):
    """Query parameters of ``GET /api/sessions`` (at most one of the three scopes)."""

    model_config = ConfigDict(populate_by_name=True)

    athleteId: Id | None = None
    coachId: Id | None = None
    athleteEmail: Email | None = None
    event: ShortText | None = None
    status: SessionStatus | None = None
    sessionType: SessionType | None = None
    analysisStatus: AnalysisStatus | None = None
    from_: DateOrTime | None = Field(default=None, alias="from")
    to: DateOrTime | None = None
    # Archived sessions leave the lists; ``archived=true`` lists them instead.
    archived: QueryBool = False
    # ``all=true`` (admins): every session, whoever's, e.g. by status and date range.
    all_: QueryBool = Field(default=False, alias="all")
    limit: QueryInt = Field(default=20, ge=1, le=100)
    cursor: Annotated[str, StringConstraints(max_length=1000)] | None = None
    shape: Shape | None = Field(
        default=None, description="`yoga`: each session in the yoga seed's shape (YogaSessionPage)"
    )

    @field_validator("coachId", "athleteEmail")
    @classmethod
    def _one_scope(cls, value: str | None, info: ValidationInfo) -> str | None:
        earlier = [n for n in ("athleteId", "coachId") if info.data.get(n) is not None]
        if value is not None and earlier:
            raise ValueError(
                f"give only one of athleteId, coachId, athleteEmail (also got {earlier[0]})"
            )
        return value

    @field_validator("all_")
    @classmethod
    def _all_alone(cls, value: bool, info: ValidationInfo) -> bool:
        scoped = [n for n in ("athleteId", "coachId", "athleteEmail") if info.data.get(n)]
        if value and scoped:
            raise ValueError(f"all=true lists every session: give no {scoped[0]}")
        return value

    def filters(self) -> dict[str, str | bool]:
        """The equality filters besides the scope, as stored values."""
        found = {
            "event": self.event,
            "status": self.status,
            "sessionType": self.sessionType,
            "analysisStatus": self.analysisStatus,
        }
        given: dict[str, str | bool] = {k: str(v) for k, v in found.items() if v is not None}
        return {**given, "archived": self.archived}

    def created_range(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """``from`` (inclusive) and ``to`` (exclusive; a bare date includes that whole day)."""
        return start_of(self.from_), start_of(self.to, next_day=True)


def start_of(value: dt.date | dt.datetime | None, *, next_day: bool = False) -> dt.datetime | None:
    """A bound of a range: a moment as given, a bare date as its first moment in UTC (``next_day``:
    the first moment of the day after, so that ``to`` includes the whole day)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    day = value + dt.timedelta(days=1) if next_day else value
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


@dataclass(frozen=True, kw_only=True)
class PageAfter:
    """Where the previous page of a session list ended: the last session's creation time and id."""

    created_at: dt.datetime
    session_id: str


# ---- stored and public ------------------------------------------------------------------------


class FinalStatistics(Part):
    """Attendance frozen when a live session ends: checked in (present or late), absent, total."""

    present: int
    absent: int
    total: int


class SessionFields(Part):
    """The fields of a session document that clients may read (DESIGN.md §3)."""

    # who
    athleteId: str | None = None
    athleteEmail: str | None = None
    athleteName: str | None = None
    coachId: str | None = None
    coachEmail: str | None = None
    coachName: str | None = None
    groupId: str | None = None
    createdBy: str | None = None
    # what
    sessionType: SessionType | None = None
    event: str | None = None
    notes: str | None = None
    # lifecycle
    status: SessionStatus | None = None
    date: StoredDay | None = None
    scheduledStart: dt.datetime | None = None
    scheduledEnd: dt.datetime | None = None
    actualStart: dt.datetime | None = None
    actualEnd: dt.datetime | None = None
    durationSeconds: int | None = None
    duration: str | None = None
    completionCode: str | None = None
    completedBy: str | None = None
    cancelReason: str | None = None
    # The schedule this session is an occurrence of (its id is ``{scheduleId}_{YYYYMMDD}``).
    scheduleId: str | None = None
    # video
    videoName: str | None = None
    originalVideoName: str | None = None
    videoPath: str | None = None
    contentType: str | None = None
    fileSize: int | None = None
    videoUrl: str | None = None
    # When the video landed and who uploaded it (the object's ``uploadedBy``); when the
    # retention schedule removed it (its path and URL are then cleared; docs/decisions.md,
    # "Video retention").
    videoUploadedAt: dt.datetime | None = None
    videoUploadedBy: str | None = None
    videoRemovedAt: dt.datetime | None = None
    # analysis
    analysisStatus: AnalysisStatus | None = None
    perFrameStatus: AnalysisStatus | None = None
    analysisProgress: int | None = None
    analysisError: str | None = None
    analysisAttempts: int | None = None
    analysisJobId: str | None = None
    motionIQ: float | None = None
    aclRisk: float | None = None
    riskLevel: RiskLevel | None = None
    metrics: dict[str, MetricValue] | None = None
    hasProcessedVideo: bool | None = None
    processedVideoUrl: str | None = None
    processedVideoFilename: str | None = None
    analyticsFile: str | None = None
    analyticsFilename: str | None = None
    # The built-in analyzer's body keypoint measures (docs/decisions.md, "Pose measurements").
    pose: dict[str, Any] | None = None
    poseFile: str | None = None
    # The poster and thumbnail strip the built-in analyzer made (docs/decisions.md, "Video
    # review: poster and thumbnails"); served through GET /api/sessions/{id}/analysis.
    analysisAssets: dict[str, Any] | None = None
    backendSessionId: str | None = None
    # practice
    itemCount: int | None = None
    correctCount: int | None = None
    scorePercentage: FiniteFloat | None = None
    avgAccuracy: FiniteFloat | None = None
    # attendance
    presentCount: int | None = None
    finalStatistics: FinalStatistics | None = None
    # archive: out of the lists and read-only until restored; statistics keep counting it
    archived: bool | None = None
    archivedAt: dt.datetime | None = None
    archivedBy: str | None = None
    createdAt: dt.datetime | None = None
    updatedAt: dt.datetime | None = None


# Fields of a stored session that never leave the server.
INTERNAL_FIELDS = frozenset(
    {"backendKey", "autoEndAt", "videoGeneration", "deletingAt", "countedAt"}
)


class SessionRecord(SessionFields, Record):
    """``sessions/{sessionId}`` as stored."""

    # Internal: the backend-registry entry this session owns (freed when it is deleted).
    backendKey: str | None = Field(default=None, alias="_backendKey")
    # Internal: when the sweep ends a live session left active (start + the group's maximum).
    autoEndAt: dt.datetime | None = None
    # Internal: the Cloud Storage generation of the video the current analysis job is about.
    videoGeneration: str | None = None
    # Internal: when a DELETE began taking the session and its records away (store/sessions.py:
    # a session being deleted is gone to every reader and takes no new record).
    deletingAt: dt.datetime | None = Field(default=None, alias="_deletingAt")
    # Internal: when a live session's ``presentCount`` was last counted (Firestore's read time of
    # the count; services/groups.py: ``_count_in``).
    countedAt: dt.datetime | None = Field(default=None, alias="_countedAt")

    @property
    def is_pending(self) -> bool:
        """Waiting for its athlete: created by a coach for an e-mail with no linked athlete yet."""
        return not self.athleteId and bool(self.athleteEmail) and bool(self.coachId)


class ItemRecord(Record):
    """``sessions/{id}/items/{itemId}``: one answer or one pose."""

    kind: Literal["pose", "answer"]
    name: str
    exerciseId: str | None = None
    accuracy: float | None = None
    userAnswer: str | None = None
    isCorrect: bool | None = None
    feedback: list[str] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)
    # A pose's place in its practice (0, 1, ...): the items of one body share their createdAt.
    position: int | None = None
    timeTakenSeconds: float | None = None
    at: dt.datetime
    createdAt: dt.datetime


class NoteFields(Part):
    """A note record of ``sessions/{id}/notes``."""

    type: str | None = None
    text: str | None = None
    authorId: str | None = None
    authorName: str | None = None
    createdAt: dt.datetime | None = None
    updatedAt: dt.datetime | None = None


class NoteRecord(NoteFields, Record):
    """``sessions/{id}/notes/{noteId}`` as stored."""


class NotePublic(NoteFields, Output):
    """A note record as a client reads it."""

    noteId: str


class AttachmentFields(Part):
    """An attachment record of ``sessions/{id}/attachments``."""

    path: str | None = None
    fileName: str | None = None
    contentType: str | None = None
    size: int | None = None
    description: str | None = None
    uploadedBy: str | None = None
    createdAt: dt.datetime | None = None


class AttachmentRecord(AttachmentFields, Record):
    """``sessions/{id}/attachments/{attachmentId}`` as stored."""


class AttachmentPublic(AttachmentFields, Output):
    """An attachment as a client reads it; its download URL works until `downloadUrlExpiresAt`."""

    attachmentId: str
    downloadUrl: str | None = None
    downloadUrlExpiresAt: dt.datetime | None = None


class SessionPublic(SessionFields, Output):
    """A session as a client reads it."""

    sessionId: str
    # true once the retention schedule removed the session's video (``videoRemovedAt``).
    videoRemoved: bool | None = None

    @classmethod
    def of(cls, session_id: str, record: SessionRecord) -> SessionPublic:
        """The public view of a stored session: the fields it has, and its id."""
        removed = {"videoRemoved": True} if record.videoRemovedAt is not None else {}
        return cls.model_validate(
            {
                "sessionId": session_id,
                **record.model_dump(exclude_unset=True, exclude=set(INTERNAL_FIELDS)),
                **removed,
            }
        )


class SessionDetail(SessionPublic):
    """``GET /api/sessions/{id}``: the session with its note records and attachments.

    The seed's short text field ``notes`` keeps its name, so the note records of the ``notes``
    subcollection come as ``sessionNotes`` (docs/decisions.md).
    """

    sessionNotes: list[NotePublic]
    attachments: list[AttachmentPublic]
    # The first page of each (``CHILD_PAGE``); the rest from ``GET .../notes`` and
    # ``GET .../attachments`` with these cursors (null: nothing more).
    sessionNotesNextCursor: str | None = None
    attachmentsNextCursor: str | None = None


# How many notes and attachments ``GET /api/sessions/{id}`` shows inline, and how many a session
# may hold (docs/decisions.md, "Sessions"): one request reads and signs a bounded number.
CHILD_PAGE = 20
NOTES_PER_SESSION = 500
ATTACHMENTS_PER_SESSION = 100


class ChildPageQuery(Input):
    """Query parameters of ``GET /api/sessions/{id}/notes`` and ``.../attachments``."""

    limit: QueryInt = Field(default=CHILD_PAGE, ge=1, le=100)
    cursor: Annotated[str, StringConstraints(max_length=1000)] | None = None


class NotePage(Output):
    """One page of a session's notes, newest first, and the next page's cursor (or null)."""

    sessionNotes: list[NotePublic]
    nextCursor: str | None


class AttachmentPage(Output):
    """One page of a session's attachments, oldest first, and the next page's cursor (or null)."""

    attachments: list[AttachmentPublic]
    nextCursor: str | None


class SessionCreated(Output):
    """A new (or linked) session's id."""

    sessionId: str


class UploadTarget(Output):
    """Where a client uploads a file with the Firebase Storage SDK."""

    bucket: str
    path: str


class SessionWithUpload(Output):
    """``POST /api/sessions/create-with-athlete``: the session and where its video goes."""

    sessionId: str
    analysisStatus: Literal["pending"]
    upload: UploadTarget


class SessionPage(Output):
    """One page of a session list, newest first, and the cursor of the next page (or null)."""

    sessions: list[SessionPublic]
    nextCursor: str | None


class SessionDeleted(Output):
    """``DELETE /api/sessions/{id}``: what was removed."""

    sessionId: str
    deleted: bool
    deletedObjects: int


# ---- the yoga seed's reading (``?shape=yoga``) -------------------------------------------------


class YogaPose(Output):
    """One pose of a session as the yoga seed's clients read it (its ``session_poses`` row)."""

    pose_name: str
    accuracy: float | None
    feedback: list[str]
    improvements: list[str]
    timestamp: dt.datetime


class YogaSession(Output):
    """A session as the yoga seed's clients read it: ``GET /api/sessions/{id}?shape=yoga``.

    ``duration`` is whole minutes (the seed's INTEGER column), ``avg_accuracy`` the session's
    average accuracy (null for a session without one), ``poses`` in the order they were sent.
    """

    id: str
    user_id: str | None
    date: dt.datetime | None = Field(description="when the practice started")
    duration: int = Field(description="minutes")
    avg_accuracy: float | None
    total_poses: int
    created_at: dt.datetime | None
    poses: list[YogaPose]


class YogaSessionPage(Output):
    """``GET /api/sessions?shape=yoga``: a page of sessions in the yoga seed's shape."""

    sessions: list[YogaSession]
    nextCursor: str | None
