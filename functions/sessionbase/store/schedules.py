"""Schedules (``schedules/{id}``), and the sessions an occurrence list needs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sessionbase.models.schedules import ScheduleRecord
from sessionbase.models.sessions import SessionRecord, SessionStatus
from sessionbase.store.client import record_of
from sessionbase.store.keys import SCHEDULES, SESSIONS

if TYPE_CHECKING:
    from google.cloud.firestore import Client, WriteBatch

# Firestore's limit on the values of one `in` filter.
IN_LIMIT = 30
# The most sessions or schedules one occurrence list reads per query.
READ_LIMIT = 500


def new_schedule_id(db: Client) -> str:
    """A fresh schedule id (20 characters, as occurrence ids expect)."""
    return str(db.collection(SCHEDULES).document().id)


def create(batch: WriteBatch, db: Client, schedule_id: str, schedule: ScheduleRecord) -> None:
    """Create the schedule."""
    batch.create(db.collection(SCHEDULES).document(schedule_id), schedule.document())


def get(db: Client, schedule_id: str) -> ScheduleRecord | None:
    """The schedule, or None."""
    snapshot = db.collection(SCHEDULES).document(schedule_id).get()
    return record_of(snapshot, ScheduleRecord.model_validate)


def of_people(db: Client, uid: str, group_ids: list[str]) -> list[tuple[str, ScheduleRecord]]:
    """The schedules ``uid`` runs or attends, and those of these groups."""
    from google.cloud.firestore import FieldFilter

    queries = [
        db.collection(SCHEDULES).where(filter=FieldFilter(field, "==", uid))
        for field in ("coachId", "athleteId")
    ]
    for start in range(0, len(group_ids), IN_LIMIT):
        chunk = group_ids[start : start + IN_LIMIT]
        queries.append(db.collection(SCHEDULES).where(filter=FieldFilter("groupId", "in", chunk)))
    found: dict[str, ScheduleRecord] = {}
    for query in queries:
        for snapshot in query.limit(READ_LIMIT).stream():
            found[snapshot.id] = ScheduleRecord.model_validate(snapshot.to_dict())
    return list(found.items())


def sessions(db: Client, session_ids: Iterable[str]) -> dict[str, SessionRecord]:
    """The sessions of these ids that exist."""
    refs = [db.collection(SESSIONS).document(session_id) for session_id in session_ids]
    found = {}
    for snapshot in db.get_all(refs):
        record = record_of(snapshot, SessionRecord.model_validate)
        if record is not None:
            found[snapshot.id] = record
    return found


def scheduled_sessions(
    db: Client, field: str, uid: str, start: datetime, end: datetime
) -> list[tuple[str, SessionRecord]]:
    """Scheduled sessions where ``field == uid`` starting in ``[start, end)``, in order."""
    from google.cloud.firestore import FieldFilter

    query = (
        db.collection(SESSIONS)
        .where(filter=FieldFilter(field, "==", uid))
        .where(filter=FieldFilter("status", "==", SessionStatus.SCHEDULED.value))
        .where(filter=FieldFilter("scheduledStart", ">=", start))
        .where(filter=FieldFilter("scheduledStart", "<", end))
        .order_by("scheduledStart")
        .limit(READ_LIMIT)
    )
    return [(snap.id, SessionRecord.model_validate(snap.to_dict())) for snap in query.stream()]
