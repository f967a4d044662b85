"""Live-session benchmark: check-in API call -> a member's Firestore listener sees the new count.

Runs against the emulator suite (scripts/bench.sh live). A member's listener is the Firebase JS
SDK's ``onSnapshot`` on ``groups/{id}`` in Node (tests/js/listen.mjs), as the web app attaches it.
Two kinds of change are timed, interleaved so that both see the same machine load:

- check-in: ``POST /api/sessions/{id}/check-in`` through Hosting, until the listener's snapshot
  shows the new ``studentCount``;
- floor: a raw write to the same group document by the owner's admin client (Python, no
  function in between), until the listener sees it.

Each latency runs from just before the request to the listener's arrival stamp (same clock).
Check-ins are sent at least ``SESSIONBASE_CHECK_IN_COUNT_SECONDS`` apart: a check-in that
follows the last count more closely waits for the next one (services/groups.py: ``_count_in``),
which the class below measures. Prints p50/p95 of both and their ratio (goal: check-in p95 <=
4x the floor's).

Then a class checking in at once (issue 28): the same members check in to a second session from
16 clients together; prints the answers' p50/p95, the time until the listener showed them all,
and how many times the group and the session documents were written meanwhile (counted from the
audit trail: each request's entry lists the documents it wrote). Asserts nothing.

    python scripts/bench_live.py [-n 30]
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from devtools.emulators import PROJECT, api, join_group, sign_up, writes_audited_since
from devtools.listener import Listener
from devtools.measure import percentile
from sessionbase import settings

ROOT = Path(__file__).resolve().parent.parent


def group_listener(member, group_id: str, snapshots: int) -> Listener:
    """One member's ``onSnapshot`` on the group document."""
    targets = [{"name": "g", "doc": f"groups/{group_id}", "snapshots": snapshots}]
    return Listener(member, targets, timeout_ms=600_000)


def group_seen(listener: Listener, predicate) -> float:
    """When the group document first matched ``predicate`` in a snapshot from the server."""
    return listener.arrival(
        lambda record: bool(record.get("docs")) and predicate(record["docs"][0]["data"]),
        timeout=30,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="check-ins (and as many raw writes)")
    args = parser.parse_args()
    from google.cloud import firestore

    from sessionbase.store.client import emulator_credentials

    run = uuid.uuid4().hex[:6]
    owner = sign_up(f"bench-owner-{run}@example.com", "password123", role="coach")
    members = [sign_up(f"bench-m{i}-{run}@example.com", "password123") for i in range(args.n)]
    group_id = api("POST", "/api/groups", owner, json={"name": "Bench"}).json()["groupId"]
    for member in members:
        join_group(owner, group_id, member, by="userId")
    session_id = api("POST", f"/api/groups/{group_id}/sessions", owner).json()["sessionId"]
    for _ in range(3):  # warm the function workers up
        api("GET", f"/api/groups/{group_id}", owner)

    listener = group_listener(members[0], group_id, snapshots=2 * args.n + 1)
    group_seen(listener, lambda data: True)
    db = firestore.Client(project=PROJECT, credentials=emulator_credentials())
    group = db.collection("groups").document(group_id)

    check_ins: list[float] = []
    floor: list[float] = []
    spaced, last = settings.check_in_count_seconds().total_seconds() + 0.05, 0.0
    for i, member in enumerate(members, start=1):
        time.sleep(max(0.0, spaced - (time.time() - last)))
        sent = last = time.time()
        reply = api("POST", f"/api/sessions/{session_id}/check-in", member)
        assert reply.status_code == 200, reply.text
        seen = group_seen(listener, lambda d, i=i: d["activeSessions"][0]["studentCount"] == i)
        check_ins.append(seen - sent)

        sent = time.time()
        group.update({"benchTick": i})
        seen = group_seen(listener, lambda d, i=i: d.get("benchTick") == i)
        floor.append(seen - sent)
    listener.stop()

    print(
        f"{args.n} check-ins {spaced:.2f} s apart and {args.n} raw writes, interleaved;"
        " member listener in Node"
    )
    for label, values in (
        ("check-in API -> listener", check_ins),
        ("raw write -> listener", floor),
    ):
        print(
            f"  {label:<26} p50 {statistics.median(values) * 1000:7.1f} ms"
            f"   p95 {percentile(values, 0.95) * 1000:7.1f} ms"
        )
    ratio = percentile(check_ins, 0.95) / percentile(floor, 0.95)
    print(f"  p95 ratio check-in / floor: {ratio:.2f} (goal <= 4)")
    api("POST", f"/api/sessions/{session_id}/end", owner)
    at_once(owner, members, group_id)


def at_once(owner, members: list, group_id: str) -> None:
    """The whole class checks in together, from 16 clients."""
    session_id = api("POST", f"/api/groups/{group_id}/sessions", owner).json()["sessionId"]
    listener = group_listener(members[0], group_id, snapshots=10 * len(members))
    group_seen(listener, lambda data: bool(data["activeSessions"]))

    def check_in(member) -> float:
        sent = time.time()
        reply = api("POST", f"/api/sessions/{session_id}/check-in", member)
        assert reply.status_code == 200, reply.text
        return time.time() - sent

    since, began = datetime.now(UTC), time.time()
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(check_in, members))
    took = time.time() - began
    whole = len(members)
    seen = group_seen(listener, lambda d: d["activeSessions"][0]["studentCount"] == whole)
    listener.stop()
    group_writes = writes_audited_since(f"groups/{group_id}", since)
    session_writes = writes_audited_since(f"sessions/{session_id}", since)
    print(f"{whole} check-ins at once from 16 clients, in {took:.1f} s")
    print(
        f"  answers p50 {statistics.median(answers) * 1000:7.1f} ms"
        f"   p95 {percentile(answers, 0.95) * 1000:7.1f} ms"
        f"   listener showed all {(seen - began):.1f} s after the first"
    )
    print(
        f"  written meanwhile: group document {group_writes} times"
        f" ({group_writes / took:.2f}/s), session document {session_writes}"
        f" ({session_writes / took:.2f}/s)"
    )


if __name__ == "__main__":
    main()
