"""Statistics benchmark: cost per session change, coach hot spot, and write -> API latency.

Runs against the emulator suite (scripts/bench.sh stats); prints figures, asserts nothing.

1. Firestore operations (document reads, query reads, written documents) and wall time of one
   counted change (``record_change``, what the trigger runs) for an athlete with 10 and with
   10,000 sessions, interleaved (goal: ratio <= 1.05).
2. 50 concurrent writers changing sessions of one coach: throughput, and exactness against a
   recount (the coach's counters are sharded over 10 documents).
3. A session written by the Admin SDK -> the change visible in ``GET /api/sessions/stats``
   (through the real trigger and Hosting): p50/p95.

    python scripts/bench_stats.py
"""

from __future__ import annotations

import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from google.cloud.firestore_v1.batch import WriteBatch
from google.cloud.firestore_v1.document import DocumentReference
from google.cloud.firestore_v1.query import Query

from devtools.emulators import api, sign_up
from devtools.measure import percentile
from sessionbase.models.sessions import SessionRecord
from sessionbase.services.stats import dashboard, record_change
from sessionbase.store.client import firestore_client
from sessionbase.store.work import Store

ops = {"doc reads": 0, "query reads": 0, "writes": 0}


def _counting() -> None:
    get, stream, commit = DocumentReference.get, Query.stream, WriteBatch.commit

    def counted_get(self, *args, **kwargs):
        ops["doc reads"] += 1
        return get(self, *args, **kwargs)

    def counted_stream(self, *args, **kwargs):
        for snapshot in stream(self, *args, **kwargs):
            ops["query reads"] += 1
            yield snapshot

    def counted_commit(self, *args, **kwargs):
        ops["writes"] += len(self._write_pbs)
        return commit(self, *args, **kwargs)

    DocumentReference.get, Query.stream, WriteBatch.commit = (
        counted_get,
        counted_stream,
        counted_commit,
    )


def seed(db, athlete: str, count: int) -> str:
    """``count`` counted sessions for the athlete, written in batches; returns one session id."""
    now = datetime.now(UTC)
    ids = [f"{athlete}-{n:05d}" for n in range(count)]
    for start in range(0, count, 400):
        batch = db.batch()
        for sid in ids[start : start + 400]:
            batch.set(
                db.collection("benchSessions").document(sid),
                {"athleteId": athlete, "status": "completed", "createdAt": now},
            )
        batch.commit()
    # Count them as the trigger would, then keep one to change.
    with ThreadPoolExecutor(8) as pool:
        record = SessionRecord(athleteId=athlete, status="completed", createdAt=now)
        list(pool.map(lambda sid: record_change(Store(db), sid, record, now), ids))
    return ids[0]


def cost_per_change(db) -> None:
    small, large = f"bench-small-{uuid.uuid4().hex[:6]}", f"bench-large-{uuid.uuid4().hex[:6]}"
    changing = {small: seed(db, small, 10), large: seed(db, large, 10_000)}
    figures: dict[str, list[tuple[dict, float]]] = {small: [], large: []}
    for round_ in range(20):
        for athlete in (small, large):  # interleaved
            record = SessionRecord(
                athleteId=athlete, status="completed", createdAt=datetime.now(UTC),
                motionIQ=float(round_), event=f"E{round_ % 3}",
            )  # fmt: skip
            for key in ops:
                ops[key] = 0
            began = time.perf_counter()
            record_change(Store(db), changing[athlete], record, datetime.now(UTC))
            figures[athlete].append((dict(ops), time.perf_counter() - began))
    print("1. one counted change (record_change), 20 each, interleaved")
    medians = {}
    for athlete, label in ((small, "10 sessions"), (large, "10,000 sessions")):
        counts = figures[athlete][0][0]
        same = all(f[0] == counts for f in figures[athlete])
        medians[athlete] = statistics.median(t for _, t in figures[athlete])
        print(
            f"   {label:>16}: {counts} (same every time: {same}); "
            f"median {medians[athlete] * 1000:.1f} ms"
        )
    total = {a: sum(figures[a][0][0].values()) for a in figures}
    print(
        f"   operations 10,000 / 10: x{total[large] / total[small]:.2f}; "
        f"median time x{medians[large] / medians[small]:.2f}"
    )


def coach_hot_spot(db) -> None:
    coach = f"bench-coach-{uuid.uuid4().hex[:6]}"
    now = datetime.now(UTC)
    sessions = [(f"{coach}-s{n}", f"{coach}-a{n}") for n in range(50)]

    def write(item: tuple[str, str], status: str) -> None:
        sid, athlete = item
        record = SessionRecord(athleteId=athlete, coachId=coach, status=status, createdAt=now)
        record_change(Store(db), sid, record, datetime.now(UTC))

    with ThreadPoolExecutor(50) as pool:
        list(pool.map(lambda item: write(item, "scheduled"), sessions))
    began = time.perf_counter()
    with ThreadPoolExecutor(50) as pool:
        list(pool.map(lambda item: write(item, "completed"), sessions))
    elapsed = time.perf_counter() - began
    figures = dashboard(Store(db), coach, "coach", datetime.now(UTC))
    exact = (figures.totalSessions, figures.completedSessions, figures.athleteCount) == (50, 50, 50)
    print("2. 50 concurrent writers completing sessions of one coach (10 counter shards)")
    print(
        f"   {50 / elapsed:.0f} changes/s ({elapsed:.2f} s); total {figures.totalSessions}, "
        f"completed {figures.completedSessions}, athletes {figures.athleteCount}: exact {exact}"
    )


def write_to_api(db, samples: int = 20) -> None:
    athlete = sign_up(f"bench-{uuid.uuid4().hex[:6]}@example.com", "password123")
    latencies = []
    for n in range(1, samples + 1):
        sent = time.time()
        db.collection("sessions").document(f"{athlete.uid}-{n}").set(
            {"athleteId": athlete.uid, "status": "completed", "createdAt": datetime.now(UTC)}
        )
        while True:
            figures = api("GET", "/api/sessions/stats", athlete).json()["stats"]
            if figures["totalSessions"] >= n:
                latencies.append(time.time() - sent)
                break
            time.sleep(0.02)
    print(f"3. session write -> visible in GET /api/sessions/stats, {samples} writes")
    print(
        f"   p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms"
    )


def main() -> None:
    db = firestore_client()
    _counting()
    cost_per_change(db)
    coach_hot_spot(db)
    write_to_api(db)


if __name__ == "__main__":
    main()
