"""Invitations (``invitations/{id}``): one slot per coach and e-mail address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sessionbase.models.invitations import InvitationRecord
from sessionbase.store.client import record_of
from sessionbase.store.keys import INVITATIONS

if TYPE_CHECKING:
    from google.cloud.firestore import Client, Transaction


def get(
    db: Client, invitation_id: str, *, transaction: Transaction | None = None
) -> InvitationRecord | None:
    """The stored invitation, or None."""
    snapshot = db.collection(INVITATIONS).document(invitation_id).get(transaction=transaction)
    return record_of(snapshot, InvitationRecord.model_validate)


def put(
    transaction: Transaction, db: Client, invitation_id: str, invitation: InvitationRecord
) -> None:
    """Write the whole invitation."""
    transaction.set(db.collection(INVITATIONS).document(invitation_id), invitation.document())


def where(
    db: Client, *, field: str, value: str, limit: int = 100
) -> list[tuple[str, InvitationRecord]]:
    """Invitations where ``field == value``, newest first."""
    from google.cloud.firestore import FieldFilter, Query

    query = (
        db.collection(INVITATIONS)
        .where(filter=FieldFilter(field, "==", value))
        .order_by("createdAt", direction=Query.DESCENDING)
        .limit(limit)
    )
    return [(snap.id, InvitationRecord.model_validate(snap.to_dict())) for snap in query.stream()]
