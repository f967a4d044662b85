"""Groups (``groups/{id}``), members (``groups/{id}/members/{uid}``), live-session attendance.

A group document is written with a precondition on its update time (``version``), so concurrent
writers never lose each other's changes (``store.client.retry_on_conflict``); counters are
increments. A live session has an internal gate document (``sessions/{id}/live/gate``) while it is
active: every check-in updates it in the same batch, so a check-in cannot land after the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sessionbase.models.groups import AttendanceRecord, GroupRecord, MemberRecord
from sessionbase.store.client import record_of, unchanged_since
from sessionbase.store.keys import GROUPS, SESSIONS
from sessionbase.store.sessions import gate_ref

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentReference, WriteBatch

MEMBERS = "members"
ATTENDANCE = "attendance"
BATCH_LIMIT = 400


def group_ref(db: Client, group_id: str) -> DocumentReference:
    """The reference of one group document."""
    return db.collection(GROUPS).document(group_id)


def new_group_id(db: Client) -> str:
    """A fresh Firestore auto-id for a group."""
    return str(db.collection(GROUPS).document().id)


def get(db: Client, group_id: str) -> GroupRecord | None:
    """The stored group, or None."""
    return record_of(group_ref(db, group_id).get(), GroupRecord.model_validate)


def get_versioned(db: Client, group_id: str) -> tuple[GroupRecord, datetime] | None:
    """The stored group and its version (update time), or None."""
    snapshot = group_ref(db, group_id).get()
    group = record_of(snapshot, GroupRecord.model_validate)
    return None if group is None else (group, snapshot.update_time)


def create(batch: WriteBatch, db: Client, group_id: str, group: GroupRecord) -> None:
    """Create the group."""
    batch.create(group_ref(db, group_id), group.document())


def replace(
    batch: WriteBatch, db: Client, group_id: str, group: GroupRecord, *, version: datetime
) -> None:
    """Write the group's fields, if it is still at ``version`` (else the batch fails)."""
    batch.update(group_ref(db, group_id), group.document(), option=unchanged_since(db, version))


def count_members(batch: WriteBatch, db: Client, group_id: str, delta: int, now: datetime) -> None:
    """Add ``delta`` to the group's member count."""
    from google.cloud.firestore import Increment

    batch.update(group_ref(db, group_id), {"memberCount": Increment(delta), "updatedAt": now})


def _member_ref(db: Client, group_id: str, uid: str) -> DocumentReference:
    ref: DocumentReference = group_ref(db, group_id).collection(MEMBERS).document(uid)
    return ref


def member(db: Client, group_id: str, uid: str) -> MemberRecord | None:
    """The member document of ``uid`` in the group, or None."""
    return record_of(_member_ref(db, group_id, uid).get(), MemberRecord.model_validate)


def add_member(batch: WriteBatch, db: Client, group_id: str, record: MemberRecord) -> None:
    """Create a member document (the batch fails with AlreadyExists if there is one)."""
    batch.create(_member_ref(db, group_id, record.uid), record.document())


def remove_member(batch: WriteBatch, db: Client, group_id: str, uid: str) -> None:
    """Delete a member document (the batch fails with NotFound if it is gone already)."""
    batch.delete(_member_ref(db, group_id, uid), option=db.write_option(exists=True))


def members(db: Client, group_id: str) -> list[MemberRecord]:
    """Every member document of the group (the owner's too), by joining time."""
    query = group_ref(db, group_id).collection(MEMBERS).order_by("joinedAt")
    return [MemberRecord.model_validate(s.to_dict()) for s in query.stream()]


def groups_of(db: Client, uid: str, *, limit: int = 100) -> list[tuple[str, GroupRecord]]:
    """The groups ``uid`` owns or belongs to (a collection-group query over member documents)."""
    from google.cloud.firestore import FieldFilter

    query = db.collection_group(MEMBERS).where(filter=FieldFilter("uid", "==", uid)).limit(limit)
    refs = [snap.reference.parent.parent for snap in query.stream()]
    found = []
    for snapshot in db.get_all([ref for ref in refs if ref is not None]):
        record = record_of(snapshot, GroupRecord.model_validate)
        if record is not None:
            found.append((snapshot.id, record))
    return sorted(found, key=lambda row: row[1].createdAt, reverse=True)


# ---- live sessions ----------------------------------------------------------------------------


def _attendance_ref(db: Client, session_id: str, uid: str) -> DocumentReference:
    ref: DocumentReference = (
        db.collection(SESSIONS).document(session_id).collection(ATTENDANCE).document(uid)
    )
    return ref


def open_gate(batch: WriteBatch, db: Client, session_id: str, now: datetime) -> None:
    """Open a live session for check-ins."""
    batch.create(gate_ref(db, session_id), {"openedAt": now, "checkIns": 0})


def close_gate(db: Client, session_id: str) -> None:
    """Close it: every check-in committed before this is final, none can commit after."""
    gate_ref(db, session_id).delete()


def attendance(db: Client, session_id: str, uid: str) -> AttendanceRecord | None:
    """A member's attendance of a session, or None."""
    return record_of(_attendance_ref(db, session_id, uid).get(), AttendanceRecord.model_validate)


def check_in(
    batch: WriteBatch, db: Client, session_id: str, uid: str, record: AttendanceRecord
) -> None:
    """A check-in: the attendance (created once), through the open gate, and the session's count.

    The batch fails with AlreadyExists for a second check-in and NotFound once the gate is closed.
    """
    from google.cloud.firestore import Increment

    batch.create(_attendance_ref(db, session_id, uid), record.document())
    batch.update(gate_ref(db, session_id), {"checkIns": Increment(1)})
    session = db.collection(SESSIONS).document(session_id)
    batch.update(session, {"presentCount": Increment(1), "updatedAt": record.at})


def attendees(db: Client, session_id: str) -> set[str]:
    """The uids with an attendance document for the session."""
    query = db.collection(SESSIONS).document(session_id).collection(ATTENDANCE)
    return {snap.id for snap in query.stream()}


def mark_absent(db: Client, session_id: str, uids: Iterable[str], at: datetime) -> None:
    """Record ``absent`` for these members, in bounded batches (a plain set: idempotent)."""
    pending = sorted(uids)
    absent: dict[str, Any] = AttendanceRecord(status="absent", at=at).document()
    for start in range(0, len(pending), BATCH_LIMIT):
        batch = db.batch()
        for uid in pending[start : start + BATCH_LIMIT]:
            batch.set(_attendance_ref(db, session_id, uid), absent)
        batch.commit()


def due_live_sessions(db: Client, now: datetime, *, limit: int = 100) -> list[str]:
    """Ids of live sessions still active past their ``autoEndAt``."""
    from google.cloud.firestore import FieldFilter

    query = (
        db.collection(SESSIONS)
        .where(filter=FieldFilter("status", "==", "active"))
        .where(filter=FieldFilter("autoEndAt", "<=", now))
        .limit(limit)
    )
    return [snap.id for snap in query.stream()]
