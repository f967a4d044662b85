"""models/fields.py: which ids can name a Firestore document (an id that cannot is a 400); the one
range every date and date-time input keeps to; one-line names; file names that are not paths."""

from __future__ import annotations

import datetime as dt

import pytest

from sessionbase.models.analysis import AnalysisCallback, UploadRequest
from sessionbase.models.completion import SessionComplete
from sessionbase.models.fields import is_document_id
from sessionbase.models.groups import GroupCreate
from sessionbase.models.schedules import OccurrenceQuery, ScheduleCreate
from sessionbase.models.sessions import (
    CreateWithAthlete,
    LinkBackendSession,
    SessionCreate,
    SessionListQuery,
    SessionUpdate,
    YogaSessionCreate,
)
from sessionbase.models.validation import parse
from tests.unit.factories import SCHEDULE
from tests.unit.models.refusals import refused_fields


@pytest.mark.parametrize("value", ["__x__", "a/b", "", "x" * 129, "..", "ü"])
def test_ids_that_cannot_name_a_document(value):
    assert not is_document_id(value)
    assert refused_fields(LinkBackendSession, {"backendSessionId": value}) == {"backendSessionId"}


@pytest.mark.parametrize("value", ["abc", "A-b_9", "__x", "x" * 128])
def test_ids_that_can(value):
    assert is_document_id(value)


# ---- dates: 1970-01-01 to 2100-12-31 (docs/decisions.md, "Input limits") ----------------------

OUT_OF_RANGE_DAYS = ["0001-01-02", "1969-12-31", "2101-01-01", "9999-12-30"]
OUT_OF_RANGE_MOMENTS = [
    "0001-01-02T00:00:00Z",
    "1969-12-31T23:59:59Z",
    "2101-01-01T00:00:00Z",
    "2100-12-31T23:00:00-05:00",  # 2101-01-01T04:00Z
    "9999-12-30T00:00:00Z",
]


@pytest.mark.parametrize("day", OUT_OF_RANGE_DAYS)
def test_every_date_field_refuses_a_day_out_of_range(day):
    assert refused_fields(ScheduleCreate, {**SCHEDULE, "startDate": day}) == {"startDate"}
    assert refused_fields(ScheduleCreate, {**SCHEDULE, "endDate": day}) >= {"endDate"}
    assert refused_fields(SessionCreate, {"date": day}) == {"date"}
    assert refused_fields(SessionUpdate, {"date": day}) == {"date"}
    assert refused_fields(OccurrenceQuery, {"from": day}) == {"from"}
    assert refused_fields(SessionListQuery, {"to": day}) == {"to"}


@pytest.mark.parametrize("moment", OUT_OF_RANGE_MOMENTS)
def test_every_date_time_field_refuses_an_instant_out_of_range(moment):
    for field in ("scheduledStart", "actualEnd"):
        assert refused_fields(SessionCreate, {field: moment}) == {field}
    assert refused_fields(SessionUpdate, {"scheduledEnd": moment}) == {"scheduledEnd"}
    inside = "2030-01-07T09:00:00Z"
    assert refused_fields(SessionComplete, {"actualStart": moment, "actualEnd": inside}) == {
        "actualStart"
    }
    assert refused_fields(OccurrenceQuery, {"to": moment}) == {"to"}


def test_the_error_says_the_range():
    from sessionbase.errors import InvalidArgument

    with pytest.raises(InvalidArgument) as refused:
        parse(OccurrenceQuery, {"from": "9999-12-29", "to": "9999-12-30"})
    assert {(e.field, e.message) for e in refused.value.errors} == {
        ("from", "out of range (1970-01-01 to 2100-12-31)"),
        ("to", "out of range (1970-01-01 to 2100-12-31)"),
    }


def test_the_ends_of_the_range_are_in_it():
    assert parse(SessionCreate, {"date": "1970-01-01"}).date == dt.date(1970, 1, 1)
    assert parse(SessionCreate, {"date": "2100-12-31"}).date == dt.date(2100, 12, 31)
    late = parse(SessionCreate, {"scheduledStart": "2100-12-31T23:59:59.999999Z"})
    assert late.scheduledStart == dt.datetime(2100, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC)
    assert parse(SessionCreate, {"actualStart": "1970-01-01T01:00:00+01:00"}).actualStart


@pytest.mark.parametrize("text", ["2030-01-07T00:00:00Z", "20300107", "2030-W02-1", "2030-1-7"])
def test_a_date_is_yyyy_mm_dd_and_nothing_else(text):
    assert refused_fields(SessionCreate, {"date": text}) == {"date"}


@pytest.mark.parametrize(
    "text", ["2030-01-07", "2030-01-07T09:00:00", "20300107T090000Z", "2030-01-07 09:00Z"]
)
def test_a_date_time_is_rfc_3339_with_a_time_zone(text):
    assert refused_fields(SessionCreate, {"scheduledStart": text}) == {"scheduledStart"}


# ---- names: one line --------------------------------------------------------------------------

NOT_ONE_LINE = ["a\nb", "a\rb", "a\tb", "a\u2028b", "a\u2029b", "", "   "]


@pytest.mark.parametrize("name", NOT_ONE_LINE)
def test_every_name_is_one_line(name):
    assert refused_fields(GroupCreate, {"name": name}) == {"name"}
    assert refused_fields(ScheduleCreate, {**SCHEDULE, "title": name}) == {"title"}
    for field in ("athleteName", "coachName"):
        assert refused_fields(SessionCreate, {field: name}) == {field}
        assert refused_fields(LinkBackendSession, {"backendSessionId": "b", field: name}) == {field}
    assert refused_fields(SessionUpdate, {"athleteName": name}) == {"athleteName"}
    pose = {"pose_name": name, "accuracy": 50}
    assert refused_fields(YogaSessionCreate, {"duration": 5, "poses": [pose]}) == {
        "poses.0.pose_name"
    }


def test_a_name_is_trimmed():
    assert parse(GroupCreate, {"name": "  Vault team  "}).name == "Vault team"


# ---- file names: not paths -------------------------------------------------------------------

NOT_FILE_NAMES = ["../../x.mp4", "a/b.mp4", "C:\\clips\\run.webm", "..", "x..mp4", "a\nb.mp4", ""]


@pytest.mark.parametrize("name", NOT_FILE_NAMES)
def test_every_file_name_refuses_paths_and_dot_dot(name):
    upload = {"fileName": name, "contentType": "video/mp4", "size": 10}
    assert refused_fields(UploadRequest, upload) == {"fileName"}
    for field in ("videoName", "originalVideoName"):
        assert refused_fields(SessionCreate, {field: name}) == {field}
        assert refused_fields(SessionUpdate, {field: name}) == {field}
    create = {"athleteEmail": "a@example.com", "videoName": name}
    assert refused_fields(CreateWithAthlete, create) == {"videoName"}
    for field in ("processedVideoFilename", "analyticsFilename"):
        result = {"sessionId": "s1", "status": "completed", field: name}
        assert refused_fields(AnalysisCallback, result) == {field}


def test_a_plain_file_name_is_taken():
    body = {"fileName": " run 2.webm ", "contentType": "video/webm", "size": 10}
    assert parse(UploadRequest, body).fileName == "run 2.webm"


def test_a_file_name_drops_bidirectional_controls():
    # "x\u202egpj.exe" reads as "xexe.jpg": the override (and every other bidi control) goes.
    body = {"fileName": "x\u202egpj\u2066.\u200fexe", "contentType": "video/mp4", "size": 10}
    assert parse(UploadRequest, body).fileName == "xgpj.exe"
    assert refused_fields(UploadRequest, {**body, "fileName": "\u202e\u2066"}) == {"fileName"}
    assert refused_fields(SessionCreate, {"videoName": "\u202e"}) == {"videoName"}


def test_an_upload_always_declares_its_size():
    body = {"fileName": "run.webm", "contentType": "video/webm"}
    assert refused_fields(UploadRequest, body) == {"size"}
    assert refused_fields(UploadRequest, {**body, "size": 0}) == {"size"}
