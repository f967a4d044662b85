"""Benchmark: what listing page 1 and page 50 of a coach with 5,000 sessions costs.

Runs the real service (``services.sessions.list_sessions``) against the Firestore emulator and
counts billed document reads by instrumenting the client library: every document a query returns
or a ``get`` fetches is one read, and a query that returns nothing still costs one. Pages are
fetched with the API's cursors, so page 50 is reached by walking 49 pages first; page 1 and page 50
are then timed side by side, interleaved. Prints figures; asserts nothing about time.

    scripts/bench.sh list_pages
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

from google.cloud.firestore_v1.document import DocumentReference
from google.cloud.firestore_v1.query import Query

from sessionbase.models.identity import Caller, Role
from sessionbase.models.sessions import SessionListQuery
from sessionbase.services.context import Context
from sessionbase.services.sessions import list_sessions
from sessionbase.store.client import firestore_client
from sessionbase.store.storage import default_objects
from sessionbase.store.work import Store

SESSIONS = 5_000
PAGE = 20
REPEATS = 7
reads = 0


def _count_stream(original):
    def stream(self, *args, **kwargs):
        global reads
        returned = 0
        for snapshot in original(self, *args, **kwargs):
            returned += 1
            yield snapshot
        reads += max(returned, 1)

    return stream


def _count_get(original):
    def get(self, *args, **kwargs):
        global reads
        reads += 1
        return original(self, *args, **kwargs)

    return get


Query.stream = _count_stream(Query.stream)
DocumentReference.get = _count_get(DocumentReference.get)


def seed(db, coach_id: str) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for first in range(0, SESSIONS, 500):
        batch = db.batch()
        for n in range(first, min(first + 500, SESSIONS)):
            at = start + timedelta(minutes=n)
            batch.set(
                db.collection("sessions").document(f"bench-{n:05d}"),
                {
                    "coachId": coach_id,
                    "athleteId": f"athlete-{n % 40}",
                    "createdBy": coach_id,
                    "event": "Vault",
                    "sessionType": "Training",
                    "status": "completed",
                    "archived": False,
                    "createdAt": at,
                    "updatedAt": at,
                },
            )
        batch.commit()


def main() -> None:
    global reads
    db = firestore_client()
    coach = Caller(
        uid="bench-coach", email="c@example.com", email_verified=True, name=None, role=Role.COACH
    )
    seed(db, coach.uid)
    ctx = Context(caller=coach, store=Store(db), now=datetime.now(UTC), objects=default_objects())

    cursors: dict[int, str | None] = {1: None}
    for page in range(1, 50):
        params = {"limit": PAGE, **({"cursor": cursors[page]} if cursors[page] else {})}
        cursors[page + 1] = list_sessions(ctx, SessionListQuery.model_validate(params)).nextCursor

    def fetch(page: int) -> tuple[int, float, list[str]]:
        global reads
        params = {"limit": PAGE, **({"cursor": cursors[page]} if cursors[page] else {})}
        reads = 0
        began = time.perf_counter()
        result = list_sessions(ctx, SessionListQuery.model_validate(params))
        elapsed = time.perf_counter() - began
        return reads, elapsed, [s.sessionId for s in result.sessions]

    timings: dict[int, list[float]] = {1: [], 50: []}
    counted: dict[int, set[int]] = {1: set(), 50: set()}
    ids: dict[int, list[str]] = {}
    for _ in range(REPEATS):
        for page in (1, 50):  # interleaved, so both see the same machine load
            n, elapsed, ids[page] = fetch(page)
            timings[page].append(elapsed)
            counted[page].add(n)

    print(f"coach with {SESSIONS} sessions, page size {PAGE}, {REPEATS} runs each, interleaved")
    for page in (1, 50):
        print(
            f"  page {page:>2}: reads {sorted(counted[page])}"
            f"  sessions {ids[page][0]}..{ids[page][-1]}"
            f"  median {statistics.median(timings[page]) * 1000:.1f} ms"
            f"  min {min(timings[page]) * 1000:.1f} ms"
        )
    ratio_reads = max(counted[50]) / max(counted[1])
    ratio_time = statistics.median(timings[50]) / statistics.median(timings[1])
    print(f"  page 50 / page 1: reads x{ratio_reads:.2f}, median time x{ratio_time:.2f}")
    expected_first = f"bench-{SESSIONS - 1 - 49 * PAGE:05d}"
    print(f"  page 50 starts at {ids[50][0]} (expected {expected_first})")


if __name__ == "__main__":
    main()
