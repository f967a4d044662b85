"""Deleting an account with 10,000 sessions (issue 27): time and Firestore operations, counted.

Runs inside the emulator suite (scripts/bench.sh delete: Auth, Firestore and the local GCS
server). Prints figures; asserts nothing but that the deletion finished.

One person (a real Auth user) gets ``--sessions`` (10,000) sessions written straight into the
Firestore emulator with the Admin client in batches: all but ``--shared`` (100) are their own
practice sessions with two answer items each and a statistics contribution; the shared ones are
a coach's sessions with them (kept and de-identified, the coach's statistics moved). Their
statistics and profile documents are written too. Then the deletion's job is created and run
in this process (``services.accounts.run_deletion``), a run at a time with the default budget
(60 s) as the task queue would, with every Firestore RPC of this process counted: documents
read (gets, batch gets, queries, listings), writes and deletes committed, and round trips.

    python scripts/bench_delete.py [--sessions 10000] [--shared 100]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from devtools.emulators import sign_up

READS = ("get_document", "batch_get_documents", "run_query", "list_documents")
LISTINGS = ("list_collection_ids", "run_aggregation_query")


@contextmanager
def counting() -> Iterator[Counter[str]]:
    """Count this process's Firestore RPCs: ``reads`` (documents returned), ``writes`` and
    ``deletes`` (in commits), ``round trips`` by method."""
    from google.cloud.firestore_v1.services.firestore import FirestoreClient

    counts: Counter[str] = Counter()
    originals = {name: getattr(FirestoreClient, name) for name in (*READS, *LISTINGS, "commit")}

    def commit(self: Any, request: Any = None, **kwargs: Any) -> Any:
        writes = request.get("writes", []) if isinstance(request, dict) else request.writes
        for write in writes:
            deleted = write.get("delete") if isinstance(write, dict) else write.delete
            counts["deletes" if deleted else "writes"] += 1
        counts["round trips: commit"] += 1
        return originals["commit"](self, request=request, **kwargs)

    def reader(name: str) -> Any:
        def read(self: Any, request: Any = None, **kwargs: Any) -> Any:
            counts[f"round trips: {name}"] += 1
            answer = originals[name](self, request=request, **kwargs)
            if name == "get_document":
                counts["reads"] += 1
                return answer
            if name == "list_documents":
                return _counted(answer, counts, lambda page: 1)
            return _counted(answer, counts, lambda part: 1 if _has_document(part) else 0)

        return read

    for name in (*READS, *LISTINGS):
        setattr(FirestoreClient, name, reader(name))
    FirestoreClient.commit = commit  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        for name, original in originals.items():
            setattr(FirestoreClient, name, original)


def _has_document(part: Any) -> bool:
    found = getattr(part, "document", None) or getattr(part, "found", None)
    return bool(found and getattr(found, "name", ""))


def _counted(answer: Any, counts: Counter[str], cost: Any) -> Any:
    """A streamed answer whose items are counted as they are read (a listing's pager too)."""

    class Counted:
        def __init__(self) -> None:
            self._parts = iter(answer)

        def __iter__(self) -> Counted:
            return self

        def __next__(self) -> Any:
            part = next(self._parts)
            counts["reads"] += cost(part)
            return part

        def __getattr__(self, name: str) -> Any:
            return getattr(answer, name)

    return Counted()


def seed(db: Any, uid: str, coach: str, sessions: int, shared: int) -> None:
    """The person's sessions, items, contributions, statistics and profile, in batches."""
    now = datetime.now(UTC)
    batch, staged = db.batch(), 0

    def stage(path: str, data: dict[str, Any]) -> None:
        nonlocal batch, staged
        batch.set(db.document(path), data)
        staged += 1
        if staged == 450:
            batch.commit()
            batch, staged = db.batch(), 0

    stage(f"users/{uid}", {"displayName": "Bench Person", "email": f"{uid}@example.com"})
    stage(f"athleteStats/{uid}", {"totalSessions": sessions})
    for n in range(sessions):
        sid = f"bench-{uid[:6]}-{n:05d}"
        day = now - timedelta(days=n % 365, minutes=n)
        coached = n < shared
        session = {
            "athleteId": uid,
            "athleteEmail": f"{uid}@example.com",
            "athleteName": "Bench Person",
            "coachId": coach if coached else None,
            "createdBy": coach if coached else uid,
            "sessionType": "Analysis" if coached else "Practice",
            "event": "Vault" if coached else "Practice",
            "status": "completed",
            "date": day.date().isoformat(),
            "actualStart": day,
            "durationSeconds": 600,
            "scorePercentage": 80.0,
            "archived": False,
            "createdAt": day,
            "updatedAt": day,
        }
        stage(f"sessions/{sid}", session)
        if not coached:
            for item in range(2):
                stage(f"sessions/{sid}/items/i{item}", {"kind": "answer", "isCorrect": True})
        stage(
            f"statsContributions/{sid}",
            {"version": day, "athleteId": uid, "coachId": coach if coached else None,
             "counters": {"totalSessions": 1}},
        )  # fmt: skip
    if staged:
        batch.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--shared", type=int, default=100)
    args = parser.parse_args()

    import firebase_admin

    from sessionbase import settings
    from sessionbase.domain import accounts as steps
    from sessionbase.models.accounts import AccountDeletionRecord
    from sessionbase.services import accounts
    from sessionbase.store.client import firestore_client
    from sessionbase.store.storage import default_objects
    from sessionbase.store.work import Store

    if not firebase_admin._apps:  # this process's Admin SDK, on the Auth emulator
        firebase_admin.initialize_app()
    stamp = time.time_ns()
    person = sign_up(f"bench-delete-{stamp}@example.com", "password123")
    coach = sign_up(f"bench-coach-{stamp}@example.com", "password123", role="coach")
    db = firestore_client()
    started = time.perf_counter()
    seed(db, person.uid, coach.uid, args.sessions, args.shared)
    print(f"seeded {args.sessions} sessions ({args.shared} shared with a coach) "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip

    store, objects, now = Store(db), default_objects(), datetime.now(UTC)
    job = AccountDeletionRecord(
        uid=person.uid,
        placeholder=steps.placeholder(person.uid),
        step=steps.STEPS[0],
        runs=1,
        requestedBy=person.uid,
        createdAt=now,
        updatedAt=now,
    )
    store.write(lambda unit: unit.accounts.create_job(job))
    budget = settings.account_deletion_budget()
    queued: list[int] = []
    runs: list[float] = []
    with counting() as counts:
        started = time.perf_counter()
        while True:
            began = time.perf_counter()
            left = accounts.run_deletion(
                store, objects, person.uid, clock=lambda: datetime.now(UTC), budget=budget,
                continue_later=lambda uid, run: queued.append(run),
            )  # fmt: skip
            runs.append(time.perf_counter() - began)
            if left is None or left.status == "done":
                break
        took = time.perf_counter() - started
    assert left is not None
    assert left.status == "done", left
    remaining = db.collection("sessions").where("athleteId", "==", person.uid).count().get()
    print(f"deleted in {took:.1f} s over {len(runs)} run(s) of at most {budget.seconds} s "
          f"(runs: {', '.join(f'{r:.1f}' for r in runs)} s); sessions left naming them: "
          f"{remaining[0][0].value}")  # fmt: skip
    print(f"  job counts: {dict(left.counts)}; objects deleted {left.objects}")
    total = sum(v for k, v in counts.items() if k.startswith("round trips"))
    print(f"  Firestore: {counts['reads']} documents read, {counts['writes']} writes, "
          f"{counts['deletes']} deletes, {total} round trips")  # fmt: skip
    for key in sorted(k for k in counts if k.startswith("round trips")):
        print(f"    {key:<40} {counts[key]}")
    per = (counts["reads"] + counts["writes"] + counts["deletes"]) / args.sessions
    print(f"  per session: {per:.2f} operations, {took / args.sessions * 1000:.2f} ms")


if __name__ == "__main__":
    main()
