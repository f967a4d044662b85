"""The yoga seed's client reads (``?shape=yoga``), its summary, health, and the OpenAPI document.

Through the Hosting rewrite, as the seed's client (and a load balancer) calls them. One module
set-up (two people, three practices) serves the reads, so the file stays lean (issue 26: CI time).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from openapi_spec_validator import validate

from devtools import emulators
from devtools.emulators import api
from devtools.examples import YOGA_SESSION
from sessionbase.handlers.openapi import openapi_path
from sessionbase.handlers.operations import OPERATIONS
from tests.uploads import ok

# The seed's example body with three poses, in an order that is not alphabetical.
FLOW = {
    "duration": 31.6,  # minutes; the seed stores whole minutes: 32
    "poses": [
        {
            "pose_name": "Warrior II",
            "accuracy": 81.0,
            "feedback": ["Front knee over ankle"],
            "improvements": ["Sink deeper"],
        },
        YOGA_SESSION["poses"][0],
        {"pose_name": "Child's Pose", "accuracy": 99.5, "feedback": [], "improvements": []},
    ],
    "avg_accuracy": 91.0,
}
SEED_FIELDS = {"id", "user_id", "date", "duration", "avg_accuracy", "total_poses", "created_at"}


@pytest.fixture(scope="module")
def practiced() -> dict:
    """A yogi with the seed's example practice and a three-pose flow, and someone else."""
    import os

    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        pytest.skip("needs the emulator suite: run scripts/test.sh")
    emulators.reset()
    yogi = emulators.sign_up("yogi-26@example.com", "password123")
    other = emulators.sign_up("other-26@example.com", "password123")
    first = ok(api("POST", "/api/sessions", yogi, json=YOGA_SESSION), 201)["sessionId"]
    flow = ok(api("POST", "/api/sessions", yogi, json=FLOW), 201)["sessionId"]
    return {"yogi": yogi, "other": other, "first": first, "flow": flow}


def test_a_session_in_the_yoga_seeds_shape_has_its_poses_in_order(practiced):
    yogi, flow = practiced["yogi"], practiced["flow"]
    session = ok(api("GET", f"/api/sessions/{flow}?shape=yoga", yogi))
    assert set(session) == SEED_FIELDS | {"poses"}
    assert (session["id"], session["user_id"]) == (flow, yogi.uid)
    assert (session["duration"], session["avg_accuracy"], session["total_poses"]) == (32, 91.0, 3)
    assert [pose["pose_name"] for pose in session["poses"]] == [
        "Warrior II",
        "Mountain Pose",
        "Child's Pose",
    ]
    assert session["poses"][1] == {**YOGA_SESSION["poses"][0], "timestamp": session["created_at"]}
    assert datetime.fromisoformat(session["date"]) < datetime.fromisoformat(session["created_at"])
    # Our own reading is unchanged: no seed fields, notes and attachments as before.
    ours = ok(api("GET", f"/api/sessions/{flow}", yogi))
    assert "poses" not in ours
    assert "avg_accuracy" not in ours
    assert (ours["avgAccuracy"], ours["itemCount"], ours["sessionNotes"]) == (91.0, 3, [])


def test_the_list_in_the_yoga_seeds_shape_newest_first_with_poses(practiced):
    yogi = practiced["yogi"]
    page = ok(api("GET", "/api/sessions?shape=yoga", yogi))
    assert [s["id"] for s in page["sessions"]] == [practiced["flow"], practiced["first"]]
    assert page["nextCursor"] is None
    first = page["sessions"][1]
    assert (first["duration"], first["avg_accuracy"], first["total_poses"]) == (25, 92.5, 1)
    assert [p["pose_name"] for p in first["poses"]] == ["Mountain Pose"]
    assert ok(api("GET", "/api/sessions", yogi))["sessions"][0]["sessionId"] == practiced["flow"]


def test_a_bad_shape_is_named_and_someone_elses_session_stays_unknown(practiced):
    yogi, other, flow = practiced["yogi"], practiced["other"], practiced["flow"]
    for path in (f"/api/sessions/{flow}?shape=php", "/api/sessions?shape=php"):
        reply = api("GET", path, yogi)
        assert (reply.status_code, [e["field"] for e in reply.json()["errors"]]) == (
            400,
            ["shape"],
        )
    hidden = api("GET", f"/api/sessions/{flow}?shape=yoga", other)
    missing = api("GET", "/api/sessions/no-such-session?shape=yoga", other)
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())
    assert hidden.status_code == 404
    assert ok(api("GET", "/api/sessions?shape=yoga", other)) == {
        "sessions": [],
        "nextCursor": None,
    }


def test_the_analytics_summary_is_the_callers_statistics_renamed(practiced):
    yogi = practiced["yogi"]
    deadline = time.monotonic() + 40  # the statistics trigger counts both practices
    while (summary := ok(api("GET", "/api/analytics/summary", yogi)))["total_sessions"] < 2:
        assert time.monotonic() < deadline, summary
        time.sleep(0.5)
    stats = ok(api("GET", "/api/sessions/stats", yogi))["stats"]
    # A practice counts on the day it started: just after midnight on a Monday (UTC, the
    # yogi's zone) that can be last week's Sunday.
    today = datetime.now(UTC).date().isocalendar()[:2]
    starts = [s["actualStart"] for s in ok(api("GET", "/api/sessions", yogi))["sessions"]]
    this_week = sum(
        1 for start in starts if datetime.fromisoformat(start).date().isocalendar()[:2] == today
    )
    assert summary == {
        "total_sessions": 2,
        "completed_sessions": 2,
        "practice_sessions": 2,
        "yoga_sessions": 2,
        "sessions_this_week": this_week,
        "mindful_minutes": round(25 + 31.6, 1),
        "current_streak": 1,
        "longest_streak": 1,
        "avg_accuracy": stats["averageAccuracy"],
        "accuracy_trend": None,
        "last_session_date": stats["lastSessionAt"],
        "timezone": stats["timezone"],
    }
    assert summary["avg_accuracy"] == round((92.5 + 91.0) / 2, 2)
    last = datetime.fromisoformat(summary["last_session_date"]).date()
    assert datetime.now(UTC).date() - last <= timedelta(days=1)  # today, or just after midnight
    assert api("GET", "/api/analytics/summary").status_code == 401
    assert ok(api("GET", "/api/analytics/summary", practiced["other"]))["total_sessions"] == 0


def test_health_answers_without_a_sign_in_and_only_to_get(practiced):
    reply = api("GET", "/api/health")
    assert reply.status_code == 200, reply.text
    health = reply.json()
    assert {k: health[k] for k in ("status", "checks")} == {
        "status": "ok",
        "checks": {"firestore": "ok"},
    }
    assert isinstance(health["revision"], str)  # the emulator's K_REVISION; Cloud Run's deployed
    assert reply.headers["Cache-Control"] == "no-store"
    post = api("POST", "/api/health")
    assert (post.status_code, post.headers["Allow"]) == (405, "GET")


def test_the_openapi_document_is_valid_and_has_every_operation(practiced):
    reply = api("GET", "/api/openapi.json")
    assert reply.status_code == 200, reply.text
    document = reply.json()
    validate(document)  # openapi-spec-validator: OpenAPI 3.1
    assert document["openapi"] == "3.1.0"
    found = {
        (path, method.upper()): entry["operationId"]
        for path, methods in document["paths"].items()
        for method, entry in methods.items()
    }
    for operation in OPERATIONS:
        assert found[(openapi_path(operation.path), operation.method)] == operation.name
    assert found[("/api/health", "GET")] == "getHealth"
    shapes = document["paths"]["/api/sessions/{sessionId}"]["get"]["parameters"]
    assert {"name": "shape", "in": "query"}.items() <= shapes[1].items()
