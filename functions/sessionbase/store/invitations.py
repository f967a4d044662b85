"""Invitations (``invitations/{id}``) and the links they create (``links/{coach}_{athlete}``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sessionbase.store.keys import INVITATIONS, LINKS, SESSIONS, link_id

if TYPE_CHECKING:
    from google.cloud.firestore import Client, Transaction


def put_invitation(
    db: Client, *, invitation_id: str, decide: Callable[[dict | None], dict]
) -> dict:
    """Write the invitation ``decide(current)`` returns, in one transaction.

    ``decide`` sees the current invitation (or None) and raises to refuse; nothing is written then.
    """
    from google.cloud import firestore

    ref = db.collection(INVITATIONS).document(invitation_id)

    @firestore.transactional
    def run(transaction: Transaction) -> dict:
        snapshot = ref.get(transaction=transaction)
        data = decide(snapshot.to_dict() if snapshot.exists else None)
        transaction.set(ref, data)
        return data

    return run(db.transaction())


def accept(
    db: Client,
    *,
    invitation_id: str,
    check: Callable[[dict | None], None],
    accepted: Callable[[dict], tuple[dict, dict]],
    session_changes: dict,
) -> tuple[dict, int]:
    """Accept atomically: invitation status, the link, and every pending session it covers.

    ``check(current)`` raises to refuse. ``accepted(invitation)`` returns (invitation update, link
    document). Pending sessions are those of the inviting coach for the invited e-mail whose
    athleteId is still null. Returns (link, number of sessions linked).
    """
    from google.cloud import firestore
    from google.cloud.firestore import FieldFilter

    ref = db.collection(INVITATIONS).document(invitation_id)

    @firestore.transactional
    def run(transaction: Transaction) -> tuple[dict, int]:
        snapshot = ref.get(transaction=transaction)
        current = snapshot.to_dict() if snapshot.exists else None
        check(current)
        assert current is not None
        invitation_update, link = accepted(current)
        pending = (
            db.collection(SESSIONS)
            .where(filter=FieldFilter("coachId", "==", current["coachId"]))
            .where(filter=FieldFilter("athleteEmail", "==", current["athleteEmail"]))
            .where(filter=FieldFilter("athleteId", "==", None))
        )
        session_refs = [snap.reference for snap in pending.stream(transaction=transaction)]
        transaction.update(ref, invitation_update)
        transaction.set(
            db.collection(LINKS).document(link_id(link["coachId"], link["athleteId"])), link
        )
        for session in session_refs:
            transaction.update(session, session_changes)
        return link, len(session_refs)

    return run(db.transaction())


def list_invitations(
    db: Client, *, field: str, value: str, limit: int = 100
) -> list[tuple[str, dict]]:
    """Invitations where ``field == value``, newest first."""
    from google.cloud.firestore import FieldFilter, Query

    query = (
        db.collection(INVITATIONS)
        .where(filter=FieldFilter(field, "==", value))
        .order_by("createdAt", direction=Query.DESCENDING)
        .limit(limit)
    )
    return [(snap.id, snap.to_dict()) for snap in query.stream()]
