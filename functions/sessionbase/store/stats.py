"""Statistics documents and the per-session contributions they are the sum of.

``athleteStats/{uid}`` holds an athlete's scalar counters, ``athleteStats/{uid}/years/{yyyy}``
their days of one year and ``athleteStats/{uid}/events/{key}`` one event's count (the name is a
value there, the key a digest: ``domain.stats.documents``), so no document grows with the
history. A coach's counters are spread over ``coachStats/{uid}/shards/{n}``,
``coachStats/{uid}/years/{yyyy}-{n}`` and ``coachStats/{uid}/events/{key}-{n}`` (a session's
shard is fixed by its id), so many athletes' sessions changing at once never queue on one
document; reading sums them all. Counters only ever move by
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

from sessionbase.domain.stats import (
    EVENTS,
    PERSON,
    YEARS,
    Counters,
    counters_in,
    documents,
    is_person,
)
from sessionbase.models.sessions import SessionRecord
from sessionbase.models.stats import Contribution
from sessionbase.models.users import UserRecord
from sessionbase.store.keys import ATHLETE_STATS, COACH_STATS, SESSIONS
from sessionbase.store.work import Repository

if TYPE_CHECKING:
    from google.cloud.firestore import DocumentReference

CONTRIBUTIONS = "statsContributions"
FAILURES = "statsFailures"  # internal: sessions a trigger could not count (the reconcile retries)
PROFILES = "users"
COACH_SHARDS = 10


def _increments(fields: Mapping[str, Any]) -> dict[str, Any]:
    """``fields`` with every amount as an increment (identity fields, strings, stay values)."""
    from google.cloud.firestore import Increment

    return {
        key: _increments(value)
        if isinstance(value, Mapping)
        else value
        if isinstance(value, str)
        else Increment(value)
        for key, value in fields.items()
    }


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

    def counters(self, uid: str, role: str) -> Counters:
        """A person's stored counters, summed over their documents, as flat paths.

        Reads: the person's document (an athlete) or shards (a coach, up to 10), one document
        per year with sessions (a coach: per year and shard), one per event with a count.
        """
        from google.cloud.firestore import FieldFilter

        person = self._collection(ATHLETE_STATS if role == "athlete" else COACH_STATS).document(uid)
        found: list[tuple[str, dict[str, Any]]] = []
        if role == "athlete":
            snapshot = self._read(person)
            if snapshot.exists:
                found.append((PERSON, snapshot.to_dict() or {}))
        else:
            found += [
                (PERSON, snap.to_dict() or {}) for snap in self._stream(person.collection("shards"))
            ]
        found += [(YEARS, snap.to_dict() or {}) for snap in self._stream(person.collection(YEARS))]
        counted = person.collection(EVENTS).where(filter=FieldFilter("sessions", "!=", 0))
        found += [(EVENTS, snap.to_dict() or {}) for snap in self._stream(counted)]
        summed: Counters = {}
        for place, document in found:
            for path, value in counters_in(place, document).items():
                summed[path] = summed.get(path, 0) + value
        return summed

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
        """Move ``uid``'s counters by ``changes`` (increments: concurrent units all count), one
        write per document they fall in."""
        for (place, key), fields in documents(changes).items():
            ref = self._counters_of(uid, role, session_id, place, key)
            self._writes.set(ref, _increments(fields), merge=True)

    def _counters_of(
        self, uid: str, role: str, session_id: str, place: str, key: str
    ) -> DocumentReference:
        """The document of ``uid``'s counters at ``place``/``key`` (``domain.stats.documents``):
        the athlete's own, or a coach's in the session's shard."""
        if role == "athlete":
            person: DocumentReference = self._collection(ATHLETE_STATS).document(uid)
            if place == PERSON:
                return person
            own: DocumentReference = person.collection(place).document(key)
            return own
        shard = int(hashlib.sha256(session_id.encode()).hexdigest(), 16) % COACH_SHARDS
        coach: DocumentReference = self._collection(COACH_STATS).document(uid)
        where = ("shards", str(shard)) if place == PERSON else (place, f"{key}-{shard}")
        found: DocumentReference = coach.collection(where[0]).document(where[1])
        return found

    # ---- sessions a trigger could not count ------------------------------------------------------

    def failures(self) -> list[str]:
        """The ids of the sessions whose counting failed and is not yet repaired."""
        return [ref.id for ref in self._collection(FAILURES).list_documents()]

    def record_failure(
        self, session_id: str, session: SessionRecord | None, error: str, at: datetime
    ) -> None:
        """Note that counting ``session_id`` failed (replacing an earlier note)."""
        ref = self._collection(FAILURES).document(session_id)
        self._writes.set(
            ref,
            {
                "sessionId": session_id,
                "athleteId": session.athleteId if session else None,
                "coachId": session.coachId if session else None,
                "error": error[:1000],
                "at": at,
            },
        )

    def clear_failure(self, session_id: str) -> None:
        """The session is counted again: its failure note goes."""
        self._writes.delete(self._collection(FAILURES).document(session_id))
