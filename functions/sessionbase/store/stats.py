"""Statistics documents and the per-session contributions they are the sum of.

``athleteStats/{uid}`` holds an athlete's counters. A coach's counters are spread over
``coachStats/{uid}/shards/{n}`` (a session's shard is fixed by its id), so many athletes' sessions
changing at once never queue on one document; reading sums the shards. Counters only ever move by
increments, written in one batch with the session's contribution
(``statsContributions/{sessionId}``), whose update-time precondition makes the whole batch fail if
another event for the same session won the race.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sessionbase.domain.stats import Counters
from sessionbase.models.stats import Contribution
from sessionbase.store.client import record_of, unchanged_since
from sessionbase.store.keys import ATHLETE_STATS, COACH_STATS, SESSIONS

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentReference, WriteBatch

CONTRIBUTIONS = "statsContributions"
COACH_SHARDS = 10
_GROUPED = ("byEvent.", "bySessionType.", "athletes.", "riskLevels.")


def contribution(db: Client, session_id: str) -> tuple[Contribution, datetime] | None:
    """The session's recorded contribution and the time it was written, or None."""
    snapshot = db.collection(CONTRIBUTIONS).document(session_id).get()
    found = record_of(snapshot, Contribution.model_validate)
    return None if found is None else (found, snapshot.update_time)


def record_contribution(
    batch: WriteBatch,
    db: Client,
    session_id: str,
    item: Contribution,
    *,
    written_at: datetime | None,
) -> None:
    """Replace the session's contribution, if nobody changed it since ``written_at`` (None: new)."""
    ref = db.collection(CONTRIBUTIONS).document(session_id)
    every_field = item.model_dump(mode="python", by_alias=True)
    if written_at is None:
        batch.create(ref, every_field)
    else:
        batch.update(ref, every_field, option=unchanged_since(db, written_at))


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


def stats_ref(db: Client, uid: str, role: str, session_id: str) -> DocumentReference:
    """Where a session's counters for ``uid`` go: the athlete's document, or a coach shard."""
    if role == "athlete":
        ref: DocumentReference = db.collection(ATHLETE_STATS).document(uid)
        return ref
    shard = int(hashlib.sha256(session_id.encode()).hexdigest(), 16) % COACH_SHARDS
    shards = db.collection(COACH_STATS).document(uid).collection("shards")
    shard_ref: DocumentReference = shards.document(str(shard))
    return shard_ref


def add(
    batch: WriteBatch, db: Client, uid: str, role: str, session_id: str, changes: Counters
) -> None:
    """Move ``uid``'s counters by ``changes`` (increments: concurrent batches all count)."""
    batch.set(stats_ref(db, uid, role, session_id), _nested(changes), merge=True)


def counters(db: Client, uid: str, role: str) -> list[dict[str, Any]]:
    """The stored counter documents of a person (one for an athlete, the shards of a coach)."""
    if role == "athlete":
        snapshot = db.collection(ATHLETE_STATS).document(uid).get()
        return [snapshot.to_dict() or {}] if snapshot.exists else []
    shards = db.collection(COACH_STATS).document(uid).collection("shards").stream()
    return [snap.to_dict() or {} for snap in shards]


def recent_results(db: Client, uid: str, role: str, field: str, *, limit: int = 10) -> list[float]:
    """The latest ``limit`` values of ``field`` (motionIQ, accuracy) among a person's sessions,
    newest first: an indexed query of ``limit`` documents, however long the history."""
    from google.cloud.firestore import FieldFilter, Query

    flag = "has" + field[0].upper() + field[1:]
    person = "athleteId" if role == "athlete" else "coachId"
    query = (
        db.collection(CONTRIBUTIONS)
        .where(filter=FieldFilter(person, "==", uid))
        .where(filter=FieldFilter(flag, "==", True))
        .order_by("at", direction=Query.DESCENDING)
        .limit(limit)
    )
    rows = [snap.to_dict() or {} for snap in query.stream()]
    return [float(row[field]) for row in rows]


def timezone_of(db: Client, uid: str | None) -> str | None:
    """``users/{uid}.timezone`` (IANA), or None."""
    if not uid:
        return None
    snapshot = db.collection("users").document(uid).get()
    value = snapshot.get("timezone") if snapshot.exists else None
    return value if isinstance(value, str) else None


def contributions_of(db: Client, uid: str, role: str) -> Iterator[tuple[str, Contribution]]:
    """Every live contribution to ``uid``'s statistics."""
    from google.cloud.firestore import FieldFilter

    field = "athleteId" if role == "athlete" else "coachId"
    query = db.collection(CONTRIBUTIONS).where(filter=FieldFilter(field, "==", uid))
    for snap in query.stream():
        yield snap.id, Contribution.model_validate(snap.to_dict())


def sessions_of(db: Client, uid: str, role: str) -> Iterator[Any]:
    """Every session document of ``uid`` as athlete or coach (the reconcile's source)."""
    from google.cloud.firestore import FieldFilter

    field = "athleteId" if role == "athlete" else "coachId"
    yield from db.collection(SESSIONS).where(filter=FieldFilter(field, "==", uid)).stream()


def session_snapshot(db: Client, session_id: str) -> Any:
    """The session document's snapshot, or None if it does not exist."""
    snapshot = db.collection(SESSIONS).document(session_id).get()
    return snapshot if snapshot.exists else None


def people(db: Client) -> Iterator[tuple[str, str]]:
    """Everyone with statistics: (uid, "athlete") and (uid, "coach")."""
    for snap in db.collection(ATHLETE_STATS).list_documents():
        yield snap.id, "athlete"
    for snap in db.collection(COACH_STATS).list_documents():
        yield snap.id, "coach"
