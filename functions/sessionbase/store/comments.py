"""A session's comments, ``sessions/{sessionId}/comments/{commentId}`` (the listeners' path)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sessionbase.models.comments import CommentRecord
from sessionbase.store.client import record_of
from sessionbase.store.sessions import session_ref
from sessionbase.store.work import Repository

if TYPE_CHECKING:
    from google.cloud.firestore import CollectionReference, DocumentReference

COMMENTS = "comments"


class Comments(Repository):
    """The comments of sessions; writes inside a unit of work (services/comments.py)."""

    def _comments(self, session_id: str) -> CollectionReference:
        comments: CollectionReference = session_ref(self._db, session_id).collection(COMMENTS)
        return comments

    def _ref(self, session_id: str, comment_id: str | None = None) -> DocumentReference:
        ref: DocumentReference = self._comments(session_id).document(comment_id)
        return ref

    def new_id(self, session_id: str) -> str:
        """A fresh Firestore auto-id for a comment of the session."""
        return str(self._ref(session_id).id)

    def get(self, session_id: str, comment_id: str) -> CommentRecord | None:
        """The comment (read inside the unit's transaction, if any), or None."""
        snapshot = self._read(self._ref(session_id, comment_id))
        return record_of(snapshot, CommentRecord.model_validate)

    def ordered(self, session_id: str, *, limit: int) -> list[CommentRecord]:
        """At most ``limit`` of the session's comments, by ``atMs``, then ``createdAt``, then id
        (the index in firestore.indexes.json serves it, and the web app's listener)."""
        query: Any = self._comments(session_id).order_by("atMs").order_by("createdAt").limit(limit)
        return [CommentRecord.model_validate(snap.to_dict()) for snap in self._stream(query)]

    def replies(self, session_id: str, comment_id: str) -> list[str]:
        """The ids of the comment's replies (inside the unit's transaction, if any)."""
        from google.cloud.firestore import FieldFilter

        query = self._comments(session_id).where(filter=FieldFilter("replyTo", "==", comment_id))
        return [snap.id for snap in self._stream(query)]

    def count(self, session_id: str) -> int:
        """How many comments the session holds (one count aggregation)."""
        return self._count(self._comments(session_id))

    # ---- writes (inside a unit of work) --------------------------------------------------------

    def create(self, session_id: str, comment: CommentRecord) -> None:
        """Create the comment (the unit fails with ``DocumentExists`` if the id is taken)."""
        self._writes.create(self._ref(session_id, comment.commentId), comment.document())

    def replace(self, session_id: str, comment: CommentRecord) -> None:
        """Write the comment's fields (an update: the unit fails if it is gone)."""
        self._writes.update(self._ref(session_id, comment.commentId), comment.document())

    def delete(self, session_id: str, comment_ids: list[str]) -> None:
        """Delete these comments."""
        for comment_id in comment_ids:
            self._writes.delete(self._ref(session_id, comment_id))
