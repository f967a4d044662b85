"""Session models: what a client may send to create one, and the public shape it reads back."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

Id = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]


def _email(value: str) -> str:
    value = value.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("not a valid e-mail address")
    return value


Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(_email)]


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
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    date: dt.date | None = None
    scheduledStart: AwareDatetime | None = None
    scheduledEnd: AwareDatetime | None = None
    actualStart: AwareDatetime | None = None
    actualEnd: AwareDatetime | None = None
    durationSeconds: int | None = Field(default=None, ge=0, le=7 * 24 * 3600)
    duration: ShortText | None = None
    videoName: ShortText | None = None
    originalVideoName: ShortText | None = None
    fileSize: int | None = Field(default=None, ge=0)


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


class SessionListQuery(_Strict):
    """Query parameters of ``GET /api/sessions``."""

    limit: int = Field(default=20, ge=1, le=100)
    cursor: Annotated[str, StringConstraints(max_length=1000)] | None = None


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


class SessionRef(_Strict):
    """Names one session (the data of callables such as ``getSession``)."""

    sessionId: Annotated[str, StringConstraints(min_length=1, max_length=128)]
