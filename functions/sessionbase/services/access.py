"""The one answer to "the session this caller may read, else 404".

A session the caller may not read does not exist for them (docs/decisions.md, "Hidden sessions
don't exist"), so every service that starts from a session id starts here.

A schedule's occurrence that is no session yet is read as it would be, with no version (None):
nothing is written here. The service decides on it (its own permission check, the domain's
validation) and, only if the change is allowed, creates the session in the same unit of work as
the change (``Sessions.save``), so a refused request writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sessionbase.domain import policy
from sessionbase.domain.sessions import require_changeable
from sessionbase.errors import NotFound
from sessionbase.models.fields import is_document_id
from sessionbase.models.sessions import SessionRecord
from sessionbase.services import schedules
from sessionbase.services.context import Context

# The version a session was read at; None for a schedule's occurrence not stored yet.
Version = datetime | None


class Occurrence(StrEnum):
    """What a schedule's occurrence that is no session yet is to the request."""

    NONE = "none"  # nothing: it does not exist
    VIEW = "view"  # shown as it would be, not written


def session_not_found() -> NotFound:
    """The one error for a missing session and for one the caller may not read."""
    return NotFound("Session not found.")


def readable_versioned(ctx: Context, session_id: str) -> tuple[SessionRecord, datetime]:
    """The stored session and its version (update time) if the caller may read it, else 404."""
    found = ctx.store.sessions.get_versioned(session_id) if is_document_id(session_id) else None
    if found is None or not policy.may_read_session(ctx.caller, found[0], ctx.store.relations):
        raise session_not_found()
    return found


def readable(
    ctx: Context, session_id: str, *, occurrence: Occurrence = Occurrence.NONE
) -> SessionRecord:
    """The session if the caller may read it, else 404 (``occurrence``: see ``Occurrence``)."""
    if occurrence is Occurrence.NONE:
        return readable_versioned(ctx, session_id)[0]
    return readable_for_change(ctx, session_id)[0]


def readable_for_change(ctx: Context, session_id: str) -> tuple[SessionRecord, Version]:
    """The session and its version if the caller may read it, else 404; a schedule's
    occurrence not stored yet is returned as it would be, with the version None (a write to it
    creates it: ``Sessions.save``)."""
    if not is_document_id(session_id):
        raise session_not_found()
    found: tuple[SessionRecord, Version] | None = ctx.store.sessions.get_versioned(session_id)
    if found is None:
        planned = schedules.occurrence(ctx, session_id)
        found = None if planned is None else (planned, None)
    if found is None or not policy.may_read_session(ctx.caller, found[0], ctx.store.relations):
        raise session_not_found()
    return found


def changeable_versioned(ctx: Context, session_id: str) -> tuple[SessionRecord, Version]:
    """The session and its version if the caller may read it and it may be changed: an
    archived session is refused until restored (400 ``failed-precondition``), anything hidden
    is 404, and a schedule's occurrence not stored yet comes with the version None (nothing is
    written: the service's write creates it once the change is allowed, ``Sessions.save``).

    Whether this caller may make this change is the service's own policy check.
    """
    session, version = readable_for_change(ctx, session_id)
    require_changeable(session)
    return session, version


def changeable(ctx: Context, session_id: str) -> SessionRecord:
    """The session if the caller may read it and it may be changed (``changeable_versioned``)."""
    return changeable_versioned(ctx, session_id)[0]
