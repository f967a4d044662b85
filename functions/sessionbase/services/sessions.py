"""Athlete sessions (DESIGN.md §3–§4): create, read, list, update, delete, link to a backend."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from sessionbase.domain import cursors, policy
from sessionbase.domain import sessions as decide
from sessionbase.domain.analysis import ANALYSIS_PREFIX
from sessionbase.errors import NotFound
from sessionbase.models.fields import is_document_id
from sessionbase.models.invitations import InvitationRecord, LinkRecord
from sessionbase.models.sessions import (
    AttachmentPublic,
    AttachmentRecord,
    CreateWithAthlete,
    ItemRecord,
    LinkBackendSession,
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
    SessionRecord,
    SessionUpdate,
    SessionWithUpload,
    UploadTarget,
    YogaSessionCreate,
)
from sessionbase.services import schedules
from sessionbase.services.context import Context
from sessionbase.store import invitations as invitation_store
from sessionbase.store import meta, relations
from sessionbase.store import sessions as store
from sessionbase.store.client import (
    DocumentMissing,
    commit,
    retry_on_conflict,
    run_transaction,
    together,
)
from sessionbase.store.keys import backend_key, invitation_id

if TYPE_CHECKING:
    from google.cloud.firestore import Transaction

# How long the download URL of an attachment listed on GET /api/sessions/{id} works.
DOWNLOAD_URL_LIFETIME = timedelta(minutes=15)

# ---- create ---------------------------------------------------------------------------------


def create_session(ctx: Context, body: SessionCreate | YogaSessionCreate) -> SessionCreated:
    """``POST /api/sessions``: an athlete session, or the yoga seed's finished practice."""
    items: list[ItemRecord] = []
    if isinstance(body, YogaSessionCreate):
        session, items = decide.new_yoga_session(ctx.caller, body, ctx.now)
    else:
        session = _new_athlete_session(ctx, body)
    session_id = store.new_session_id(ctx.db)
    _create(ctx, session_id, session, items)
    return SessionCreated(sessionId=session_id)


def create_with_athlete(ctx: Context, body: CreateWithAthlete) -> SessionWithUpload:
    """``POST /api/sessions/create-with-athlete``: a coach's video session, and its upload path."""
    policy.require_coach_or_admin(ctx.caller, "create sessions for athletes")
    session_id = store.new_session_id(ctx.db)
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

    def link(transaction: Transaction) -> str:
        existing = store.backend_entry(ctx.db, key, transaction=transaction)
        if existing and store.exists(ctx.db, existing, transaction=transaction):
            return existing
        session_id = store.new_session_id(ctx.db)
        claimed = decide.with_accepted_athlete(session, _invitation_of(ctx, session, transaction))
        store.create(transaction, ctx.db, session_id=session_id, session=claimed)
        store.register_backend(transaction, ctx.db, key, session_id=session_id, now=ctx.now)
        return session_id

    return SessionCreated(sessionId=run_transaction(ctx.db, link))


def _new_athlete_session(ctx: Context, create: SessionCreate) -> SessionRecord:
    """Ask the domain for the new session, after reading the link it needs (if any)."""
    coach = decide.coach_of_new_session(ctx.caller, create)
    link: LinkRecord | None = None
    if coach is not None and coach.coachId is not None:
        if create.athleteId is not None:
            link = relations.link(ctx.db, coach_id=coach.coachId, athlete_id=create.athleteId)
        elif create.athleteEmail is not None:
            link = relations.link_by_email(
                ctx.db, coach_id=coach.coachId, athlete_email=create.athleteEmail
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
        store.create_now(ctx.db, session_id=session_id, session=session, items=items)
        return

    def create(transaction: Transaction) -> None:
        claimed = decide.with_accepted_athlete(session, _invitation_of(ctx, session, transaction))
        store.create(transaction, ctx.db, session_id=session_id, session=claimed, items=items)

    run_transaction(ctx.db, create)


def _invitation_of(
    ctx: Context, session: SessionRecord, transaction: Transaction
) -> InvitationRecord | None:
    """The invitation of a pending session's coach to its address (None if not pending)."""
    if not (session.is_pending and session.coachId and session.athleteEmail):
        return None
    key = invitation_id(session.coachId, session.athleteEmail)
    return invitation_store.get(ctx.db, key, transaction=transaction)


# ---- read -----------------------------------------------------------------------------------


def get_session(ctx: Context, *, session_id: str) -> SessionDetail:
    """``GET /api/sessions/{id}``: one session the caller may see, with notes and attachments."""
    if not is_document_id(session_id):  # the children's queries below need a valid id
        raise NotFound("Session not found.")
    # The notes and attachments are read while the session is read and the permission checked,
    # and shown only if the caller may read the session.
    session, notes, attachments = together(
        lambda: _readable(ctx, session_id, occurrence="view"),
        lambda: store.children(ctx.db, session_id, "notes", NoteRecord)[::-1],  # newest first
        lambda: store.children(ctx.db, session_id, "attachments", AttachmentRecord),
    )
    expires = ctx.now + DOWNLOAD_URL_LIFETIME
    return SessionDetail.model_validate(
        {
            **SessionPublic.of(session_id, session).model_dump(exclude_unset=True),
            "sessionNotes": [
                NotePublic.model_validate({"noteId": nid, **note.model_dump(exclude_unset=True)})
                for nid, note in notes
            ],
            "attachments": [
                AttachmentPublic.model_validate(
                    {
                        "attachmentId": aid,
                        **attachment.model_dump(exclude_unset=True),
                        **_download(ctx, attachment, expires),
                    }
                )
                for aid, attachment in attachments
            ],
        }
    )


def _download(ctx: Context, attachment: AttachmentRecord, expires: datetime) -> dict[str, Any]:
    """The attachment's download URL and when it expires (nothing for a record without a file)."""
    if not attachment.path:
        return {}
    url = ctx.objects.download_url(attachment.path, DOWNLOAD_URL_LIFETIME)
    return {"downloadUrl": url, "downloadUrlExpiresAt": expires}


def _readable(
    ctx: Context, session_id: str, *, occurrence: Literal["view", "touch", "none"] = "none"
) -> SessionRecord:
    """The session if the caller may read it; otherwise it "does not exist".

    A schedule's occurrence not touched yet is shown as it would be (``view``), made a real
    session (``touch``: a write is about to happen), or does not exist (``none``).
    """
    if occurrence == "touch":
        session = schedules.touching(ctx, session_id, lambda: store.get(ctx.db, session_id))
    else:
        session = store.get(ctx.db, session_id) if is_document_id(session_id) else None
    if session is None and occurrence == "view" and is_document_id(session_id):
        session = schedules.occurrence(ctx, session_id)
    if session is None or not policy.may_read_session(ctx.caller, session, ctx.relations):
        raise NotFound("Session not found.")
    return session


def list_sessions(ctx: Context, query: SessionListQuery) -> SessionPage:
    """``GET /api/sessions``: one scope (the caller's own by default), filtered, newest first."""
    equals = {**policy.session_list_scope(ctx.caller, query, ctx.relations), **query.filters()}
    created_from, created_before = query.created_range()
    fingerprint = cursors.query_fingerprint(
        "sessions", ctx.caller.uid, equals, created_from, created_before
    )
    key = meta.cursor_key(ctx.db)
    after = cursors.decode_cursor(query.cursor, fingerprint, key=key) if query.cursor else None
    rows = store.page(
        ctx.db,
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
    return SessionPage(
        sessions=[SessionPublic.of(sid, session) for sid, session in page], nextCursor=next_cursor
    )


# ---- update and delete ----------------------------------------------------------------------


def update_session(ctx: Context, changes: SessionUpdate, *, session_id: str) -> SessionPublic:
    """``PUT /api/sessions/{id}``: change the fields the caller's role may change."""
    _readable(ctx, session_id, occurrence="touch")

    def attempt() -> SessionRecord:
        # Checks that involve stored values (an end before the stored start) hold for the
        # version written: a concurrent change makes the write fail, and it is decided again.
        found = store.get_versioned(ctx.db, session_id)
        if found is None or not policy.may_read_session(ctx.caller, found[0], ctx.relations):
            raise NotFound("Session not found.")
        session, version = found
        updated, fields = decide.updated_session(ctx.caller, session, changes, ctx.now)
        if fields:
            batch = ctx.db.batch()
            store.update_at(batch, ctx.db, session_id, updated, fields, version=version)
            commit(batch)
        return updated

    return SessionPublic.of(session_id, retry_on_conflict(attempt, also=(DocumentMissing,)))


def delete_session(ctx: Context, *, session_id: str) -> SessionDeleted:
    """``DELETE /api/sessions/{id}``: the session, its subcollections and its Storage objects."""
    session = _readable(ctx, session_id)
    policy.require_manager(ctx.caller, session)
    decide.require_deletable(session)
    # Objects first: if this fails, the record survives and the delete can be retried. The
    # session's uploads, and what the built-in analyzer wrote about them.
    objects = ctx.objects.delete_prefix(f"sessions/{session_id}/")
    objects += ctx.objects.delete_prefix(f"{ANALYSIS_PREFIX}/{session_id}/")
    store.delete_tree(ctx.db, session_id)
    if session.backendKey:
        _forget_backend_session(ctx, session.backendKey, session_id)
    return SessionDeleted(sessionId=session_id, deleted=True, deletedObjects=objects)


def _forget_backend_session(ctx: Context, key: str, session_id: str) -> None:
    """Free a backend id, unless a relink has pointed it at a newer session meanwhile."""

    def forget(transaction: Transaction) -> None:
        if store.backend_entry(ctx.db, key, transaction=transaction) == session_id:
            store.unregister_backend(transaction, ctx.db, key)

    run_transaction(ctx.db, forget)
