"""The analysis backend's callback (DESIGN.md §4), over HTTP through Hosting, as a backend sends
it: signed results, and everything a forged, stale, replayed or malformed one is refused with.

The callback is deployed only with a backend configured (issue 21), so these run in
scripts/test.sh's second pass; the fake backend (conftest.py) takes the job requests.
"""

from __future__ import annotations

import json
import time

import pytest

from devtools.emulators import api, documents
from devtools.videos import clip
from sessionbase.domain.signatures import Direction, sign
from tests.uploads import linked, new_session, ok, secret, session_of, signed_callback, upload


@pytest.fixture(autouse=True)
def _backend_pass(fake_backend) -> None:
    """Only the second pass has a backend, so only there is the callback deployed."""


def backend_session(make_user) -> tuple[object, str]:
    coach, athlete = linked(make_user)
    body = {"backendSessionId": f"be-{time.time_ns()}", "athleteId": athlete.uid}
    session_id = ok(api("POST", "/api/sessions/link-backend", coach, json=body))["sessionId"]
    return coach, session_id, body["backendSessionId"]


def test_the_backend_reports_progress_and_results(make_user):
    coach, session_id, backend_id = backend_session(make_user)
    progress = signed_callback({"backendSessionId": backend_id, "coachId": coach.uid,
                                "status": "processing", "progress": 40})  # fmt: skip
    assert ok(progress) == {
        "sessionId": session_id,
        "jobId": None,
        "analysisStatus": "processing",
        "applied": True,
    }
    assert session_of(coach, session_id)["analysisProgress"] == 40
    final = {
        "sessionId": session_id,
        "status": "completed",
        "motionIQ": 81.5,
        "aclRisk": 42,
        "metrics": {"jumpHeightCm": 41.2},
        "processedVideoFilename": "processed.mp4",
        "analyticsFilename": "analytics.json",
    }
    assert ok(signed_callback(final))["applied"] is True
    session = session_of(coach, session_id)
    assert {k: session[k] for k in ("analysisStatus", "motionIQ", "aclRisk", "riskLevel")} == {
        "analysisStatus": "completed",
        "motionIQ": 81.5,
        "aclRisk": 42,
        "riskLevel": "MODERATE",  # derived: 30 <= 42 < 60
    }
    assert session["hasProcessedVideo"] is True
    # The same result again (a new signature): accepted, nothing changes.
    assert ok(signed_callback(final, at=time.time() - 100))["applied"] is False
    late = signed_callback({"sessionId": session_id, "status": "processing", "progress": 90})
    assert ok(late)["applied"] is False
    assert session_of(coach, session_id) == session


def test_forged_stale_or_replayed_callbacks_are_refused_and_write_nothing(make_user):
    coach, session_id, _ = backend_session(make_user)
    before = session_of(coach, session_id)
    body = {"sessionId": session_id, "status": "completed", "motionIQ": 50}
    now = time.time()
    refusals = {
        "wrong key": signed_callback(body, key="not-the-secret"),
        "as a job request": signed_callback(body, direction=Direction.REQUEST),
        "stale": signed_callback(body, at=now - 301),
        # A minute past the window when sent: the requests before it take seconds on a busy
        # machine, and the window is measured from when the callback arrives.
        "future": signed_callback(body, at=time.time() + 361),
        "no header": api("POST", "/api/analysis/callback", json=body),
        "tampered": api(
            "POST",
            "/api/analysis/callback",
            data=json.dumps({**body, "motionIQ": 99}).encode(),
            headers={
                "Content-Type": "application/json",
                "X-Sessionbase-Signature": _header_for(body),
            },
        ),
    }
    for name, reply in refusals.items():
        assert (name, reply.status_code) == (name, 401), reply.text
        assert reply.json()["code"] == "unauthenticated"
    assert session_of(coach, session_id) == before
    assert documents("callbackReceipts") == []

    first = signed_callback(body, at=now)
    assert ok(first)["applied"] is True
    replay = api(
        "POST",
        "/api/analysis/callback",
        data=first.request.body,
        headers=dict(first.request.headers),
    )
    assert (replay.status_code, replay.json()["code"]) == (401, "unauthenticated")
    assert "already received" in replay.json()["detail"]
    assert len(documents("callbackReceipts")) == 1


def _header_for(body: dict) -> str:
    return sign(secret(), json.dumps(body).encode(), int(time.time()), direction=Direction.CALLBACK)


def test_callbacks_with_bad_bodies_or_for_closed_sessions_are_refused(make_user):
    coach, session_id, backend_id = backend_session(make_user)
    bad = signed_callback({}, raw=b'{"status": "done", "progress": 101}')
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} >= {"status", "progress"}
    assert signed_callback({}, raw=b"{not json").status_code == 400
    missing = signed_callback({"sessionId": "no-such", "status": "completed"})
    assert missing.status_code == 404
    from sessionbase.store.client import firestore_client

    firestore_client().collection("sessions").document(session_id).update({"status": "cancelled"})
    closed = signed_callback(
        {"backendSessionId": backend_id, "coachId": coach.uid, "status": "completed"}
    )
    assert (closed.status_code, closed.json()["code"]) == (400, "failed-precondition")
    assert api("GET", "/api/analysis/callback").status_code == 405


def test_only_a_session_linked_with_link_backend_reports_without_a_job(make_user):
    """Issue 20: a signed callback without ``jobId`` wrote results onto any session (an
    athlete's own session, an active practice) and answered 200 ``applied: true``."""
    coach, athlete = linked(make_user)
    own = ok(api("POST", "/api/sessions", athlete, json={"event": "Floor"}), 201)["sessionId"]
    start = api("POST", "/api/exercises/session/start", athlete, json={"session_type": "practice"})
    practice = ok(start)["session_id"]
    coached = new_session(coach, athlete)
    for session_id in (own, practice, coached):
        before = session_of(athlete, session_id)
        for status in ("processing", "completed"):
            body = {"sessionId": session_id, "status": status, "motionIQ": 99}
            refused = signed_callback(body if status == "completed" else {**body, "progress": 5})
            assert (refused.status_code, refused.json()["code"]) == (400, "invalid-argument")
            assert [e["field"] for e in refused.json()["errors"]] == ["jobId"]
        assert session_of(athlete, session_id) == before


def test_file_names_from_the_backend_or_a_client_are_not_paths(make_user):
    coach, session_id, _ = backend_session(make_user)
    before = session_of(coach, session_id)
    for name in ("../../x.mp4", "a/b.mp4", "..\\x.json", ".."):
        for field_name in ("processedVideoFilename", "analyticsFilename"):
            body = {"sessionId": session_id, "status": "completed", field_name: name}
            refused = signed_callback(body)
            assert refused.status_code == 400, refused.text
            assert [e["field"] for e in refused.json()["errors"]] == [field_name]
    assert session_of(coach, session_id) == before
    # The same rule for a client's upload: a name, not a path.
    upload_body = {"fileName": "../../x.mp4", "contentType": "video/mp4", "size": 10}
    refused = api("POST", f"/api/sessions/{session_id}/upload", coach, json=upload_body)
    assert refused.status_code == 400, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["fileName"]


def test_a_late_result_for_a_superseded_job_is_refused_and_ends_that_job(make_user, backend_server):
    """Issue 21 (19): the late result was refused, but its job stayed running."""
    from sessionbase.store.client import firestore_client

    jobs = firestore_client().collection("analysisJobs")
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    upload(coach, session_id, clip(seconds=1))
    first = backend_server.next_request()["body"]["jobId"]
    upload(coach, session_id, clip(seconds=1), name="second.mp4")
    second = backend_server.next_request()["body"]["jobId"]
    # The first job still running at the backend when the second upload superseded it.
    assert jobs.document(first).get().get("state") == "running"
    current = session_of(coach, session_id)
    assert current["analysisJobId"] == second
    late = {"sessionId": session_id, "jobId": first, "status": "completed", "motionIQ": 50}
    refused = signed_callback(late)
    assert (refused.status_code, refused.json()["code"]) == (400, "failed-precondition")
    assert job_error(first) == "Superseded by a newer upload."
    assert jobs.document(first).get().get("state") == "failed"
    # Without its jobId a result cannot say which upload it measured: refused, naming the field.
    unnamed = signed_callback({"sessionId": session_id, "status": "completed", "motionIQ": 99})
    assert (unnamed.status_code, unnamed.json()["code"]) == (400, "invalid-argument")
    assert [e["field"] for e in unnamed.json()["errors"]] == ["jobId"]
    assert session_of(coach, session_id) == current  # the newer upload's job goes on
    # A job id of another session's job is refused and leaves that job alone.
    other_coach, other_athlete = linked(make_user)
    other = new_session(other_coach, other_athlete)
    upload(other_coach, other, clip(seconds=1))
    theirs = backend_server.next_request()["body"]["jobId"]
    stray = signed_callback({**late, "jobId": theirs})
    assert (stray.status_code, stray.json()["code"]) == (400, "failed-precondition")
    assert jobs.document(theirs).get().get("state") == "running"


def job_error(job_id: str) -> str | None:
    """The reason a job failed, as stored."""
    from sessionbase.store.client import firestore_client

    return firestore_client().collection("analysisJobs").document(job_id).get().get("error")


def test_a_backend_id_is_matched_within_the_coach_who_linked_it(make_user):
    """Issue 21: ids were matched across coaches, so a coach who linked another coach's backend
    id blocked their callbacks (two matches: 400) or, linking it first, received their results.
    A callback by backend id names the linking coach (``coachId``); only their session matches."""
    shared = f"be-{time.time_ns()}"
    coaches, ids = [], []
    for _ in range(2):
        coach, athlete = linked(make_user)
        body = {"backendSessionId": shared, "athleteId": athlete.uid}
        ids.append(ok(api("POST", "/api/sessions/link-backend", coach, json=body))["sessionId"])
        coaches.append(coach)
    assert ids[0] != ids[1]
    for coach, session_id in zip(coaches, ids, strict=True):
        body = {"backendSessionId": shared, "coachId": coach.uid, "status": "processing"}
        assert ok(signed_callback(body))["sessionId"] == session_id
    victim, _ = linked(make_user)  # has linked nothing: another coach's session is not theirs
    stranger = {"backendSessionId": shared, "coachId": victim.uid, "status": "completed"}
    assert signed_callback(stranger).status_code == 404
    unscoped = signed_callback({"backendSessionId": shared, "status": "processing"})
    assert unscoped.status_code == 400
    assert [e["field"] for e in unscoped.json()["errors"]] == ["coachId"]
    unknown = signed_callback(
        {"backendSessionId": "never-linked", "coachId": coaches[0].uid, "status": "processing"}
    )
    assert unknown.status_code == 404
    failed = ok(signed_callback({"sessionId": ids[1], "status": "failed", "error": "bad angle"}))
    assert failed["applied"] is True
    assert session_of(coaches[1], ids[1])["analysisError"] == "bad angle"
    assert session_of(coaches[0], ids[0])["analysisStatus"] == "processing"
