"""models/sessions.py: good bodies pass as the seeds write them; every bad field is named, including
edge inputs that once reached Firestore and failed there (500) and are now refused as 400 up front;
a public session leaves internal fields out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from devtools.examples import YOGA_SESSION
from sessionbase.models.sessions import (
    CreateWithAthlete,
    SessionCreate,
    SessionListQuery,
    SessionPublic,
    SessionRecord,
    SessionUpdate,
    YogaSessionCreate,
)
from sessionbase.models.validation import parse
from tests.unit.models.refusals import refused_fields


def test_seed_body_of_create_with_athlete_is_accepted():
    body = {
        "videoName": "athlete_vault.mp4",
        "athleteEmail": "Athlete@Example.com",
        "athleteName": "John Doe",
        "event": "Vault",
        "sessionType": "Training",
        "coachId": "coach_firebase_id",
        "coachEmail": "coach@example.com",
        "coachName": "Coach Smith",
    }
    parsed = parse(SessionCreate, body)
    assert parsed.athleteEmail == "athlete@example.com"


def test_email_and_naive_datetimes_are_refused():
    body = {"athleteEmail": "not-an-email", "actualStart": "2026-01-01T10:00:00"}
    assert refused_fields(SessionCreate, body) == {"athleteEmail", "actualStart"}


def test_yoga_body_from_the_seed():
    body = YOGA_SESSION
    assert parse(YogaSessionCreate, body).poses[0].pose_name == "Mountain Pose"
    assert refused_fields(YogaSessionCreate, {**body, "duration": -1}) == {"duration"}
    bad_pose = {**body, "poses": [{"pose_name": "", "accuracy": 120}]}
    assert refused_fields(YogaSessionCreate, bad_pose) == {"poses.0.pose_name", "poses.0.accuracy"}


def test_a_yoga_body_holds_at_most_100_poses():
    pose = {"pose_name": "Mountain Pose", "accuracy": 80}
    body = {"duration": 60, "poses": [pose] * 100}
    assert len(parse(YogaSessionCreate, body).poses) == 100  # 101 documents written at most
    assert refused_fields(YogaSessionCreate, {**body, "poses": [pose] * 101}) == {"poses"}


def test_public_session_renders_datetimes_and_leaves_internal_fields_out():
    stored = {
        "createdAt": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "_backendKey": "k",
        "event": "V",
        "coachId": None,
        "date": "2026-01-02",
        "unknownField": 1,
    }
    record = SessionRecord.model_validate(stored)
    assert record.backendKey == "k"
    # Written back as read, minus what this code does not know; the internal key keeps its name.
    assert record.document() == {k: v for k, v in stored.items() if k != "unknownField"}
    assert SessionPublic.of("s1", record).to_json() == {
        "sessionId": "s1",
        "createdAt": "2026-01-02T03:04:05Z",
        "event": "V",
        "coachId": None,
        "date": "2026-01-02",
    }


# ---- edge inputs Firestore cannot store --------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"to": "9999-12-31"},
        {"from": "0001-01-01T00:00:00+01:00"},
        {"to": "9999-12-31T23:00:00-05:00"},
        {"from": "2026-13-01"},
    ],
)
def test_dates_outside_firestore_range(params):
    assert refused_fields(SessionListQuery, params) == set(params)


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00Z"]
)
def test_times_a_time_zone_pushes_off_the_calendar(moment):
    assert refused_fields(SessionCreate, {"scheduledStart": moment}) == {"scheduledStart"}
    assert refused_fields(SessionUpdate, {"scheduledEnd": moment}) == {"scheduledEnd"}


@pytest.mark.parametrize(
    "metrics",
    [
        {"": 1},
        {"__x__": 1},
        {"_hidden": 1},
        {"a/b": 1},
        {"speed": float("nan")},
        {"speed": float("inf")},
    ],
)
def test_metrics_firestore_or_json_cannot_hold(metrics):
    fields = refused_fields(SessionUpdate, {"metrics": metrics})
    assert fields
    assert all(f.startswith("metrics") for f in fields)


def test_integers_firestore_cannot_store():
    assert refused_fields(SessionCreate, {"fileSize": 10**20}) == {"fileSize"}


def test_put_cannot_erase_required_fields():
    body = {"sessionType": None, "event": None, "notes": None, "date": None}
    assert refused_fields(SessionUpdate, body) == {"sessionType", "event", "notes"}


def test_end_before_start():
    body = {
        "scheduledStart": "2026-05-01T10:00:00Z",
        "scheduledEnd": "2026-05-01T09:00:00Z",
        "actualStart": "2026-05-01T10:00:00Z",
        "actualEnd": "2026-05-01T10:30:00Z",
    }
    assert refused_fields(SessionCreate, body) == {"scheduledEnd"}


def test_two_scopes_name_the_fields():
    assert refused_fields(SessionListQuery, {"athleteId": "a", "coachId": "b"}) == {"coachId"}
    both = {"athleteId": "a", "athleteEmail": "x@example.com"}
    assert refused_fields(SessionListQuery, both) == {"athleteEmail"}


def test_blank_video_name():
    assert refused_fields(CreateWithAthlete, {"videoName": "  ", "athleteEmail": "a@b.co"}) == {
        "videoName"
    }


# ---- strict types (issue 12, item 6) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "body", "field"),
    [
        (SessionCreate, {"scheduledStart": -1}, "scheduledStart"),  # epoch seconds
        (SessionCreate, {"scheduledStart": 1.5e9}, "scheduledStart"),
        (SessionCreate, {"date": 20261123}, "date"),
        (SessionUpdate, {"metrics": {"jumps": 2**63}}, "metrics.jumps"),  # would be a float
        (SessionUpdate, {"metrics": {"jumps": -(2**63) - 1}}, "metrics.jumps"),
        (SessionCreate, {"athleteName": "Ana\u0000"}, "athleteName"),
        (SessionCreate, {"athleteEmail": "a@b.c\u0000"}, "athleteEmail"),
        (SessionCreate, {"notes": "bell\u0007"}, "notes"),
        (SessionCreate, {"notes": "\u009b"}, "notes"),  # a C1 control
        (SessionCreate, {"notes": "half \ud800 a pair"}, "notes"),  # a lone surrogate
        (SessionCreate, {"event": "Vault\nBeam"}, "event"),  # short text is one line
        (SessionCreate, {"athleteName": "A\tB"}, "athleteName"),
        (SessionListQuery, {"limit": "5_0"}, "limit"),
        (SessionListQuery, {"limit": " 50"}, "limit"),
        (SessionListQuery, {"limit": "+50"}, "limit"),
    ],
)
def test_lax_values_are_refused_by_name(model, body, field):
    assert refused_fields(model, body) == {field}


def test_text_keeps_its_tabs_and_line_breaks_and_int64_is_accepted_to_the_edge():
    created = parse(SessionCreate, {"notes": "line 1\nline 2\tand\r\n", "event": "Vault"})
    assert created.notes == "line 1\nline 2\tand\r\n"
    assert parse(SessionUpdate, {"metrics": {"n": 2**63 - 1}}).metrics == {"n": 2**63 - 1}
    assert parse(SessionListQuery, {"limit": "50"}).limit == 50
    assert parse(SessionCreate, {"scheduledStart": "2026-11-23T09:00:00Z"}).scheduledStart
