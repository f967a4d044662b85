"""Timestamped comments on a session's video: where one may sit, what it answers, who may change
it (docs/decisions.md, "Video review: comments").

Reading comments is reading the session (services/access.py). Adding one: anyone who reads the
session. Editing: its author, an admin. Deleting (its replies go with it): its author, the
session's coach, an admin. Resolving: the session's coach, an admin.

Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sessionbase.errors import FailedPrecondition, FieldError, PermissionDenied, invalid_fields
from sessionbase.models.comments import (
    CommentCreate,
    CommentRecord,
    CommentUpdate,
    drawing_to_store,
)
from sessionbase.models.identity import Caller
from sessionbase.models.sessions import SessionRecord

NO_VIDEO = "This session has no video."
UNKNOWN_LENGTH = (
    "The video's length is not known until its analysis completes: comment once it has."
)


def video_length_ms(session: SessionRecord) -> int:
    """The length of the session's current video in milliseconds (its analysis measured it);
    refused (failed-precondition, naming nothing) without a video or before it is measured.

    A session has a video as ``GET .../video`` says (services/review.py): an accepted upload,
    with its path, its generation and a job."""
    if not (session.videoPath and session.videoGeneration and session.analysisJobId):
        raise FailedPrecondition(NO_VIDEO)
    seconds = (session.metrics or {}).get("durationSeconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        raise FailedPrecondition(UNKNOWN_LENGTH)
    return round(seconds * 1000)


def _within(at_ms: int, length_ms: int) -> list[FieldError]:
    if at_ms > length_ms:
        return [FieldError(field="atMs", message=f"past the end of the video ({length_ms} ms)")]
    return []


def new_comment(
    caller: Caller,
    session: SessionRecord,
    body: CommentCreate,
    *,
    comment_id: str,
    session_id: str,
    parent: CommentRecord | None,
    now: datetime,
) -> CommentRecord:
    """The caller's comment on the session's current video; every bad field is named.

    ``parent``: the comment ``replyTo`` names, read from this session's comments (None: there
    is none). A reply answers a top-level comment: one level of replies.
    """
    errors = _within(body.atMs, video_length_ms(session))
    if body.replyTo is not None and (
        parent is None or parent.sessionId != session_id or parent.replyTo is not None
    ):
        message = (
            "a reply answers a comment, not another reply"
            if parent is not None and parent.replyTo is not None
            else "no such comment on this session"
        )
        errors.append(FieldError(field="replyTo", message=message))
    if errors:
        raise invalid_fields(errors)
    return CommentRecord(
        commentId=comment_id,
        sessionId=session_id,
        atMs=body.atMs,
        text=body.text,
        drawing=None if body.drawing is None else drawing_to_store(body.drawing),
        replyTo=body.replyTo,
        authorId=caller.uid,
        authorName=caller.display_name,
        createdAt=now,
        editedAt=None,
        resolved=False,
        resolvedBy=None,
        resolvedAt=None,
        videoJobId=session.analysisJobId,
    )


def require_editor(caller: Caller, comment: CommentRecord) -> None:
    """A comment is edited by its author or an admin."""
    if not caller.is_admin and caller.uid != comment.authorId:
        raise PermissionDenied("Only the comment's author or an admin may edit it.")


def edited(
    comment: CommentRecord, body: CommentUpdate, session: SessionRecord, now: datetime
) -> CommentRecord:
    """The comment with what was sent (``drawing`` None removes it), ``editedAt`` now; a new
    ``atMs`` lies within the session's current video."""
    changes: dict[str, Any] = {"editedAt": now}
    sent = body.model_fields_set
    if "atMs" in sent and body.atMs is not None:
        if errors := _within(body.atMs, video_length_ms(session)):
            raise invalid_fields(errors)
        changes["atMs"] = body.atMs
    if "text" in sent and body.text is not None:
        changes["text"] = body.text
    if "drawing" in sent:
        changes["drawing"] = None if body.drawing is None else drawing_to_store(body.drawing)
    return comment.changed(**changes)


def require_remover(caller: Caller, session: SessionRecord, comment: CommentRecord) -> None:
    """A comment is deleted by its author, the session's coach or an admin."""
    if caller.is_admin or caller.uid in (comment.authorId, session.coachId):
        return
    raise PermissionDenied(
        "Only the comment's author, the session's coach or an admin may delete it."
    )


def require_resolver(caller: Caller, session: SessionRecord) -> None:
    """A comment is resolved (or reopened) by the session's coach or an admin."""
    if not caller.is_admin and (session.coachId is None or caller.uid != session.coachId):
        raise PermissionDenied("Only the session's coach or an admin may resolve a comment.")


def resolved(comment: CommentRecord, caller: Caller, done: bool, now: datetime) -> CommentRecord:
    """The comment resolved by the caller (``done``) or reopened; the same comment when it is
    already so (a repeat changes nothing, the first resolver is kept)."""
    if comment.resolved == done:
        return comment
    if done:
        return comment.changed(resolved=True, resolvedBy=caller.uid, resolvedAt=now)
    return comment.changed(resolved=False, resolvedBy=None, resolvedAt=None)


def is_earlier_video(session: SessionRecord, comment: CommentRecord) -> bool:
    """True for a comment made on a video the session has since replaced."""
    return comment.videoJobId != session.analysisJobId
