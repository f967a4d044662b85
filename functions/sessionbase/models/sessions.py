"""Session models: what a client may send to create one, and the public shape it reads back."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# A Firestore document id we accept from clients: no slashes, no reserved ``__x__`` names.
ID_PATTERN = r"^(?!__.*__$)[A-Za-z0-9_-]{1,128}$"
_ID = re.compile(ID_PATTERN)


def _document_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("not a valid id (1-128 of A-Z a-z 0-9 _ -, not __reserved__)")
    return value


Id = Annotated[str, StringConstraints(max_length=128), AfterValidator(_document_id)]
# Firestore stores 64-bit integers; bigger ones would fail at write time.
Int64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
# NaN and infinities are not JSON: a browser's res.json() would fail on every later read.
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
# A map key Firestore accepts and the public shape keeps (keys starting "_" are internal).
MetricName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")]


def is_document_id(value: object) -> bool:
    """True for an id that can name a document: see ``ID_PATTERN``."""
    return isinstance(value, str) and bool(_ID.match(value))


Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]


def _email(value: str) -> str:
    value = value.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("not a valid e-mail address")
    return value


Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(_email)]

# Firestore timestamps span 0001-01-01 to 9999-12-31 (UTC); keep a day of margin for date maths.
_EARLIEST = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
_LATEST = dt.datetime(9999, 12, 30, tzinfo=dt.UTC)


def _in_range(value: dt.date) -> dt.date:
    try:
        moment = (
            value.astimezone(dt.UTC)
            if isinstance(value, dt.datetime)
            else dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
        )
    except OverflowError:  # a time zone that pushes year 1 or 9999 past the calendar
        moment = None
    if moment is None or not _EARLIEST <= moment <= _LATEST:
        raise ValueError("out of range (0001-01-02 to 9999-12-30)")
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_in_range)]
Day = Annotated[dt.date, AfterValidator(_in_range)]


class SessionType(StrEnum):
    """What kind of session this is (DESIGN.md §3)."""

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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class SessionCreate(_Strict):
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
    videoName: ShortText | None = None
    originalVideoName: ShortText | None = None
    fileSize: int | None = Field(default=None, ge=0, le=2**53)

    @field_validator("scheduledEnd", "actualEnd")
    @classmethod
    def _ends_after_start(cls, end: dt.datetime | None, info: ValidationInfo) -> dt.datetime | None:
        start = info.data.get(info.field_name.replace("End", "Start"))
        if end is not None and start is not None and end < start:
            raise ValueError("ends before it starts")
        return end


class PoseIn(_Strict):
    """One pose of a yoga practice (yoga seed, snake_case as written there)."""

    pose_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    accuracy: float = Field(ge=0, le=100)
    feedback: list[ShortText] = Field(default_factory=list, max_length=50)
    improvements: list[ShortText] = Field(default_factory=list, max_length=50)


class YogaSessionCreate(_Strict):
    """The yoga seed's body for ``POST /api/sessions``: a finished practice with its poses."""

    duration: float = Field(ge=0, le=24 * 60, description="minutes")
    poses: list[PoseIn] = Field(max_length=500)
    avg_accuracy: float | None = Field(default=None, ge=0, le=100)


def is_yoga_body(body: Any) -> bool:
    """The yoga seed's body is recognised by its ``poses`` list."""
    return isinstance(body, dict) and "poses" in body


class AnalysisStatus(StrEnum):
    """Progress of a session's video analysis."""

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


def _date_or_time(value: Any) -> dt.date | dt.datetime:
    """``YYYY-MM-DD``, or an ISO-8601 date-time with a time zone."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return _in_range(dt.date.fromisoformat(value))
            parsed = dt.datetime.fromisoformat(value)
            if parsed.tzinfo is not None:
                return _in_range(parsed)
        except (ValueError, OverflowError):
            pass
    raise ValueError("expected a date (YYYY-MM-DD) or a date-time with a time zone")


DateOrTime = Annotated[dt.date | dt.datetime, PlainValidator(_date_or_time)]


class SessionListQuery(_Strict):
    """Query parameters of ``GET /api/sessions`` (at most one of the three scopes)."""

    athleteId: Id | None = None
    coachId: Id | None = None
    athleteEmail: Email | None = None
    event: ShortText | None = None
    status: SessionStatus | None = None
    sessionType: SessionType | None = None
    analysisStatus: AnalysisStatus | None = None
    from_: DateOrTime | None = Field(default=None, alias="from")
    to: DateOrTime | None = None
    limit: int = Field(default=20, ge=1, le=100)
    cursor: Annotated[str, StringConstraints(max_length=1000)] | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @field_validator("coachId", "athleteEmail")
    @classmethod
    def _one_scope(cls, value: str | None, info: ValidationInfo) -> str | None:
        earlier = [n for n in ("athleteId", "coachId") if info.data.get(n) is not None]
        if value is not None and earlier:
            raise ValueError(
                f"give only one of athleteId, coachId, athleteEmail (also got {earlier[0]})"
            )
        return value

    def filters(self) -> dict[str, str]:
        """The equality filters besides the scope, as stored values."""
        found = {
            "event": self.event,
            "status": self.status,
            "sessionType": self.sessionType,
            "analysisStatus": self.analysisStatus,
        }
        return {k: str(v) for k, v in found.items() if v is not None}

    def created_range(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """``from`` (inclusive) and ``to`` (exclusive; a bare date includes that whole day)."""
        return _start_of(self.from_), _start_of(self.to, next_day=True)


def _start_of(value: DateOrTime | None, *, next_day: bool = False) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    day = value + dt.timedelta(days=1) if next_day else value
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


COACH_EDITABLE = frozenset(
    {
        "athleteName",
        "event",
        "sessionType",
        "notes",
        "date",
        "scheduledStart",
        "scheduledEnd",
        "duration",
        "videoName",
        "originalVideoName",
    }
)
ATHLETE_EDITABLE = frozenset({"notes"})


class SessionUpdate(_Strict):
    """Body of ``PUT /api/sessions/{id}``; the service checks which fields the role may send."""

    athleteName: Name | None = None
    event: ShortText | None = None
    sessionType: SessionType | None = None
    notes: LongText | None = None
    date: Day | None = None
    scheduledStart: Moment | None = None
    scheduledEnd: Moment | None = None
    duration: ShortText | None = None
    videoName: ShortText | None = None
    originalVideoName: ShortText | None = None
    # Analysis results: written by the analysis pipeline, or by an admin correcting them.
    analysisStatus: AnalysisStatus | None = None
    perFrameStatus: AnalysisStatus | None = None
    analysisProgress: int | None = Field(default=None, ge=0, le=100)
    motionIQ: float | None = Field(default=None, ge=0, le=100)
    aclRisk: float | None = Field(default=None, ge=0, le=100)
    riskLevel: Literal["LOW", "MODERATE", "HIGH"] | None = None
    metrics: dict[MetricName, FiniteFloat | Int64 | ShortText | bool | None] | None = Field(
        default=None, max_length=200
    )

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


class CreateWithAthlete(SessionCreate):
    """Body of ``POST /api/sessions/create-with-athlete`` (the seed's example, as written)."""

    videoName: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    athleteEmail: Email


class LinkBackendSession(_Strict):
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


class StatsQuery(_Strict):
    """Query parameters of ``GET /api/sessions/stats``."""

    athleteId: Id | None = None
    coachId: Id | None = None


def _iso(value: dt.datetime) -> str:
    text = value.isoformat()
    return text.replace("+00:00", "Z")


def to_public(value: Any) -> Any:
    """JSON-ready copy of stored data: datetimes as ISO-8601 strings, internal keys dropped."""
    if isinstance(value, dt.datetime):
        return _iso(value)
    if isinstance(value, dict):
        return {k: to_public(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list | tuple):
        return [to_public(v) for v in value]
    return value


def public_session(session_id: str, data: dict) -> dict:
    """The public shape of a session document: its fields plus ``sessionId``."""
    return {"sessionId": session_id, **to_public(data)}
