"""models/schedules.py: a schedule's body is normalised, and each bad field is named."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sessionbase.models.schedules import ScheduleCreate

BODY = {
    "title": "Batch 1",
    "groupId": "g1",
    "weekdays": ["WE", "MO"],
    "startTime": "09:30",
    "durationMinutes": 75,
    "timezone": "Europe/Paris",
    "startDate": "2026-10-01",
}


def test_a_schedule_body_is_normalised():
    assert ScheduleCreate.model_validate(BODY).weekdays == ["MO", "WE"]


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"weekdays": ["MO", "MO"]}, ["weekdays"]),
        ({"weekdays": []}, ["weekdays"]),
        ({"weekdays": ["XX"]}, ["weekdays.0"]),
        ({"startTime": "24:00"}, ["startTime"]),
        ({"startTime": "9:30"}, ["startTime"]),
        ({"timezone": "Mars/Olympus"}, ["timezone"]),
        ({"durationMinutes": 0}, ["durationMinutes"]),
        ({"endDate": "2026-09-30"}, ["endDate"]),
        ({"athleteId": "a1"}, [""]),  # both an athlete and a group
    ],
)
def test_bad_schedule_bodies_name_their_field(changes, fields):
    with pytest.raises(ValidationError) as refused:
        ScheduleCreate.model_validate({**BODY, **changes})
    assert [".".join(map(str, e["loc"])) for e in refused.value.errors()] == fields
