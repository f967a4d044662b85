"""Session documents in ``sessions/{sessionId}``, their subcollections and the backend registry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sessionbase.models.base import Record
from sessionbase.models.sessions import ItemRecord, PageAfter, SessionRecord
from sessionbase.store.client import record_of
from sessionbase.store.keys import BACKEND_SESSIONS, SESSIONS

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentReference, Transaction, WriteBatch

SUBCOLLECTIONS = ("notes", "attachments", "rejectedUploads", "items", "attendance", "live")
BATCH_LIMIT = 400
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


def new_session_id(db: Client) -> str:
    """A fresh Firestore auto-id for a session."""
    return str(db.collection(SESSIONS).document().id)


def get(
    db: Client, session_id: str, *, transaction: Transaction | None = None
) -> SessionRecord | None:
    """The stored session, or None."""
    snapshot = session_ref(db, session_id).get(transaction=transaction)
    return record_of(snapshot, SessionRecord.model_validate)


def get_versioned(db: Client, session_id: str) -> tuple[SessionRecord, datetime] | None:
    """The stored session and its version (update time), or None."""
    snapshot = session_ref(db, session_id).get()
    session = record_of(snapshot, SessionRecord.model_validate)
    return None if session is None else (session, snapshot.update_time)


def exists(db: Client, session_id: str, *, transaction: Transaction | None = None) -> bool:
    """True when the session document exists."""
    return bool(session_ref(db, session_id).get(transaction=transaction).exists)


def create(
    writer: WriteBatch | Transaction,
    db: Client,
    *,
    session_id: str,
    session: SessionRecord,
    items: Sequence[ItemRecord] = (),
) -> None:
    """Create the session and its item documents with ``writer`` (a batch or a transaction)."""
    ref = session_ref(db, session_id)
    writer.create(ref, session.document())
    for item in items:
        writer.create(ref.collection("items").document(), item.document())


def create_now(
    db: Client, *, session_id: str, session: SessionRecord, items: Sequence[ItemRecord] = ()
) -> None:
    """Create the session and its items in one batch (no read needed)."""
    batch = db.batch()
    create(batch, db, session_id=session_id, session=session, items=items)
    batch.commit()


def replace(
    batch: WriteBatch, db: Client, session_id: str, session: SessionRecord, *, version: datetime
) -> None:
    """Write the session's fields, if it is still at ``version`` (else the batch fails)."""
    from sessionbase.store.client import unchanged_since

    batch.update(
        session_ref(db, session_id), session.document(), option=unchanged_since(db, version)
    )


def patch(
    batch: WriteBatch, db: Client, session_id: str, fields: dict[str, Any], *, version: datetime
) -> None:
    """Write raw ``fields`` (``None`` deletes a field), if the session is still at ``version``."""
    from google.cloud.firestore import DELETE_FIELD

    from sessionbase.store.client import unchanged_since

    batch.update(
        session_ref(db, session_id),
        {name: DELETE_FIELD if value is None else value for name, value in fields.items()},
        option=unchanged_since(db, version),
    )


def update_at(
    batch: WriteBatch,
    db: Client,
    session_id: str,
    session: SessionRecord,
    fields: frozenset[str],
    *,
    version: datetime,
) -> None:
    """Write ``fields`` of ``session`` as they are (None stored as null), if the session is
    still at ``version`` (else the batch fails and the caller reads again)."""
    from sessionbase.store.client import unchanged_since

    batch.update(
        session_ref(db, session_id), session.fields(fields), option=unchanged_since(db, version)
    )


def update_in(
    writer: Transaction | WriteBatch,
    db: Client,
    session_id: str,
    session: SessionRecord,
    fields: set[str],
) -> None:
    """Write ``fields`` of ``session`` (and ``updatedAt``) with a batch or a transaction."""
    writer.update(session_ref(db, session_id), session.fields({*fields, "updatedAt"}))


def children(db: Client, session_id: str, name: str, model: type[R]) -> list[tuple[str, R]]:
    """A subcollection of a session (notes, attachments, ...), oldest first."""
    query = session_ref(db, session_id).collection(name).order_by("createdAt")
    return [(snap.id, model.model_validate(snap.to_dict())) for snap in query.stream()]


def delete_tree(db: Client, session_id: str) -> None:
    """Delete a session and every document of its subcollections, in bounded batches."""
    ref = session_ref(db, session_id)
    for name in SUBCOLLECTIONS:
        while True:
            refs = [snap.reference for snap in ref.collection(name).limit(BATCH_LIMIT).stream()]
            if not refs:
                break
            batch = db.batch()
            for child in refs:
                batch.delete(child)
            batch.commit()
    ref.delete()


def page(
    db: Client,
    *,
    equals: dict[str, Any],
    limit: int,
    after: PageAfter | None,
    created_from: datetime | None = None,
    created_before: datetime | None = None,
) -> list[tuple[str, SessionRecord]]:
    """Sessions matching every ``field == value`` (and the createdAt range), newest first."""
    from google.cloud.firestore import FieldFilter, Query

    query: Any = db.collection(SESSIONS)
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
            {"createdAt": after.created_at, "__name__": session_ref(db, after.session_id)}
        )
    return [
        (snap.id, SessionRecord.model_validate(snap.to_dict()))
        for snap in query.limit(limit).stream()
    ]


def pending_for(
    db: Client, transaction: Transaction, *, coach_id: str, athlete_email: str
) -> list[str]:
    """Ids of the coach's sessions for this address still waiting for their athlete."""
    from google.cloud.firestore import FieldFilter

    query = (
        db.collection(SESSIONS)
        .where(filter=FieldFilter("coachId", "==", coach_id))
        .where(filter=FieldFilter("athleteEmail", "==", athlete_email))
        .where(filter=FieldFilter("athleteId", "==", None))
    )
    return [snap.id for snap in query.stream(transaction=transaction)]


def assign_athlete(
    transaction: Transaction, db: Client, session_ids: list[str], *, athlete_id: str, now: datetime
) -> None:
    """Give these (pending) sessions their athlete."""
    for session_id in session_ids:
        transaction.update(session_ref(db, session_id), {"athleteId": athlete_id, "updatedAt": now})


# ---- the backend registry: (owning coach, backendSessionId) -> sessionId -------------------------


def backend_entry(db: Client, key: str, *, transaction: Transaction) -> str | None:
    """The session id registered under ``key``, or None."""
    snapshot = db.collection(BACKEND_SESSIONS).document(key).get(transaction=transaction)
    return str(snapshot.get("sessionId")) if snapshot.exists else None


def register_backend(
    transaction: Transaction, db: Client, key: str, *, session_id: str, now: datetime
) -> None:
    """Point ``key`` at ``session_id``."""
    entry = {"sessionId": session_id, "createdAt": now}
    transaction.set(db.collection(BACKEND_SESSIONS).document(key), entry)


def unregister_backend(transaction: Transaction, db: Client, key: str) -> None:
    """Remove the registry entry ``key``."""
    transaction.delete(db.collection(BACKEND_SESSIONS).document(key))
