"""What each user action costs stays what docs/capacity/counts.json says (issue 28).

Runs the capacity harness's actions (devtools/capacity.py) against the emulators, with the
workers' meter on (scripts/test.sh sets SESSIONBASE_METER), and compares every exact count with
the file that docs/capacity.md is rendered from: Firestore reads, writes, deletes, index
entries, listener deliveries, Auth lookups, task enqueues, Storage operations and bytes,
function invocations by name, and the writes by document kind, exactly (Storage bytes within
5%: a generated ZIP's size varies by a few bytes). Durations are left out (noisy).
The person the actions run as has 30 earlier sessions, so an action that starts reading its
history reads more and fails here. The uploads are left out (devtools/capacity.py,
BENCH_ONLY: their progress writes follow the machine's speed); tests/emulator/
test_analysis_pipeline.py covers that path.
"""

from __future__ import annotations

import json
import os

import pytest

from devtools import capacity

REGENERATE = (
    "bash scripts/bench.sh capacity (then commit docs/capacity/counts.json and docs/capacity.md)"
)
TESTED = [a for a in capacity.ACTIONS if a not in capacity.BENCH_ONLY]
EXACT = ("counts", "invocations", "documents_written")


# Bytes of files the functions generate (the export's ZIP: its times and ids, compressed) vary by
# a few bytes from run to run; they may differ by this fraction. Every other count is exact.
BYTES = ("storage_bytes_written", "storage_bytes_read")
BYTES_WITHIN = 0.05


def same(part: str, key: str, was: int, now: int) -> bool:
    if part == "counts" and key in BYTES:
        return abs(now - was) <= BYTES_WITHIN * max(was, now)
    return was == now


def differences(expected: dict, found: dict) -> list[str]:
    """One line per action and counter whose count changed."""
    lines = []
    for action in TESTED:
        if action not in expected:
            lines.append(f"{action}: not in docs/capacity/counts.json")
            continue
        for part in EXACT:
            was, now = expected[action].get(part, {}), found[action].get(part, {})
            for key in sorted(set(was) | set(now)):
                if not same(part, key, was.get(key, 0), now.get(key, 0)):
                    lines.append(
                        f"{action}: {part}[{key}] is {now.get(key, 0)}, "
                        f"counts.json says {was.get(key, 0)}"
                    )
    return lines


def test_each_action_costs_what_counts_json_says(backend):
    if not os.environ.get("SESSIONBASE_METER"):
        pytest.fail("SESSIONBASE_METER is not set: run this test through scripts/test.sh")
    expected = json.loads(capacity.COUNTS.read_text())["actions"]
    found = capacity.run(TESTED)["actions"]
    changed = differences(expected, found)
    assert not changed, (
        "What an action costs changed:\n  " + "\n  ".join(changed)
        + f"\nIf that is meant, regenerate: {REGENERATE}"
    )  # fmt: skip
