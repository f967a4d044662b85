"""A real user's Firestore listeners (the Firebase JS SDK's ``onSnapshot`` in Node,
tests/js/listen.mjs) for the benchmarks: each snapshot is queued with its arrival time."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from queue import Queue
from typing import Any

from devtools.emulators import AUTH, FIRESTORE, PROJECT, User

LISTEN = Path(__file__).resolve().parent.parent / "tests" / "js" / "listen.mjs"


class Listener:
    """``user`` signed in, listening to ``targets`` (listen.mjs's target specs)."""

    def __init__(self, user: User, targets: list[dict[str, Any]], *, timeout_ms: int) -> None:
        spec = {
            "auth": AUTH.split("://")[-1],
            "firestore": FIRESTORE.split("://")[-1],
            "projectId": PROJECT,
            "email": user.email,
            "password": user.password,
            "timeoutMs": timeout_ms,
            "targets": targets,
        }
        self.process = subprocess.Popen(
            ["node", str(LISTEN)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(spec))
        self.process.stdin.close()
        self.records: Queue[dict[str, Any]] = Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.records.put(json.loads(line))

    def arrival(self, matches: Callable[[dict[str, Any]], bool], *, timeout: float) -> float:
        """The arrival time (s since the epoch) of the first snapshot from the server (not the
        cache) that ``matches``; a listener that failed or timed out raises."""
        while True:
            record = self.records.get(timeout=timeout)
            if "fatal" in record or "timeout" in record or record.get("ok") is False:
                raise RuntimeError(f"listener: {record}")
            if record.get("ok") and not record.get("fromCache") and matches(record):
                return float(record["at"]) / 1000

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
