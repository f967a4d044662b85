"""The Firebase JS SDK's listeners as a real user: ``tests/js/listen.mjs`` driven from pytest.

The Python Firestore client reads as the emulator's owner whatever credentials it is given, so
listeners that must honour firestore.rules run in the Firebase JS SDK the web app uses (Node).
``listen.mjs`` signs in as a real Auth-emulator user, attaches ``onSnapshot`` to documents and
queries, and prints one JSON line per snapshot or error, stamped with its arrival time (``at``).
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path

import pytest

from devtools.emulators import AUTH, FIRESTORE, PROJECT

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "js" / "listen.mjs"
SDK = ROOT / "node_modules" / "firebase" / "package.json"
LISTEN_TIMEOUT = 30  # seconds for one listener process to answer every target
NO_ANSWER = "no answer from the server"


def host(origin: str) -> str:
    return origin.split("://", 1)[-1]


def brief(record: dict) -> dict:
    """A printed record without document data, for failure messages."""
    return {k: v for k, v in record.items() if k != "docs"}


class Listeners:
    """One ``node listen.mjs`` process: one user's listeners, read line by line as they print."""

    def __init__(self, user, targets: list[dict]) -> None:
        spec = {
            "auth": host(AUTH),
            "firestore": host(FIRESTORE),
            "projectId": PROJECT,
            "email": user.email,
            "password": user.password,
            "timeoutMs": LISTEN_TIMEOUT * 1000,
            "targets": targets,
        }
        self.deadline = time.monotonic() + LISTEN_TIMEOUT + 15
        self.process = subprocess.Popen(
            ["node", str(SCRIPT)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.process.stdin.write(json.dumps(spec))
        self.process.stdin.close()
        self.lines: queue.Queue[dict | None] = queue.Queue()
        self.seen: list[dict] = []
        self.timed_out: list[str] = []
        self.errors: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(
            target=self.errors.extend, args=(self.process.stderr,), daemon=True
        ).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(json.loads(line))
        self.lines.put(None)

    def _next(self) -> dict | None:
        try:
            record = self.lines.get(timeout=max(0.1, self.deadline - time.monotonic()))
        except queue.Empty:
            self.process.kill()
            pytest.fail(f"listen.mjs hung; it printed: {[brief(r) for r in self.seen]}")
        if record is not None:
            if "fatal" in record:
                pytest.fail(f"listen.mjs failed: {record}; stderr: {self._stderr()}")
            self.timed_out += record.get("pending", [])
            self.seen.append(record)
        return record

    def _stderr(self) -> str:
        return "".join(self.errors)[-2000:]

    def answer(self, target: str, n: int = 1) -> dict:
        """The ``n``-th server snapshot of ``target`` (or its error), waiting for it."""
        for record in self.seen:
            if record.get("target") == target and _is_answer(record, n):
                return record
        while (record := self._next()) is not None:
            if record.get("target") == target and _is_answer(record, n):
                return record
        pytest.fail(
            f"listen.mjs ended without snapshot {n} of {target!r}; "
            f"it printed: {[brief(r) for r in self.seen]}"
        )

    def finish(self) -> dict[str, list[dict]]:
        """Wait for the process to exit; every record it printed, by target.

        A target the server never answered in LISTEN_TIMEOUT (exit status 2) has only cached
        snapshots, or none: ``first()`` reports it as NO_ANSWER.
        """
        while self._next() is not None:
            pass
        try:
            self.process.wait(timeout=max(0.1, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail("listen.mjs did not exit after printing its last line")
        expected = 2 if self.timed_out else 0
        assert self.process.returncode == expected, (self.process.returncode, self._stderr())
        by_target: dict[str, list[dict]] = {}
        for record in self.seen:
            if "target" in record:
                by_target.setdefault(record["target"], []).append(record)
        for target in self.timed_out:
            by_target.setdefault(target, [])
        return by_target


def _is_answer(record: dict, n: int) -> bool:
    if not record["ok"]:
        return n == 1
    return not record["fromCache"] and record["n"] == n


def first(records: list[dict]) -> dict:
    """The first answer among one target's records (snapshots from the local cache skipped)."""
    return next(
        (r for r in records if _is_answer(r, 1)), {"ok": False, "code": NO_ANSWER, "ids": []}
    )
