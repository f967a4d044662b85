"""Edge inputs that once reached Firestore and failed there (500) are refused as 400 up front."""

from datetime import UTC, datetime

import pytest

from sessionbase.domain.cursors import decode_cursor, encode_cursor, query_fingerprint
from sessionbase.domain.sessions import safe_file_name
from sessionbase.errors import InvalidArgument
from sessionbase.models.fields import is_document_id
from sessionbase.models.sessions import (
    CreateWithAthlete,
    LinkBackendSession,
    PageAfter,
    SessionCreate,
    SessionListQuery,
    SessionUpdate,
)
from sessionbase.models.validation import parse

KEY = b"test-cursor-key"


def fields_of(model, body):
    with pytest.raises(InvalidArgument) as caught:
        parse(model, body)
    return {e.field for e in caught.value.errors}


@pytest.mark.parametrize("value", ["__x__", "a/b", "", "x" * 129, "..", "ü"])
def test_ids_that_cannot_name_a_document(value):
    assert not is_document_id(value)
    assert fields_of(LinkBackendSession, {"backendSessionId": value}) == {"backendSessionId"}


@pytest.mark.parametrize("value", ["abc", "A-b_9", "__x", "x" * 128])
def test_ids_that_can(value):
    assert is_document_id(value)


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
    assert fields_of(SessionListQuery, params) == set(params)


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00Z"]
)
def test_times_a_time_zone_pushes_off_the_calendar(moment):
    assert fields_of(SessionCreate, {"scheduledStart": moment}) == {"scheduledStart"}
    assert fields_of(SessionUpdate, {"scheduledEnd": moment}) == {"scheduledEnd"}


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
    fields = fields_of(SessionUpdate, {"metrics": metrics})
    assert fields
    assert all(f.startswith("metrics") for f in fields)


def test_integers_firestore_cannot_store():
    assert fields_of(SessionCreate, {"fileSize": 10**20}) == {"fileSize"}


def test_put_cannot_erase_required_fields():
    body = {"sessionType": None, "event": None, "notes": None, "date": None}
    assert fields_of(SessionUpdate, body) == {"sessionType", "event", "notes"}


def test_end_before_start():
    body = {
        "scheduledStart": "2026-05-01T10:00:00Z",
        "scheduledEnd": "2026-05-01T09:00:00Z",
        "actualStart": "2026-05-01T10:00:00Z",
        "actualEnd": "2026-05-01T10:30:00Z",
    }
    assert fields_of(SessionCreate, body) == {"scheduledEnd"}


def test_two_scopes_name_the_fields():
    assert fields_of(SessionListQuery, {"athleteId": "a", "coachId": "b"}) == {"coachId"}
    both = {"athleteId": "a", "athleteEmail": "x@example.com"}
    assert fields_of(SessionListQuery, both) == {"athleteEmail"}


def test_blank_video_name():
    assert fields_of(CreateWithAthlete, {"videoName": "  ", "athleteEmail": "a@b.co"}) == {
        "videoName"
    }


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("athlete_vault.mp4", "athlete_vault.mp4"),
        ("My vault #2.MP4", "My_vault_2.MP4"),
        ("видео.mp4", "video.mp4"),
        ("../../etc/passwd", "passwd"),
        ("C:\\clips\\run.webm", "run.webm"),
        ("noextension", "noextension"),
    ],
)
def test_safe_file_names_keep_the_extension(name, safe):
    assert safe_file_name(name) == safe


@pytest.mark.parametrize(
    "position",
    [
        {"t": "2026-01-01T00:00:00+00:00", "id": "a/b"},
        {"t": "2026-01-01T00:00:00", "id": "ok"},
        {"t": "2026-01-01T00:00:00+00:00", "id": "__x__"},
        {"t": "9999-12-31T23:59:59-05:00", "id": "ok"},
    ],
)
def test_tampered_cursor_positions(position):
    import base64
    import json

    fingerprint = query_fingerprint("q")
    raw = json.dumps({"q": fingerprint, **position}).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    with pytest.raises(InvalidArgument):
        decode_cursor(cursor, fingerprint, key=KEY)
    now = PageAfter(created_at=datetime.now(UTC), session_id="ok")
    good = encode_cursor(fingerprint, now, key=KEY)
    assert decode_cursor(good, fingerprint, key=KEY).session_id == "ok"


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
    assert fields_of(model, body) == {field}


def test_text_keeps_its_tabs_and_line_breaks_and_int64_is_accepted_to_the_edge():
    created = parse(SessionCreate, {"notes": "line 1\nline 2\tand\r\n", "event": "Vault"})
    assert created.notes == "line 1\nline 2\tand\r\n"
    assert parse(SessionUpdate, {"metrics": {"n": 2**63 - 1}}).metrics == {"n": 2**63 - 1}
    assert parse(SessionListQuery, {"limit": "50"}).limit == 50
    assert parse(SessionCreate, {"scheduledStart": "2026-11-23T09:00:00Z"}).scheduledStart
