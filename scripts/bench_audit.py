"""The cost of the audit trail (issue 27): API writes with their audit entry vs without, one run.

Runs inside the Auth and Firestore emulators (scripts/bench.sh audit). Prints figures; asserts
nothing.

The audit entry rides in the change's own batch or transaction (store/audit.py), so its cost is
one more write in the same commit, not a round trip. Two measurements, each call made once
audited and once not, interleaved so both see the same load; p50/p95 of each and the ratio of
the p95s (goal <= 1.1):

- API: ``POST /api/sessions`` and ``PUT /api/sessions/{id}`` as the web app sends them (a Bearer
  token, JSON), run by our REST handler (``rest.dispatch``) in this process: token check, Auth
  lookup, validation, the service and its commit. "Not audited" replaces the request's audit
  scope with none (a benchmark's patch: the deployed code has no switch).
- service: the services alone (``create_session``, one batch; ``update_session``, an
  optimistic unit: read, decide, commit with a precondition) with a Store audited as a request
  vs one that audits nothing: the entry's cost against the smallest base there is.

    python scripts/bench_audit.py [-n 200]
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from devtools.measure import percentile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="rounds (each: one call of each kind)")
    rounds = parser.parse_args().n
    print(f"audit: {rounds} rounds, in-process against the emulators")
    api_rounds(rounds)
    service_rounds(rounds)


def line(label: str, values: list[float]) -> str:
    return (
        f"  {label:<38} p50 {statistics.median(values) * 1000:7.2f} ms"
        f"   p95 {percentile(values, 0.95) * 1000:7.2f} ms"
    )


def report(times: dict[str, list[float]], kinds: dict[str, str]) -> None:
    for kind, label in kinds.items():
        print(line(label + ", audited", times[kind + "+"]))
        print(line(label + ", not audited", times[kind]))
        ratio = percentile(times[kind + "+"], 0.95) / percentile(times[kind], 0.95)
        print(f"  {'':<38} p95 ratio {ratio:.2f} (goal <= 1.1)")


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def api_rounds(rounds: int) -> None:
    """The API's writes through our handler, in this process, audited and not."""
    import firebase_admin
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    from devtools.emulators import sign_up
    from sessionbase.handlers import dispatch as dispatching
    from sessionbase.handlers.rest import dispatch
    from sessionbase.store.audit import Scope

    if not firebase_admin._apps:
        firebase_admin.initialize_app()
    athlete = sign_up(f"bench-audit-{uuid.uuid4().hex[:6]}@example.com", "password123")

    class Unaudited:
        @staticmethod
        def request(*_: object, **__: object) -> None:
            return None

    def send(method: str, path: str, body: dict[str, str], audited: bool) -> str:
        dispatching.Scope = Scope if audited else Unaudited  # type: ignore[assignment,misc]
        environ = EnvironBuilder(path=path, method=method, headers=athlete.bearer, json=body)
        reply = dispatch(Request(environ.get_environ()))
        if reply.status_code not in (200, 201):
            raise SystemExit(f"{method} {path}: {reply.status_code} {reply.get_data(as_text=True)}")
        return str(reply.get_json().get("sessionId", ""))

    times: dict[str, list[float]] = {k: [] for k in ("create+", "create", "update+", "update")}
    made: dict[bool, list[str]] = {True: [], False: []}
    for round_ in range(rounds + 5):  # five rounds of warm-up, not counted
        order = (round_ % 2 == 0, round_ % 2 == 1)  # alternate which goes first
        for audited in order:
            seconds = timed(
                lambda a=audited: made[a].append(
                    send("POST", "/api/sessions", {"event": "Vault"}, a)
                )
            )
            if round_ >= 5:
                times["create+" if audited else "create"].append(seconds)
        for audited in order:
            path = f"/api/sessions/{made[audited][-1]}"
            seconds = timed(lambda a=audited, p=path: send("PUT", p, {"notes": "landed it"}, a))
            if round_ >= 5:
                times["update+" if audited else "update"].append(seconds)
    dispatching.Scope = Scope  # type: ignore[misc]
    report(times, {"create": "API POST /api/sessions", "update": "API PUT /api/sessions/{id}"})


def service_rounds(rounds: int) -> None:
    """The services alone, with an audited Store and one that audits nothing."""

    from sessionbase.models.identity import Caller, Role
    from sessionbase.models.sessions import SessionCreate, SessionUpdate
    from sessionbase.services import sessions
    from sessionbase.services.context import Context
    from sessionbase.store.audit import Scope
    from sessionbase.store.client import firestore_client
    from sessionbase.store.storage import default_objects
    from sessionbase.store.work import Store

    db, objects = firestore_client(), default_objects()
    athlete = Caller(
        uid=f"bench-{uuid.uuid4().hex[:8]}",
        email="bench@example.com",
        email_verified=True,
        name="Bench",
        role=Role.ATHLETE,
    )

    def context(audited: bool, operation: str) -> Context:
        now = datetime.now(UTC)
        scope = Scope.request(operation, athlete, now) if audited else None
        return Context(caller=athlete, store=Store(db, audit=scope), now=now, objects=objects)

    body = SessionCreate(event="Vault")
    change = SessionUpdate(notes="landed it")
    times: dict[str, list[float]] = {key: [] for key in ("create+", "create", "update+", "update")}
    ids = {True: [], False: []}  # type: dict[bool, list[str]]
    for round_ in range(rounds + 5):  # five rounds of warm-up, not counted
        for audited in (round_ % 2 == 0, round_ % 2 == 1):  # alternate which goes first
            ctx = context(audited, "createSession")
            made: list[str] = []
            seconds = timed(
                lambda c=ctx, m=made: m.append(sessions.create_session(c, body).sessionId)
            )
            ids[audited].append(made[0])
            if round_ >= 5:
                times["create+" if audited else "create"].append(seconds)
        for audited in (round_ % 2 == 0, round_ % 2 == 1):
            ctx, session_id = context(audited, "updateSession"), ids[audited][-1]
            seconds = timed(
                lambda c=ctx, s=session_id: sessions.update_session(c, change, session_id=s)
            )
            if round_ >= 5:
                times["update+" if audited else "update"].append(seconds)

    report(times, {"create": "service create_session", "update": "service update_session"})
    from google.cloud.firestore import FieldFilter

    audited = db.collection("auditLog").where(filter=FieldFilter("uid", "==", athlete.uid))
    entries = audited.count().get()[0][0].value
    print(f"  audit entries of the service rounds: {entries} (audited calls: {2 * (rounds + 5)})")


if __name__ == "__main__":
    main()
