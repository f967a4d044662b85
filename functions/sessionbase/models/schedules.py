"""Recurring schedules and their occurrences (faculty seed: batches and their upcoming sessions)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sessionbase.models.base import Input, Output, Record
from sessionbase.models.fields import DateOrTime, Day, Id, Name, StoredDay, TimeZoneName

Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAYS: tuple[Weekday, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _time_of_day(value: str) -> str:
    if not _TIME.match(value):
        raise ValueError("expected HH:MM, 00:00 to 23:59")
    return value


TimeOfDay = Annotated[str, AfterValidator(_time_of_day)]


class ScheduleCreate(Input):
    """Body of ``POST /api/schedules``: a weekly session of one athlete or one group."""

    title: Name
    athleteId: Id | None = None
    groupId: Id | None = None
    weekdays: list[Weekday] = Field(min_length=1, max_length=7)
    startTime: TimeOfDay
    durationMinutes: int = Field(ge=1, le=24 * 60)
    timezone: TimeZoneName
    startDate: Day
    endDate: Day | None = None

    @field_validator("weekdays")
    @classmethod
    def _distinct(cls, days: list[Weekday]) -> list[Weekday]:
        if len(set(days)) != len(days):
            raise ValueError("each weekday once")
        return sorted(days, key=WEEKDAYS.index)

    @field_validator("endDate")
    @classmethod
    def _not_before_start(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("startDate")
        if end is not None and start is not None and end < start:
            raise ValueError("before startDate")
        return end

    @model_validator(mode="after")
    def _one_audience(self) -> ScheduleCreate:
        if (self.athleteId is None) == (self.groupId is None):
            raise ValueError("give exactly one of athleteId and groupId")
        return self


class ScheduleRecord(Record):
    """``schedules/{scheduleId}``."""

    title: str
    athleteId: str | None = None
    groupId: str | None = None
    coachId: str
    weekdays: list[str]
    startTime: str
    durationMinutes: int
    timezone: str
    startDate: StoredDay
    endDate: StoredDay | None = None
    createdBy: str
    createdAt: dt.datetime


class ScheduleCreated(Output):
    """A new schedule's id."""

    scheduleId: str


class OccurrenceQuery(Input):
    """Query of ``GET /api/occurrences``: a window (default: the next 14 days from now)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: DateOrTime | None = Field(default=None, alias="from")
    to: DateOrTime | None = None


class Occurrence(Output):
    """One session in the window: of a schedule (materialized or not yet), or a one-off."""

    sessionId: str
    scheduleId: str | None = None
    title: str
    start: dt.datetime
    end: dt.datetime
    timezone: str | None = None
    status: str
    athleteId: str | None = None
    groupId: str | None = None
    coachId: str | None = None


class OccurrenceList(Output):
    """``GET /api/occurrences``: in order of start, at most 500 (the earliest); ``truncated``:
    the window holds more (ask again from the last ``start``, or a shorter window)."""

    occurrences: list[Occurrence]
    truncated: bool = False
