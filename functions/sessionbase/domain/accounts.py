"""Deleting an account (issue 27): what becomes of each kind of record, decided without I/O.

The rule per kind of data is docs/decisions.md's table ("Deleting an account"); this module is
that table as code. What the person owns is deleted; what is shared is kept for the other party
and de-identified: the uid becomes a stable placeholder (``placeholder``), the name and e-mail
go. The work runs in ``STEPS`` order, each step a query for what is left of the person in one
place, handled a page at a time until the query comes back empty: a step re-run finds only what
an earlier run left, so a deletion interrupted anywhere finishes when run again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sessionbase.models.notifications import Kind
from sessionbase.models.sessions import SessionRecord


class Action(StrEnum):
    """What a step does with each document it finds."""

    DELETE = "delete"  # the document goes (with its subcollections)
    REPLACE = "replace"  # the field naming the person gets the placeholder


class Key(StrEnum):
    """What a step looks the person up by."""

    UID = "uid"
    EMAIL = "email"


@dataclass(frozen=True, kw_only=True)
class Sweep:
    """One step over plain documents: those of ``collection`` (every collection of that name
    when ``group``) whose ``field`` holds the person's uid or e-mail get ``action``."""

    collection: str
    field: str
    action: Action
    group: bool = False
    key: Key = Key.UID

    @property
    def name(self) -> str:
        """The step's name, as the job shows it."""
        return f"{self.collection}.{self.field}"


# The fields of a session that may name the person, and the steps that look for each.
SESSION_FIELDS = (
    "athleteId",
    "coachId",
    "createdBy",
    "completedBy",
    "archivedBy",
    "videoUploadedBy",
)
SESSION_EMAIL_FIELD = "athleteEmail"  # a coach's session for the address, before any link

SWEEPS: tuple[Sweep, ...] = (
    # What the person wrote on sessions: theirs alone.
    Sweep(collection="notes", field="authorId", action=Action.DELETE, group=True),
    Sweep(collection="comments", field="authorId", action=Action.DELETE, group=True),
    Sweep(collection="comments", field="resolvedBy", action=Action.REPLACE, group=True),
    Sweep(collection="rejectedUploads", field="uploadedBy", action=Action.DELETE, group=True),
    # A file they attached to someone else's session is part of that record: kept.
    Sweep(collection="attachments", field="uploadedBy", action=Action.REPLACE, group=True),
    Sweep(collection="links", field="coachId", action=Action.DELETE),
    Sweep(collection="links", field="athleteId", action=Action.DELETE),
    Sweep(collection="invitations", field="coachId", action=Action.DELETE),
    Sweep(collection="invitations", field="athleteId", action=Action.DELETE),
    Sweep(collection="invitations", field="inviteeId", action=Action.DELETE),
    Sweep(collection="invitations", field="athleteEmail", action=Action.DELETE, key=Key.EMAIL),
    Sweep(collection="schedules", field="coachId", action=Action.DELETE),
    Sweep(collection="schedules", field="athleteId", action=Action.DELETE),
    Sweep(collection="schedules", field="createdBy", action=Action.DELETE),
    # Prompts other people practise with stay; the registry of codes stays (the audit of a code).
    Sweep(collection="exercises", field="createdBy", action=Action.REPLACE),
    Sweep(collection="completionCodes", field="completedBy", action=Action.REPLACE),
    Sweep(collection="attachmentDownloads", field="uid", action=Action.DELETE),
    Sweep(collection="idempotency", field="uid", action=Action.DELETE),
    Sweep(collection="mail", field="to", action=Action.DELETE, key=Key.EMAIL),
    # Groups they own go with their members and invitations (see decisions.md).
    Sweep(collection="groups", field="ownerId", action=Action.DELETE),
    Sweep(collection="statsFailures", field="athleteId", action=Action.DELETE),
    Sweep(collection="statsFailures", field="coachId", action=Action.DELETE),
    # Contributions of sessions deleted around the API: their sessions are gone.
    Sweep(collection="statsContributions", field="athleteId", action=Action.DELETE),
    Sweep(collection="statsContributions", field="coachId", action=Action.DELETE),
)

LOCK = "lock"
ATTENDANCE = "attendance"
MEMBERSHIPS = "memberships"
STATISTICS = "statistics"
PROFILE = "profile"
AUTH = "auth"
DONE = "done"
STEPS: tuple[str, ...] = (
    LOCK,
    *(f"sessions.{field}" for field in SESSION_FIELDS),
    f"sessions.{SESSION_EMAIL_FIELD}",
    ATTENDANCE,
    MEMBERSHIPS,
    *(sweep.name for sweep in SWEEPS),
    STATISTICS,
    PROFILE,
    AUTH,
)
SWEEP_OF = {sweep.name: sweep for sweep in SWEEPS}


def placeholder(uid: str) -> str:
    """The stable id that replaces ``uid`` in records kept for others: the same for every record
    of the person (a coach still counts one athlete), and no way back to the uid."""
    return "deleted-" + hashlib.sha256(f"sessionbase-deleted:{uid}".encode()).hexdigest()[:20]


def next_step(step: str) -> str:
    """The step after ``step`` (``DONE`` after the last)."""
    index = STEPS.index(step) + 1
    return STEPS[index] if index < len(STEPS) else DONE


def session_field(step: str) -> str | None:
    """The session field a ``sessions.<field>`` step queries, or None for other steps."""
    return step.removeprefix("sessions.") if step.startswith("sessions.") else None


def is_theirs_alone(session: SessionRecord, uid: str) -> bool:
    """A session nobody else has a part in is deleted: the person is its athlete or its coach
    and the other side is nobody or themself (practice, yoga, an athlete's own session, a
    coach's session for an address nobody has linked, a class of a group they own)."""
    people = {session.athleteId, session.coachId} - {None, uid}
    return uid in (session.athleteId, session.coachId) and not people


def deidentified(
    session: SessionRecord, uid: str, email: str | None, stand_in: str
) -> dict[str, Any]:
    """The fields of a shared session that change: every field naming the person holds the
    placeholder, their name and e-mail are gone (a coach's session keeps its figures)."""
    changes: dict[str, Any] = {}
    for field in SESSION_FIELDS:
        if getattr(session, field) == uid:
            changes[field] = stand_in
    if session.athleteId == uid or (email and session.athleteEmail == email):
        changes.update(athleteEmail=None, athleteName=None)
    if session.coachId == uid:
        changes.update(coachEmail=None, coachName=None)
    return changes


@dataclass(frozen=True)
class Told:
    """Notifications that quote the person in someone else's inbox (``recipient``: that
    inbox; None: mail only), found by their event keys' ``prefix`` (``{kind}-{id}-``)."""

    recipient: str | None
    prefix: str


def told_of_invitation(invitation_id: str, record: dict[str, Any], uid: str) -> list[Told]:
    """An invitation's notifications that name the person: the coach told that they accepted
    or declined it, or, when they sent it, the invitee told who invited them."""
    found = []
    if uid in (record.get("athleteId"), record.get("inviteeId")):
        coach = record.get("coachId")
        for kind in (Kind.INVITATION_ACCEPTED, Kind.INVITATION_DECLINED):
            found.append(
                Told(coach if isinstance(coach, str) else None, f"{kind}-{invitation_id}-")
            )
    if record.get("coachId") == uid:
        invitee = record.get("athleteId") or record.get("inviteeId")
        found.append(
            Told(
                invitee if isinstance(invitee, str) else None,
                f"{Kind.INVITATION_RECEIVED}-{invitation_id}-",
            )
        )
    return found


def told_of_comment(
    session: SessionRecord, session_id: str, comment_id: str, uid: str
) -> list[Told]:
    """A comment of theirs, quoted with their name to the session's other people."""
    prefix = f"{Kind.COMMENT_ADDED}-{session_id}-{comment_id}"
    return [Told(person, prefix) for person in _others(session, uid)]


def told_of_completion(session: SessionRecord, session_id: str, uid: str) -> list[Told]:
    """A session they completed, told with their name to its other people (none when it was
    theirs alone)."""
    if session.completedBy != uid:
        return []
    prefix = f"{Kind.SESSION_COMPLETED}-{session_id}-"
    return [Told(person, prefix) for person in _others(session, uid)]


def _others(session: SessionRecord, uid: str) -> list[str]:
    return sorted({p for p in (session.athleteId, session.coachId) if p and p != uid})
