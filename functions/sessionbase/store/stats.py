"""Statistics documents and the per-session contributions they are the sum of.

``athleteStats/{uid}`` holds an athlete's counters. A coach's counters are spread over
``coachStats/{uid}/shards/{n}`` (a session's shard is fixed by its id), so many athletes' sessions
changing at once never queue on one document; reading sums the shards. Counters only ever move by
increments, written in one unit with the session's contribution
(``statsContributions/{sessionId}``), whose update-time precondition makes the whole unit fail if
another event for the same session won the race.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sessionbase.domain.stats import Counters, is_person
from sessionbase.models.sessions import SessionRecord
from sessionbase.models.stats import Contribution
from sessionbase.models.users import UserRecord
from sessionbase.store.keys import ATHLETE_STATS, COACH_STATS, SESSIONS
from sessionbase.store.work import Repository

if TYPE_CHECKING:
    from google.cloud.firestore import DocumentReference

CONTRIBUTIONS = "statsContributions"
PROFILES = "users"
COACH_SHARDS = 10
_GROUPED = ("byEvent.", "bySessionType.", "athletes.", "riskLevels.")


def segments(path: str) -> list[str]:
    """A counter path as map keys: ``byEvent.<any event name>``, ``days.<date>.<kind>``, ``a.b``."""
    for prefix in _GROUPED:
        if path.startswith(prefix):
            return [prefix[:-1], path[len(prefix) :]]
    return path.split(".")


def _nested(changes: Mapping[str, float]) -> dict[str, Any]:
    from google.cloud.firestore import Increment

    tree: dict[str, Any] = {}
    for path, amount in changes.items():
        *parents, leaf = segments(path)
        node = tree
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = Increment(amount)
    return tree


log = logging.getLogger(__name__)


def session_of(session_id: str, data: object) -> SessionRecord | None:
    """A stored session as statistics read it: what is valid in it (a field of the wrong type,
    written around the API, is read as absent and logged); None if nothing is."""
    session, dropped = SessionRecord.salvage(data)
    if dropped:
        log.warning("session %s: fields not counted, of the wrong type: %s", session_id, dropped)
    return session


def contribution_of(session_id: str, data: object) -> Contribution | None:
    """A recorded contribution, or None if it is unreadable (it is then replaced)."""
    found, dropped = Contribution.salvage(data)
    if dropped:
        log.warning("statsContributions/%s: unreadable fields %s", session_id, dropped)
    return found


class Stats(Repository):
    """Statistics counters, the contributions they sum, and what a recount reads."""

    def contribution(self, session_id: str) -> tuple[Contribution | None, datetime] | None:
        """The session's recorded contribution and the time it was written (the contribution
        None if it is unreadable), or None if there is none."""
        snapshot = self._read(self._collection(CONTRIBUTIONS).document(session_id))
        if not snapshot.exists:
            return None
        return contribution_of(session_id, snapshot.to_dict()), snapshot.update_time

    def counters(self, uid: str, role: str) -> list[dict[str, Any]]:
        """The stored counter documents of a person (one for an athlete, the shards of a coach)."""
        if role == "athlete":
            snapshot = self._read(self._collection(ATHLETE_STATS).document(uid))
            return [snapshot.to_dict() or {}] if snapshot.exists else []
        shards = self._collection(COACH_STATS).document(uid).collection("shards")
        return [snap.to_dict() or {} for snap in self._stream(shards)]

    def recent_results(self, uid: str, role: str, field: str, *, limit: int = 10) -> list[float]:
        """The latest ``limit`` values of ``field`` (motionIQ, accuracy) among a person's
        sessions, newest first: an indexed query of ``limit`` documents, however long the
        history."""
        from google.cloud.firestore import FieldFilter, Query

        flag = "has" + field[0].upper() + field[1:]
        person = "athleteId" if role == "athlete" else "coachId"
        query = (
            self._collection(CONTRIBUTIONS)
            .where(filter=FieldFilter(person, "==", uid))
            .where(filter=FieldFilter(flag, "==", True))
            .order_by("at", direction=Query.DESCENDING)
            .limit(limit)
        )
        rows = [snap.to_dict() or {} for snap in self._stream(query)]
        values = [row.get(field) for row in rows]
        return [
            float(value)
            for value in values
            if isinstance(value, int | float) and not isinstance(value, bool)
            if math.isfinite(value)
        ]

    def profile(self, uid: str | None) -> UserRecord:
        """``users/{uid}`` with its defaults for what is absent or malformed (a role change
        writes a profile without a time zone); the defaults alone if there is none."""
        if not is_person(uid):
            return UserRecord()
        snapshot = self._read(self._collection(PROFILES).document(uid))
        found, _ = UserRecord.salvage(snapshot.to_dict() if snapshot.exists else {})
        return found or UserRecord()

    def timezone_of(self, uid: str | None) -> str | None:
        """``users/{uid}.timezone`` (IANA), or None."""
        return self.profile(uid).timezone

    def contributions_of(self, uid: str, role: str) -> Iterator[tuple[str, Contribution]]:
        """Every live contribution to ``uid``'s statistics."""
        from google.cloud.firestore import FieldFilter

        field = "athleteId" if role == "athlete" else "coachId"
        query = self._collection(CONTRIBUTIONS).where(filter=FieldFilter(field, "==", uid))
        for snap in self._stream(query):
            found = contribution_of(snap.id, snap.to_dict())
            yield snap.id, found or Contribution.tombstone(snap.update_time)

    def sessions_of(self, uid: str, role: str) -> Iterator[tuple[str, SessionRecord, datetime]]:
        """Every session of ``uid`` as athlete or coach, with its version (the reconcile's
        source)."""
        from google.cloud.firestore import FieldFilter

        field = "athleteId" if role == "athlete" else "coachId"
        query = self._collection(SESSIONS).where(filter=FieldFilter(field, "==", uid))
        for snap in self._stream(query):
            session = session_of(snap.id, snap.to_dict())
            if session is not None:
                yield snap.id, session, snap.update_time

    def session(self, session_id: str) -> tuple[SessionRecord | None, datetime] | None:
        """A session as statistics read it (``session_of``) with its version, or None if there
        is no such document."""
        snapshot = self._read(self._collection(SESSIONS).document(session_id))
        if not snapshot.exists:
            return None
        return session_of(session_id, snapshot.to_dict()), snapshot.update_time

    def people(self) -> Iterator[tuple[str, str]]:
        """Everyone with statistics or sessions: (uid, "athlete") and (uid, "coach").

        The sessions' people too, so that someone none of whose sessions was ever counted (a
        trigger that failed) is found; a projection of two fields per session.
        """
        seen: set[tuple[str, str]] = set()
        for ref in self._collection(ATHLETE_STATS).list_documents():
            seen.add((ref.id, "athlete"))
        for ref in self._collection(COACH_STATS).list_documents():
            seen.add((ref.id, "coach"))
        for snap in self._stream(self._collection(SESSIONS).select(["athleteId", "coachId"])):
            row = snap.to_dict() or {}
            for field, role in (("athleteId", "athlete"), ("coachId", "coach")):
                uid = row.get(field)
                if is_person(uid):
                    seen.add((uid, role))
        yield from sorted(seen)

    # ---- writes (inside a unit of work) --------------------------------------------------------

    def record_contribution(
        self, session_id: str, item: Contribution, *, written_at: datetime | None
    ) -> None:
        """Replace the session's contribution, if nobody changed it since ``written_at``
        (None: it must not exist yet); else the unit fails."""
        ref = self._collection(CONTRIBUTIONS).document(session_id)
        every_field = item.model_dump(mode="python", by_alias=True)
        if written_at is None:
            self._writes.create(ref, every_field)
        else:
            self._writes.update(ref, every_field, option=self._unchanged_since(written_at))

    def add(self, uid: str, role: str, session_id: str, changes: Counters) -> None:
        """Move ``uid``'s counters by ``changes`` (increments: concurrent units all count)."""
        self._writes.set(self._counters_of(uid, role, session_id), _nested(changes), merge=True)

    def _counters_of(self, uid: str, role: str, session_id: str) -> DocumentReference:
        """Where a session's counters for ``uid`` go: the athlete's document, or a coach shard."""
        if role == "athlete":
            ref: DocumentReference = self._collection(ATHLETE_STATS).document(uid)
            return ref
        shard = int(hashlib.sha256(session_id.encode()).hexdigest(), 16) % COACH_SHARDS
        shards = self._collection(COACH_STATS).document(uid).collection("shards")
        shard_ref: DocumentReference = shards.document(str(shard))
        return shard_ref
