"""Invitations (``invitations/{id}``): one slot per coach and e-mail address."""

from __future__ import annotations

from sessionbase.models.invitations import InvitationRecord
from sessionbase.store.client import record_of
from sessionbase.store.keys import INVITATIONS
from sessionbase.store.work import Repository


class Invitations(Repository):
    """Invitations from coaches to athletes' addresses."""

    def get(self, invitation_id: str) -> InvitationRecord | None:
        """The stored invitation, or None (read inside the unit's transaction, if any)."""
        snapshot = self._read(self._collection(INVITATIONS).document(invitation_id))
        return record_of(snapshot, InvitationRecord.model_validate)

    def where(
        self, *, field: str, value: str, limit: int = 100
    ) -> list[tuple[str, InvitationRecord]]:
        """Invitations where ``field == value``, newest first."""
        from google.cloud.firestore import FieldFilter, Query

        query = (
            self._collection(INVITATIONS)
            .where(filter=FieldFilter(field, "==", value))
            .order_by("createdAt", direction=Query.DESCENDING)
            .limit(limit)
        )
        return [
            (snap.id, InvitationRecord.model_validate(snap.to_dict()))
            for snap in self._stream(query)
        ]

    # ---- writes (inside a unit of work) --------------------------------------------------------

    def put(self, invitation_id: str, invitation: InvitationRecord) -> None:
        """Write the whole invitation."""
        self._writes.set(
            self._collection(INVITATIONS).document(invitation_id), invitation.document()
        )
