"""handlers/analysis.py: the analysis functions as deployed, their triggers, and what the callback
refuses before any Firestore access (signature first, then the body), driven with real request
objects."""

from __future__ import annotations

import json
import time

import pytest

from sessionbase.domain.signatures import Direction, sign
from sessionbase.handlers.analysis import _timestamp, analysis_callback, analyzeSession
from tests.unit.handlers.deployed import main
from tests.unit.handlers.instances import (
    FUNCTIONS,
    POSE,
    printed_by_instance,
    printed_when_discovered,
)
from tests.unit.handlers.request_builder import build_request

SECRET = "4f0e2c9a7b1d3e5f6a8c0b2d4e6f8a1c3e5d7b9f0a2c4e6b8d1f3a5c7e9b0d2f"
PREVIOUS = "Zr4qP9xW2mK7vL1nB8cT5yH3jD6gF0sA"
BACKEND = {"SESSIONBASE_ANALYSIS_BACKEND_URL": "https://backend.example/analyze"}


def test_the_pipeline_is_deployed_as_designed():
    trigger = main.register_upload.__firebase_endpoint__.eventTrigger
    assert trigger == {
        "eventType": "google.cloud.storage.object.v1.finalized",
        "retry": False,  # Python event triggers never retry: the sweep covers lost events
        "eventFilters": {"bucket": "demo-sessionbase.appspot.com"},
    }
    # The task is the pose codebase's (its analyzer tracks keypoints); the API only enqueues.
    assert not hasattr(main, "analyzeSession")
    task = analyzeSession.__firebase_endpoint__
    assert task.taskQueueTrigger["retryConfig"]["maxAttempts"] == 3
    assert task.taskQueueTrigger["retryConfig"]["minBackoffSeconds"] == 30
    assert task.taskQueueTrigger["rateLimits"] == {
        "maxConcurrentDispatches": 10,
        "maxDispatchesPerSecond": 5,
    }
    assert (task.availableMemoryMb, task.timeoutSeconds) == (1024, 540)
    schedule = main.sweep_analyses.__firebase_endpoint__.scheduleTrigger
    assert schedule["schedule"] == "every 10 minutes"
    # The REST function does not hold the secret.
    assert main.api.__firebase_endpoint__.secretEnvironmentVariables == []


SECRETS_PROBE = """
import main
from firebase_functions import params  # the params the deploy manifest declares
endpoints = {k: v.__firebase_endpoint__ for k, v in vars(main).items()
             if hasattr(v, "__firebase_endpoint__")}
callback = endpoints.get("analysis_callback")
task = endpoints.get("analyzeSession")
print(task and task.secretEnvironmentVariables,
      callback and (callback.httpsTrigger, callback.secretEnvironmentVariables),
      "SESSIONBASE_ANALYSIS_SECRET" in params._params)
"""


def test_only_a_deployment_with_a_backend_has_the_callback_and_holds_the_key():
    """Issue 21 (10): the callback was deployed, holding the key, with no backend to call it,
    and deploy asked for the key (every declared secret param) even for the built-in analyzer."""
    key = "[{'key': 'SESSIONBASE_ANALYSIS_SECRET'}]"
    assert printed_when_discovered(SECRETS_PROBE, BACKEND) == f"None ({{}}, {key}) True"
    without = {"SESSIONBASE_ANALYSIS_BACKEND_URL": ""}
    assert printed_when_discovered(SECRETS_PROBE, without) == "None None False"
    # The analysis task is the pose codebase's: it holds the key only with a backend.
    assert printed_when_discovered(SECRETS_PROBE, BACKEND, POSE) == f"{key} None True"
    assert printed_when_discovered(SECRETS_PROBE, without, POSE) == "[] None False"


PROBE = """
import sys, main
print(sorted(m for m in ("av", "numpy", "mediapipe", "firebase_functions.tasks_fn")
             if m in sys.modules))
"""


@pytest.mark.parametrize(
    ("target", "codebase", "printed"),
    [
        ("api", FUNCTIONS, "[]"),
        ("analyzeSession", POSE, "['firebase_functions.tasks_fn']"),
        ("pose_api", POSE, "[]"),
    ],
)
def test_video_libraries_load_only_when_a_video_is_analysed(target, codebase, printed):
    assert printed_by_instance(PROBE, target, codebase) == printed


@pytest.fixture
def secret(monkeypatch):
    """A deployment with an analysis backend and its key."""
    monkeypatch.setenv(
        "SESSIONBASE_ANALYSIS_BACKEND_URL", BACKEND["SESSIONBASE_ANALYSIS_BACKEND_URL"]
    )
    monkeypatch.setenv("SESSIONBASE_ANALYSIS_SECRET", SECRET)
    return SECRET


def post(raw: bytes, *, signature: str | None = None, **kwargs):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Sessionbase-Signature"] = signature
    request = build_request("POST", "/api/analysis/callback", data=raw, headers=headers, **kwargs)
    response = analysis_callback(request)
    return response.status_code, json.loads(response.get_data())


def signed(
    raw: bytes,
    key: str = SECRET,
    at: float | None = None,
    direction: Direction = Direction.CALLBACK,
) -> str:
    return sign(key, raw, int(time.time() if at is None else at), direction=direction)


def test_the_callback_checks_the_signature_before_reading_the_body(secret):
    # Any of these would need Firestore if it got past the signature: there is none here.
    body = b'{"sessionId": "s1", "status": "completed"}'
    for signature in (None, "", "t=x,v1=00", signed(body, key="wrong"), "v1=abc", "t=1"):
        status, reply = post(body, signature=signature)
        assert (status, reply["code"]) == (401, "unauthenticated")
        assert reply["detail"] == "The callback signature is missing or invalid."
    now = time.time()
    for signature in ("t=1,v1=00", signed(body, at=now - 301), signed(body, at=now + 301)):
        status, reply = post(body, signature=signature)
        assert status == 401
        assert "expired or is dated in the future" in reply["detail"]


def test_without_a_backend_the_callback_is_404_and_reads_nothing(monkeypatch):
    """Issue 21 (10): with no backend configured, a callback signed with the key was applied."""
    from flask import Request

    monkeypatch.delenv("SESSIONBASE_ANALYSIS_BACKEND_URL", raising=False)
    monkeypatch.setenv("SESSIONBASE_ANALYSIS_SECRET", SECRET)
    stream = ChunkedBody(1024)
    environ = build_request("POST", "/api/analysis/callback").environ
    environ.update({"wsgi.input": stream, "HTTP_X_SESSIONBASE_SIGNATURE": signed(b" " * 1024)})
    response = analysis_callback(Request(environ))
    assert response.status_code == 404
    assert json.loads(response.get_data())["code"] == "not-found"
    assert stream.read_bytes == 0


@pytest.mark.parametrize("key", ["", "short", "ab" * 32])
def test_with_a_missing_or_weak_key_no_callback_verifies(monkeypatch, caplog, key):
    """Issue 21 (10): a weak key was used as it came (the instance refuses to start with it:
    tests/unit/handlers/test_exports.py; this is the handler's own refusal)."""
    monkeypatch.setenv("SESSIONBASE_ANALYSIS_BACKEND_URL", "https://backend.example/analyze")
    monkeypatch.setenv("SESSIONBASE_ANALYSIS_SECRET", key)
    body = b'{"sessionId": "s1", "status": "completed"}'
    status, reply = post(body, signature=signed(body, key=key))
    assert (status, reply["code"]) == (500, "internal")
    assert "SESSIONBASE_ANALYSIS_SECRET" in caplog.text


def test_a_job_request_signature_is_refused_as_a_callback(secret):
    """Issue 21 (10): our job requests to the backend were signed as callbacks are, so one seen
    on its way (a proxy's log) could be sent back to us as a result."""
    body = b'{"sessionId": "s1", "status": "completed"}'
    status, reply = post(body, signature=signed(body, direction=Direction.REQUEST))
    assert (status, reply["detail"]) == (401, "The callback signature is missing or invalid.")


def test_during_a_rotation_callbacks_signed_with_either_key_are_accepted(secret, monkeypatch):
    # A body refused after the signature: 400 says the signature passed (no Firestore here).
    body = b'{"status": "done"}'
    assert post(body, signature=signed(body, key=PREVIOUS))[0] == 401
    monkeypatch.setenv("SESSIONBASE_ANALYSIS_SECRET", f"{SECRET},{PREVIOUS}")
    for key in (SECRET, PREVIOUS):
        assert post(body, signature=signed(body, key=key))[0] == 400
    assert post(body, signature=signed(body, key="another-key-of-thirty-two-chars!"))[0] == 401


def test_a_callback_signed_with_the_first_scheme_is_still_accepted(secret):
    """DESIGN.md's ``t=<t>,v1=<hex>`` (docs/migration.md): accepted on callbacks."""
    import hashlib
    import hmac

    body = b'{"status": "done"}'
    at = int(time.time())
    mac = hmac.new(SECRET.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    assert post(body, signature=f"t={at},v1={mac}")[0] == 400
    assert post(body, signature=f"t={at},v1={'0' * 64}")[0] == 401


def test_a_signed_but_malformed_body_is_400_naming_the_fields(secret):
    status, reply = post(b"{nope", signature=signed(b"{nope"))
    assert (status, reply["errors"]) == (400, [{"field": "body", "message": "not valid JSON"}])
    raw = json.dumps({"status": "done", "progress": -1, "motionIQ": 101, "extra": 1}).encode()
    status, reply = post(raw, signature=signed(raw))
    assert status == 400
    assert {e["field"] for e in reply["errors"]} >= {"status", "progress", "motionIQ", "extra"}
    raw = json.dumps({"status": "completed"}).encode()  # names no session
    status, reply = post(raw, signature=signed(raw))
    assert status == 400
    assert "exactly one of sessionId and backendSessionId" in json.dumps(reply["errors"])


def test_a_callback_by_backend_id_names_the_coach_who_linked_it(secret):
    """Issue 21: backend ids are per coach, so one alone matched sessions of every coach."""
    raw = json.dumps({"backendSessionId": "b1", "status": "processing"}).encode()
    status, reply = post(raw, signature=signed(raw))
    assert (status, [e["field"] for e in reply["errors"]]) == (400, ["coachId"])


def test_a_signed_callback_with_a_path_for_a_file_name_is_400_before_any_read(secret):
    # Issue 20: "../../x.mp4" was stored as processedVideoFilename. No Firestore here: refused
    # while parsing, each field named.
    body = {"sessionId": "s1", "status": "completed", "processedVideoFilename": "../../x.mp4",
            "analyticsFilename": "a/b.json", "progress": "50"}  # fmt: skip
    raw = json.dumps(body).encode()
    status, reply = post(raw, signature=signed(raw))
    assert status == 400
    assert {e["field"] for e in reply["errors"]} == {
        "processedVideoFilename",
        "analyticsFilename",
        "progress",
    }


def test_the_callback_refuses_other_methods_and_huge_bodies(secret):
    response = analysis_callback(build_request("GET", "/api/analysis/callback"))
    assert (response.status_code, response.headers["Allow"]) == (405, "POST")
    big = b"{" + b" " * (1024 * 1024) + b"}"
    status, reply = post(big, signature=signed(big))
    assert (status, reply["errors"][0]["message"]) == (400, "larger than 1 MB")


class ChunkedBody:
    """A chunked request body of 8 MB (no Content-Length): counts what the handler reads."""

    def __init__(self, size: int = 8 * 1024 * 1024) -> None:
        self.left, self.read_bytes = size, 0

    def read(self, size: int | None = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        self.left -= size
        self.read_bytes += size
        return b" " * size

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(size)


def test_a_chunked_body_is_capped_while_it_is_read(secret):
    """Issue 21 (10): a chunked body has no Content-Length; it was read whole before the cap."""
    from flask import Request

    stream = ChunkedBody()
    environ = build_request("POST", "/api/analysis/callback").environ
    environ.pop("CONTENT_LENGTH", None)
    environ.update(
        {"wsgi.input": stream, "wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"}
    )
    response = analysis_callback(Request(environ))
    assert response.status_code == 400
    assert json.loads(response.get_data())["errors"][0]["message"] == "larger than 1 MB"
    assert stream.read_bytes <= 1024 * 1024 + 64 * 1024


def test_a_malformed_task_is_dropped_not_retried(caplog):
    from flask import Flask

    task = {"data": {"jobId": ""}}
    request = build_request("POST", "/", json=task)
    with Flask(__name__).test_request_context("/", method="POST", json=task):
        response = analyzeSession(request)
    assert response.status_code == 200  # a retry could never succeed
    assert "malformed analysis task" in caplog.text


def test_event_timestamps_are_read_in_both_shapes():
    from datetime import UTC, datetime

    moment = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    assert _timestamp("2026-11-24T03:00:00Z") == moment
    assert _timestamp(moment) is moment
    assert _timestamp(None) is None
    assert _timestamp("") is None


def test_the_callback_maps_errors_as_the_rest_api_does(secret, monkeypatch):
    # Contention past its budget is 409 with Retry-After, exactly as on /api/**; anything
    # unexpected is a 500 that says nothing of its cause.
    from sessionbase.errors import Aborted
    from sessionbase.services.analysis import callback

    def contended(*_args, **_kwargs):
        raise Aborted("Too many concurrent changes to the same record; retry.")

    monkeypatch.setattr(callback, "apply_callback", contended)
    raw = b'{"sessionId": "s1", "status": "completed"}'
    request = build_request(
        "POST",
        "/api/analysis/callback",
        data=raw,
        headers={"Content-Type": "application/json", "X-Sessionbase-Signature": signed(raw)},
    )
    response = analysis_callback(request)
    assert (response.status_code, response.headers["Retry-After"]) == (409, "1")
    assert json.loads(response.get_data())["code"] == "aborted"

    def broken(*_args, **_kwargs):
        raise RuntimeError("a secret cause")

    monkeypatch.setattr(callback, "apply_callback", broken)
    status, reply = post(raw, signature=signed(raw))
    assert (status, reply) == (500, {"detail": "Internal error.", "code": "internal"})
