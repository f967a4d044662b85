"""Timestamped comments with drawings on a session's video (``sessions/{id}/comments``).

Who may do what is domain/comments.py; reading them is reading the session (services/access.py:
others get 404, as for a missing session). Every write is one transaction that reads the
session and the comments it depends on: a session marked for deletion meanwhile (its update
fails the transaction, which then finds it gone), a parent deleted while a reply is added, a
reply added while its parent is deleted — each is decided again, so no comment is left behind a
deleted session or parent. A refused request writes nothing.
"""

from __future__ import annotations

import dataclasses

from sessionbase.domain import comments as decide
from sessionbase.domain import notifications as events
from sessionbase.errors import FailedPrecondition, NotFound
from sessionbase.models.comments import (
    COMMENTS_PER_SESSION,
    CommentCreate,
    CommentCreated,
    CommentDeleted,
    CommentList,
    CommentPublic,
    CommentRecord,
    CommentResolve,
    CommentUpdate,
)
from sessionbase.models.fields import is_document_id
from sessionbase.models.sessions import SessionRecord
from sessionbase.services import notifications
from sessionbase.services.access import (
    Occurrence,
    changeable_versioned,
    readable,
    session_not_found,
)
from sessionbase.services.context import Context
from sessionbase.store.client import together
from sessionbase.store.work import Store


def _in(ctx: Context, unit: Store) -> Context:
    """The request's context reading through ``unit`` (inside its transaction)."""
    return dataclasses.replace(ctx, store=unit)


def _comment(
    ctx: Context, unit: Store, session_id: str, comment_id: str
) -> tuple[SessionRecord, CommentRecord]:
    """The session (readable and changeable, else 404 / 400) and its comment (else 404), read
    inside the unit's transaction."""
    session, _version = changeable_versioned(_in(ctx, unit), session_id)
    comment = unit.comments.get(session_id, comment_id) if is_document_id(comment_id) else None
    if comment is None:
        raise NotFound("Comment not found.")
    return session, comment


def _public(session: SessionRecord, comment: CommentRecord) -> CommentPublic:
    return CommentPublic.of(comment, earlier_video=decide.is_earlier_video(session, comment))


def add_comment(ctx: Context, body: CommentCreate, *, session_id: str) -> CommentCreated:
    """``POST /api/sessions/{id}/comments``: a comment at ``atMs`` of the session's video, by
    anyone who may read the session."""
    if not is_document_id(session_id):
        raise session_not_found()
    comment_id = ctx.store.comments.new_id(session_id)

    def add(unit: Store) -> tuple[SessionRecord, CommentRecord]:
        session, _version = changeable_versioned(_in(ctx, unit), session_id)
        decide.video_length_ms(session)  # no video: refused before anything else is read
        # A bound on one list's size; concurrent adds may pass it by a few (decisions.md).
        if ctx.store.comments.count(session_id) >= COMMENTS_PER_SESSION:
            raise FailedPrecondition(
                f"This session has {COMMENTS_PER_SESSION} comments, as many as it may hold; "
                "delete one to add another."
            )
        parent = unit.comments.get(session_id, body.replyTo) if body.replyTo is not None else None
        comment = decide.new_comment(
            ctx.caller,
            session,
            body,
            comment_id=comment_id,
            session_id=session_id,
            parent=parent,
            now=ctx.now,
        )
        unit.comments.create(session_id, comment)
        return session, comment

    session, comment = ctx.store.transaction(add)
    person = notifications.name_of(ctx.store, ctx.caller.uid, ctx.caller.display_name)
    event = events.comment_added(session_id, session, comment_id, comment, person=person)
    notifications.deliver(ctx.store, event, ctx.now)
    return CommentCreated(commentId=comment_id)


def list_comments(ctx: Context, *, session_id: str) -> CommentList:
    """``GET /api/sessions/{id}/comments``: every comment, by ``atMs`` then ``createdAt``; each
    says whether it was made on a video since replaced (``earlierVideo``)."""
    if not is_document_id(session_id):
        raise session_not_found()
    # Both at once; the comments are shown only if the session is readable.
    session, found = together(
        lambda: readable(ctx, session_id, occurrence=Occurrence.VIEW),
        lambda: ctx.store.comments.ordered(session_id, limit=2 * COMMENTS_PER_SESSION),
    )
    return CommentList(comments=[_public(session, comment) for comment in found])


def update_comment(
    ctx: Context, body: CommentUpdate, *, session_id: str, comment_id: str
) -> CommentPublic:
    """``PUT /api/sessions/{id}/comments/{commentId}``: its text, drawing or time, by its
    author or an admin."""

    def edit(unit: Store) -> CommentPublic:
        session, comment = _comment(ctx, unit, session_id, comment_id)
        decide.require_editor(ctx.caller, comment)
        changed = decide.edited(comment, body, session, ctx.now)
        unit.comments.replace(session_id, changed)
        return _public(session, changed)

    return ctx.store.transaction(edit)


def delete_comment(ctx: Context, *, session_id: str, comment_id: str) -> CommentDeleted:
    """``DELETE /api/sessions/{id}/comments/{commentId}``: the comment and its replies, by its
    author, the session's coach or an admin."""

    def remove(unit: Store) -> CommentDeleted:
        session, comment = _comment(ctx, unit, session_id, comment_id)
        decide.require_remover(ctx.caller, session, comment)
        replies = [] if comment.replyTo else unit.comments.replies(session_id, comment_id)
        unit.comments.delete(session_id, [*replies, comment_id])
        return CommentDeleted(commentId=comment_id, deleted=True, deletedReplies=len(replies))

    return ctx.store.transaction(remove)


def resolve_comment(
    ctx: Context, body: CommentResolve, *, session_id: str, comment_id: str
) -> CommentPublic:
    """``POST /api/sessions/{id}/comments/{commentId}/resolve``: resolved (or, with
    ``resolved: false``, reopened) by the session's coach or an admin."""

    def resolve(unit: Store) -> CommentPublic:
        session, comment = _comment(ctx, unit, session_id, comment_id)
        decide.require_resolver(ctx.caller, session)
        changed = decide.resolved(comment, ctx.caller, body.resolved, ctx.now)
        if changed != comment:
            unit.comments.replace(session_id, changed)
        return _public(session, changed)

    return ctx.store.transaction(resolve)
