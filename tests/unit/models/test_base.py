"""models/base.py: no model builds its validator at import (cold start); every input model is
strict about JSON types in bodies, while query strings stay text parsed by their types."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from pydantic import BaseModel

import sessionbase.models
from sessionbase.models.validation import parse
from tests.unit.factories import SCHEDULE
from tests.unit.models.refusals import refused_fields


def test_every_model_is_built_on_first_use_not_at_import():
    """A model without ``defer_build`` builds its validator when its module is imported: the
    plain ``BaseModel`` pieces (``XFields``, nested objects) cost about 20 ms of imports, though
    only their subclasses validate. Derive from the bases in models/base.py."""
    modules = [
        importlib.import_module(f"sessionbase.models.{module.name}")
        for module in pkgutil.iter_modules(sessionbase.models.__path__)
    ]
    eager = {
        cls.__qualname__
        for module in modules
        for cls in vars(module).values()
        if isinstance(cls, type)
        and issubclass(cls, BaseModel)
        and cls is not BaseModel
        and not cls.model_config.get("defer_build")
    }
    assert eager == set()


# ---- strict JSON types in bodies (issue 20) ---------------------------------------------------
# A body is validated as JSON with pydantic's strict mode: no string -> bool/int/float, no
# number -> bool, a date is a date. Query strings stay text, parsed by their declared types.


def _input_models() -> list[type[BaseModel]]:
    from sessionbase.models.base import Input

    for module in pkgutil.iter_modules(sessionbase.models.__path__):
        importlib.import_module(f"sessionbase.models.{module.name}")
    found, pending = [], list(Input.__subclasses__())
    while pending:
        model = pending.pop()
        found.append(model)
        pending += model.__subclasses__()
    return found


def test_every_input_model_is_strict():
    assert _input_models()
    assert {m.__qualname__ for m in _input_models() if not m.model_config.get("strict")} == set()


ANSWER = {"exercise_id": "e1", "user_answer": "42", "time_taken": 5}
CALLBACK = {"sessionId": "s1", "jobId": "j1", "status": "processing"}


@pytest.mark.parametrize(
    ("model", "body", "field"),
    [
        ("groups.GroupCreate", {"name": "G", "allowConcurrent": "true"}, "allowConcurrent"),
        ("groups.GroupCreate", {"name": "G", "allowConcurrent": 1}, "allowConcurrent"),
        ("groups.GroupCreate", {"name": "G", "lateAfterMinutes": "5"}, "lateAfterMinutes"),
        ("groups.GroupCreate", {"name": "G", "lateAfterMinutes": 5.0}, "lateAfterMinutes"),
        ("groups.GroupCreate", {"name": "G", "maxDurationMinutes": True}, "maxDurationMinutes"),
        ("practice.AnswerSubmit", {**ANSWER, "time_taken": "5"}, "time_taken"),
        ("practice.AnswerSubmit", {**ANSWER, "time_taken": True}, "time_taken"),
        ("schedules.ScheduleCreate", {**SCHEDULE, "durationMinutes": "60"}, "durationMinutes"),
        (
            "schedules.ScheduleCreate",
            {**SCHEDULE, "startDate": "2030-01-07T00:00:00Z"},
            "startDate",
        ),
        ("schedules.ScheduleCreate", {**SCHEDULE, "startDate": 1893974400}, "startDate"),
        ("sessions.SessionCreate", {"durationSeconds": "60"}, "durationSeconds"),
        ("sessions.SessionCreate", {"date": "2030-01-07T00:00:00Z"}, "date"),
        ("sessions.SessionCreate", {"scheduledStart": "2030-01-07"}, "scheduledStart"),
        ("sessions.SessionUpdate", {"motionIQ": "80"}, "motionIQ"),
        ("sessions.SessionUpdate", {"analysisProgress": False}, "analysisProgress"),
        ("sessions.YogaSessionCreate", {"duration": "5", "poses": []}, "duration"),
        (
            "analysis.UploadRequest",
            {"fileName": "a.mp4", "contentType": "video/mp4", "size": "9"},
            "size",
        ),  # noqa: E501
        ("analysis.AnalysisCallback", {**CALLBACK, "progress": "50"}, "progress"),
        (
            "analysis.AnalysisCallback",
            {**CALLBACK, "status": "completed", "motionIQ": "80"},
            "motionIQ",
        ),  # noqa: E501
    ],
)
def test_a_body_keeps_its_json_types(model, body, field):
    module, name = model.split(".")
    cls = getattr(importlib.import_module(f"sessionbase.models.{module}"), name)
    assert refused_fields(cls, body) == {field}


def test_json_numbers_and_dates_are_taken_as_they_are():
    from sessionbase.models.groups import GroupCreate
    from sessionbase.models.practice import AnswerSubmit
    from sessionbase.models.schedules import ScheduleCreate

    group = parse(GroupCreate, {"name": "G", "allowConcurrent": True, "lateAfterMinutes": 5})
    assert (group.allowConcurrent, group.lateAfterMinutes) == (True, 5)
    assert parse(AnswerSubmit, ANSWER).time_taken == 5.0  # a JSON integer is a number
    assert parse(ScheduleCreate, SCHEDULE).startDate == dt.date(2030, 1, 7)


def test_query_strings_are_text_parsed_by_their_declared_types():
    from sessionbase.models.schedules import OccurrenceQuery
    from sessionbase.models.sessions import SessionListQuery

    query = parse(SessionListQuery, {"limit": "20", "archived": "true", "status": "completed"})
    assert (query.limit, query.archived, query.status) == (20, True, "completed")
    # A callable sends the query as JSON: the JSON types are taken too.
    assert parse(SessionListQuery, {"limit": 20, "archived": False}).limit == 20
    assert refused_fields(SessionListQuery, {"limit": "2.0", "archived": "yes"}) == {
        "limit",
        "archived",
    }
    window = parse(OccurrenceQuery, {"from": "2030-01-07", "to": "2030-01-08T00:00:00Z"})
    assert window.from_ == dt.date(2030, 1, 7)
