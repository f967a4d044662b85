"""``idempotency/{id}``: the first answer to a create sent with a key, kept for a day.

A record is claimed ("running") before its operation runs, and completed ("done") with the
operation's answer, so that a repeat of the request answers the same without running it again
(``handlers/dispatch.py: execute``; docs/decisions.md, "Idempotent creates"). The id is a hash
of the caller, the operation and the key: the key itself is not stored. ``expiresAt`` is the
field of the collection's TTL policy (firestore.indexes.json); Firestore deletes a record some
time after it, and until then ``expired`` says it no longer counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sessionbase.store.keys import IDEMPOTENCY as COLLECTION
from sessionbase.store.work import Repository

# How long a first answer is kept for its repeats.
KEEP = timedelta(hours=24)
# How long a claim holds without an answer: past a function's longest run (60 s), so a claim left
# by an instance that died can be taken over, and one that is still running never is.
LEASE = timedelta(seconds=90)


def record_id(uid: str, operation: str, key: str) -> str:
    """The document id of ``key`` sent by ``uid`` to ``operation``: the same key from another
    caller, or to another operation, is another record."""
    return hashlib.sha256("\x00".join((uid, operation, key)).encode()).hexdigest()


class State(StrEnum):
    """Where the keyed request is."""

    RUNNING = "running"  # claimed; its operation has not answered yet
    DONE = "done"  # answered: ``status`` and ``body`` are its answer


@dataclass(frozen=True, kw_only=True)
class KeyRecord:
    """What is kept of a keyed request: who sent what, and its answer once there is one."""

    uid: str
    operation: str
    fingerprint: str  # a hash of the request's ids and body: the same key with another is refused
    state: State
    created_at: datetime
    expires_at: datetime
    lease_until: datetime
    status: int | None = None
    body: str | None = None  # the answer's JSON text, exactly as it was sent

    @classmethod
    def running(cls, *, uid: str, operation: str, fingerprint: str, now: datetime) -> KeyRecord:
        """A fresh claim made at ``now``."""
        return cls(
            uid=uid,
            operation=operation,
            fingerprint=fingerprint,
            state=State.RUNNING,
            created_at=now,
            expires_at=now + KEEP,
            lease_until=now + LEASE,
        )

    def expired(self, now: datetime) -> bool:
        """True once the record no longer counts (TTL deletes it some time later)."""
        return now >= self.expires_at

    def abandoned(self, now: datetime) -> bool:
        """True for a claim whose request never answered within the lease (its instance died)."""
        return self.state is State.RUNNING and now >= self.lease_until

    def document(self) -> dict[str, Any]:
        """The stored fields."""
        return {
            "uid": self.uid,
            "operation": self.operation,
            "fingerprint": self.fingerprint,
            "state": self.state.value,
            "createdAt": self.created_at,
            "expiresAt": self.expires_at,
            "leaseUntil": self.lease_until,
            "status": self.status,
            "body": self.body,
        }

    @classmethod
    def from_document(cls, data: dict[str, Any]) -> KeyRecord | None:
        """The record a document holds, or None when it is not one (then it is claimed anew)."""
        try:
            record = cls(
                uid=str(data["uid"]),
                operation=str(data["operation"]),
                fingerprint=str(data["fingerprint"]),
                state=State(data["state"]),
                created_at=_time(data["createdAt"]),
                expires_at=_time(data["expiresAt"]),
                lease_until=_time(data["leaseUntil"]),
                status=data.get("status") if isinstance(data.get("status"), int) else None,
                body=data.get("body") if isinstance(data.get("body"), str) else None,
            )
        except (KeyError, ValueError, TypeError):
            return None
        answered = record.status is not None and record.body is not None
        return record if record.state is State.RUNNING or answered else None


def _time(value: Any) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError("not a time")
    return value


class Idempotency(Repository):
    """Keyed requests and their first answers."""

    def _ref(self, id_: str) -> Any:
        return self._collection(COLLECTION).document(id_)

    def get_versioned(self, id_: str) -> tuple[KeyRecord | None, datetime] | None:
        """The record and its version (update time); None when there is no document, and a
        None record for a document that is not a record (written by hand, half a shape)."""
        snapshot = self._read(self._ref(id_))
        if not snapshot.exists:
            return None
        return KeyRecord.from_document(snapshot.to_dict() or {}), snapshot.update_time

    def claim(self, id_: str, record: KeyRecord) -> None:
        """Create the claim (the unit fails with ``DocumentExists`` if someone holds it)."""
        self._writes.create(self._ref(id_), record.document())

    def take_over(self, id_: str, record: KeyRecord, *, version: datetime) -> None:
        """Replace an expired or abandoned record still at ``version`` with a fresh claim."""
        self._writes.update(
            self._ref(id_), record.document(), option=self._unchanged_since(version)
        )

    def complete(self, id_: str, record: KeyRecord) -> None:
        """Store the answer of the claim ``id_``."""
        self._writes.set(self._ref(id_), record.document())

    def release(self, id_: str) -> None:
        """Drop the claim: the request failed, wrote nothing, and may be sent again."""
        self._writes.delete(self._ref(id_))
