"""Groups (``groups/{id}``), members (``groups/{id}/members/{uid}``), live-session attendance.

A group document is written with a precondition on its update time (``version``), so concurrent
writers never lose each other's changes (``Store.optimistic``); counters are increments. A live
session has an internal gate document (``sessions/{id}/live/gate``) and its shards while it is
active: every check-in updates one shard in the same batch, so a check-in cannot land after the
end, and a class checking in at once spreads its writes over the shards.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sessionbase.models.groups import (
    AttendanceRecord,
    AttendanceStatus,
    GroupRecord,
    MemberRecord,
)
from sessionbase.models.sessions import SessionRecord, SessionStatus
from sessionbase.store.client import record_of
from sessionbase.store.keys import GROUPS, SESSIONS
from sessionbase.store.sessions import gate_ref, gate_shard_refs, session_ref
from sessionbase.store.work import Repository

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentReference

MEMBERS = "members"
ATTENDANCE = "attendance"


@dataclass(frozen=True)
class CountState:
    """What a check-in reads to decide about its session's count (``Groups.count_state``)."""

    session: SessionRecord
    version: datetime
    claimed: datetime | None  # the time a check-in claimed the next count for
    gate_version: datetime


def group_ref(db: Client, group_id: str) -> DocumentReference:
    """The reference of one group document."""
    return db.collection(GROUPS).document(group_id)


def _member_ref(db: Client, group_id: str, uid: str) -> DocumentReference:
    ref: DocumentReference = group_ref(db, group_id).collection(MEMBERS).document(uid)
    return ref


def _attendance_ref(db: Client, session_id: str, uid: str) -> DocumentReference:
    ref: DocumentReference = session_ref(db, session_id).collection(ATTENDANCE).document(uid)
    return ref


class Groups(Repository):
    """Groups, their members, and the attendance and gate of their live sessions."""

    # ---- groups and members --------------------------------------------------------------------

    def new_id(self) -> str:
        """A fresh Firestore auto-id for a group."""
        return str(self._collection(GROUPS).document().id)

    def get(self, group_id: str) -> GroupRecord | None:
        """The stored group, or None."""
        return record_of(self._read(group_ref(self._db, group_id)), GroupRecord.model_validate)

    def get_versioned(self, group_id: str) -> tuple[GroupRecord, datetime] | None:
        """The stored group and its version (update time), or None."""
        snapshot = self._read(group_ref(self._db, group_id))
        group = record_of(snapshot, GroupRecord.model_validate)
        return None if group is None else (group, snapshot.update_time)

    def member(self, group_id: str, uid: str) -> MemberRecord | None:
        """The member document of ``uid`` in the group, or None."""
        snapshot = self._read(_member_ref(self._db, group_id, uid))
        return record_of(snapshot, MemberRecord.model_validate)

    def member_with_email(self, group_id: str, email: str) -> MemberRecord | None:
        """A member document of the group with this e-mail, or None (read inside the unit's
        transaction, if any)."""
        from google.cloud.firestore import FieldFilter

        query = (
            group_ref(self._db, group_id)
            .collection(MEMBERS)
            .where(filter=FieldFilter("email", "==", email))
            .limit(1)
        )
        for snapshot in self._stream(query):
            return MemberRecord.model_validate(snapshot.to_dict())
        return None

    def members(self, group_id: str) -> list[MemberRecord]:
        """Every member document of the group (the owner's too), by joining time."""
        query = group_ref(self._db, group_id).collection(MEMBERS).order_by("joinedAt")
        return [MemberRecord.model_validate(s.to_dict()) for s in self._stream(query)]

    def of_member(self, uid: str, *, limit: int = 100) -> list[tuple[str, GroupRecord]]:
        """The groups ``uid`` owns or belongs to (a collection-group query over member
        documents), newest first."""
        from google.cloud.firestore import FieldFilter

        query = (
            self._db.collection_group(MEMBERS)
            .where(filter=FieldFilter("uid", "==", uid))
            .limit(limit)
        )
        refs = [snap.reference.parent.parent for snap in self._stream(query)]
        found = []
        for snapshot in self._read_all([ref for ref in refs if ref is not None]):
            record = record_of(snapshot, GroupRecord.model_validate)
            if record is not None:
                found.append((snapshot.id, record))
        return sorted(found, key=lambda row: row[1].createdAt, reverse=True)

    def create(self, group_id: str, group: GroupRecord) -> None:
        """Create the group (the unit fails if it exists)."""
        self._writes.create(group_ref(self._db, group_id), group.document())

    def replace(self, group_id: str, group: GroupRecord, *, version: datetime) -> None:
        """Write the group's fields, if it is still at ``version`` (else the unit fails)."""
        option = self._unchanged_since(version)
        self._writes.update(group_ref(self._db, group_id), group.document(), option=option)

    def count_members(self, group_id: str, delta: int, now: datetime) -> None:
        """Add ``delta`` to the group's member count."""
        from google.cloud.firestore import Increment

        self._writes.update(
            group_ref(self._db, group_id), {"memberCount": Increment(delta), "updatedAt": now}
        )

    def add_member(self, group_id: str, record: MemberRecord) -> None:
        """Create a member document (the unit fails with ``DocumentExists`` if there is one)."""
        self._writes.create(_member_ref(self._db, group_id, record.uid), record.document())

    def remove_member(self, group_id: str, uid: str) -> None:
        """Delete a member document (the unit fails with ``DocumentMissing`` if it is gone)."""
        self._writes.delete(_member_ref(self._db, group_id, uid), option=self._exists())

    # ---- live sessions -------------------------------------------------------------------------

    def open_gate(self, session_id: str, now: datetime) -> None:
        """Open a live session for check-ins: its gate and the gate's shards."""
        self._writes.create(gate_ref(self._db, session_id), {"openedAt": now, "checkIns": 0})
        for shard in gate_shard_refs(self._db, session_id):
            self._writes.create(shard, {"checkIns": 0})

    def close_gate(self, session_id: str) -> None:
        """Close it: every check-in committed before this is final, none can commit after
        (deleting a closed gate again changes nothing)."""
        self._writes.delete(gate_ref(self._db, session_id))
        for shard in gate_shard_refs(self._db, session_id):
            self._writes.delete(shard)

    def attendance(self, session_id: str, uid: str) -> AttendanceRecord | None:
        """A member's attendance of a session, or None."""
        found = self.attendance_versioned(session_id, uid)
        return None if found is None else found[0]

    def attendance_versioned(
        self, session_id: str, uid: str
    ) -> tuple[AttendanceRecord, datetime] | None:
        """A member's attendance of a session and when it was written, or None."""
        snapshot = self._read(_attendance_ref(self._db, session_id, uid))
        record = record_of(snapshot, AttendanceRecord.model_validate)
        return None if record is None else (record, snapshot.update_time)

    def attendees(self, session_id: str) -> set[str]:
        """The uids with an attendance document for the session."""
        query = session_ref(self._db, session_id).collection(ATTENDANCE)
        return {snap.id for snap in self._stream(query)}

    def attendance_of(self, session_id: str) -> dict[str, AttendanceRecord]:
        """Every attendance record of a session, by uid (a report's matrix)."""
        query = session_ref(self._db, session_id).collection(ATTENDANCE)
        found = {}
        for snap in self._stream(query):
            record, _ = AttendanceRecord.salvage(snap.to_dict())
            if record is not None:
                found[snap.id] = record
        return found

    def checked_in_count(self, session_id: str) -> tuple[int, datetime]:
        """How many members have checked in (present or late), and Firestore's time of the count:
        every check-in committed before that time is in it. One count aggregation."""
        from google.cloud.firestore import FieldFilter

        statuses = [AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value]
        query = (
            session_ref(self._db, session_id)
            .collection(ATTENDANCE)
            .where(filter=FieldFilter("status", "in", statuses))
        )
        return self._count_at(query)

    def check_in(self, session_id: str, uid: str, record: AttendanceRecord) -> None:
        """A check-in: the attendance (created once), through one shard of the open gate. The
        unit fails with ``DocumentExists`` for a second check-in and ``DocumentMissing`` once the
        gate is closed (or for a session opened before the gate had shards: ``check_in_legacy``).
        The session's count is counted apart (services/groups.py: ``_count_in``)."""
        from google.cloud.firestore import Increment

        shards = gate_shard_refs(self._db, session_id)
        shard = shards[zlib.crc32(uid.encode()) % len(shards)]
        self._writes.create(_attendance_ref(self._db, session_id, uid), record.document())
        self._writes.update(shard, {"checkIns": Increment(1)})

    def count_state(self, session_id: str) -> CountState | None:
        """A live session, its version and its gate's claim of the next count, in one read;
        None when the session is gone, being deleted, or its gate closed (it is ending)."""
        session, gate = session_ref(self._db, session_id), gate_ref(self._db, session_id)
        found = {snap.reference.path: snap for snap in self._read_all([session, gate])}
        session_snap, gate_snap = found[session.path], found[gate.path]
        record = record_of(session_snap, SessionRecord.model_validate)
        if record is None or record.deletingAt is not None or not gate_snap.exists:
            return None
        claimed = (gate_snap.to_dict() or {}).get("countClaimedFor")
        return CountState(
            session=record,
            version=session_snap.update_time,
            claimed=claimed if isinstance(claimed, datetime) else None,
            gate_version=gate_snap.update_time,
        )

    def claim_count(self, session_id: str, at: datetime, *, gate_version: datetime) -> None:
        """Claim the session's next count for ``at``, if the gate is still at ``gate_version``
        (the first of concurrent claims wins; the unit fails for the others)."""
        self._writes.update(
            gate_ref(self._db, session_id),
            {"countClaimedFor": at},
            option=self._unchanged_since(gate_version),
        )

    def gate_open(self, session_id: str) -> bool:
        """Whether the session's gate (the unsharded one) is still there."""
        return bool(self._read(gate_ref(self._db, session_id)).exists)

    def check_in_legacy(self, session_id: str, uid: str, record: AttendanceRecord) -> None:
        """A check-in to a session opened before the gate had shards, through the gate itself
        (and the session's count, as then)."""
        from google.cloud.firestore import Increment

        self._writes.create(_attendance_ref(self._db, session_id, uid), record.document())
        self._writes.update(gate_ref(self._db, session_id), {"checkIns": Increment(1)})
        self._writes.update(
            session_ref(self._db, session_id),
            {"presentCount": Increment(1), "updatedAt": record.at},
        )

    def mark_absent(self, session_id: str, uids: Iterable[str], at: datetime) -> None:
        """Record ``absent`` for these members (a plain set, so writing it again is harmless);
        the unit also writes the session at the version read (services/groups.py:
        ``_mark_absent``), so no absence lands under a session being deleted."""
        absent: dict[str, Any] = AttendanceRecord(status="absent", at=at).document()
        for uid in uids:
            self._writes.set(_attendance_ref(self._db, session_id, uid), absent)

    def due_live_sessions(self, now: datetime, *, limit: int = 100) -> list[str]:
        """Ids of live sessions still active past their ``autoEndAt``."""
        from google.cloud.firestore import FieldFilter

        query = (
            self._collection(SESSIONS)
            .where(filter=FieldFilter("status", "==", SessionStatus.ACTIVE.value))
            .where(filter=FieldFilter("autoEndAt", "<=", now))
            .limit(limit)
        )
        return [snap.id for snap in self._stream(query)]
