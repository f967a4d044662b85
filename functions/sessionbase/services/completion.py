"""Closing sessions and their records (faculty seed): complete, cancel, codes, notes, attachments.

Each write is one unit of work whose preconditions fail if the session (or the note) changed
since it was read; it is then read again (``Store.optimistic``). A completion claims its code
with a create in the same unit, so two sessions can never hold one code.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sessionbase.domain import completion as decide
from sessionbase.domain import notifications as events
from sessionbase.domain import policy
from sessionbase.errors import AlreadyExists, FieldError, NotFound
from sessionbase.models.completion import (
    AttachmentDeleted,
    CompletionCodePublic,
    CompletionCodeRecord,
    DownloadList,
    DownloadListQuery,
    DownloadPublic,
    NoteCreate,
    NoteDeleted,
    NoteUpdate,
    SessionCancel,
    SessionComplete,
    completion_code,
)
from sessionbase.models.fields import is_document_id
from sessionbase.models.sessions import (
    NotePublic,
    NoteRecord,
    SessionPublic,
    SessionRecord,
)
from sessionbase.services import notifications
from sessionbase.services.access import (
    Version,
    changeable,
    changeable_versioned,
    session_not_found,
)
from sessionbase.services.context import Context
from sessionbase.services.paging import newest_first
from sessionbase.store.client import DocumentMissing
from sessionbase.store.work import Store

# A generated code colliding this many times in a row means something else is wrong.
CODE_ATTEMPTS = 5


class _CodeTaken(Exception):
    """The completion code is claimed by a session already."""


def _managed(ctx: Context, session_id: str, action: str) -> tuple[SessionRecord, Version]:
    """The session and its version, if the caller manages it (coach, creator, admin); a
    schedule's occurrence not stored yet has the version None and is stored with the change."""
    session, version = changeable_versioned(ctx, session_id)
    policy.require_manager(ctx.caller, session, action)
    return session, version


# ---- complete and cancel -------------------------------------------------------------------------


def complete_session(ctx: Context, body: SessionComplete, *, session_id: str) -> SessionPublic:
    """``POST /api/sessions/{id}/complete``: actual times, a unique code, optional notes."""

    def attempt(unit: Store, code: str) -> SessionRecord:
        session, version = _managed(ctx, session_id, "complete it")
        if decide.is_same_completion(session, body):
            return session  # a retry of a completion that was applied: nothing to write
        decide.require_closable(session)
        closed = decide.completed(ctx.caller, session, body, code, ctx.now)
        # A code claimed already is refused here; one claimed meanwhile fails the create below,
        # and the attempt, read again, refuses it here.
        if unit.completion.code(code) is not None:
            raise _CodeTaken
        claim = CompletionCodeRecord(
            sessionId=session_id, completedBy=ctx.caller.uid, completedAt=ctx.now
        )
        unit.completion.register_code(code, claim)
        unit.sessions.save(session_id, closed, version=version)
        unit.practice.close_for_answers(session_id)
        return closed

    for _ in range(CODE_ATTEMPTS):
        code = body.completionCode or decide.generated_code()
        try:
            closed = ctx.store.optimistic(partial(attempt, code=code), also=(DocumentMissing,))
        except _CodeTaken:
            if body.completionCode is None:
                continue  # a generated code was taken: draw another
            raise AlreadyExists(
                "This completion code is already used by another session.",
                errors=(FieldError(field="completionCode", message="already used"),),
            ) from None
        person = notifications.name_of(ctx.store, ctx.caller.uid, ctx.caller.display_name)
        event = events.session_completed(session_id, closed, by=ctx.caller.uid, person=person)
        notifications.deliver(ctx.store, event, ctx.now)
        return SessionPublic.of(session_id, closed)
    raise RuntimeError(f"{CODE_ATTEMPTS} generated completion codes in a row were taken")


def cancel_session(ctx: Context, body: SessionCancel, *, session_id: str) -> SessionPublic:
    """``POST /api/sessions/{id}/cancel``: a session that will not be held, and why."""

    def attempt(unit: Store) -> SessionRecord:
        session, version = _managed(ctx, session_id, "cancel it")
        decide.require_closable(session)
        closed = decide.cancelled(session, body, ctx.now)
        unit.sessions.save(session_id, closed, version=version)
        unit.practice.close_for_answers(session_id)
        return closed

    closed = ctx.store.optimistic(attempt, also=(DocumentMissing,))
    return SessionPublic.of(session_id, closed)


def verify_code(ctx: Context, *, code: str) -> CompletionCodePublic:
    """``GET /api/completion-codes/{code}`` (admin): which session a code completed."""
    policy.require_code_verifier(ctx.caller)
    try:
        normal = completion_code(code)
    except ValueError:
        raise NotFound("No session was completed with this code.") from None
    found = ctx.store.completion.code(normal)
    if found is None:
        raise NotFound("No session was completed with this code.")
    return CompletionCodePublic(code=normal, **found.model_dump())


# ---- notes ---------------------------------------------------------------------------------------


def _note_public(note_id: str, note: NoteRecord) -> NotePublic:
    return NotePublic.model_validate({"noteId": note_id, **note.model_dump(exclude_unset=True)})


def add_note(ctx: Context, body: NoteCreate, *, session_id: str) -> NotePublic:
    """``POST /api/sessions/{id}/notes``: a note by anyone who may read the session."""
    note = decide.new_note(ctx.caller, body, ctx.now)
    note_id = ctx.store.completion.new_note_id(session_id)

    def attempt(unit: Store) -> None:
        session, version = changeable_versioned(ctx, session_id)
        # Counted after the session's version is read: every note added or deleted writes the
        # session, so a note added meanwhile fails this write and the count is taken again.
        if version is not None:  # an occurrence not stored yet has no notes
            decide.require_room_for_note(ctx.store.sessions.children_count(session_id, "notes"))
        # Writing the session at the version read fails if it was deleted, or marked for
        # deletion (no note is left behind it), or changed (archived) meanwhile: then it is
        # decided again. A schedule's occurrence is stored with its first note.
        touched = session.changed(updatedAt=ctx.now)
        unit.sessions.save(session_id, touched, version=version, fields=frozenset({"updatedAt"}))
        unit.completion.create_note(session_id, note_id, note)

    try:
        ctx.store.optimistic(attempt)
    except DocumentMissing:  # deleted between the read and the write
        raise session_not_found() from None
    return _note_public(note_id, note)


def update_note(ctx: Context, body: NoteUpdate, *, session_id: str, note_id: str) -> NotePublic:
    """``PUT /api/sessions/{id}/notes/{noteId}``: by its author or an admin."""

    def attempt(unit: Store) -> NotePublic:
        note, version, session_version = _note(ctx, session_id, note_id)
        decide.require_note_author(ctx.caller, note)
        edited = decide.edited_note(note, body, ctx.now)
        unit.sessions.touch(session_id, ctx.now, version=session_version)
        unit.completion.replace_note(session_id, note_id, edited, version=version)
        return _note_public(note_id, edited)

    return ctx.store.optimistic(attempt, also=(DocumentMissing,))


def delete_note(ctx: Context, *, session_id: str, note_id: str) -> NoteDeleted:
    """``DELETE /api/sessions/{id}/notes/{noteId}``: by its author or an admin."""

    def attempt(unit: Store) -> NoteDeleted:
        note, version, session_version = _note(ctx, session_id, note_id)
        decide.require_note_author(ctx.caller, note)
        unit.sessions.touch(session_id, ctx.now, version=session_version)
        unit.completion.delete_note(session_id, note_id, version=version)
        return NoteDeleted(noteId=note_id, deleted=True)

    return ctx.store.optimistic(attempt, also=(DocumentMissing,))


def _note(ctx: Context, session_id: str, note_id: str) -> tuple[NoteRecord, datetime, datetime]:
    """The note, its version and its session's version, in a session the caller may read and
    change; else 404 (400 for an archived session)."""
    _session, session_version = changeable_versioned(ctx, session_id)
    found = ctx.store.completion.note(session_id, note_id) if is_document_id(note_id) else None
    if found is None or session_version is None:  # an occurrence not stored has no notes
        raise NotFound("Note not found.")
    note, version = found
    return note, version, session_version


# ---- attachments ---------------------------------------------------------------------------------


def delete_attachment(ctx: Context, *, session_id: str, attachment_id: str) -> AttachmentDeleted:
    """``DELETE /api/sessions/{id}/attachments/{attachmentId}``: the file, then its record."""
    session = changeable(ctx, session_id)
    found = (
        ctx.store.completion.attachment(session_id, attachment_id)
        if is_document_id(attachment_id)
        else None
    )
    if found is None:
        raise NotFound("Attachment not found.")
    decide.require_attachment_remover(ctx.caller, session, found)
    # The file first: if this fails the record stays, and the delete can be sent again.
    removed = ctx.objects.delete(found.path) if found.path else False
    ctx.store.write(lambda unit: unit.completion.delete_attachment(session_id, attachment_id))
    return AttachmentDeleted(
        attachmentId=attachment_id, deleted=True, deletedObjects=1 if removed else 0
    )


# ---- download tracking ---------------------------------------------------------------------------


def list_downloads(ctx: Context, query: DownloadListQuery) -> DownloadList:
    """``GET /api/attachments/downloads`` (admin): who was given which attachment's download
    link, when; newest first, one session's (``sessionId``) or everyone's."""
    policy.require_download_auditor(ctx.caller)
    created_from, created_before = query.created_range()
    page, next_cursor = newest_first(
        ctx,
        query=("downloads", query.sessionId or "", created_from, created_before),
        cursor=query.cursor,
        limit=query.limit,
        fetch=lambda n, after: ctx.store.completion.downloads(
            session_id=query.sessionId,
            limit=n,
            after=after,
            created_from=created_from,
            created_before=created_before,
        ),
        time_of=lambda record: record.createdAt,
    )
    return DownloadList(
        downloads=[DownloadPublic(downloadId=did, **record.model_dump()) for did, record in page],
        nextCursor=next_cursor,
    )
