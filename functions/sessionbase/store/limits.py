"""``quotas/{id}``: rate-limit counters, one document per person, limit and window (internal)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sessionbase.store.keys import QUOTAS, quota_id
from sessionbase.store.work import Repository

if TYPE_CHECKING:
    from google.cloud.firestore import DocumentReference


class Limits(Repository):
    """How much of a limit one person used in one window, and counting a use."""

    def _ref(self, uid: str, name: str, window: datetime) -> DocumentReference:
        return self._collection(QUOTAS).document(quota_id(uid, f"rate.{name}.{window.isoformat()}"))

    def used(self, uid: str, name: str, window: datetime) -> int:
        """Uses counted in this window (one document read)."""
        snapshot = self._read(self._ref(uid, name, window))
        count = (snapshot.to_dict() or {}).get("count") if snapshot.exists else 0
        return count if isinstance(count, int) else 0

    def count(self, uid: str, name: str, window: datetime, *, cost: int, ends: datetime) -> None:
        """Add ``cost`` uses (a blind increment: one write, no read); ``expireAt`` is the field of
        the collection's TTL policy."""
        from google.cloud.firestore import Increment

        data = {"count": Increment(cost), "windowStart": window, "expireAt": ends}
        self._writes.set(self._ref(uid, name, window), data, merge=True)
