"""Closing sessions and their records (faculty seed): complete, cancel, codes, notes, attachments.

Each write is one batch whose preconditions fail if the session (or the note) changed since it
was read; it is then read again (``retry_on_conflict``). A completion claims its code with
``create()`` in the same batch, so two sessions can never hold one code.
"""

from __future__ import annotations

from datetime import datetime

from sessionbase.domain import completion as decide
from sessionbase.domain import policy
from sessionbase.errors import (
    AlreadyExists,
    FieldError,
    NotFound,
    PermissionDenied,
)
from sessionbase.models.completion import (
    AttachmentDeleted,
    CompletionCodePublic,
    CompletionCodeRecord,
    NoteCreate,
    NoteDeleted,
    NoteUpdate,
    SessionCancel,
    SessionComplete,
    completion_code,
)
from sessionbase.models.fields import is_document_id
from sessionbase.models.sessions import NotePublic, NoteRecord, SessionPublic, SessionRecord
from sessionbase.services import schedules
from sessionbase.services.context import Context
from sessionbase.store import completion as store
from sessionbase.store import practice as practice_store
from sessionbase.store import sessions as session_store
from sessionbase.store.client import DocumentExists, DocumentMissing, commit, retry_on_conflict

# A generated code colliding this many times in a row means something else is wrong.
CODE_ATTEMPTS = 5


def _readable(ctx: Context, session_id: str) -> tuple[SessionRecord, datetime]:
    """The session and its version, if the caller may read it; otherwise it "does not exist"."""
    found = schedules.touching(
        ctx, session_id, lambda: session_store.get_versioned(ctx.db, session_id)
    )
    if found is None or not policy.may_read_session(ctx.caller, found[0], ctx.relations):
        raise NotFound("Session not found.")
    return found


def _managed(ctx: Context, session_id: str, action: str) -> tuple[SessionRecord, datetime]:
    """The session and its version, if the caller manages it (coach, creator, admin)."""
    session, version = _readable(ctx, session_id)
    if not policy.may_manage_session(ctx.caller, session):
        raise PermissionDenied(f"Only the session's coach, its creator or an admin may {action}.")
    return session, version


# ---- complete and cancel -------------------------------------------------------------------------


def complete_session(ctx: Context, body: SessionComplete, *, session_id: str) -> SessionPublic:
    """``POST /api/sessions/{id}/complete``: actual times, a unique code, optional notes."""

    def attempt() -> SessionRecord:
        session, version = _managed(ctx, session_id, "complete it")
        if decide.is_same_completion(session, body):
            return session  # a retry of a completion that was applied
        decide.require_closable(session)
        for _ in range(CODE_ATTEMPTS):
            code = body.completionCode or decide.generated_code()
            closed = decide.completed(ctx.caller, session, body, code, ctx.now)
            batch = ctx.db.batch()
            claim = CompletionCodeRecord(
                sessionId=session_id, completedBy=ctx.caller.uid, completedAt=ctx.now
            )
            store.register_code(batch, ctx.db, code, claim)
            session_store.replace(batch, ctx.db, session_id, closed, version=version)
            practice_store.close_for_answers(batch, ctx.db, session_id)
            try:
                commit(batch)
            except DocumentExists:
                if body.completionCode is None:
                    continue  # a generated code was taken: draw another
                raise AlreadyExists(
                    "This completion code is already used by another session.",
                    errors=(FieldError(field="completionCode", message="already used"),),
                ) from None
            return closed
        raise RuntimeError(f"{CODE_ATTEMPTS} generated completion codes in a row were taken")

    closed = retry_on_conflict(attempt, also=(DocumentMissing,))
    return SessionPublic.of(session_id, closed)


def cancel_session(ctx: Context, body: SessionCancel, *, session_id: str) -> SessionPublic:
    """``POST /api/sessions/{id}/cancel``: a session that will not be held, and why."""

    def attempt() -> SessionRecord:
        session, version = _managed(ctx, session_id, "cancel it")
        decide.require_closable(session)
        closed = decide.cancelled(session, body, ctx.now)
        batch = ctx.db.batch()
        session_store.replace(batch, ctx.db, session_id, closed, version=version)
        practice_store.close_for_answers(batch, ctx.db, session_id)
        commit(batch)
        return closed

    return SessionPublic.of(session_id, retry_on_conflict(attempt, also=(DocumentMissing,)))


def verify_code(ctx: Context, *, code: str) -> CompletionCodePublic:
    """``GET /api/completion-codes/{code}`` (admin): which session a code completed."""
    if not ctx.caller.is_admin:
        raise PermissionDenied("Only admins verify completion codes.")
    try:
        normal = completion_code(code)
    except ValueError:
        raise NotFound("No session was completed with this code.") from None
    found = store.code(ctx.db, normal)
    if found is None:
        raise NotFound("No session was completed with this code.")
    return CompletionCodePublic(code=normal, **found.model_dump())


# ---- notes ---------------------------------------------------------------------------------------


def _note_public(note_id: str, note: NoteRecord) -> NotePublic:
    return NotePublic.model_validate({"noteId": note_id, **note.model_dump(exclude_unset=True)})


def add_note(ctx: Context, body: NoteCreate, *, session_id: str) -> NotePublic:
    """``POST /api/sessions/{id}/notes``: a note by anyone who may read the session."""
    _readable(ctx, session_id)
    note = decide.new_note(ctx.caller, body, ctx.now)
    ref = store.note_ref(ctx.db, session_id)
    batch = ctx.db.batch()
    # Touching the session fails if it was deleted meanwhile: no note is left behind it.
    batch.update(session_store.session_ref(ctx.db, session_id), {"updatedAt": ctx.now})
    batch.create(ref, note.document())
    try:
        commit(batch)
    except DocumentMissing:
        raise NotFound("Session not found.") from None
    return _note_public(ref.id, note)


def update_note(ctx: Context, body: NoteUpdate, *, session_id: str, note_id: str) -> NotePublic:
    """``PUT /api/sessions/{id}/notes/{noteId}``: by its author or an admin."""

    def attempt() -> NotePublic:
        note, version = _note(ctx, session_id, note_id)
        decide.require_note_author(ctx.caller, note)
        edited = decide.edited_note(note, body, ctx.now)
        batch = ctx.db.batch()
        store.replace_note(batch, ctx.db, session_id, note_id, edited, version=version)
        commit(batch)
        return _note_public(note_id, edited)

    return retry_on_conflict(attempt, also=(DocumentMissing,))


def delete_note(ctx: Context, *, session_id: str, note_id: str) -> NoteDeleted:
    """``DELETE /api/sessions/{id}/notes/{noteId}``: by its author or an admin."""

    def attempt() -> NoteDeleted:
        note, version = _note(ctx, session_id, note_id)
        decide.require_note_author(ctx.caller, note)
        batch = ctx.db.batch()
        store.delete_note(batch, ctx.db, session_id, note_id, version=version)
        commit(batch)
        return NoteDeleted(noteId=note_id, deleted=True)

    return retry_on_conflict(attempt, also=(DocumentMissing,))


def _note(ctx: Context, session_id: str, note_id: str) -> tuple[NoteRecord, datetime]:
    _readable(ctx, session_id)
    found = store.note(ctx.db, session_id, note_id) if is_document_id(note_id) else None
    if found is None:
        raise NotFound("Note not found.")
    return found


# ---- attachments ---------------------------------------------------------------------------------


def delete_attachment(ctx: Context, *, session_id: str, attachment_id: str) -> AttachmentDeleted:
    """``DELETE /api/sessions/{id}/attachments/{attachmentId}``: the file, then its record."""
    session, _version = _readable(ctx, session_id)
    found = (
        store.attachment(ctx.db, session_id, attachment_id)
        if is_document_id(attachment_id)
        else None
    )
    if found is None:
        raise NotFound("Attachment not found.")
    decide.require_attachment_remover(ctx.caller, session, found)
    # The file first: if this fails the record stays, and the delete can be sent again.
    removed = ctx.objects.delete(found.path) if found.path else False
    store.attachment_ref(ctx.db, session_id, attachment_id).delete()
    return AttachmentDeleted(
        attachmentId=attachment_id, deleted=True, deletedObjects=1 if removed else 0
    )
