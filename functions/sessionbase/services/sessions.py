"""Athlete sessions (DESIGN.md §3–§4): create, read, list, update, delete, link to a backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sessionbase.domain import cursors, policy, shapes
from sessionbase.domain import sessions as decide
from sessionbase.domain.analysis.jobs import ANALYSIS_PREFIX
from sessionbase.errors import NotFound
from sessionbase.models.completion import DownloadRecord
from sessionbase.models.fields import is_document_id
from sessionbase.models.identity import Caller
from sessionbase.models.invitations import InvitationRecord, LinkRecord
from sessionbase.models.sessions import (
    MAX_POSES,
    AttachmentPage,
    AttachmentPublic,
    AttachmentRecord,
    ChildPageQuery,
    CreateWithAthlete,
    ItemRecord,
    LinkBackendSession,
    NotePage,
    NotePublic,
    NoteRecord,
    PageAfter,
    SessionCreate,
    SessionCreated,
    SessionDeleted,
    SessionDetail,
    SessionListQuery,
    SessionPage,
    SessionPublic,
    SessionReadQuery,
    SessionRecord,
    SessionUpdate,
    SessionWithUpload,
    UploadTarget,
    YogaSession,
    YogaSessionCreate,
    YogaSessionPage,
)
from sessionbase.services.access import (
    Occurrence,
    changeable_versioned,
    readable,
    readable_for_change,
    readable_versioned,
    session_not_found,
)
from sessionbase.services.context import Context
from sessionbase.store.client import DocumentMissing, together
from sessionbase.store.keys import backend_key, invitation_id
from sessionbase.store.work import Store

# How long the download URL of an attachment listed on GET /api/sessions/{id} works.
DOWNLOAD_URL_LIFETIME = timedelta(minutes=15)
_Child = TypeVar("_Child", NoteRecord, AttachmentRecord)

# ---- create ---------------------------------------------------------------------------------


def create_session(ctx: Context, body: SessionCreate | YogaSessionCreate) -> SessionCreated:
    """``POST /api/sessions``: an athlete session, or the yoga seed's finished practice."""
    items: list[ItemRecord] = []
    if isinstance(body, YogaSessionCreate):
        session, items = decide.new_yoga_session(ctx.caller, body, ctx.now)
    else:
        session = _new_athlete_session(ctx, body)
    session_id = ctx.store.sessions.new_id()
    _create(ctx, session_id, session, items)
    return SessionCreated(sessionId=session_id)


def create_with_athlete(ctx: Context, body: CreateWithAthlete) -> SessionWithUpload:
    """``POST /api/sessions/create-with-athlete``: a coach's video session, and its upload path."""
    policy.require_coach_or_admin(ctx.caller, "create sessions for athletes")
    session_id = ctx.store.sessions.new_id()
    path = decide.video_path(session_id, body.videoName)
    session = decide.with_video(_new_athlete_session(ctx, body), body, path)
    _create(ctx, session_id, session, [])
    return SessionWithUpload(
        sessionId=session_id,
        analysisStatus="pending",
        upload=UploadTarget(bucket=ctx.objects.name, path=path),
    )


def link_backend_session(ctx: Context, body: LinkBackendSession) -> SessionCreated:
    """``POST /api/sessions/link-backend``: created once per backend id, the same id ever after.

    One transaction reads the registry entry of (owning coach, backend id) and writes both
    documents, so concurrent calls agree on one session; an entry whose session was deleted is
    replaced.
    """
    policy.require_coach_or_admin(ctx.caller, "link backend sessions to athletes")
    # The athlete is checked before anything is written.
    session = _new_athlete_session(ctx, body.as_create()).changed(
        backendSessionId=body.backendSessionId
    )
    key = backend_key(decide.backend_owner(ctx.caller, session), body.backendSessionId)
    session = session.changed(backendKey=key)

    def link(unit: Store) -> str:
        existing = unit.sessions.backend_entry(key)
        if existing and unit.sessions.exists(existing):
            return existing
        session_id = unit.sessions.new_id()
        claimed = decide.with_accepted_athlete(session, _invitation_of(unit, session))
        unit.sessions.create(session_id, claimed)
        unit.sessions.register_backend(key, session_id=session_id, now=ctx.now)
        return session_id

    return SessionCreated(sessionId=ctx.store.transaction(link))


def _new_athlete_session(ctx: Context, create: SessionCreate) -> SessionRecord:
    """Ask the domain for the new session, after reading the link it needs (if any)."""
    coach = decide.coach_of_new_session(ctx.caller, create)
    link: LinkRecord | None = None
    if coach is not None and coach.coachId is not None:
        if create.athleteId is not None:
            link = ctx.store.relations.link(coach_id=coach.coachId, athlete_id=create.athleteId)
        elif create.athleteEmail is not None:
            link = ctx.store.relations.link_by_email(
                coach_id=coach.coachId, athlete_email=create.athleteEmail
            )
    return decide.new_athlete_session(ctx.caller, create, ctx.now, coach=coach, link=link)


def _create(ctx: Context, session_id: str, session: SessionRecord, items: list[ItemRecord]) -> None:
    """Write a new session.

    A pending session is written in a transaction that reads its coach's invitation to the
    address: if it was accepted meanwhile, the session takes the athlete. Accepting reads the
    same invitation in its own transaction, so one of the two always sees the other. Any other
    session needs no read, so one batch writes it.
    """
    if not session.is_pending:
        ctx.store.write(lambda unit: unit.sessions.create(session_id, session, items))
        return

    def create(unit: Store) -> None:
        claimed = decide.with_accepted_athlete(session, _invitation_of(unit, session))
        unit.sessions.create(session_id, claimed, items)

    ctx.store.transaction(create)


def _invitation_of(unit: Store, session: SessionRecord) -> InvitationRecord | None:
    """The invitation of a pending session's coach to its address (None if not pending), read
    inside the unit's transaction."""
    if not (session.is_pending and session.coachId and session.athleteEmail):
        return None
    return unit.invitations.get(invitation_id(session.coachId, session.athleteEmail))


# ---- read -----------------------------------------------------------------------------------


def get_session(
    ctx: Context, query: SessionReadQuery, *, session_id: str
) -> SessionDetail | YogaSession:
    """``GET /api/sessions/{id}``: one session the caller may see, with the first page of its
    notes (newest first) and of its attachments (oldest first), and cursors for the rest;
    ``?shape=yoga``: the session as the yoga seed's clients read it, with its poses.

    A request reads at most the session, ``CHILD_PAGE`` + 1 notes and ``CHILD_PAGE`` + 1
    attachment records, and signs at most ``CHILD_PAGE`` download URLs (docs/decisions.md); the
    yoga shape reads the session and at most ``MAX_POSES`` items.
    """
    if not is_document_id(session_id):  # the children's queries below need a valid id
        raise session_not_found()
    if query.shape == "yoga":
        # The items are read while the session is read and shown only if it is readable.
        session, items = together(
            lambda: readable(ctx, session_id, occurrence=Occurrence.VIEW),
            lambda: _items(ctx, session_id),
        )
        return shapes.yoga_session(session_id, session, items)
    # The pages are read while the session is read and the permission checked, and shown only
    # if the caller may read the session.
    session, notes, attachments = together(
        lambda: readable(ctx, session_id, occurrence=Occurrence.VIEW),
        lambda: _notes_page(ctx, session_id, ChildPageQuery()),
        lambda: _attachments_page(ctx, session_id, ChildPageQuery()),
    )
    return SessionDetail.model_validate(
        {
            **SessionPublic.of(session_id, session).model_dump(exclude_unset=True),
            "sessionNotes": notes[0],
            "sessionNotesNextCursor": notes[1],
            "attachments": _handed_out(ctx, session_id, attachments[0]),
            "attachmentsNextCursor": attachments[1],
        }
    )


def list_session_notes(ctx: Context, query: ChildPageQuery, *, session_id: str) -> NotePage:
    """``GET /api/sessions/{id}/notes``: a page of the session's notes, newest first."""
    readable(ctx, session_id, occurrence=Occurrence.VIEW)
    notes, next_cursor = _notes_page(ctx, session_id, query)
    return NotePage(sessionNotes=notes, nextCursor=next_cursor)


def list_session_attachments(
    ctx: Context, query: ChildPageQuery, *, session_id: str
) -> AttachmentPage:
    """``GET /api/sessions/{id}/attachments``: a page of the session's attachments, oldest
    first, each with a download URL signed for this page only."""
    readable(ctx, session_id, occurrence=Occurrence.VIEW)
    rows, next_cursor = _attachments_page(ctx, session_id, query)
    return AttachmentPage(
        attachments=_handed_out(ctx, session_id, rows),
        nextCursor=next_cursor,
    )


def _notes_page(
    ctx: Context, session_id: str, query: ChildPageQuery
) -> tuple[list[NotePublic], str | None]:
    rows, next_cursor = _child_page(ctx, session_id, "notes", NoteRecord, query, newest_first=True)
    notes = [
        NotePublic.model_validate({"noteId": nid, **note.model_dump(exclude_unset=True)})
        for nid, note in rows
    ]
    return notes, next_cursor


def _attachments_page(
    ctx: Context, session_id: str, query: ChildPageQuery
) -> tuple[list[tuple[str, AttachmentRecord]], str | None]:
    return _child_page(ctx, session_id, "attachments", AttachmentRecord, query, newest_first=False)


def _child_page(
    ctx: Context,
    session_id: str,
    name: str,
    model: type[_Child],
    query: ChildPageQuery,
    *,
    newest_first: bool,
) -> tuple[list[tuple[str, _Child]], str | None]:
    """One page of a session's subcollection and the cursor of the next (None: the last)."""
    if not is_document_id(session_id):
        raise session_not_found()
    fingerprint = cursors.query_fingerprint(name, session_id)
    after = None
    if query.cursor:
        after = cursors.decode_cursor(query.cursor, fingerprint, key=ctx.store.meta.cursor_key())
    rows = ctx.store.sessions.children_page(
        session_id, name, model, limit=query.limit + 1, after=after, newest_first=newest_first
    )
    page = rows[: query.limit]
    if len(rows) <= query.limit:
        return page, None
    last_id, last = page[-1]
    assert last.createdAt is not None  # the query orders by it
    position = PageAfter(created_at=last.createdAt, session_id=last_id)
    return page, cursors.encode_cursor(fingerprint, position, key=ctx.store.meta.cursor_key())


def _handed_out(
    ctx: Context, session_id: str, rows: list[tuple[str, AttachmentRecord]]
) -> list[AttachmentPublic]:
    """The attachments with their download URLs, each link recorded for the download log
    (``attachmentDownloads``, admins' ``GET /api/attachments/downloads``) in one batch before
    it is handed out: who was given which file's link, when (docs/decisions.md)."""
    signed = [_signed(ctx, aid, attachment) for aid, attachment in rows]
    given = [a for a in signed if a.downloadUrl is not None]
    if given:

        def record(unit: Store) -> None:
            for attachment in given:
                unit.completion.record_download(
                    DownloadRecord(
                        sessionId=session_id,
                        attachmentId=attachment.attachmentId,
                        fileName=attachment.fileName,
                        uid=ctx.caller.uid,
                        email=ctx.caller.email,
                        createdAt=ctx.now,
                    )
                )

        ctx.store.write(record)
    return signed


def _signed(ctx: Context, attachment_id: str, attachment: AttachmentRecord) -> AttachmentPublic:
    """The attachment as a client reads it, with a download URL (an IAM signing call when
    deployed) valid for ``DOWNLOAD_URL_LIFETIME``."""
    return AttachmentPublic.model_validate(
        {
            "attachmentId": attachment_id,
            **attachment.model_dump(exclude_unset=True),
            **_download(ctx, attachment, ctx.now + DOWNLOAD_URL_LIFETIME),
        }
    )


def _download(ctx: Context, attachment: AttachmentRecord, expires: datetime) -> dict[str, Any]:
    """The attachment's download URL and when it expires (nothing for a record without a file)."""
    if not attachment.path:
        return {}
    url = ctx.objects.download_url(attachment.path, DOWNLOAD_URL_LIFETIME)
    return {"downloadUrl": url, "downloadUrlExpiresAt": expires}


def _items(ctx: Context, session_id: str) -> list[tuple[str, ItemRecord]]:
    """A session's items: all of a yoga practice's (at most ``MAX_POSES``)."""
    return ctx.store.sessions.children_page(session_id, "items", ItemRecord, limit=MAX_POSES)


def list_sessions(ctx: Context, query: SessionListQuery) -> SessionPage | YogaSessionPage:
    """``GET /api/sessions``: one scope (the caller's own by default), filtered, newest first;
    ``?shape=yoga``: each session in the yoga seed's shape, with its poses (one read of items
    per practice on the page, all at once)."""
    equals = {
        **policy.session_list_scope(ctx.caller, query, ctx.store.relations),
        **query.filters(),
    }
    created_from, created_before = query.created_range()
    fingerprint = cursors.query_fingerprint(
        "sessions", ctx.caller.uid, equals, created_from, created_before
    )
    key = ctx.store.meta.cursor_key()
    after = cursors.decode_cursor(query.cursor, fingerprint, key=key) if query.cursor else None
    rows = ctx.store.sessions.page(
        equals=equals,
        limit=query.limit + 1,  # one more tells whether there is a next page
        after=after,
        created_from=created_from,
        created_before=created_before,
    )
    page = rows[: query.limit]
    next_cursor = None
    if len(rows) > query.limit:
        last_id, last = page[-1]
        assert last.createdAt is not None  # the query orders by it
        position = PageAfter(created_at=last.createdAt, session_id=last_id)
        next_cursor = cursors.encode_cursor(fingerprint, position, key=key)
    if query.shape == "yoga":
        practices = [sid for sid, session in page if shapes.has_poses(session)]
        read = together(*(lambda sid=sid: _items(ctx, sid) for sid in practices))
        items = dict(zip(practices, read, strict=True))
        return YogaSessionPage(
            sessions=[
                shapes.yoga_session(sid, session, items.get(sid, [])) for sid, session in page
            ],
            nextCursor=next_cursor,
        )
    return SessionPage(
        sessions=[SessionPublic.of(sid, session) for sid, session in page], nextCursor=next_cursor
    )


# ---- update and delete ----------------------------------------------------------------------


def update_session(ctx: Context, changes: SessionUpdate, *, session_id: str) -> SessionPublic:
    """``PUT /api/sessions/{id}``: change the fields the caller's role may change."""

    def attempt(unit: Store) -> SessionRecord:
        # Checks that involve stored values (an end before the stored start) hold for the
        # version written: a concurrent change makes the write fail, and it is decided again.
        session, version = changeable_versioned(ctx, session_id)
        updated, fields = decide.updated_session(ctx.caller, session, changes, ctx.now)
        if fields:  # a schedule's occurrence is stored with its first change (version None)
            unit.sessions.save(session_id, updated, version=version, fields=fields)
        return updated

    updated = ctx.store.optimistic(attempt, also=(DocumentMissing,))
    return SessionPublic.of(session_id, updated)


def archive_session(ctx: Context, *, session_id: str) -> SessionPublic:
    """``POST /api/sessions/{id}/archive``: out of the lists, read-only, still counted."""
    return _archive_change(ctx, session_id, decide.archived)


def restore_session(ctx: Context, *, session_id: str) -> SessionPublic:
    """``POST /api/sessions/{id}/restore``: an archived session back in the lists, changeable."""
    return _archive_change(ctx, session_id, decide.restored)


ARCHIVE_FIELDS = frozenset({"archived", "archivedAt", "archivedBy", "updatedAt"})


def _archive_change(
    ctx: Context,
    session_id: str,
    change: Callable[[Caller, SessionRecord, datetime], SessionRecord | None],
) -> SessionPublic:
    """Archive or restore: decided on the version read, written only if it is still current;
    a session already in the wanted state is returned as it is (a retry changes nothing). A
    schedule's occurrence is stored when it is archived, not when the change is refused."""

    def attempt(unit: Store) -> SessionRecord:
        session, version = readable_for_change(ctx, session_id)
        changed = change(ctx.caller, session, ctx.now)
        if changed is None:
            return session
        unit.sessions.save(session_id, changed, version=version, fields=ARCHIVE_FIELDS)
        return changed

    return SessionPublic.of(session_id, ctx.store.optimistic(attempt, also=(DocumentMissing,)))


def delete_session(ctx: Context, *, session_id: str) -> SessionDeleted:
    """``DELETE /api/sessions/{id}``: the session, its subcollections and its Storage objects.

    The session is marked first, at the version read (``Sessions.mark_deleting``): one DELETE
    wins that write and answers 200, a concurrent one reads it again and finds no session (404).
    From the mark on nothing can be added under the session, so the cascade takes whatever
    raced it. A delete interrupted after its mark is finished by the next DELETE of a manager
    (which still answers 404: the session was gone since the mark).
    """

    def mark(unit: Store) -> SessionRecord:
        session, version = readable_versioned(ctx, session_id)
        policy.require_manager(ctx.caller, session)
        decide.require_changeable(session)
        decide.require_deletable(session)
        live = session.groupId is not None
        unit.sessions.mark_deleting(session_id, ctx.now, version=version, live=live)
        return session

    try:
        session = ctx.store.optimistic(mark, also=(DocumentMissing,))
    except NotFound:
        interrupted = (
            ctx.store.sessions.being_deleted(session_id) if is_document_id(session_id) else None
        )
        if interrupted is not None and decide.is_interrupted_delete(
            ctx.caller, interrupted, ctx.now
        ):
            _take_away(ctx, session_id, interrupted)
        raise
    return SessionDeleted(
        sessionId=session_id, deleted=True, deletedObjects=_take_away(ctx, session_id, session)
    )


def _take_away(ctx: Context, session_id: str, session: SessionRecord) -> int:
    """Delete a marked session's objects, records and registry entry; returns how many objects.

    Objects first: if this fails, the records survive (the session stays marked) and the
    delete is finished later. The session's uploads, and what the built-in analyzer wrote.
    """
    objects = ctx.objects.delete_prefix(f"sessions/{session_id}/")
    objects += ctx.objects.delete_prefix(f"{ANALYSIS_PREFIX}/{session_id}/")
    ctx.store.sessions.delete_tree(session_id)
    if session.backendKey:
        _forget_backend_session(ctx, session.backendKey, session_id)
    return objects


def _forget_backend_session(ctx: Context, key: str, session_id: str) -> None:
    """Free a backend id, unless a relink has pointed it at a newer session meanwhile."""

    def forget(unit: Store) -> None:
        if unit.sessions.backend_entry(key) == session_id:
            unit.sessions.unregister_backend(key)

    ctx.store.transaction(forget)
