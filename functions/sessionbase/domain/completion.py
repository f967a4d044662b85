"""Closing a session (faculty seed): completion with actual times and a unique code, cancelling;
note records and who may change them; who may remove an attachment.

Pure: no I/O.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sessionbase.domain.practice import display_duration
from sessionbase.errors import FailedPrecondition, PermissionDenied
from sessionbase.models.completion import NoteCreate, NoteUpdate, SessionCancel, SessionComplete
from sessionbase.models.identity import Caller
from sessionbase.models.sessions import (
    NOTES_PER_SESSION,
    AttachmentRecord,
    NoteRecord,
    SessionRecord,
    SessionStatus,
)

# Generated codes: no 0/O, 1/I/L, so a code read aloud or copied by hand stays the same code.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS = 2
CODE_GROUP_LENGTH = 4


def generated_code() -> str:
    """A fresh code such as ``K7QM-3XHP`` (31^8, about 8.5e11, possible codes)."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def require_closable(session: SessionRecord) -> None:
    """Only a scheduled or active session is completed or cancelled, and not a live one."""
    if session.status not in (SessionStatus.SCHEDULED, SessionStatus.ACTIVE):
        raise FailedPrecondition(f"The session is already {session.status or 'closed'}.")
    if session.groupId and session.status == SessionStatus.ACTIVE:
        raise FailedPrecondition(
            "This live session is running: end it with POST /api/sessions/{id}/end."
        )


def is_same_completion(session: SessionRecord, body: SessionComplete) -> bool:
    """A retried completion: the session already completed with this code and these times."""
    return (
        session.status == SessionStatus.COMPLETED
        and body.completionCode is not None
        and session.completionCode == body.completionCode
        and session.actualStart == body.actualStart
        and session.actualEnd == body.actualEnd
    )


def completed(
    caller: Caller, session: SessionRecord, body: SessionComplete, code: str, now: datetime
) -> SessionRecord:
    """The session completed: its real times, their duration, its code, who completed it."""
    seconds = int((body.actualEnd - body.actualStart).total_seconds())
    changes: dict[str, object] = {
        "status": SessionStatus.COMPLETED,
        "actualStart": body.actualStart.astimezone(UTC),  # as Firestore gives it back
        "actualEnd": body.actualEnd.astimezone(UTC),
        "durationSeconds": seconds,
        "duration": display_duration(seconds),
        "completionCode": code,
        "completedBy": caller.uid,
        "updatedAt": now,
    }
    if body.notes is not None:
        changes["notes"] = body.notes
    return session.changed(**changes)


def cancelled(session: SessionRecord, body: SessionCancel, now: datetime) -> SessionRecord:
    """The session cancelled, with the reason when one was given."""
    return session.changed(status=SessionStatus.CANCELLED, cancelReason=body.reason, updatedAt=now)


# ---- notes ------------------------------------------------------------------------------------


def new_note(caller: Caller, body: NoteCreate, now: datetime) -> NoteRecord:
    """A note record by the caller."""
    return NoteRecord(
        type=body.type,
        text=body.text,
        authorId=caller.uid,
        authorName=caller.display_name,
        createdAt=now,
        updatedAt=now,
    )


def require_room_for_note(notes: int) -> None:
    """A session holds at most ``NOTES_PER_SESSION`` notes: one read of it stays bounded."""
    if notes >= NOTES_PER_SESSION:
        raise FailedPrecondition(
            f"This session has {NOTES_PER_SESSION} notes, as many as a session may hold; "
            "delete one to add another."
        )


def require_note_author(caller: Caller, note: NoteRecord) -> None:
    """A note is edited or deleted by its author or an admin."""
    if not caller.is_admin and caller.uid != note.authorId:
        raise PermissionDenied("Only the note's author or an admin may change it.")


def edited_note(note: NoteRecord, body: NoteUpdate, now: datetime) -> NoteRecord:
    """The note with the text and type sent."""
    sent = body.model_dump(exclude_none=True)
    return note.changed(**sent, updatedAt=now)


# ---- attachments -------------------------------------------------------------------------------


def require_attachment_remover(
    caller: Caller, session: SessionRecord, attachment: AttachmentRecord
) -> None:
    """An attachment is removed by its uploader, the session's coach or creator, or an admin."""
    managers = (session.coachId, session.createdBy, attachment.uploadedBy)
    if not caller.is_admin and caller.uid not in managers:
        raise PermissionDenied(
            "Only who uploaded it, the session's coach or creator, or an admin may remove it."
        )
