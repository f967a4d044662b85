"""Session documents in ``sessions/{sessionId}``, their subcollections and the backend registry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sessionbase.models.base import Record
from sessionbase.models.sessions import ItemRecord, PageAfter, SessionRecord
from sessionbase.store.client import record_of
from sessionbase.store.keys import BACKEND_SESSIONS, SESSIONS
from sessionbase.store.work import BATCH_LIMIT, Repository

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentReference

    from sessionbase.models.analysis import RejectedUploadRecord
    from sessionbase.models.sessions import AttachmentRecord

SUBCOLLECTIONS = (
    "notes",
    "attachments",
    "comments",
    "rejectedUploads",
    "items",
    "attendance",
    "live",
)
R = TypeVar("R", bound=Record)


def session_ref(db: Client, session_id: str) -> DocumentReference:
    """The reference of one session document."""
    return db.collection(SESSIONS).document(session_id)


def gate_ref(db: Client, session_id: str) -> DocumentReference:
    """The internal gate of a session open to contributions (check-ins, practice answers).

    It exists while the session is active; every contribution updates it in its own batch, so
    none can commit once the session's end has deleted it.
    """
    ref: DocumentReference = session_ref(db, session_id).collection("live").document("gate")
    return ref


# A live session's gate is also kept in this many shards (``live/gate-0`` ...): a check-in updates
# one of them, so a class checking in at once spreads its writes (docs/decisions.md, "A class
# checking in"). Changing it needs the live sessions of the old figure ended first.
GATE_SHARDS = 8


def gate_shard_refs(db: Client, session_id: str) -> list[DocumentReference]:
    """The shards of a live session's gate (created and deleted with it, in the same unit)."""
    live = session_ref(db, session_id).collection("live")
    return [live.document(f"gate-{shard}") for shard in range(GATE_SHARDS)]


class Sessions(Repository):
    """Session documents, their subcollections, and the backend registry."""

    def new_id(self) -> str:
        """A fresh Firestore auto-id for a session."""
        return str(self._collection(SESSIONS).document().id)

    def get(self, session_id: str) -> SessionRecord | None:
        """The stored session, or None (also while it is being deleted: ``mark_deleting``)."""
        found = self.get_versioned(session_id)
        return None if found is None else found[0]

    def get_versioned(self, session_id: str) -> tuple[SessionRecord, datetime] | None:
        """The stored session and its version (update time), or None (also while it is being
        deleted: ``mark_deleting``)."""
        found = self._get_versioned(session_id)
        if found is None or found[0].deletingAt is not None:
            return None
        return found

    def exists(self, session_id: str) -> bool:
        """True when the session exists (and is not being deleted)."""
        return self.get_versioned(session_id) is not None

    def being_deleted(self, session_id: str) -> SessionRecord | None:
        """The session if a delete has marked it and not yet finished, else None."""
        found = self._get_versioned(session_id)
        return found[0] if found is not None and found[0].deletingAt is not None else None

    def _get_versioned(self, session_id: str) -> tuple[SessionRecord, datetime] | None:
        snapshot = self._read(session_ref(self._db, session_id))
        session = record_of(snapshot, SessionRecord.model_validate)
        return None if session is None else (session, snapshot.update_time)

    def children_page(
        self,
        session_id: str,
        name: str,
        model: type[R],
        *,
        limit: int,
        after: PageAfter | None = None,
        newest_first: bool = False,
    ) -> list[tuple[str, R]]:
        """At most ``limit`` of a session's subcollection, by ``createdAt`` then id, after
        ``after`` (its ``session_id`` holds the child's id)."""
        from google.cloud.firestore import Query

        direction = Query.DESCENDING if newest_first else Query.ASCENDING
        children = session_ref(self._db, session_id).collection(name)
        query: Any = children.order_by("createdAt", direction=direction).order_by(
            "__name__", direction=direction
        )
        if after is not None:
            query = query.start_after(
                {"createdAt": after.created_at, "__name__": children.document(after.session_id)}
            )
        return [
            (snap.id, model.model_validate(snap.to_dict()))
            for snap in self._stream(query.limit(limit))
        ]

    def children_count(self, session_id: str, name: str) -> int:
        """How many documents a session's subcollection holds (one count aggregation: a read
        per 1,000 documents counted, not one per document)."""
        return self._count(session_ref(self._db, session_id).collection(name))

    def page(
        self,
        *,
        equals: dict[str, Any],
        limit: int,
        after: PageAfter | None,
        created_from: datetime | None = None,
        created_before: datetime | None = None,
    ) -> list[tuple[str, SessionRecord]]:
        """Sessions matching every ``field == value`` (and the createdAt range), newest first."""
        from google.cloud.firestore import FieldFilter, Query

        query: Any = self._collection(SESSIONS)
        for field, value in sorted(equals.items()):
            query = query.where(filter=FieldFilter(field, "==", value))
        if created_from is not None:
            query = query.where(filter=FieldFilter("createdAt", ">=", created_from))
        if created_before is not None:
            query = query.where(filter=FieldFilter("createdAt", "<", created_before))
        query = query.order_by("createdAt", direction=Query.DESCENDING).order_by(
            "__name__", direction=Query.DESCENDING
        )
        if after is not None:
            query = query.start_after(
                {
                    "createdAt": after.created_at,
                    "__name__": session_ref(self._db, after.session_id),
                }
            )
        return [
            (snap.id, SessionRecord.model_validate(snap.to_dict()))
            for snap in self._stream(query.limit(limit))
        ]

    def pending_for(self, *, coach_id: str, athlete_email: str) -> list[str]:
        """Ids of the coach's sessions for this address still waiting for their athlete."""
        from google.cloud.firestore import FieldFilter

        query = (
            self._collection(SESSIONS)
            .where(filter=FieldFilter("coachId", "==", coach_id))
            .where(filter=FieldFilter("athleteEmail", "==", athlete_email))
            .where(filter=FieldFilter("athleteId", "==", None))
        )
        return [snap.id for snap in self._stream(query)]

    def videos_uploaded_before(
        self, cutoff: datetime, *, limit: int
    ) -> list[tuple[str, SessionRecord, datetime]]:
        """Sessions whose video landed before ``cutoff``, oldest first, with their versions
        (``videoUploadedAt``'s single-field index; a removed video's field is deleted)."""
        from google.cloud.firestore import FieldFilter

        query = (
            self._collection(SESSIONS)
            .where(filter=FieldFilter("videoUploadedAt", "<", cutoff))
            .order_by("videoUploadedAt")
            .limit(limit)
        )
        return [
            (snap.id, SessionRecord.model_validate(snap.to_dict()), snap.update_time)
            for snap in self._stream(query)
        ]

    # ---- writes (inside a unit of work) --------------------------------------------------------

    def create(
        self, session_id: str, session: SessionRecord, items: Sequence[ItemRecord] = ()
    ) -> None:
        """Create the session and its item documents (fails if the session exists).

        Every session is stored with ``archived`` (false unless given): the lists filter on it,
        and Firestore's equality filters do not match a document without the field.
        """
        ref = session_ref(self._db, session_id)
        self._writes.create(ref, {"archived": False, **session.document()})
        for item in items:
            self._writes.create(ref.collection("items").document(), item.document())

    def replace(self, session_id: str, session: SessionRecord, *, version: datetime) -> None:
        """Write the session's fields, if it is still at ``version`` (else the unit fails)."""
        option = self._unchanged_since(version)
        self._writes.update(session_ref(self._db, session_id), session.document(), option=option)

    def patch(self, session_id: str, fields: dict[str, Any], *, version: datetime) -> None:
        """Write raw ``fields`` (``None`` deletes a field), if the session is still at
        ``version``."""
        from google.cloud.firestore import DELETE_FIELD

        self._writes.update(
            session_ref(self._db, session_id),
            {name: DELETE_FIELD if value is None else value for name, value in fields.items()},
            option=self._unchanged_since(version),
        )

    def save(
        self,
        session_id: str,
        session: SessionRecord,
        *,
        version: datetime | None,
        fields: frozenset[str] | None = None,
    ) -> None:
        """Write a change decided on the session read at ``version``: ``fields`` of ``session``
        (every field if None), if it is still at that version.

        ``version`` None is a schedule's occurrence not stored yet (services/access.py): it is
        created here, with every field, in the unit of the change that was allowed; the unit
        fails with ``DocumentExists`` if another request stored it first (then it is read again).
        """
        if version is None:
            self.create(session_id, session)
        elif fields is None:
            self.replace(session_id, session, version=version)
        else:
            self.update_at(session_id, session, fields, version=version)

    def update_at(
        self,
        session_id: str,
        session: SessionRecord,
        fields: frozenset[str],
        *,
        version: datetime,
    ) -> None:
        """Write ``fields`` of ``session`` as they are (None stored as null), if the session is
        still at ``version`` (else the unit fails and the caller reads again)."""
        self._writes.update(
            session_ref(self._db, session_id),
            session.fields(fields),
            option=self._unchanged_since(version),
        )

    def touch(self, session_id: str, now: datetime, *, version: datetime) -> None:
        """Mark the session changed, in the unit that adds or changes a record under it: the unit
        fails if the session is gone (``DocumentMissing``) or changed since ``version`` was read
        (archived, or marked for deletion: ``mark_deleting``), and the change is decided again,
        so no record is left behind a deleted session."""
        option = self._unchanged_since(version)
        self._writes.update(session_ref(self._db, session_id), {"updatedAt": now}, option=option)

    def has_attachment(self, session_id: str, attachment_id: str) -> bool:
        """Whether the session already holds this attachment's record (a re-delivery, or a
        re-upload of the same path, replaces it)."""
        ref = session_ref(self._db, session_id).collection("attachments").document(attachment_id)
        return bool(self._read(ref).exists)

    def put_attachment(
        self, session_id: str, attachment_id: str, attachment: AttachmentRecord
    ) -> None:
        """Write an uploaded attachment's record (a re-upload of the same path replaces it)."""
        ref = session_ref(self._db, session_id).collection("attachments").document(attachment_id)
        self._writes.set(ref, attachment.document())

    def reject_upload(self, session_id: str, key: str, rejection: RejectedUploadRecord) -> None:
        """Record an upload refused for its bytes (``key``: one record per uploaded generation)."""
        ref = session_ref(self._db, session_id).collection("rejectedUploads").document(key)
        self._writes.set(ref, rejection.document())

    def assign_athlete(self, session_ids: list[str], *, athlete_id: str, now: datetime) -> None:
        """Give these (pending) sessions their athlete."""
        for session_id in session_ids:
            self._writes.update(
                session_ref(self._db, session_id), {"athleteId": athlete_id, "updatedAt": now}
            )

    def mark_deleting(
        self, session_id: str, now: datetime, *, version: datetime, live: bool = False
    ) -> None:
        """The first step of a delete: mark the session (if still at ``version``) and close its
        gate (with its shards for a ``live`` one), in one unit. From then on it is gone to every
        reader (``get``), and no record can be added under it: a note, an attachment, a marked
        absence write the session at the version they read, an answer or a check-in passes the
        gate (``gate_ref``)."""
        self._writes.update(
            session_ref(self._db, session_id),
            {"_deletingAt": now},
            option=self._unchanged_since(version),
        )
        self._writes.delete(gate_ref(self._db, session_id))
        for shard in gate_shard_refs(self._db, session_id) if live else []:
            self._writes.delete(shard)

    def counted(
        self, session_id: str, present: int, *, at: datetime, now: datetime, version: datetime
    ) -> None:
        """Record a live session's count of check-ins, as counted at ``at`` (Firestore's read
        time), if the session is still at ``version`` (services/groups.py: ``_count_in``)."""
        self._writes.update(
            session_ref(self._db, session_id),
            {"presentCount": present, "_countedAt": at, "updatedAt": now},
            option=self._unchanged_since(version),
        )

    def delete_tree(self, session_id: str) -> None:
        """Delete a session and every document of its subcollections, in bounded batches of
        their own (a session's tree can exceed one batch; each part is final on its own).

        The session is marked first (``mark_deleting``), so nothing is added under it meanwhile
        and what was added before is found here."""
        ref = session_ref(self._db, session_id)
        for name in SUBCOLLECTIONS:
            while True:
                query = ref.collection(name).limit(BATCH_LIMIT)
                refs = [snap.reference for snap in query.stream()]
                if not refs:
                    break
                self._in_batches(refs, lambda batch, child: batch.delete(child))
        self._in_batches([ref], lambda batch, session: batch.delete(session))

    # ---- the backend registry: (owning coach, backendSessionId) -> sessionId -------------------

    def backend_entry(self, key: str) -> str | None:
        """The session id registered under ``key``, or None."""
        snapshot = self._read(self._collection(BACKEND_SESSIONS).document(key))
        return str(snapshot.get("sessionId")) if snapshot.exists else None

    def register_backend(self, key: str, *, session_id: str, now: datetime) -> None:
        """Point ``key`` at ``session_id``."""
        entry = {"sessionId": session_id, "createdAt": now}
        self._writes.set(self._collection(BACKEND_SESSIONS).document(key), entry)

    def unregister_backend(self, key: str) -> None:
        """Remove the registry entry ``key``."""
        self._writes.delete(self._collection(BACKEND_SESSIONS).document(key))
