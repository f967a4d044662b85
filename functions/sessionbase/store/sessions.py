"""Session documents in ``sessions/{sessionId}`` and the records that hang off them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentReference, Transaction

from sessionbase.store.keys import (
    BACKEND_SESSIONS,
    INVITATIONS,
    LINKS,
    SESSIONS,
    backend_key,
    invitation_id,
    link_id,
)

SUBCOLLECTIONS = ("notes", "attachments", "items", "attendance")
BATCH_LIMIT = 400


@dataclass(frozen=True, kw_only=True)
class PageAfter:
    """Where the previous page ended: the last session's creation time and id."""

    created_at: datetime
    session_id: str


def session_ref(db: Client, session_id: str) -> DocumentReference:
    """The reference of one session document."""
    return db.collection(SESSIONS).document(session_id)


def new_session_id(db: Client) -> str:
    """A fresh Firestore auto-id for a session."""
    return db.collection(SESSIONS).document().id


def create_session(db: Client, *, session_id: str, data: dict, items: list[dict] = ()) -> dict:
    """Write a new session and its item subdocuments atomically; returns the data written.

    A session waiting for its athlete (``athleteId`` null, an ``athleteEmail`` and a ``coachId``)
    is written in a transaction that reads that coach's invitation to the address: if it was
    accepted meanwhile, the session gets the athlete's uid. Accepting reads the same invitation
    in its own transaction, so one of the two always sees the other. Other sessions need no
    read, so one batch writes them.
    """
    from google.cloud import firestore

    ref = session_ref(db, session_id)

    def write(writer: Any, written: dict) -> dict:
        writer.create(ref, written)
        for item in items:
            writer.create(ref.collection("items").document(), item)
        return written

    if not _is_pending(data):
        batch = db.batch()
        write(batch, data)
        batch.commit()
        return data

    @firestore.transactional
    def run(transaction: Transaction) -> dict:
        return write(transaction, _with_accepted_athlete(db, transaction, data))

    return run(db.transaction())


def _is_pending(data: dict) -> bool:
    return (
        not data.get("athleteId") and bool(data.get("athleteEmail")) and bool(data.get("coachId"))
    )


def _with_accepted_athlete(db: Client, transaction: Transaction, data: dict) -> dict:
    """``data`` with ``athleteId`` filled in if the pending athlete has accepted the coach."""
    if not _is_pending(data):
        return data
    ref = db.collection(INVITATIONS).document(invitation_id(data["coachId"], data["athleteEmail"]))
    invitation = ref.get(transaction=transaction)
    if invitation.exists and invitation.get("status") == "accepted":
        return {**data, "athleteId": invitation.get("athleteId")}
    return data


def get_session(db: Client, session_id: str) -> dict | None:
    """The session's data, or None."""
    snapshot = session_ref(db, session_id).get()
    return snapshot.to_dict() if snapshot.exists else None


def update_session(db: Client, session_id: str, changes: dict) -> bool:
    """Apply a partial update; False if the session is gone (deleted meanwhile)."""
    from google.api_core.exceptions import NotFound

    try:
        session_ref(db, session_id).update(changes)
    except NotFound:
        return False
    return True


def children(db: Client, session_id: str, name: str) -> list[tuple[str, dict]]:
    """A subcollection of a session (notes, attachments, ...), oldest first."""
    query = session_ref(db, session_id).collection(name).order_by("createdAt")
    return [(snap.id, snap.to_dict()) for snap in query.stream()]


def delete_session_tree(db: Client, session_id: str) -> None:
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


def list_sessions(
    db: Client,
    *,
    equals: dict[str, Any],
    limit: int,
    after: PageAfter | None,
    created_from: datetime | None = None,
    created_before: datetime | None = None,
) -> list[tuple[str, dict]]:
    """Sessions matching every ``field == value`` (and the createdAt range), newest first."""
    from google.cloud.firestore import FieldFilter, Query

    query = db.collection(SESSIONS)
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
    return [(snap.id, snap.to_dict()) for snap in query.limit(limit).stream()]


def get_link(db: Client, *, coach_id: str, athlete_id: str) -> dict | None:
    """``links/{coachId}_{athleteId}`` (made by an accepted invitation), or None."""
    snapshot = db.collection(LINKS).document(link_id(coach_id, athlete_id)).get()
    link = snapshot.to_dict() if snapshot.exists else None
    # Ids joined by "_" could collide for custom uids containing "_": trust the stored pair.
    if link and (link.get("coachId"), link.get("athleteId")) == (coach_id, athlete_id):
        return link
    return None


def link_exists(db: Client, *, coach_id: str, athlete_id: str) -> bool:
    """True when the coach and the athlete are linked."""
    return get_link(db, coach_id=coach_id, athlete_id=athlete_id) is not None


def is_group_member(db: Client, *, group_id: str, uid: str) -> bool:
    """True when ``groups/{groupId}/members/{uid}`` exists."""
    return (
        db.collection("groups").document(group_id).collection("members").document(uid).get().exists
    )


def linked_athlete_by_email(db: Client, *, coach_id: str, athlete_email: str) -> dict | None:
    """The link between this coach and the athlete with this e-mail, if there is one."""
    from google.cloud.firestore import FieldFilter

    query = (
        db.collection(LINKS)
        .where(filter=FieldFilter("coachId", "==", coach_id))
        .where(filter=FieldFilter("athleteEmail", "==", athlete_email))
        .limit(1)
    )
    return next((snap.to_dict() for snap in query.stream()), None)


def get_or_create_for_backend(
    db: Client, *, owner_id: str, backend_session_id: str, data: dict
) -> tuple[str, bool]:
    """The session registered for (owner, backend session id), created from ``data`` if none.

    One transaction reads the registry and writes both documents, so concurrent calls agree on
    one session. An entry whose session was deleted is replaced. Returns (sessionId, created).
    """
    from google.cloud import firestore

    registry = db.collection(BACKEND_SESSIONS).document(backend_key(owner_id, backend_session_id))

    @firestore.transactional
    def run(transaction: Transaction) -> tuple[str, bool]:
        entry = registry.get(transaction=transaction)
        if (
            entry.exists
            and session_ref(db, entry.get("sessionId")).get(transaction=transaction).exists
        ):
            return entry.get("sessionId"), False
        session_id = new_session_id(db)
        written = _with_accepted_athlete(db, transaction, data)
        transaction.create(session_ref(db, session_id), {**written, "_backendKey": registry.id})
        transaction.set(registry, {"sessionId": session_id, "createdAt": data["createdAt"]})
        return session_id, True

    return run(db.transaction())


def forget_backend_session(db: Client, key: str, session_id: str) -> None:
    """Drop a registry entry if it still names ``session_id`` (a relink may have replaced it)."""
    from google.cloud import firestore

    registry = db.collection(BACKEND_SESSIONS).document(key)

    @firestore.transactional
    def run(transaction: Transaction) -> None:
        entry = registry.get(transaction=transaction)
        if entry.exists and entry.get("sessionId") == session_id:
            transaction.delete(registry)

    run(db.transaction())


def stats_document(db: Client, collection: str, uid: str) -> dict:
    """A statistics document (``athleteStats`` or ``coachStats``), or {} when there is none."""
    snapshot = db.collection(collection).document(uid).get()
    return snapshot.to_dict() if snapshot.exists else {}
