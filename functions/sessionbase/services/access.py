"""The one answer to "the session this caller may read, else 404".

A session the caller may not read does not exist for them (docs/decisions.md, "Hidden sessions
don't exist"), so every service that starts from a session id starts here.
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


class Occurrence(StrEnum):
    """What a schedule's occurrence that is no session yet is to the request."""

    NONE = "none"  # nothing: it does not exist
    VIEW = "view"  # shown as it would be, not written
    TOUCH = "touch"  # made a real session: a write to it is about to happen


def session_not_found() -> NotFound:
    """The one error for a missing session and for one the caller may not read."""
    return NotFound("Session not found.")


def readable_versioned(
    ctx: Context, session_id: str, *, occurrence: Occurrence = Occurrence.NONE
) -> tuple[SessionRecord, datetime]:
    """The session and its version (update time) if the caller may read it, else 404.

    ``occurrence`` may be ``NONE`` or ``TOUCH``: a virtual occurrence has no version.
    """
    assert occurrence is not Occurrence.VIEW, "an occurrence shown, not written, has no version"
    if occurrence is Occurrence.TOUCH:
        found = schedules.touching(
            ctx, session_id, lambda: ctx.store.sessions.get_versioned(session_id)
        )
    else:
        found = ctx.store.sessions.get_versioned(session_id) if is_document_id(session_id) else None
    if found is None or not policy.may_read_session(ctx.caller, found[0], ctx.store.relations):
        raise session_not_found()
    return found


def readable(
    ctx: Context, session_id: str, *, occurrence: Occurrence = Occurrence.NONE
) -> SessionRecord:
    """The session if the caller may read it, else 404 (``occurrence``: see ``Occurrence``)."""
    if occurrence is not Occurrence.VIEW:
        return readable_versioned(ctx, session_id, occurrence=occurrence)[0]
    session = ctx.store.sessions.get(session_id) if is_document_id(session_id) else None
    if session is None and is_document_id(session_id):
        session = schedules.occurrence(ctx, session_id)
    if session is None or not policy.may_read_session(ctx.caller, session, ctx.store.relations):
        raise session_not_found()
    return session


def changeable_versioned(ctx: Context, session_id: str) -> tuple[SessionRecord, datetime]:
    """The session and its version if the caller may read it and it may be changed: a
    schedule's occurrence is made a session (a change is about to be written), an archived
    session is refused until restored (400 ``failed-precondition``), anything hidden is 404.

    Whether this caller may make this change is the service's own policy check.
    """
    session, version = readable_versioned(ctx, session_id, occurrence=Occurrence.TOUCH)
    require_changeable(session)
    return session, version


def changeable(ctx: Context, session_id: str) -> SessionRecord:
    """The session if the caller may read it and it may be changed (``changeable_versioned``)."""
    return changeable_versioned(ctx, session_id)[0]
