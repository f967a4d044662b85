"""Schedules (``schedules/{id}``), and the sessions an occurrence list needs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sessionbase.models.schedules import ScheduleRecord
from sessionbase.models.sessions import SessionRecord, SessionStatus
from sessionbase.store.client import record_of
from sessionbase.store.keys import SCHEDULES, SESSIONS
from sessionbase.store.work import Repository

if TYPE_CHECKING:
    pass

# Firestore's limit on the values of one `in` filter.
IN_LIMIT = 30
# The most sessions or schedules one occurrence list reads per query.
READ_LIMIT = 500


class Schedules(Repository):
    """Weekly schedules, and the sessions their occurrences became."""

    def new_id(self) -> str:
        """A fresh schedule id (20 characters, as occurrence ids expect)."""
        return str(self._collection(SCHEDULES).document().id)

    def get(self, schedule_id: str) -> ScheduleRecord | None:
        """The schedule, or None."""
        snapshot = self._read(self._collection(SCHEDULES).document(schedule_id))
        return record_of(snapshot, ScheduleRecord.model_validate)

    def of_people(self, uid: str, group_ids: list[str]) -> list[tuple[str, ScheduleRecord]]:
        """The schedules ``uid`` runs or attends, and those of these groups."""
        from google.cloud.firestore import FieldFilter

        schedules = self._collection(SCHEDULES)
        queries = [
            schedules.where(filter=FieldFilter(field, "==", uid))
            for field in ("coachId", "athleteId")
        ]
        for start in range(0, len(group_ids), IN_LIMIT):
            chunk = group_ids[start : start + IN_LIMIT]
            queries.append(schedules.where(filter=FieldFilter("groupId", "in", chunk)))
        found: dict[str, ScheduleRecord] = {}
        for query in queries:
            for snapshot in self._stream(query.limit(READ_LIMIT)):
                found[snapshot.id] = ScheduleRecord.model_validate(snapshot.to_dict())
        return list(found.items())

    def sessions(self, session_ids: Iterable[str]) -> dict[str, SessionRecord]:
        """The sessions of these ids that exist."""
        refs = [self._collection(SESSIONS).document(session_id) for session_id in session_ids]
        found = {}
        for snapshot in self._read_all(refs):
            record = record_of(snapshot, SessionRecord.model_validate)
            if record is not None:
                found[snapshot.id] = record
        return found

    def scheduled_sessions(
        self, field: str, uid: str, start: datetime, end: datetime
    ) -> list[tuple[str, SessionRecord]]:
        """Scheduled sessions where ``field == uid`` starting in ``[start, end)``, in order."""
        from google.cloud.firestore import FieldFilter

        query = (
            self._collection(SESSIONS)
            .where(filter=FieldFilter(field, "==", uid))
            .where(filter=FieldFilter("status", "==", SessionStatus.SCHEDULED.value))
            .where(filter=FieldFilter("scheduledStart", ">=", start))
            .where(filter=FieldFilter("scheduledStart", "<", end))
            .order_by("scheduledStart")
            .limit(READ_LIMIT)
        )
        return [
            (snap.id, SessionRecord.model_validate(snap.to_dict())) for snap in self._stream(query)
        ]

    def create(self, schedule_id: str, schedule: ScheduleRecord) -> None:
        """Create the schedule (the unit fails if it exists)."""
        self._writes.create(self._collection(SCHEDULES).document(schedule_id), schedule.document())
