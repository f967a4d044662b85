"""Rules benchmark: what reading the caller's profile in firestore.rules costs a client's read.

firestore.rules takes the caller's role and revocation from ``users/{uid}`` (one ``exists()`` and
one ``get()`` of that document per evaluation) where it took the role from the ID token before
(issue 20, item 6). The API benchmark does not go through the rules (the functions use admin
credentials), so this one sends client reads straight to the Firestore emulator's REST API, as
the web app's listeners and queries do, under both rulesets, interleaved in rounds so that both
see the same machine load:

- before: firestore.rules as committed (``git show HEAD:firestore.rules``), or ``--before FILE``;
- after: firestore.rules in the working tree.

Each runs on a project of its own with the rules matrix's seed (tests/rules/rules_matrix.py). It
times, per ruleset: an athlete's get of their session, a linked coach's query of an athlete's
sessions, a coach's get of an exercise's answers, an admin's query over ``users``; and prints
p50/p95 of each and after ÷ before. It then reads the emulator's rule-coverage report of the
"after" project and prints how often the profile's ``exists()`` and ``get()`` were evaluated per
request (the same document each time: Firebase bills document reads made by rules, and caches
repeated access to one document within one evaluation — see docs/security-rules.md). Asserts
nothing. Runs under the Firestore emulator:

    scripts/bench.sh rules [n]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from devtools.measure import percentile
from tests.rules.rules_coverage import report_nodes
from tests.rules.rules_harness import FirestoreRestClient, Outcome, Query, emulator_base
from tests.rules.rules_matrix import ADMIN, ATHLETE_A, COACH_A, SEED

ROOT = Path(__file__).resolve().parents[1]


def rulesets(before: str | None) -> dict[str, str]:
    """The two rulesets, by name."""
    if before is not None:
        old = Path(before).read_text()
    else:
        old = subprocess.run(
            ["git", "show", "HEAD:firestore.rules"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return {"before": old, "after": (ROOT / "firestore.rules").read_text()}


def cases(client: FirestoreRestClient) -> dict[str, Callable[[], Outcome]]:
    """The reads timed: each must be allowed under both rulesets."""
    return {
        "athlete gets own session": lambda: client.get(ATHLETE_A, "sessions/s-a1"),
        "linked coach queries athlete's sessions": lambda: client.query(
            COACH_A, Query(collection="sessions", where=(("athleteId", "athlete-a"),))
        ),
        "coach gets exercise answers": lambda: client.get(COACH_A, "exerciseAnswers/e1"),
        "admin queries users": lambda: client.query(ADMIN, Query(collection="users")),
    }


def timed(action: Callable[[], Outcome]) -> float:
    start = time.perf_counter()
    outcome = action()
    elapsed = (time.perf_counter() - start) * 1000
    if not outcome.allowed:
        raise SystemExit(f"a benchmark read was refused: {outcome.detail}")
    return elapsed


def profile_lookups(client: FirestoreRestClient, content: str, requests: int) -> str:
    """How often the profile's exists()/get() ran per request, from the coverage report."""
    reply = client.coverage()
    if reply.status_code != 200:
        return "no rule-coverage report from this emulator"
    counts = {"exists(path)": 0, "get(path)": 0}
    lines = content.splitlines()
    for node in report_nodes(reply.json(), content):
        call = next((name for name in counts if node.text.startswith(name)), None)
        if call and "exists(path) ?" in lines[node.line - 1]:
            counts[call] += sum(n for kind, n in node.results.items() if kind != "skipped")
    return ", ".join(f"{name} {count / requests:.1f}" for name, count in counts.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=200, help="requests per case and ruleset")
    parser.add_argument("--before", help="the ruleset to compare with (default: HEAD's)")
    args = parser.parse_args()
    base = emulator_base()
    if base is None:
        raise SystemExit("FIRESTORE_EMULATOR_HOST is not set: run scripts/bench.sh rules")
    clients: dict[str, FirestoreRestClient] = {}
    for name, content in rulesets(args.before).items():
        client = FirestoreRestClient(base=base, project=f"demo-sessionbase-bench-rules-{name}")
        loaded = client.load_rules("firestore.rules", content)
        if loaded.status_code != 200:
            raise SystemExit(f"{name}: the rules did not compile: {loaded.text[:300]}")
        client.wipe()
        client.seed(SEED)
        clients[name] = client
    reads = {name: cases(client) for name, client in clients.items()}
    for name in clients:  # warm up each ruleset and connection
        for action in reads[name].values():
            timed(action)
    times: dict[tuple[str, str], list[float]] = {}
    rounds = 10
    for _ in range(rounds):
        for case in reads["after"]:
            for name in clients:
                times.setdefault((name, case), []).extend(
                    timed(reads[name][case]) for _ in range(max(1, args.n // rounds))
                )
    print(f"client reads through the rules, {args.n} per case and ruleset (ms)")
    print(f"{'case':42} {'before p50/p95':>16} {'after p50/p95':>16} {'p95 after/before':>17}")
    for case in reads["after"]:
        before, after = times[("before", case)], times[("after", case)]
        print(
            f"{case:42} {percentile(before, 0.5):7.2f}/{percentile(before, 0.95):<7.2f}  "
            f"{percentile(after, 0.5):7.2f}/{percentile(after, 0.95):<7.2f}  "
            f"{percentile(after, 0.95) / percentile(before, 0.95):16.2f}"
        )
    requests = sum(len(v) for (name, _), v in times.items() if name == "after") + len(
        reads["after"]
    )
    content = rulesets(args.before)["after"]
    print(
        "profile calls evaluated per request (after; all of one document, users/{caller}): "
        + profile_lookups(clients["after"], content, requests)
    )
    print(json.dumps({"requests_per_ruleset": requests}))


if __name__ == "__main__":
    main()
