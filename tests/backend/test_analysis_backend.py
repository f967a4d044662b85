"""The analysis pipeline with an analysis backend configured, the test playing the backend.

scripts/test.sh runs this folder in a second emulator suite whose functions have
``SESSIONBASE_ANALYSIS_BACKEND_URL`` pointing at the server below and
``SESSIONBASE_CALLBACK_URL`` at the Hosting callback. The server checks each job request's
signature, records it, and answers as a test tells it to; the test then calls back as a backend.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from devtools.videos import clip
from sessionbase.domain.signatures import HEADER, verify
from tests.uploads import analysed, jobs_of, linked, new_session, ok, secret, session_of, upload


class FakeBackend:
    """An analysis backend on localhost: verifies, records and answers job requests."""

    def __init__(self, port: int) -> None:
        self.received: queue.Queue[dict] = queue.Queue()
        self.status = 202
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                signed = True
                try:
                    verify(secret(), self.headers.get(HEADER), raw, time.time())
                except Exception:
                    signed = False
                backend.received.put({"path": self.path, "body": json.loads(raw), "signed": signed})
                self.send_response(backend.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next_request(self, timeout: float = 60) -> dict:
        return self.received.get(timeout=timeout)


@pytest.fixture(scope="module")
def fake_backend():
    if os.environ.get("SESSIONBASE_TEST_PASS") != "backend":
        pytest.skip("runs in scripts/test.sh's second pass, with an analysis backend configured")
    server = FakeBackend(int(os.environ["SESSIONBASE_TEST_BACKEND_PORT"]))
    yield server
    server.server.shutdown()


@pytest.fixture
def backend_server(fake_backend, backend):
    while not fake_backend.received.empty():
        fake_backend.received.get()
    fake_backend.status = 202
    return fake_backend


def test_the_backend_gets_the_job_and_its_results_complete_the_session(make_user, backend_server):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    target = upload(coach, session_id, clip(seconds=1))
    job = backend_server.next_request()
    assert job["path"] == "/analyze"
    assert job["signed"] is True
    body = job["body"]
    assert {k: body[k] for k in ("sessionId", "bucket", "path")} == {
        "sessionId": session_id,
        "bucket": target["bucket"],
        "path": target["path"],
    }
    assert body["callbackUrl"].endswith("/api/analysis/callback")
    assert session_of(coach, session_id)["analysisStatus"] == "processing"

    # The backend answers on the callback URL it was given, signed with the shared secret.
    def callback(payload: dict) -> dict:
        from sessionbase.domain.signatures import sign

        raw = json.dumps(payload).encode()
        reply = requests.post(
            body["callbackUrl"],
            data=raw,
            headers={
                "Content-Type": "application/json",
                HEADER: sign(secret(), raw, int(time.time())),
            },
            timeout=30,
        )
        return ok(reply)

    progress = callback({"sessionId": session_id, "jobId": body["jobId"], "status": "processing",
                         "progress": 55})  # fmt: skip
    assert progress["applied"] is True
    assert session_of(athlete, session_id)["analysisProgress"] == 55
    # Issue 21 (19): the same progress again, or a lower one, moves nothing (applied: false,
    # the job's updatedAt unchanged).
    [before] = jobs_of(session_id)
    for again in (55, 30):
        repeated = callback({"sessionId": session_id, "jobId": body["jobId"],
                             "status": "processing", "progress": again})  # fmt: skip
        assert repeated["applied"] is False
    assert jobs_of(session_id) == [before]
    assert session_of(athlete, session_id)["analysisProgress"] == 55
    done = callback(
        {"sessionId": session_id, "jobId": body["jobId"], "status": "completed", "motionIQ": 77,
         "aclRisk": 12.5, "metrics": {"kneeValgusDeg": 6.5}}
    )  # fmt: skip
    assert done == {
        "sessionId": session_id,
        "jobId": body["jobId"],
        "analysisStatus": "completed",
        "applied": True,
    }
    session = session_of(athlete, session_id)
    assert {k: session[k] for k in ("analysisStatus", "motionIQ", "aclRisk", "riskLevel")} == {
        "analysisStatus": "completed",
        "motionIQ": 77,
        "aclRisk": 12.5,
        "riskLevel": "LOW",
    }
    assert session["metrics"] == {"kneeValgusDeg": 6.5}
    [stored] = jobs_of(session_id)
    assert stored["fields"]["state"]["stringValue"] == "succeeded"
    assert backend_server.received.empty()  # one request for one upload


def test_a_backend_that_is_down_is_retried_then_the_job_fails(make_user, backend_server):
    backend_server.status = 503
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    upload(coach, session_id, clip(seconds=1))
    attempts = [backend_server.next_request(timeout=120) for _ in range(3)]
    assert all(a["signed"] for a in attempts)
    assert len({a["body"]["jobId"] for a in attempts}) == 1
    result = analysed(coach, session_id)
    assert result["analysisStatus"] == "failed"
    assert result["analysisError"] == (
        "The analysis backend failed 3 times; last: it answered HTTP 503."
    )
    assert result["analysisAttempts"] == 3
    time.sleep(3)
    assert backend_server.received.empty()  # no fourth attempt
