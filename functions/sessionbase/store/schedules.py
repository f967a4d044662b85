"""Schedules (``schedules/{id}``), and the sessions an occurrence list needs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sessionbase.models.schedules import ScheduleRecord
from sessionbase.models.sessions import SessionRecord, SessionStatus
from sessionbase.store.client import record_of
from sessionbase.store.keys import QUOTAS, SCHEDULES, SESSIONS, quota_id
from sessionbase.store.work import Repository

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

    def of_people(
        self, uid: str, group_ids: list[str], *, live_since: date
    ) -> list[tuple[str, ScheduleRecord]]:
        """The live schedules ``uid`` runs or attends, and those of these groups: without an end
        date or ending on ``live_since`` or later (an ended schedule is not read again)."""
        from google.cloud.firestore import FieldFilter

        schedules = self._collection(SCHEDULES)
        audiences = [
            schedules.where(filter=FieldFilter(field, "==", uid))
            for field in ("coachId", "athleteId")
        ]
        for start in range(0, len(group_ids), IN_LIMIT):
            chunk = group_ids[start : start + IN_LIMIT]
            audiences.append(schedules.where(filter=FieldFilter("groupId", "in", chunk)))
        found: dict[str, ScheduleRecord] = {}
        for audience in audiences:
            for query in _live(audience, live_since):
                for snapshot in self._stream(query.limit(READ_LIMIT)):
                    found[snapshot.id] = ScheduleRecord.model_validate(snapshot.to_dict())
        return list(found.items())

    def count_live(self, field: str, value: str, *, live_since: date) -> int:
        """How many live schedules have ``field == value`` (count aggregations: a read per
        1,000 schedules counted)."""
        from google.cloud.firestore import FieldFilter

        audience = self._collection(SCHEDULES).where(filter=FieldFilter(field, "==", value))
        return sum(self._count(query) for query in _live(audience, live_since))

    def guard_version(self, field: str, value: str) -> datetime | None:
        """The version of the document every new schedule of this coach, athlete or group
        writes (None before the first): two creates racing past a cap cannot both commit."""
        snapshot = self._read(self._collection(QUOTAS).document(_guard_id(field, value)))
        return snapshot.update_time if snapshot.exists else None

    def guard(self, field: str, value: str, version: datetime | None, now: datetime) -> None:
        """Write the guard document if it is still at ``version`` (else the unit fails)."""
        ref = self._collection(QUOTAS).document(_guard_id(field, value))
        if version is None:
            self._writes.create(ref, {"updatedAt": now})
        else:
            self._writes.update(ref, {"updatedAt": now}, option=self._unchanged_since(version))

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
        self, field: str, uid: str, start: datetime, end: datetime, *, limit: int = READ_LIMIT
    ) -> list[tuple[str, SessionRecord]]:
        """The first ``limit`` scheduled sessions where ``field == uid`` starting in
        ``[start, end)``, in order."""
        from google.cloud.firestore import FieldFilter

        query = (
            self._collection(SESSIONS)
            .where(filter=FieldFilter(field, "==", uid))
            .where(filter=FieldFilter("status", "==", SessionStatus.SCHEDULED.value))
            .where(filter=FieldFilter("scheduledStart", ">=", start))
            .where(filter=FieldFilter("scheduledStart", "<", end))
            .order_by("scheduledStart")
            .limit(limit)
        )
        return [
            (snap.id, SessionRecord.model_validate(snap.to_dict())) for snap in self._stream(query)
        ]

    def create(self, schedule_id: str, schedule: ScheduleRecord) -> None:
        """Create the schedule (the unit fails if it exists)."""
        self._writes.create(self._collection(SCHEDULES).document(schedule_id), schedule.document())


def _live(audience: Any, since: date) -> list[Any]:
    """``audience``'s schedules without an end date, and those ending on ``since`` or later
    (``endDate`` is stored as ``YYYY-MM-DD``, so its text order is its date order)."""
    from google.cloud.firestore import FieldFilter

    return [
        audience.where(filter=FieldFilter("endDate", "==", None)),
        audience.where(filter=FieldFilter("endDate", ">=", since.isoformat())),
    ]


def _guard_id(field: str, value: str) -> str:
    """``quotas/{id}``: the guard of one coach's (``coachId``), athlete's or group's schedules."""
    return quota_id(value, f"schedules.{field}")
