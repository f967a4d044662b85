"""Benchmarks end what they start (issue 28): after ``scripts/bench.sh`` returns, no process it
started is left — not the emulators, not the Functions emulator's Python workers, which outlive
``emulators:exec`` unless their process group is ended.

The benchmark runs in a suite of its own (port offset: this suite's + 2500), with a marker in its
environment that every process it starts inherits; afterwards no process may carry it.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def carrying(marker: str) -> list[str]:
    """The processes whose environment holds ``marker`` (pid and command line)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append(f"{proc.name}: {command[:120]}")
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def test_no_process_of_a_benchmark_outlives_it():
    if not Path("/proc/self/environ").exists():
        pytest.skip("needs /proc")
    marker = f"SESSIONBASE_BENCH_MARK={uuid.uuid4().hex}"
    offset = int(os.environ.get("SESSIONBASE_PORT_OFFSET") or 0) + 2500
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FIREBASE_", "FIRESTORE_"))},
        "SESSIONBASE_PORT_OFFSET": str(offset),
        marker.split("=")[0]: marker.split("=")[1],
    }
    env.pop("STORAGE_EMULATOR_HOST", None)
    env.pop("CLOUD_TASKS_EMULATOR_HOST", None)
    env.pop("COVERAGE_PROCESS_START", None)
    done = subprocess.run(
        ["bash", "scripts/bench.sh", "live", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "check-in API -> listener" in done.stdout  # the benchmark ran, with its workers
    deadline = time.monotonic() + 10  # a worker's exit is not instantaneous
    while (left := carrying(marker)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert left == []
