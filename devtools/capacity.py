"""The capacity harness (issue 28, "counted, not guessed"): each user action, run against the
emulators as the web app sends it, with what it cost counted.

    bash scripts/bench.sh capacity            # every action -> docs/capacity/counts.json -> docs

It runs inside the emulator suite with ``SESSIONBASE_METER=<dir>`` (scripts/bench.sh and
scripts/test.sh set it): the Functions workers count what they do there (devtools/meter.py,
loaded by scripts/coverage_hook/sitecustomize.py); this process counts what the client side
does (the bytes it PUTs to an upload URL, the documents its listeners receive). An action is:
its set-up (not counted), quiet (no invocation in flight, nothing written for a while), the
marker ``<dir>/recording`` made, the action's requests, quiet again (its triggers settled),
the marker removed, and the lines the workers wrote summed up (``tally``).

``python -m devtools.capacity [--only ID ...] [--out FILE]``: the actions (all, or those named)
and their counts as JSON (counts.json's shape); docs/capacity.md says how each count is made.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from queue import Empty
from typing import Any

import requests

from devtools.emulators import (
    FIRESTORE,
    OWNER,
    PROJECT,
    User,
    api,
    document,
    join_group,
    sign_in,
    sign_up,
)
from devtools.firestore_rest import encode_fields
from devtools.listener import Listener
from sessionbase import settings
from sessionbase.store.stats import COACH_SHARDS

ROOT = Path(__file__).resolve().parent.parent
COUNTS = ROOT / "docs" / "capacity" / "counts.json"
INDEXES = ROOT / "firestore.indexes.json"
RECORDING = "recording"
# Deployment-wide values an instance reads once and keeps (store/meta.py: the cursor key), and
# writes the first time it finds none: which instance serves an action, and whether it already
# read the value, is the emulator's choice, so these are shown apart, not counted.
ONCE_PER_INSTANCE = "_meta/"
QUIET_SECONDS = 1.0  # nothing in flight and nothing written for this long: the action settled
BOOT = 30  # seconds a booted worker may take to its first request before it is not waited for
STALE = 300  # seconds after which an invocation that never ended is not waited for
HISTORY = 30  # the earlier sessions of the person whose reads must not grow with them
COUNTERS = (
    "firestore_reads", "firestore_writes", "firestore_deletes", "index_entries",
    "listener_deliveries", "auth_lookups", "tasks_enqueued", "storage_operations",
    "storage_bytes_written", "storage_bytes_read", "function_invocations",
)  # fmt: skip


# "How it counts" in docs/capacity.md (counts.json's ``method``).
METHOD = """\
Each action runs against the emulators as the web app sends it: REST through Hosting with a
real ID token, uploads PUT to the upload URL, the screen's Firestore listeners in the Firebase
JS SDK (tests/js/listen.mjs). Inside the Functions emulator's Python workers a meter
(devtools/meter.py, started by scripts/coverage_hook/sitecustomize.py when `SESSIONBASE_METER`
is set; nothing under functions/ imports it) wraps the client libraries and appends one JSON
line per event; the harness (devtools/capacity.py) records from quiet to quiet, so every
trigger an action fires, and what those triggers fire, is in its counts.

- **Firestore reads**: at the GAPIC client. `batch_get_documents`: each document asked for,
  found or missing; `run_query`: each document returned, at least 1 per query; aggregations:
  1 per 1,000 index entries counted (from the count the emulator returns), at least 1. Reads
  and writes of `_meta/*` (the cursor key: read once per instance, written on a deployment's
  first use) are shown apart, not counted.
- **Writes, deletes**: each write of each successful `commit`/`batch_write` (a transform in
  the same write is not another); `documents_written` gives them by document kind.
- **Index entries** (an estimate; the emulator keeps no indexes): per written field, 2
  single-field entries (ascending, descending), one per distinct element of an array, or what
  a `fieldOverrides` entry of firestore.indexes.json lists instead (none when it exempts the
  field); plus one per composite index of the collection naming a written field (a set: only
  when the document has all its fields; array-contains: one per element). Entries removed by
  an update or a delete are not counted.
- **Listener deliveries**: documents the screen's listeners receive from the server (added,
  changed or removed, by comparing successive snapshots); opening a screen counts each
  document of its first snapshots. Only the listeners the action names are attached (one
  member's, not thirty).
- **Auth lookups**: Admin SDK calls that reach the Auth service (`firebase_admin.auth`, by
  name); verifying an ID token is local. While counting, a worker keeps no per-instance copy
  of the caller's Auth record (`SESSIONBASE_AUTH_RECORD_SECONDS=0` inside the worker), so each
  request's lookup is counted: the per-instance cache's worst case, which makes the count
  independent of which instance served.
- **Tasks**: each `TaskQueue.enqueue`. **Storage**: at our `ObjectStore` (operations by kind
  with their bytes, each range a reader fetches), plus the client's upload PUT and downloads.
- **Function invocations**: each request a worker serves (REST, callables, triggers, tasks),
  with its duration (median per function; noisy, never asserted). Delivery is at least once
  (DESIGN.md §6 says the emulator delivers each Firestore event twice; the meter has seen each
  delivered once in this setup); while counting, a second delivery of an event id is answered
  without running the function (shown as `duplicate_deliveries_dropped`), so the counts are
  those of one delivery per event, as deployed, and do not depend on which delivery won.
- **Per minute of video**: one upload of a 60 s clip (640x360, 30 fps, textured), counted
  from the upload URL's request to the results read (earlier runs extrapolated from 4 s and
  8 s clips, whose progress writes depend on the machine's speed: two runs gave 33 and 98
  writes a minute).
"""


# ---- the meter's lines, summed ------------------------------------------------------------------


def pattern(path: str) -> str:
    """A document path's kind: ``groups/abc/members/x`` -> ``groups/{id}/members/{id}``."""
    parts = path.strip("/").split("/")
    return "/".join(p if n % 2 == 0 else "{id}" for n, p in enumerate(parts))


@dataclass
class Indexes:
    """firestore.indexes.json: which index entries a written field makes (an estimate)."""

    composite: dict[str, list[list[tuple[str, bool]]]]  # group -> [(field, is array-contains)]
    overrides: dict[tuple[str, str], list[dict[str, Any]]]

    @classmethod
    def load(cls, path: Path = INDEXES) -> Indexes:
        spec = json.loads(path.read_text())
        composite: dict[str, list[list[tuple[str, bool]]]] = {}
        for index in spec.get("indexes", []):
            fields = [(f["fieldPath"], "arrayConfig" in f) for f in index["fields"]]
            composite.setdefault(index["collectionGroup"], []).append(fields)
        overrides = {
            (o["collectionGroup"], o["fieldPath"]): list(o.get("indexes", []))
            for o in spec.get("fieldOverrides", [])
        }
        return cls(composite, overrides)

    def entries(self, write: dict[str, Any]) -> int:
        """Index entries a write makes: each written field's single-field entries (2 for a
        value, ascending and descending; one per distinct element for an array; what a field
        override lists instead, none when it exempts the field), plus one per composite index
        of the collection that names a written field (an array-contains field: one per element).
        A set counts a composite only when the document has all its fields; an update counts
        each composite naming a field it changed. Deletes: not estimated (the old document is
        not known here)."""
        if write["op"] == "delete":
            return 0
        group = pattern(write["d"]).split("/")[-2]
        fields: dict[str, int] = write.get("f", {})
        total = 0
        for name, kind in fields.items():
            elements = -1 - kind if kind < 0 else None
            override = self.overrides.get((group, name))
            if override is None:
                total += elements if elements is not None else 2
                continue
            for index in override:
                total += (elements or 0) if "arrayConfig" in index else 1
        whole = write["op"] in ("set", "create")
        for index in self.composite.get(group, []):
            named = [f in fields for f, _ in index]
            if not any(named) or (whole and not all(named)):
                continue
            product = 1
            for name, array in index:
                kind = fields.get(name, 0)
                product *= (-1 - kind if kind < 0 else 1) if array else 1
            total += product
        return total


@dataclass
class Client:
    """What the harness itself did for an action (the web app's side)."""

    storage_operations: int = 0
    storage_bytes_written: int = 0
    storage_bytes_read: int = 0
    listener_deliveries: int = 0
    requests: Counter[str] = field(default_factory=Counter)


def tally(events: list[dict[str, Any]], client: Client, indexes: Indexes) -> dict[str, Any]:
    """One action's counts (counts.json's shape) from the workers' lines and the client's."""
    counts = dict.fromkeys(COUNTERS, 0)
    invocations: Counter[str] = Counter()
    seconds: dict[str, list[float]] = {}
    written: Counter[str] = Counter()
    deleted: Counter[str] = Counter()
    read: Counter[str] = Counter()
    reads_by_function: Counter[str] = Counter()
    auth: Counter[str] = Counter()
    storage: Counter[str] = Counter()
    tasks: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    duplicates: Counter[str] = Counter()
    once: Counter[str] = Counter()
    signed = 0
    for event in events:
        kind = event["k"]
        if event.get("probe"):
            continue
        if kind == "end" and event.get("rec"):
            invocations[event["fn"]] += 1
            seconds.setdefault(event["fn"], []).append(float(event["s"]))
        elif kind == "duplicate":
            duplicates[event["fn"]] += 1
        elif kind == "read":
            docs = event.get("docs", [])
            if docs and all(d.startswith(ONCE_PER_INSTANCE) for d in docs):
                once[pattern(docs[0])] += len(docs)  # read once per instance, not per action
                continue
            if event["via"] == "aggregation":
                n = int(event["n"])
                read[f"aggregation ({event.get('entries', 0)} counted)"] += n
            else:
                n = max(len(docs), 1) if event["via"] == "query" else len(docs)
                for doc in docs:
                    read[pattern(doc)] += 1
                if not docs and event["via"] == "query":
                    read[f"empty query {pattern(event.get('query', '') + '/x')[:-5]}"] += 1
            counts["firestore_reads"] += n
            reads_by_function[event["fn"]] += n
        elif kind == "commit":
            for write in event["writes"]:
                if write["d"].startswith(ONCE_PER_INSTANCE):  # made on a deployment's first use
                    once[f"{pattern(write['d'])} (written)"] += 1
                    continue
                if write["op"] == "delete":
                    counts["firestore_deletes"] += 1
                    deleted[pattern(write["d"])] += 1
                else:
                    counts["firestore_writes"] += 1
                    written[pattern(write["d"])] += 1
                counts["index_entries"] += indexes.entries(write)
        elif kind == "auth":
            auth[event["name"]] += 1
            counts["auth_lookups"] += 1 if event["lookup"] else 0
        elif kind == "task":
            tasks[event["queue"]] += 1
            counts["tasks_enqueued"] += 1
        elif kind == "storage":
            storage[event["op"]] += int(event.get("n", 0))
            counts["storage_operations"] += int(event.get("n", 0))
            counts["storage_bytes_written"] += int(event.get("w", 0))
            counts["storage_bytes_read"] += int(event.get("r", 0))
            signed += int(event.get("signed", 0))
        elif kind == "firestore-call":
            calls[event["name"]] += 1
        elif kind == "meter-error":
            raise RuntimeError(f"the meter failed in a worker: {event}")
    counts["storage_operations"] += client.storage_operations
    counts["storage_bytes_written"] += client.storage_bytes_written
    counts["storage_bytes_read"] += client.storage_bytes_read
    counts["listener_deliveries"] = client.listener_deliveries
    counts["function_invocations"] = sum(invocations.values())
    return {
        "counts": counts,
        "invocations": dict(sorted(invocations.items())),
        "seconds": {fn: round(statistics.median(s), 4) for fn, s in sorted(seconds.items())},
        "documents_written": dict(sorted(written.items())),
        "details": {
            "documents_read": dict(sorted(read.items())),
            "reads_by_function": dict(sorted(reads_by_function.items())),
            "documents_deleted": dict(sorted(deleted.items())),
            "auth_calls": dict(sorted(auth.items())),
            "storage_by_kind": dict(sorted(storage.items())),
            "signed_urls": signed,
            "tasks_by_queue": dict(sorted(tasks.items())),
            "firestore_calls": dict(sorted(calls.items())),
            "duplicate_deliveries_dropped": dict(sorted(duplicates.items())),
            "once_per_instance_reads": dict(sorted(once.items())),
            "requests": dict(sorted(client.requests.items())),
        },
    }


# ---- the meter's folder: quiet, recording -------------------------------------------------------


class Meter:
    """The folder the workers write to (``SESSIONBASE_METER``)."""

    def __init__(self, directory: str | None = None) -> None:
        found = directory or os.environ.get("SESSIONBASE_METER")
        if not found:
            raise RuntimeError(
                "SESSIONBASE_METER is not set: run inside the emulator suite started by "
                "scripts/bench.sh capacity or scripts/test.sh (the workers' meter needs it)"
            )
        self.directory = Path(found)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.marker = self.directory / RECORDING
        self._size, self._since = -1, time.monotonic()  # the files' size, when it last changed

    def lines(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for path in sorted(self.directory.glob("*.jsonl")):
            for line in path.read_text().splitlines():
                if line.endswith("}"):
                    found.append(json.loads(line))
        return found

    def clear(self) -> None:
        """Remove the lines read (removing them is no activity)."""
        for path in self.directory.glob("*.jsonl"):
            path.unlink(missing_ok=True)
        self._size = sum(p.stat().st_size for p in self.directory.glob("*.jsonl"))

    def _in_flight(self, events: list[dict[str, Any]]) -> int:
        """Invocations started and not ended, and workers booted that have not yet taken their
        first request (a worker's first invocation is its number 1)."""
        now = time.time()
        # A start older than STALE s without its end: a worker killed mid-request (not ours).
        started = {(e["pid"], e["n"]) for e in events if e["k"] == "start" and now - e["t"] < STALE}
        ended = {(e["pid"], e["n"]) for e in events if e["k"] == "end"}
        boots = Counter(e["fn"] for e in events if e["k"] == "boot" and now - e["t"] < BOOT)
        firsts = Counter(e["fn"] for e in events if e["k"] == "start" and e["n"] == 1)
        booting = sum(max(0, n - firsts[fn]) for fn, n in boots.items())
        return len(started - ended) + booting

    def quiet(self, timeout: float = 120, settle: float = QUIET_SECONDS) -> None:
        """Wait until no invocation is in flight and the files have not grown for ``settle``
        (counted from the last growth seen, so a second call with nothing new returns at once)."""
        deadline = time.monotonic() + timeout
        while True:
            size = sum(p.stat().st_size for p in self.directory.glob("*.jsonl"))
            if size != self._size:
                self._size, self._since = size, time.monotonic()
            elif time.monotonic() - self._since >= settle and self._in_flight(self.lines()) == 0:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the functions did not settle in {timeout} s")
            time.sleep(0.1)

    @contextmanager
    def recording(
        self, settled: Callable[[], None] = lambda: None
    ) -> Iterator[list[dict[str, Any]]]:
        """Count what happens inside: the workers' lines, once the triggers settled
        (``settled`` runs once what came before has settled, before counting starts)."""
        self.quiet()
        settled()
        self.clear()
        self.marker.touch()
        found: list[dict[str, Any]] = []
        try:
            yield found
            self.quiet()
        finally:
            self.marker.unlink(missing_ok=True)
        found.extend(self.lines())
        self.clear()


# ---- the web app's listeners --------------------------------------------------------------------


class Watch:
    """A user's listeners as a screen attaches them; documents delivered are counted: each
    document in a snapshot from the server that was not in the previous one, or changed, or
    left (the first snapshot: each document in it)."""

    def __init__(self, user: User, targets: list[dict[str, Any]]) -> None:
        self.names = [t["name"] for t in targets]
        many = [{**t, "snapshots": 1_000_000} for t in targets]
        self.listener = Listener(user, many, timeout_ms=900_000)
        self.last: dict[str, dict[str, str] | None] = dict.fromkeys(self.names)
        self.delivered = 0

    def _take(self, record: dict[str, Any]) -> None:
        if "fatal" in record or record.get("ok") is False:
            raise RuntimeError(f"a listener failed: {record}")
        if "target" not in record or record.get("fromCache"):
            return
        now = {d["id"]: json.dumps(d["data"], sort_keys=True) for d in record["docs"]}
        before = self.last[record["target"]] or {}
        changed = sum(1 for k, v in now.items() if before.get(k) != v)
        self.delivered += changed + sum(1 for k in before if k not in now)
        self.last[record["target"]] = now

    def opened(self, timeout: float = 30) -> None:
        """Wait for every target's first snapshot from the server."""
        deadline = time.monotonic() + timeout
        while any(v is None for v in self.last.values()):
            try:
                record = self.listener.records.get(timeout=max(0.1, deadline - time.monotonic()))
            except Empty:
                raise TimeoutError(f"listeners not answered: {self.last}") from None
            self._take(record)

    def drain(self, wait: float = 0.3) -> int:
        """Take what arrived (waiting ``wait`` s for stragglers); the documents delivered so far."""
        end = time.monotonic() + wait
        while True:
            try:
                self._take(self.listener.records.get(timeout=max(0.01, end - time.monotonic())))
            except Empty:
                return self.delivered

    def baseline(self) -> None:
        """Count from now: what arrived before (the set-up's changes) is not the action's."""
        self.drain()
        self.delivered = 0

    def stop(self) -> None:
        self.listener.stop()


# ---- the actions --------------------------------------------------------------------------------


@dataclass
class Action:
    id: str
    title: str
    unit: str
    run: Callable[[Harness], None]


@dataclass
class People:
    """The cast: a coach and an athlete with history, a class of members."""

    coach: User
    athlete: User
    history: list[str]
    exercises: list[str] = field(default_factory=list)
    group_id: str = ""
    members: list[User] = field(default_factory=list)
    session_id: str = ""  # a session of the coach's with the athlete (the update, the comment)


def ok(reply: requests.Response, status: int = 200) -> dict[str, Any]:
    """The reply's JSON body, or an error naming the request when its status is not ``status``."""
    if reply.status_code != status:
        raise AssertionError(
            f"{reply.request.method} {reply.url}: {reply.status_code} {reply.text}"
        )
    body: dict[str, Any] = reply.json()
    return body


def person(role: str) -> User:
    """A new signed-in user of that role."""
    email = f"cap-{role}-{uuid.uuid4().hex[:8]}@example.com"
    return sign_up(email, "password123", role=None if role == "athlete" else role)


class Harness:
    """Runs actions and keeps their counts."""

    def __init__(self, meter: Meter | None = None) -> None:
        self.meter = meter or Meter()
        self.indexes = Indexes.load()
        self.client = Client()
        self.results: dict[str, dict[str, Any]] = {}
        self._people: People | None = None
        self._uploaders: People | None = None
        self.meter.quiet()
        self.meter.clear()  # what the suite's earlier tests left: only start and end lines

    # -- requests as the web app sends them, counted by route
    def api(self, method: str, path: str, user: User | None, status: int = 200, **kw: Any) -> Any:
        route = "/".join("{id}" if len(p) >= 16 or p.isdigit() else p for p in path.split("/"))
        self.client.requests[f"{method} {route.split('?')[0]}"] += 1
        return ok(api(method, path, user, **kw), status)

    @contextmanager
    def counting(self, action: Action, *watches: Watch) -> Iterator[list[Watch]]:
        """Count what happens inside (the block may add the listeners it opens to the list it
        gets); the listeners' deliveries are taken once the triggers have settled."""
        self.client = Client()
        watching = list(watches)
        try:
            with self.meter.recording(lambda: [w.baseline() for w in watching]) as events:
                yield watching
            self.client.listener_deliveries = sum(w.drain(wait=0.5) for w in watching)
        finally:
            for watch in watching:
                watch.stop()
        self.results[action.id] = {"title": action.title, "unit": action.unit}
        self.results[action.id].update(tally(events, self.client, self.indexes))

    def listen(self, user: User, targets: list[dict[str, Any]]) -> Watch:
        watch = Watch(user, targets)
        watch.opened()
        return watch

    @property
    def people(self) -> People:
        if self._people is None:
            started = time.monotonic()
            self._people = self._cast()
            print(f"(the cast: {time.monotonic() - started:.1f} s)", flush=True)
        return self._people

    @property
    def uploaders(self) -> People:
        """A coach and an athlete of their own for the uploads (no history)."""
        if self._uploaders is None:
            coach, athlete = person("coach"), person("athlete")
            sent = ok(
                api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}), 201
            )
            ok(api("POST", f"/api/invitations/{sent['invitationId']}/accept", athlete))
            self._uploaders = People(coach=coach, athlete=athlete, history=[])
        return self._uploaders

    def _cast(self) -> People:
        coach, athlete = person("coach"), person("athlete")
        invitation = ok(
            api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}), 201
        )
        ok(api("POST", f"/api/invitations/{invitation['invitationId']}/accept", athlete))

        history = earlier_sessions(coach, athlete, HISTORY)
        return People(coach=coach, athlete=athlete, history=history, session_id=history[-1])


def commit_as_owner(
    documents: dict[str, dict[str, Any]], increments: dict[str, tuple[str, int]] | None = None
) -> None:
    """Write documents (REST-encoded fields) and increments in one commit as the emulator's
    owner (set-up only: nothing the app sends)."""
    root = f"projects/{PROJECT}/databases/(default)/documents"
    writes: list[dict[str, Any]] = [
        {"update": {"name": f"{root}/{path}", "fields": fields}}
        for path, fields in documents.items()
    ]
    for path, (name, by) in (increments or {}).items():
        writes.append({"transform": {"document": f"{root}/{path}", "fieldTransforms": [
            {"fieldPath": name, "increment": {"integerValue": str(by)}}]}})  # fmt: skip
    requests.post(
        f"{FIRESTORE}/v1/{root}:commit", json={"writes": writes}, headers=OWNER, timeout=30
    ).raise_for_status()


def session_id_in_shard(shard: int, prefix: str) -> str:
    """A session id whose coach counters live in ``shard`` (store/stats.py: sha256 of the id,
    modulo COACH_SHARDS). The earlier sessions fill every shard, so how many shard documents a
    coach's statistics read does not depend on the random ids of the actions' sessions."""
    while True:
        found = f"{prefix}{uuid.uuid4().hex[:12]}"
        if int(hashlib.sha256(found.encode()).hexdigest(), 16) % COACH_SHARDS == shard:
            return found


def earlier_sessions(coach: User, athlete: User, n: int) -> list[str]:
    """``n`` sessions of the coach's with the athlete: one made through the API, the others
    copies of its document made seconds earlier (one commit as the emulator's owner; the
    triggers count them as they count any session)."""
    body = {"athleteId": athlete.uid, "event": "Vault", "sessionType": "Training"}
    first = str(ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"])
    made = document(f"sessions/{first}")
    if made is None:
        raise AssertionError("the session just made is not there")
    stamp = made["fields"]["createdAt"]["timestampValue"]  # 2026-12-07T01:02:03.456789123Z
    whole, _, fraction = stamp.rstrip("Z").partition(".")
    created = datetime.fromisoformat(f"{whole}.{(fraction or '0')[:6]:0<6}+00:00")
    copies, ids = {}, [first]
    for k in range(1, n):
        ids.insert(0, session_id_in_shard((k - 1) % COACH_SHARDS, f"history{k:02d}"))
        fields = dict(made["fields"])
        at = (created - timedelta(seconds=k)).isoformat().replace("+00:00", "Z")
        fields["createdAt"] = {"timestampValue": at}
        if "updatedAt" in fields:
            fields["updatedAt"] = {"timestampValue": at}
        copies[f"sessions/{ids[0]}"] = fields
    commit_as_owner(copies)
    return ids


def home_targets(user: User, role: str) -> list[dict[str, Any]]:
    """The listeners of the home screen (app/src: the layout's profile and bell, then the
    athlete's Home and RecentDays, or the coach's Athletes)."""
    targets: list[dict[str, Any]] = [
        {"name": "profile", "doc": f"users/{user.uid}"},
        {"name": "unread", "collection": f"users/{user.uid}/notifications",
         "where": {"readAt": None}, "limit": 100},
    ]  # fmt: skip
    if role == "athlete":
        year = str(datetime.now(UTC).year)
        targets += [
            {"name": "stats", "doc": f"athleteStats/{user.uid}"},
            {"name": "year", "doc": f"athleteStats/{user.uid}/years/{year}"},
        ]
    else:
        targets += [
            {"name": "links", "collection": "links", "where": {"coachId": user.uid}, "limit": 200},
            {"name": "sessions", "collection": "sessions",
             "where": {"coachId": user.uid, "archived": False}, "orderBy": "createdAt",
             "limit": 100},
        ]  # fmt: skip
    return targets


def home(role: str) -> Callable[[Harness], None]:
    """Sign in and open the home screen: its requests and its listeners' first snapshots."""

    def run(h: Harness) -> None:
        user = h.people.athlete if role == "athlete" else h.people.coach
        with h.counting(ACTIONS[f"home_{role}"]) as watching:
            signed = sign_in(user.email, user.password, role=role)
            h.client.requests["signInWithPassword (Auth REST)"] += 1
            watch = Watch(signed, home_targets(signed, role))
            watching.append(watch)
            if role == "athlete":
                h.api("GET", "/api/invitations?for=me", signed)
                h.api("GET", "/api/occurrences", signed)
                h.api("GET", "/api/sessions/stats", signed)
            watch.opened()

    return run


def session_create(h: Harness) -> None:
    """The coach creates a session; the coach's session list listens."""
    p = h.people
    coach_home = h.listen(p.coach, home_targets(p.coach, "coach")[3:])
    with h.counting(ACTIONS["session_create"], coach_home):
        body = {"athleteId": p.athlete.uid, "event": "Floor", "sessionType": "Training"}
        h.api("POST", "/api/sessions", p.coach, 201, json=body)


def session_list(h: Harness) -> None:
    """The coach lists their sessions over REST (the first page)."""
    with h.counting(ACTIONS["session_list"]):
        h.api("GET", "/api/sessions", h.people.coach)


def session_get(h: Harness) -> None:
    """The athlete reads one session."""
    with h.counting(ACTIONS["session_get"]):
        h.api("GET", f"/api/sessions/{h.people.session_id}", h.people.athlete)


def session_update(h: Harness) -> None:
    """The coach renames a session's event; the athlete's session screen listens."""
    p = h.people
    detail = h.listen(p.athlete, [{"name": "session", "doc": f"sessions/{p.session_id}"}])
    with h.counting(ACTIONS["session_update"], detail):
        h.api("PUT", f"/api/sessions/{p.session_id}", p.coach, json={"event": "Beam"})


_CLIPS: dict[int, bytes] = {}


def clip_of(seconds: int) -> bytes:
    """A textured 640x360 30 fps H.264 clip of that length (made once)."""
    if seconds not in _CLIPS:
        from devtools.videos import clip

        _CLIPS[seconds] = clip(seconds=seconds, fps=30, width=640, height=360, textured=True)
    return _CLIPS[seconds]


def upload(seconds: int, action: str = "upload_per_minute") -> Callable[[Harness], None]:
    """Upload a clip, wait for its analysis, read its results (the coach's session screen
    listens), counted as ``action``."""

    def run(h: Harness) -> None:
        p = h.uploaders  # not the cast: the other actions' counts do not depend on the uploads
        body = {"athleteId": p.athlete.uid, "event": "Vault", "sessionType": "Analysis"}
        session_id = str(ok(api("POST", "/api/sessions", p.coach, json=body), 201)["sessionId"])
        data = clip_of(seconds)
        detail = h.listen(p.coach, [{"name": "session", "doc": f"sessions/{session_id}"}])
        with h.counting(ACTIONS[action], detail):
            ask = {"fileName": "jump.mp4", "contentType": "video/mp4", "size": len(data),
                   "kind": "video"}  # fmt: skip
            target = h.api("POST", f"/api/sessions/{session_id}/upload", p.coach, json=ask)
            put = requests.put(
                target["uploadUrl"], data=data, headers={"Content-Type": "video/mp4"}, timeout=60
            )
            if put.status_code not in (200, 201):
                raise AssertionError(f"upload PUT: {put.status_code} {put.text}")
            h.client.storage_operations += 1
            h.client.storage_bytes_written += len(data)
            status = analysed(session_id)
            if status != "completed":
                raise AssertionError(f"the analysis of the {seconds} s clip ended {status}")
            h.api("GET", f"/api/sessions/{session_id}/analysis", p.coach)

    return run


def analysed(session_id: str, within: float = 120) -> str:
    """The session's final analysis state, read as the emulator's owner (not counted)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = document(f"sessions/{session_id}") or {"fields": {}}
        status = found["fields"].get("analysisStatus", {}).get("stringValue")
        if status in ("completed", "failed"):
            return str(status)
        time.sleep(0.3)
    raise TimeoutError("the analysis did not finish")


def practice(h: Harness) -> None:
    """The athlete practises: start, 20 answers (15 right), end."""
    p = h.people
    if not p.exercises:
        for n in range(20):
            body = {"prompt": f"'to speak', subjunctive {n}", "answers": ["hable"]}
            p.exercises.append(
                ok(api("POST", "/api/exercises", p.coach, json=body), 201)["exercise_id"]
            )
    with h.counting(ACTIONS["practice_20"]):
        started = h.api("POST", "/api/exercises/session/start", p.athlete,
                        json={"session_type": "practice"})  # fmt: skip
        for n, exercise_id in enumerate(p.exercises):
            body = {"exercise_id": exercise_id, "user_answer": "hable" if n % 4 else "habla",
                    "time_taken": 8, "session_id": started["session_id"]}  # fmt: skip
            h.api("POST", "/api/exercises/submit", p.athlete, json=body)
        h.api("POST", "/api/exercises/session/end", p.athlete,
              json={"session_id": started["session_id"]})  # fmt: skip


CLASS = 30


def class_of_30(h: Harness) -> None:
    """The coach starts a class, its 30 members check in, the coach ends it.

    The check-ins come ``SESSIONBASE_CHECK_IN_COUNT_SECONDS`` apart (a class checks in over a
    few minutes): each then makes its own count, as the first of a rush does, and none waits for
    one (services/groups.py: ``_count_in``), so the counts are the same from run to run. At once,
    the writes to the group and session documents are fewer (``scripts/bench.sh live``)."""
    p = h.people
    if not p.group_id:
        made = ok(api("POST", "/api/groups", p.coach, json={"name": "Vault team"}), 201)
        p.group_id = str(made["groupId"])
        with ThreadPoolExecutor(4) as pool:
            p.members = list(pool.map(lambda _: person("athlete"), range(CLASS)))
        # The first joins as the app joins (invited, accepts); the others' member documents
        # are copies of theirs, and the group's count says so (one commit as the owner).
        join_group(p.coach, p.group_id, p.members[0])
        base = f"groups/{p.group_id}/members"
        first = document(f"{base}/{p.members[0].uid}")
        if first is None:
            raise AssertionError("the first member's document is not there")
        copies = {}
        for m in p.members[1:]:
            fields = dict(first["fields"])
            if "uid" in fields:
                fields["uid"] = {"stringValue": m.uid}
            copies[f"{base}/{m.uid}"] = fields
        commit_as_owner(copies, increments={f"groups/{p.group_id}": ("memberCount", CLASS - 1)})
    group = {"name": "group", "doc": f"groups/{p.group_id}"}
    member = h.listen(p.members[0], [group])
    spaced = settings.check_in_count_seconds().total_seconds() + 0.05  # as the functions have it
    with h.counting(ACTIONS["class_30"], member):
        started = h.api("POST", f"/api/groups/{p.group_id}/sessions", p.coach, 201)
        session_id = started["sessionId"]
        for one in p.members:
            h.api("POST", f"/api/sessions/{session_id}/check-in", one)
            time.sleep(spaced)  # from the answer, which came after its count
        h.api("POST", f"/api/sessions/{session_id}/end", p.coach)


def session_with_a_video(coach: User, athlete: User) -> str:
    """A session as an analysed 4 s upload leaves it (its video fields and measured length,
    written as the emulator's owner): a comment's set-up without the analysis's time."""
    body = {"athleteId": athlete.uid, "event": "Vault", "sessionType": "Analysis"}
    session_id = str(ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"])
    fields = {
        "videoPath": f"sessions/{session_id}/video/jump.mp4",
        "videoGeneration": "1700000000000000",
        "analysisJobId": f"job-{session_id}",
        "analysisStatus": "completed",
        "metrics": {"durationSeconds": 4.0},
    }
    url = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents/sessions/{session_id}"
    requests.patch(
        url,
        params=[("updateMask.fieldPaths", name) for name in fields],
        json={"fields": encode_fields(fields)},
        headers=OWNER,
        timeout=30,
    ).raise_for_status()
    return session_id


def comment(h: Harness) -> None:
    """The coach comments on the video; the athlete's review screen listens."""
    p = h.people
    session_id = session_with_a_video(p.coach, p.athlete)
    target = {"name": "comments", "collection": f"sessions/{session_id}/comments",
              "orderBy": [["atMs", "asc"], ["createdAt", "asc"]]}  # fmt: skip
    review = h.listen(p.athlete, [target])
    with h.counting(ACTIONS["comment"], review):
        h.api("POST", f"/api/sessions/{session_id}/comments", p.coach, 201,
              json={"atMs": 500, "text": "Knees together here"})  # fmt: skip


def invitation(h: Harness) -> None:
    """The coach invites a new athlete, who lists and accepts it; their bell listens."""
    coach, athlete = h.people.coach, person("athlete")
    bell = h.listen(athlete, home_targets(athlete, "athlete")[1:2])
    with h.counting(ACTIONS["invitation"], bell):
        sent = h.api("POST", "/api/invitations", coach, 201, json={"athleteEmail": athlete.email})
        h.api("GET", "/api/invitations?for=me", athlete)
        h.api("POST", f"/api/invitations/{sent['invitationId']}/accept", athlete)


def stats(role: str) -> Callable[[Harness], None]:
    """The statistics screen's read (GET /api/sessions/stats)."""

    def run(h: Harness) -> None:
        user = h.people.athlete if role == "athlete" else h.people.coach
        with h.counting(ACTIONS[f"stats_{role}"]):
            h.api("GET", "/api/sessions/stats", user)

    return run


def export(h: Harness) -> None:
    """The athlete asks for their data, the job builds it, the athlete downloads it."""
    athlete = h.people.athlete
    with h.counting(ACTIONS["export"]):
        job = h.api("POST", "/api/users/me/export", athlete, 202,
                    headers={"Idempotency-Key": f"cap-{uuid.uuid4().hex}"})  # fmt: skip
        deadline = time.monotonic() + 120
        while True:  # the app follows the job with GETs; here it is watched uncounted
            found = document(f"dataExports/{job['id']}") or {"fields": {}}
            status = found["fields"].get("status", {}).get("stringValue")
            if status in ("done", "failed"):
                break
            if time.monotonic() > deadline:
                raise TimeoutError("the export did not finish")
            time.sleep(0.3)
        done = h.api("GET", f"/api/users/me/exports/{job['id']}", athlete)
        if done.get("status") != "done" or not done.get("url"):
            raise AssertionError(f"the export did not end done: {done}")
        archive = requests.get(done["url"], timeout=60)
        archive.raise_for_status()
        h.client.storage_operations += 1
        h.client.storage_bytes_read += len(archive.content)


ACTIONS: dict[str, Action] = {
    a.id: a
    for a in (
        Action("home_athlete", "Sign in and load the home screen (athlete, 30 sessions of history)",
               "sign-in and home screen", home("athlete")),
        Action("home_coach", "Sign in and load the home screen (coach, 30 sessions of history)",
               "sign-in and home screen", home("coach")),
        Action("session_create", "Create a session (coach for a linked athlete)", "request",
               session_create),
        Action("session_list", "List sessions (REST, the coach's first page, 30 sessions held)",
               "request", session_list),
        Action("session_get", "Get a session (the athlete)", "request", session_get),
        Action("session_update", "Update a session (the coach renames its event)", "request",
               session_update),
        Action("upload_per_minute",
               "Upload -> analysis -> results, per minute of video (one 60 s clip, 640x360, "
               "30 fps)", "minute of video", upload(60)),
        Action("practice_20", "A practice of 20 answers (start, 20 submits, end)",
               "practice of 20 answers", practice),
        Action("class_30", "A class of 30 check-ins (start, 30 check-ins, end)",
               "class of 30 check-ins", class_of_30),
        Action("comment", "A comment on a session's 4 s video (the athlete's review listens)",
               "comment", comment),
        Action("invitation", "An invitation sent, listed and accepted", "invitation",
               invitation),
        Action("stats_athlete", "A statistics read (the athlete's, 30 sessions)", "request",
               stats("athlete")),
        Action("stats_coach", "A statistics read (the coach's dashboard, 30 sessions)",
               "request", stats("coach")),
        Action("export", "Download my data (the athlete: export job, then the zip)", "export",
               export),
    )
}  # fmt: skip
# Not in tests/emulator/test_capacity.py: the analysis writes its progress at most once a second,
# so how many writes (and the triggers they fire) an upload costs follows the machine's speed.
BENCH_ONLY = frozenset({"upload_per_minute"})


def run(only: list[str] | None = None, harness: Harness | None = None) -> dict[str, Any]:
    """Run the actions (in ACTIONS' order); counts.json's content."""
    h = harness or Harness()
    chosen = [a for a in ACTIONS.values() if not only or a.id in only]
    for action in chosen:
        started = time.monotonic()
        action.run(h)
        print(f"{action.id}: {time.monotonic() - started:.1f} s", flush=True)
    return {"actions": dict(h.results)}


def main() -> None:
    """Run the actions, write counts.json (with ``--only``, those actions replaced in it)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="action ids (all when omitted)")
    parser.add_argument("--out", type=Path, default=COUNTS, help="where the counts go")
    args = parser.parse_args()
    found = run(args.only)
    actions = found["actions"]
    if args.only and args.out.exists():
        actions = {**json.loads(args.out.read_text()).get("actions", {}), **actions}
    written = {"method": METHOD, "command": "bash scripts/bench.sh capacity", "actions": actions}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(written, indent=1) + "\n")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
