"""Groups (courses, teams), their members, live class sessions and attendance (DESIGN.md §2, §4)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from sessionbase.models.base import Input, Output, Part, Record
from sessionbase.models.fields import Email, Id, Name, ShortText
from sessionbase.models.sessions import FinalStatistics


class GroupKind(StrEnum):
    """A course (a teacher and students) or a team (a coach and athletes)."""

    COURSE = "course"
    TEAM = "team"


class MemberRole(StrEnum):
    """A member's place in a group; the owner has a member document too (the rules use it)."""

    OWNER = "owner"
    MEMBER = "member"


class AttendanceStatus(StrEnum):
    """How a member attended a live session."""

    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"


# ---- input ----------------------------------------------------------------------------------


class GroupCreate(Input):
    """Body of ``POST /api/groups``."""

    name: Name
    kind: GroupKind = GroupKind.COURSE
    allowConcurrent: bool = Field(
        default=False, description="may more than one session be active at once"
    )
    lateAfterMinutes: int = Field(
        default=10, ge=0, le=24 * 60, description="a check-in after this grace period is late"
    )
    maxDurationMinutes: int = Field(
        default=240, ge=1, le=24 * 60, description="a session still active after this is ended"
    )


class MemberAdd(Input):
    """Body of ``POST /api/groups/{id}/members``: whom to invite, by e-mail or by uid (the answer
    is the same whether or not such an account exists)."""

    userId: Id | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> MemberAdd:
        if (self.userId is None) == (self.email is None):
            raise ValueError("give exactly one of userId and email")
        return self


class LiveSessionStart(Input):
    """Body of ``POST /api/groups/{id}/sessions`` (may be empty)."""

    event: ShortText = ""


# ---- stored and public ------------------------------------------------------------------------


class ActiveSession(Part):
    """One entry of ``groups/{id}.activeSessions``: what a member's listener sees live."""

    sessionId: str
    teacherId: str
    studentCount: int
    startedAt: dt.datetime
    startedByName: str | None = Field(
        default=None, description="who started it, by name (the owner, or an admin)"
    )


class EndedSession(Part):
    """One entry of ``groups/{id}.recentlyEnded``: how a session ended, for a member's listener
    (the real-time seed's ``courseSessionEnded``, read without another document)."""

    sessionId: str
    teacherId: str
    finalStatistics: FinalStatistics
    endedBy: str | None = Field(description="who ended it (None: the sweep, past the maximum)")
    endedByName: str | None = None
    endedAt: dt.datetime


class SeedActiveSession(Output):
    """An ``activeSessions`` entry as the real-time seed shows it."""

    sessionId: str
    teacherId: str
    studentCount: int
    startedAt: dt.datetime


class GroupFields(Part):
    """The fields of a group document."""

    name: str
    kind: GroupKind
    ownerId: str
    ownerName: str | None = None
    allowConcurrent: bool = False
    lateAfterMinutes: int = 10
    maxDurationMinutes: int = 240
    memberCount: int = 0
    activeSessions: list[ActiveSession] = Field(default_factory=list)
    recentlyEnded: list[EndedSession] = Field(
        default_factory=list, description="the last few sessions ended, oldest first"
    )
    createdAt: dt.datetime
    updatedAt: dt.datetime


class GroupRecord(GroupFields, Record):
    """``groups/{groupId}`` as stored."""


class MemberFields(Part):
    """The fields of a member document."""

    uid: str
    role: MemberRole
    email: str | None = None
    displayName: str | None = None
    joinedAt: dt.datetime


class MemberRecord(MemberFields, Record):
    """``groups/{groupId}/members/{uid}`` as stored."""


class AttendanceRecord(Record):
    """``sessions/{id}/attendance/{uid}``."""

    status: AttendanceStatus
    at: dt.datetime


class GroupPublic(GroupFields, Output):
    """A group as its owner and members read it."""

    groupId: str


class GroupCreated(Output):
    """``POST /api/groups``."""

    groupId: str


class GroupList(Output):
    """``GET /api/groups``: the groups the caller owns or belongs to."""

    groups: list[GroupPublic]


class MemberPublic(MemberFields, Output):
    """A member as the group's owner reads it."""


class MemberList(Output):
    """``GET /api/groups/{id}/members``: the owner's roster, owner first, then by joining time."""

    members: list[MemberPublic]


class MemberInvited(Output):
    """``POST /api/groups/{id}/members``: the invitation the person accepts to become a member
    (``POST /api/invitations/{invitationId}/accept``); the address as given (``email``, trimmed
    and lower-cased, or ``userId``), nothing of any account it names."""

    invitationId: str
    groupId: str
    email: str | None = None
    userId: str | None = None
    status: Literal["pending"]
    expiresAt: dt.datetime


class MemberRemoved(Output):
    """``DELETE /api/groups/{id}/members/{uid}``."""

    groupId: str
    userId: str
    removed: bool


class LiveSessionStarted(Output):
    """``POST /api/groups/{id}/sessions``: a Class session, now active."""

    sessionId: str
    startedAt: dt.datetime


class CheckedIn(Output):
    """``POST /api/sessions/{id}/check-in``."""

    sessionId: str
    status: Literal["present", "late"]
    at: dt.datetime


class LiveSessionEnded(Output):
    """``POST /api/sessions/{id}/end``: the attendance frozen at the end."""

    sessionId: str
    endedAt: dt.datetime
    finalStatistics: FinalStatistics


class ActiveSessionsData(Output):
    """``GET /api/groups/{id}/active-sessions``: the real-time seed's ``activeSessionsData``."""

    course_id: str
    activeSessions: list[SeedActiveSession]
