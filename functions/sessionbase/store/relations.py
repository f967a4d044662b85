"""Who is related to whom: coach–athlete links (``links/{coach}_{athlete}``) and group members."""

from __future__ import annotations

from sessionbase.models.invitations import LinkRecord
from sessionbase.store.client import record_of
from sessionbase.store.keys import GROUPS, LINKS, link_id
from sessionbase.store.work import Repository


class Relations(Repository):
    """Links and memberships; also ``domain.policy.Relations``, one document read per question."""

    def link(self, *, coach_id: str, athlete_id: str) -> LinkRecord | None:
        """The link between the coach and the athlete (made by an accepted invitation), or None."""
        snapshot = self._read(self._collection(LINKS).document(link_id(coach_id, athlete_id)))
        found = record_of(snapshot, LinkRecord.model_validate)
        # Ids joined by "_" could collide for custom uids containing "_": trust the stored pair.
        if found and (found.coachId, found.athleteId) == (coach_id, athlete_id):
            return found
        return None

    def link_at(self, link_id_: str) -> LinkRecord | None:
        """The link stored under ``links/{linkId}``, or None (read inside the unit, if any)."""
        snapshot = self._read(self._collection(LINKS).document(link_id_))
        return record_of(snapshot, LinkRecord.model_validate)

    def link_by_email(self, *, coach_id: str, athlete_email: str) -> LinkRecord | None:
        """The link between this coach and the athlete with this e-mail, if there is one."""
        from google.cloud.firestore import FieldFilter

        query = (
            self._collection(LINKS)
            .where(filter=FieldFilter("coachId", "==", coach_id))
            .where(filter=FieldFilter("athleteEmail", "==", athlete_email))
            .limit(1)
        )
        return next((LinkRecord.model_validate(s.to_dict()) for s in self._stream(query)), None)

    def linked(self, *, coach_id: str, athlete_id: str) -> bool:
        """True when the coach and the athlete are linked."""
        return self.link(coach_id=coach_id, athlete_id=athlete_id) is not None

    def member(self, *, group_id: str, uid: str) -> bool:
        """True when ``groups/{groupId}/members/{uid}`` exists."""
        group = self._collection(GROUPS).document(group_id)
        return bool(self._read(group.collection("members").document(uid)).exists)

    def put_link(self, record: LinkRecord) -> None:
        """Write the link (its id is derived from the pair)."""
        ref = self._collection(LINKS).document(link_id(record.coachId, record.athleteId))
        self._writes.set(ref, record.document())

    def delete_link(self, link_id_: str) -> None:
        """Delete ``links/{linkId}``: every read through it (the API's, the rules') is refused
        from the commit on."""
        self._writes.delete(self._collection(LINKS).document(link_id_))
