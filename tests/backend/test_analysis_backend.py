"""The analysis pipeline with an analysis backend configured, the test playing the backend.

scripts/test.sh runs this folder in a second emulator suite whose functions have
``SESSIONBASE_ANALYSIS_BACKEND_URL`` pointing at the server of ``conftest.py`` and
``SESSIONBASE_CALLBACK_URL`` at the Hosting callback. The server checks each job request's
signature, records it, and answers as a test tells it to; the test then calls back as a backend.
"""

from __future__ import annotations

import json
import time

import requests

from devtools.videos import clip
from sessionbase.domain.signatures import HEADER, Direction, key_id
from tests.uploads import analysed, jobs_of, linked, new_session, ok, secret, session_of, upload


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
                HEADER: sign(secret(), raw, int(time.time()), direction=Direction.CALLBACK),
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


def test_a_job_request_sent_back_as_a_callback_is_refused(make_user, backend_server):
    """Issue 21 (10): requests and callbacks were signed alike, so the job request itself (body
    and signature as we sent them) was a valid callback for the next 300 seconds."""
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    upload(coach, session_id, clip(seconds=1))
    job = backend_server.next_request()
    assert job["signed"] is True
    assert job["signature"].split(",")[1] == f"kid={key_id(secret())}"
    replayed = requests.post(
        job["body"]["callbackUrl"],
        data=job["raw"],
        headers={"Content-Type": "application/json", HEADER: job["signature"]},
        timeout=30,
    )
    assert (replayed.status_code, replayed.json()["code"]) == (401, "unauthenticated")
    assert session_of(coach, session_id)["analysisStatus"] == "processing"
