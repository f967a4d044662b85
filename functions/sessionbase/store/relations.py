"""Who is related to whom: coach–athlete links (``links/{coach}_{athlete}``) and group members."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sessionbase.models.invitations import LinkRecord
from sessionbase.store.client import record_of
from sessionbase.store.keys import GROUPS, LINKS, link_id

if TYPE_CHECKING:
    from google.cloud.firestore import Client, Transaction


def link(db: Client, *, coach_id: str, athlete_id: str) -> LinkRecord | None:
    """The link between the coach and the athlete (made by an accepted invitation), or None."""
    snapshot = db.collection(LINKS).document(link_id(coach_id, athlete_id)).get()
    found = record_of(snapshot, LinkRecord.model_validate)
    # Ids joined by "_" could collide for custom uids containing "_": trust the stored pair.
    if found and (found.coachId, found.athleteId) == (coach_id, athlete_id):
        return found
    return None


def link_by_email(db: Client, *, coach_id: str, athlete_email: str) -> LinkRecord | None:
    """The link between this coach and the athlete with this e-mail, if there is one."""
    from google.cloud.firestore import FieldFilter

    query = (
        db.collection(LINKS)
        .where(filter=FieldFilter("coachId", "==", coach_id))
        .where(filter=FieldFilter("athleteEmail", "==", athlete_email))
        .limit(1)
    )
    return next((LinkRecord.model_validate(snap.to_dict()) for snap in query.stream()), None)


def put_link(transaction: Transaction, db: Client, record: LinkRecord) -> None:
    """Write the link (its id is derived from the pair)."""
    ref = db.collection(LINKS).document(link_id(record.coachId, record.athleteId))
    transaction.set(ref, record.document())


class FirestoreRelations:
    """``domain.policy.Relations`` answered from Firestore, one document read per question."""

    def __init__(self, db: Client) -> None:
        self.db = db

    def linked(self, *, coach_id: str, athlete_id: str) -> bool:
        """True when the coach and the athlete are linked."""
        return link(self.db, coach_id=coach_id, athlete_id=athlete_id) is not None

    def member(self, *, group_id: str, uid: str) -> bool:
        """True when ``groups/{groupId}/members/{uid}`` exists."""
        group = self.db.collection(GROUPS).document(group_id)
        return bool(group.collection("members").document(uid).get().exists)
