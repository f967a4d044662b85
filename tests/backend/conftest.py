"""The analysis backend the second pass plays (scripts/test.sh): a server on localhost that
verifies, records and answers our job requests as a backend would.

scripts/test.sh runs this folder in a second emulator suite whose functions have
``SESSIONBASE_ANALYSIS_BACKEND_URL`` pointing at this server and ``SESSIONBASE_CALLBACK_URL`` at
the Hosting callback: only then is the callback deployed (docs/decisions.md, "Analysis").
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sessionbase.domain.signatures import HEADER, Direction, verify
from tests.uploads import secret


class FakeBackend:
    """An analysis backend on localhost: verifies, records and answers job requests."""

    def __init__(self, port: int) -> None:
        self.received: queue.Queue[dict] = queue.Queue()
        self.status = 202
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                header = self.headers.get(HEADER)
                signed = True
                try:  # as a backend checks our requests: the request direction, our key
                    verify([secret()], header, raw, time.time(), direction=Direction.REQUEST)
                except Exception:
                    signed = False
                backend.received.put(
                    {
                        "path": self.path,
                        "body": json.loads(raw),
                        "raw": raw,
                        "signature": header,
                        "signed": signed,
                    }
                )
                self.send_response(backend.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next_request(self, timeout: float = 60) -> dict:
        return self.received.get(timeout=timeout)


def in_the_backend_pass() -> None:
    if os.environ.get("SESSIONBASE_TEST_PASS") != "backend":
        pytest.skip("runs in scripts/test.sh's second pass, with an analysis backend configured")


@pytest.fixture(scope="session")
def fake_backend():
    in_the_backend_pass()
    server = FakeBackend(int(os.environ["SESSIONBASE_TEST_BACKEND_PORT"]))
    yield server
    server.server.shutdown()


@pytest.fixture
def backend_server(fake_backend, backend):
    """The fake backend, emptied, answering 202; a clean emulator project."""
    while not fake_backend.received.empty():
        fake_backend.received.get()
    fake_backend.status = 202
    return fake_backend
