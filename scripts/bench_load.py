"""Load on one machine: the reference deployment's mix of actions at rising concurrency.

Runs against the emulator suite (``scripts/bench.sh load``), through Hosting, as the web app
sends its requests: a Bearer ID token on each (every simulated person signs in once, at set-up),
an ``Idempotency-Key`` on each create. A bounded asyncio client (httpx, already in the dev venv:
no new dependency; Locust would bring gevent and its own web UI for what is one loop here) runs
each step with that many clients, each sending its next request as soon as the last is answered
(closed loop: the step's throughput is what the stack serves at that concurrency). Each step
runs ``--warmup`` seconds unrecorded first: the Functions emulator starts one Python worker per
concurrent request the first time a concurrency is reached (about a second of CPU each), which
production (one instance serving many) does not pay per step.

The mix (``MIX``) is the reference deployment's requests per athlete per week; every request is
drawn from it at random. Prints, per step: throughput, p50/p95/p99 per action, errors by status
and action; then one line per step. Stops by itself: a step that would end after ``--budget``
seconds (set-up included) is not started.

    python scripts/bench_load.py [--clients 1,2,4,8,16] [--seconds 15] [--warmup 3]
                                 [--budget 180] [--mix reference|get]

``--mix get`` sends only ``GET /api/sessions/{id}`` (the request the outside load tool and
``bench.sh api`` measure) and needs nothing newer than the first sessions API, so the same tool
measures an old checkout's stack beside today's (docs/decisions.md, "Load on one machine").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import requests

from devtools.emulators import FIRESTORE, HOSTING, OWNER, PROJECT, User, api, join_group, sign_up
from devtools.firestore_rest import encode_fields
from devtools.measure import percentile

# The reference deployment (issue 28: 1,000 athletes, 50 coaches, 3 sessions a week each, 10
# classes a week of 25): what one athlete's app asks for in a week. Opening the app lists the
# sessions and reads the statistics (once a day); each session is opened three times (athlete and
# coach); made and then edited once; a coach's review leaves a comment on it; one practice of 20
# answers a week; a class's check-ins, 250 a week, are a quarter of one per athlete. Sign-in is
# once per simulated person, at set-up (the ID token lasts an hour).
MIX: dict[str, float] = {
    "list": 7,
    "stats": 7,
    "get": 9,
    "create": 3,
    "update": 3,
    "comment": 3,
    "answer": 20,
    "check-in": 0.25,
}
GET_ONLY: dict[str, float] = {"get": 1}
VIDEO_SECONDS = 60  # the fixture video's length: comments land inside it
TIMEOUT = 30.0  # seconds one request may take; bounds a step's overrun


@dataclass(kw_only=True)
class Person:
    """A simulated athlete: signed in once, with a session of their own to read, edit and
    comment on (a video on it: a fixture), and an open practice session to answer in."""

    user: User
    session_id: str
    practice_id: str = ""
    created: list[str] = field(default_factory=list)

    def headers(self, *, keyed: bool = False) -> dict[str, str]:
        headers = dict(self.user.bearer)
        if keyed:  # the web app sends one per submit of a create
            headers["Idempotency-Key"] = str(uuid.uuid4())
        return headers


@dataclass
class LiveClass:
    """One group's class: check-ins go to its active live session, one per athlete; when the
    next athlete has checked in already, the coach ends it and starts the next (a class of as
    many as there are people), once the check-ins in flight to the old one are answered."""

    group_id: str
    coach: User
    session_id: str | None = None
    checked_in: set[str] = field(default_factory=set)
    in_flight: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class World:
    people: list[Person]
    coach: User | None = None
    exercise_id: str = ""
    live: LiveClass | None = None
    next_seat: int = 0


@dataclass
class Step:
    """What one step recorded: latencies (ms) per action and failures by (action, status)."""

    clients: int
    seconds: float
    record_from: float = 0.0
    record_until: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    cpu: dict[str, float] = field(default_factory=dict)  # seconds used while recording

    def add(self, action: str, started: float, ended: float, outcome: str, ok: bool) -> None:
        if not self.record_from <= started < self.record_until:
            return  # warm-up, or sent after the step's end
        if ok:
            self.latencies.setdefault(action, []).append((ended - started) * 1000)
        else:
            self.errors[(action, outcome)] += 1

    @property
    def answered(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    @property
    def throughput(self) -> float:
        return (self.answered + sum(self.errors.values())) / self.seconds


async def send(
    http: httpx.AsyncClient,
    step: Step,
    action: str,
    method: str,
    path: str,
    headers: dict[str, str],
    *,
    json: Any = None,
    expect: int = 200,
) -> dict[str, Any] | None:
    """One timed request; its JSON body when it answered ``expect``, else None (recorded)."""
    started = time.perf_counter()
    try:
        reply = await http.request(method, path, headers=headers, json=json)
    except httpx.HTTPError as error:
        step.add(action, started, time.perf_counter(), type(error).__name__, ok=False)
        return None
    ok = reply.status_code == expect
    step.add(action, started, time.perf_counter(), str(reply.status_code), ok)
    return reply.json() if ok else None


# ---- the actions -------------------------------------------------------------------------------

Action = Callable[[httpx.AsyncClient, Step, World, Person, random.Random], Awaitable[None]]


async def list_sessions(
    http: httpx.AsyncClient, step: Step, world: World, me: Person, rng: random.Random
) -> None:
    await send(http, step, "list", "GET", "/api/sessions?limit=20", me.headers())


async def get_session(
    http: httpx.AsyncClient, step: Step, world: World, me: Person, rng: random.Random
) -> None:
    session_id = rng.choice([me.session_id, *me.created[-5:]])
    await send(http, step, "get", "GET", f"/api/sessions/{session_id}", me.headers())


async def read_stats(
    http: httpx.AsyncClient, step: Step, world: World, me: Person, rng: random.Random
) -> None:
    await send(http, step, "stats", "GET", "/api/sessions/stats", me.headers())


async def create_session(
    http: httpx.AsyncClient, step: Step, world: World, me: Person, rng: random.Random
) -> None:
    body = {"event": rng.choice(["Vault", "Floor", "Beam"]), "sessionType": "Training"}
    made = await send(
        http, step, "create", "POST", "/api/sessions", me.headers(keyed=True), json=body, expect=201
    )
    if made is not None:
        me.created.append(made["sessionId"])


async def update_session(
    http: httpx.AsyncClient, step: Step, world: World, me: Person, rng: random.Random
) -> None:
    session_id = me.created[-1] if me.created else me.session_id
    body = {"notes": f"felt good {rng.randrange(1000)}"}
    await send(http, step, "update", "PUT", f"/api/sessions/{session_id}", me.headers(), json=body)


async def add_comment(
    http: httpx.AsyncClient, step: Step, world: World, me: Person, rng: random.Random
) -> None:
    body = {"atMs": rng.randrange(VIDEO_SECONDS * 1000), "text": "knees together here"}
    path = f"/api/sessions/{me.session_id}/comments"
    await send(http, step, "comment", "POST", path, me.headers(keyed=True), json=body, expect=201)


async def answer(
    http: httpx.AsyncClient, step: Step, world: World, me: Person, rng: random.Random
) -> None:
    body = {
        "exercise_id": world.exercise_id,
        "user_answer": rng.choice(["4", "5"]),
        "time_taken": 8,
        "session_id": me.practice_id,
    }
    headers = me.headers(keyed=True)
    await send(http, step, "answer", "POST", "/api/exercises/submit", headers, json=body)


async def check_in(
    http: httpx.AsyncClient, step: Step, world: World, me: Person, rng: random.Random
) -> None:
    """The next athlete of the class checks in (whichever client sends it: the class is
    everyone's); a class that everyone is in is ended and the next started, both timed."""
    live = world.live
    assert live is not None
    async with live.lock:
        athlete = world.people[world.next_seat % len(world.people)]
        world.next_seat += 1
        if live.session_id is None or athlete.user.uid in live.checked_in:
            while live.in_flight:  # the old class's check-ins are answered first
                await asyncio.sleep(0.005)
            coach = {**live.coach.bearer}
            if live.session_id is not None:
                path = f"/api/sessions/{live.session_id}/end"
                await send(http, step, "class end", "POST", path, coach)
            path = f"/api/groups/{live.group_id}/sessions"
            keyed = {**coach, "Idempotency-Key": str(uuid.uuid4())}
            started = await send(http, step, "class start", "POST", path, keyed, expect=201)
            if started is None:
                live.session_id = None
                return
            live.session_id, live.checked_in = started["sessionId"], set()
        live.checked_in.add(athlete.user.uid)
        live.in_flight += 1
        session_id = live.session_id
    try:
        path = f"/api/sessions/{session_id}/check-in"
        await send(http, step, "check-in", "POST", path, athlete.headers())
    finally:
        live.in_flight -= 1


ACTIONS: dict[str, Action] = {
    "list": list_sessions,
    "stats": read_stats,
    "get": get_session,
    "create": create_session,
    "update": update_session,
    "comment": add_comment,
    "answer": answer,
    "check-in": check_in,
}


# ---- set-up (not measured) ---------------------------------------------------------------------


def ok(reply: requests.Response, status: int = 200) -> dict[str, Any]:
    if reply.status_code != status:
        raise SystemExit(
            f"set-up: {reply.request.method} {reply.url} answered {reply.status_code}: "
            f"{reply.text[:300]}"
        )
    body: dict[str, Any] = reply.json()
    return body


def give_video(session_id: str) -> None:
    """What a finished analysis leaves on a session (comments need a measured video): written
    as the emulator's owner, a fixture, since uploading and analysing is another benchmark's."""
    fields = {
        "videoPath": f"sessions/{session_id}/video/load.mp4",
        "videoGeneration": "1",
        "analysisJobId": f"load-{session_id}",
        "metrics": {"durationSeconds": VIDEO_SECONDS},
    }
    url = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents/sessions/{session_id}"
    params = [("updateMask.fieldPaths", name) for name in fields]
    body = {"fields": encode_fields(fields)}
    requests.patch(url, params=params, json=body, headers=OWNER, timeout=30).raise_for_status()


def set_up(people: int, mix: dict[str, float]) -> World:
    run = uuid.uuid4().hex[:6]
    everything = mix is MIX
    world = World(people=[])
    if everything:
        world.coach = sign_up(f"load-coach-{run}@example.com", "password123", role="coach")
        exercise = {"prompt": "2 + 2", "answers": ["4"]}
        world.exercise_id = ok(api("POST", "/api/exercises", world.coach, json=exercise), 201)[
            "exercise_id"
        ]
        group = {"name": "Load class", "kind": "course"}
        world.live = LiveClass(
            ok(api("POST", "/api/groups", world.coach, json=group), 201)["groupId"], world.coach
        )

    def person(n: int) -> Person:
        user = sign_up(f"load-athlete-{run}-{n}@example.com", "password123")
        body = {"event": "Vault", "sessionType": "Training"}
        session_id = ok(api("POST", "/api/sessions", user, json=body), 201)["sessionId"]
        me = Person(user=user, session_id=session_id)
        if everything:
            assert world.coach is not None
            assert world.live is not None
            give_video(session_id)
            join_group(world.coach, world.live.group_id, user)
            start = {"session_type": "practice"}
            me.practice_id = ok(api("POST", "/api/exercises/session/start", user, json=start))[
                "session_id"
            ]
        return me

    with ThreadPoolExecutor(4) as pool:
        world.people = list(pool.map(person, range(people)))
    return world


# ---- where the CPU goes ------------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def kind_of(pid: int, command: str) -> str:
    """Which part of the local stack a process is, by its command line."""
    if pid == os.getpid():
        return "load client"
    if "java" in command:
        return "Firestore (Java)"
    if "functions-framework" in command or "gunicorn" in command:
        return "Python workers"
    if "node" in command or "firebase" in command:
        return "Hosting, Functions, Auth (Node)"
    return "other"


def cpu_by_kind(group: int) -> dict[str, float]:
    """CPU seconds used so far by each kind of process in the process group ``group`` (the
    emulator suite's: bench.sh runs this tool inside it) and by their children that left it
    (the Firestore emulator's Java runs in a group of its own). A process that ends is not
    counted."""
    found: dict[int, tuple[int, int, str, float]] = {}  # pid: (parent, group, command, seconds)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        # After the command: state, parent, group, ...; user and system time at 11 and 12.
        seconds = (int(fields[11]) + int(fields[12])) / TICKS
        found[int(entry)] = (int(fields[1]), int(fields[2]), command, seconds)
    members = {pid for pid, (_, pgrp, _, _) in found.items() if pgrp == group}
    used: dict[str, float] = {}
    for pid, (parent, _, command, seconds) in found.items():
        if pid in members or parent in members:
            kind = kind_of(pid, command)
            used[kind] = used.get(kind, 0.0) + seconds
    return used


# ---- the steps ---------------------------------------------------------------------------------


async def run_step(
    world: World, mix: dict[str, float], clients: int, warmup: float, seconds: float, group: int
) -> Step:
    step = Step(clients, seconds)
    names, weights = list(mix), list(mix.values())
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    timeout = httpx.Timeout(TIMEOUT)
    async with httpx.AsyncClient(base_url=HOSTING, limits=limits, timeout=timeout) as http:
        # The Functions emulator's workers for this concurrency start first (unrecorded): that
        # many gets at once, twice; then the warm-up seconds run the mix itself.
        for _ in range(2):
            await asyncio.gather(
                *(
                    get_session(http, step, world, world.people[n], random.Random(n))
                    for n in range(clients)
                )
            )
        step.record_from = time.perf_counter() + warmup
        step.record_until = step.record_from + seconds

        async def client(n: int) -> None:
            rng, me = random.Random(n), world.people[n]
            while time.perf_counter() < step.record_until:
                action = rng.choices(names, weights)[0]
                await ACTIONS[action](http, step, world, me, rng)

        async def account() -> None:
            await asyncio.sleep(step.record_from - time.perf_counter())
            before = cpu_by_kind(group)
            await asyncio.sleep(step.record_until - time.perf_counter())
            after = cpu_by_kind(group)
            step.cpu = {kind: used - before.get(kind, 0.0) for kind, used in after.items()}

        await asyncio.gather(account(), *(client(n) for n in range(clients)))
    return step


async def run_steps(
    world: World, mix: dict[str, float], levels: list[int], args: argparse.Namespace, began: float
) -> list[Step]:
    """Each step in turn, in one event loop (the class's lock belongs to it), within budget."""
    steps: list[Step] = []
    for clients in levels:
        if time.perf_counter() - began + args.warmup + args.seconds > args.budget:
            print(f"Stopped before {clients} clients: the run's budget is {args.budget:g} s.")
            break
        steps.append(await run_step(world, mix, clients, args.warmup, args.seconds, args.cpu_group))
        report(steps[-1])
    return steps


def report(step: Step) -> None:
    errors = sum(step.errors.values())
    print(
        f"{step.clients} client(s): {step.throughput:.1f} requests/s "
        f"({step.answered + errors} in {step.seconds:.0f} s, {errors} errors)"
    )
    print(f"  {'action':12} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for action in sorted(step.latencies, key=lambda a: -len(step.latencies[a])):
        values = step.latencies[action]
        print(
            f"  {action:12} {len(values):6} {percentile(values, 0.5):8.1f} "
            f"{percentile(values, 0.95):8.1f} {percentile(values, 0.99):8.1f}"
        )
    for (action, outcome), count in sorted(step.errors.items()):
        print(f"  error: {action} answered {outcome} x{count}")
    sent = step.answered + errors
    if sent and step.cpu:
        busy = sum(step.cpu.values())
        parts = ", ".join(
            f"{kind} {1000 * used / sent:.1f}"
            for kind, used in sorted(step.cpu.items(), key=lambda item: -item[1])
            if used > 0
        )
        print(
            f"  CPU per request: {1000 * busy / sent:.1f} ms ({parts}); "
            f"{busy / step.seconds:.2f} of {os.cpu_count()} cores busy"
        )


def summary(steps: list[Step]) -> None:
    actions = sorted(
        {a for s in steps for a in s.latencies}, key=lambda a: -len(steps[-1].latencies.get(a, []))
    )
    print("Summary (p95 ms per action):")
    print(f"  {'clients':>7} {'req/s':>7} {'errors':>6} " + " ".join(f"{a:>9}" for a in actions))
    for s in steps:
        p95s = [
            f"{percentile(s.latencies[a], 0.95):9.1f}" if a in s.latencies else f"{'-':>9}"
            for a in actions
        ]
        print(f"  {s.clients:7} {s.throughput:7.1f} {sum(s.errors.values()):6} " + " ".join(p95s))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,2,4,8,16", help="steps (default 1,2,4,8,16)")
    parser.add_argument("--seconds", type=float, default=15, help="recorded per step (15)")
    parser.add_argument("--warmup", type=float, default=3, help="unrecorded per step (3)")
    parser.add_argument("--budget", type=float, default=180, help="whole run, seconds (180)")
    parser.add_argument("--mix", choices=["reference", "get"], default="reference")
    parser.add_argument(
        "--cpu-group",
        type=int,
        default=os.getpgrp(),
        help="process group of the emulators, whose CPU is counted (default: this one's)",
    )
    args = parser.parse_args()
    began = time.perf_counter()
    levels = [int(n) for n in args.clients.split(",")]
    mix = MIX if args.mix == "reference" else GET_ONLY
    total = sum(mix.values())
    shares = ", ".join(f"{name} {100 * weight / total:.1f}%" for name, weight in mix.items())
    print(
        f"Load through Hosting ({HOSTING}) on {os.cpu_count()} cores: {args.mix} mix, "
        f"steps of {levels} clients, {args.seconds:g} s each after {args.warmup:g} s unrecorded"
    )
    print(f"  mix: {shares}")
    if mix is MIX:
        print("  (a class that everyone is in is ended and the next started: 'class end/start')")
    world = set_up(max(levels), mix)
    print(f"  set-up: {len(world.people)} people signed in, in {time.perf_counter() - began:.1f} s")
    steps = asyncio.run(run_steps(world, mix, levels, args, began))
    summary(steps)
    print(f"Whole run: {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
