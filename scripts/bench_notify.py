"""Notification benchmarks (issue 25), both figures in one run.

Runs inside the emulator suite (scripts/bench.sh notify). Prints figures; asserts nothing.

- inbox: a coach's ``POST /api/invitations`` through Hosting, as the web app sends it, to a
  signed-up athlete with a verified address, until the athlete's Firebase JS SDK listener (Node,
  tests/js/listen.mjs) on ``users/{uid}/notifications`` (newest first, as the inbox page lists
  it) sees the new document; beside a raw write (the Admin client creating a notification-shaped
  document in the same collection) until the same listener sees it. Interleaved, so both see
  the same load; each latency runs from just before the request to the listener's arrival stamp
  (one clock). Each round's invitation comes from another coach: each is a new event (a second
  invitation from one coach to one address is the same pending invitation). p50/p95 of both and
  the ratio of the p95s (goal <= 3).
- class: a group of ``--members`` (200) members; its owner starts a class
  (``POST /api/groups/{id}/sessions`` through Hosting): the time until every member's
  ``classStarted`` inbox document exists (polled with a count aggregation). Then the Firestore
  writes one start costs, counted: the same service (``services.groups.start_live_session``)
  run in this process against the emulator, with every write RPC of the Firestore client counted
  (``commit`` and ``batch_write``: the writes each carries, and the round trips). Between the
  two, ending the class marks every member absent (``markedAbsent``): counted the same way. Goal:
  200 inbox writes + a constant, in batches. Counting in-process counts what the services write
  when the request runs; a write made later by a trigger or a queued task is not in it (the
  figures say how many inbox documents exist when the counted call returns).

The members of the large group are written by the store in one batch (their profiles, with
verified addresses and default preferences, and their member documents; four hundred API requests
of invitations and acceptances are not what is measured). With the default preferences a class
start mails nobody (e-mail off for ``classStarted``) and an end mails every absentee.

    python scripts/bench_notify.py [-n 30] [--members 200]
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from devtools.emulators import PROJECT, User, api, sign_up
from devtools.listener import Listener
from devtools.measure import percentile


def line(label: str, values: list[float]) -> str:
    return (
        f"  {label:<34} p50 {statistics.median(values) * 1000:7.1f} ms"
        f"   p95 {percentile(values, 0.95) * 1000:7.1f} ms"
    )


def created(reply: Any, status: int = 201) -> dict[str, Any]:
    if reply.status_code != status:
        raise SystemExit(f"{reply.request.method} {reply.request.url}: {reply.status_code} "
                         f"{reply.text}")  # fmt: skip
    body: dict[str, Any] = reply.json()
    return body


# ---- counting the Firestore client's writes ------------------------------------------------------


class Writes:
    """Write RPCs of this process's Firestore client while ``counting()`` is on."""

    writes = 0
    round_trips = 0


@contextmanager
def counting() -> Iterator[type[Writes]]:
    from google.cloud.firestore_v1.services.firestore import FirestoreClient

    commit, batch_write = FirestoreClient.commit, FirestoreClient.batch_write

    def size(request: Any) -> int:
        writes = request.get("writes", []) if isinstance(request, dict) else request.writes
        return len(writes)

    def counted_commit(self: Any, request: Any = None, **kwargs: Any) -> Any:
        Writes.writes += size(request)
        Writes.round_trips += 1
        return commit(self, request=request, **kwargs)

    def counted_batch_write(self: Any, request: Any = None, **kwargs: Any) -> Any:
        Writes.writes += size(request)
        Writes.round_trips += 1
        return batch_write(self, request=request, **kwargs)

    Writes.writes = Writes.round_trips = 0
    FirestoreClient.commit = counted_commit  # type: ignore[method-assign]
    FirestoreClient.batch_write = counted_batch_write  # type: ignore[method-assign]
    try:
        yield Writes
    finally:
        FirestoreClient.commit = commit  # type: ignore[method-assign]
        FirestoreClient.batch_write = batch_write  # type: ignore[method-assign]


# ---- (a) event -> the recipient's inbox listener -----------------------------------------------


def inbox_listener(user: User, snapshots: int) -> Listener:
    target = {
        "name": "inbox",
        "collection": f"users/{user.uid}/notifications",
        "orderBy": "createdAt",
        "limit": 20,
        "snapshots": snapshots,
    }
    return Listener(user, [target], timeout_ms=900_000)


def seen(listener: Listener, matches: Callable[[list[str]], bool]) -> tuple[float, list[str]]:
    """When the inbox's ids first matched, and those ids."""
    found: list[str] = []

    def record_matches(record: dict[str, Any]) -> bool:
        found[:] = record["ids"]
        return matches(record["ids"])

    at = listener.arrival(record_matches, timeout=60)
    return at, list(found)


def bench_inbox(db: Any, run: str, rounds: int) -> float:
    from google.cloud.firestore import SERVER_TIMESTAMP

    athlete = sign_up(f"bench-athlete-{run}@example.com", "password123")
    created(api("GET", "/api/users/me", athlete), 200)  # the profile, made on first use
    coaches = [
        sign_up(f"bench-coach{i}-{run}@example.com", "password123", role="coach")
        for i in range(rounds + 2)
    ]
    listener = inbox_listener(athlete, snapshots=20 * rounds + 10)
    known: set[str] = set()
    _, ids = seen(listener, lambda ids: True)
    known.update(ids)
    for coach in coaches[rounds:]:  # warm the function workers up (and the listener)
        created(api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}))
        _, ids = seen(listener, lambda ids: bool(set(ids) - known))
        known.update(ids)

    inbox = db.collection("users").document(athlete.uid).collection("notifications")
    events: list[float] = []
    floor: list[float] = []
    for i, coach in enumerate(coaches[:rounds]):
        sent = time.time()
        created(api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}))
        at, ids = seen(listener, lambda ids: bool(set(ids) - known))
        events.append(at - sent)
        known.update(ids)

        raw_id = f"bench-raw-{i}"
        sent = time.time()
        inbox.document(raw_id).create(
            {
                "kind": "invitationReceived",
                "title": "Bench",
                "body": "a raw write",
                "link": "/invitations",
                "createdAt": SERVER_TIMESTAMP,
                "readAt": None,
            }
        )
        at, ids = seen(listener, lambda ids, raw_id=raw_id: raw_id in ids)
        floor.append(at - sent)
        known.update(ids)
    listener.stop()

    print(
        f"inbox: {rounds} invitations (each from another coach) and {rounds} raw writes, "
        "interleaved; the athlete's listener in Node"
    )
    print(line("invitation API -> inbox listener", events))
    print(line("raw write -> inbox listener", floor))
    ratio = percentile(events, 0.95) / percentile(floor, 0.95)
    print(f"  p95 ratio event / raw write: {ratio:.2f} (goal <= 3)")
    return ratio


# ---- (b) a class of 200 started ---------------------------------------------------------------


def big_group(db: Any, run: str, members: int) -> tuple[User, str, list[str]]:
    """An owner (through the API) and a group with ``members`` members (written by the store)."""
    from sessionbase.models.groups import MemberRecord, MemberRole
    from sessionbase.store.work import Store

    owner = sign_up(f"bench-owner-{run}@example.com", "password123", role="coach")
    group_id = created(api("POST", "/api/groups", owner, json={"name": "Bench class"}))["groupId"]
    now = datetime.now(UTC)
    uids = [f"bench-{run}-m{i:03d}" for i in range(members)]
    batch = db.batch()
    for n, uid in enumerate(uids):
        batch.set(
            db.collection("users").document(uid),
            {"email": f"{uid}@example.com", "emailVerified": True, "displayName": f"Member {n}",
             "createdAt": now, "timezone": "UTC"},
        )  # fmt: skip
        if n % 200 == 199:
            batch.commit()
            batch = db.batch()
    batch.commit()

    def join(unit: Store) -> None:
        for n, uid in enumerate(uids):
            record = MemberRecord(
                uid=uid,
                role=MemberRole("member"),
                email=f"{uid}@example.com",
                displayName=f"Member {n}",
                joinedAt=now,
            )
            unit.groups.add_member(group_id, record)
        unit.groups.count_members(group_id, members, now)

    Store(db).write(join)
    return owner, group_id, uids


def inbox_count(db: Any, kind: str, link: str) -> int:
    from google.cloud.firestore import FieldFilter

    query = (
        db.collection_group("notifications")
        .where(filter=FieldFilter("kind", "==", kind))
        .where(filter=FieldFilter("link", "==", link))
    )
    (result,) = query.count().get()
    return int(result[0].value)


def mail_count(db: Any, kind: str) -> int:
    from google.cloud.firestore import FieldFilter

    (result,) = db.collection("mail").where(filter=FieldFilter("kind", "==", kind)).count().get()
    return int(result[0].value)


def all_written(db: Any, kind: str, link: str, count: int, started: float) -> float:
    """Seconds from ``started`` until ``count`` inbox documents of ``kind`` exist."""
    deadline = time.monotonic() + 120
    while inbox_count(db, kind, link) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"{kind}: {inbox_count(db, kind, link)} of {count} after 120 s")
        time.sleep(0.02)
    return time.perf_counter() - started


def counted_call(
    db: Any, label: str, kind: str, link: str, before: int, members: int, call: Callable[[], Any]
) -> None:
    mails_before = mail_count(db, kind)
    with counting() as writes:
        started = time.perf_counter()
        call()
        took = time.perf_counter() - started
    docs = inbox_count(db, kind, link) - before
    mailed = mail_count(db, kind) - mails_before
    print(
        f"  {label:<34} {writes.writes} writes in {writes.round_trips} round trips, "
        f"{took * 1000:.0f} ms; {docs} inbox documents and {mailed} mail documents "
        "exist on return"
    )
    print(
        f"  {'':<34} writes beyond the {docs + mailed} notification documents: "
        f"{writes.writes - docs - mailed} (the change itself)"
    )


def bench_class(db: Any, run: str, members: int) -> None:
    from sessionbase.models.groups import LiveSessionStart
    from sessionbase.models.identity import Caller, Role
    from sessionbase.services import groups
    from sessionbase.services.context import Context
    from sessionbase.store.storage import ObjectStore
    from sessionbase.store.work import Store

    owner, group_id, _ = big_group(db, run, members)
    link = f"/classes/{group_id}"
    for _ in range(3):  # warm the function workers up
        api("GET", f"/api/groups/{group_id}", owner)

    started = time.perf_counter()
    session_id = created(api("POST", f"/api/groups/{group_id}/sessions", owner))["sessionId"]
    answered = time.perf_counter() - started
    everyone = all_written(db, "classStarted", link, members, started)
    print(f"class: {members} members; the owner starts a class through Hosting")
    print(f"  {'start API answered':<34} {answered * 1000:7.0f} ms")
    print(f"  {'all ' + str(members) + ' classStarted inbox docs':<34} {everyone * 1000:7.0f} ms")

    def context() -> Context:
        caller = Caller(uid=owner.uid, email=owner.email, email_verified=True, name=None,
                        role=Role.COACH)  # fmt: skip
        return Context(caller=caller, store=Store(db), now=datetime.now(UTC),
                       objects=ObjectStore(f"{PROJECT}.appspot.com"))  # fmt: skip

    print("  in this process, every write RPC of the Firestore client counted:")
    absent_before = inbox_count(db, "markedAbsent", link)
    counted_call(
        db,
        f"end (marks {members} absent)",
        "markedAbsent",
        link,
        absent_before,
        members,
        lambda: groups.end_live_session(context(), session_id=session_id),
    )
    before = inbox_count(db, "classStarted", link)
    counted_call(
        db,
        f"start (notifies {members})",
        "classStarted",
        link,
        before,
        members,
        lambda: groups.start_live_session(context(), LiveSessionStart(), group_id=group_id),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="invitations (and as many raw writes)")
    parser.add_argument("--members", type=int, default=200, help="members of the class")
    args = parser.parse_args()
    from sessionbase.store.client import firestore_client

    db = firestore_client()
    run = uuid.uuid4().hex[:6]
    ratio = bench_inbox(db, run, args.n)
    print("  --")
    bench_class(db, run, args.members)
    print("  --")
    print(f"  event -> inbox listener p95 / raw write -> listener p95: {ratio:6.2f}  (goal <= 3)")


if __name__ == "__main__":
    main()
