"""Reports (issue 27): the queries of the CSV and PDF reports and the file each answers."""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from sessionbase.models.base import Input, Output
from sessionbase.models.fields import Day, Id

# The longest period one report covers (a school year and a bit), and the most rows it holds.
MAX_DAYS = 400
MAX_ROWS = 10_000


class Period(Input):
    """``from`` and ``to``: days (``YYYY-MM-DD``, both included) in the caller's time zone."""

    model_config = ConfigDict(populate_by_name=True)

    from_: Day = Field(alias="from", description="first day, in the caller's time zone")
    to: Day = Field(description="last day (included), in the caller's time zone")

    @field_validator("to")
    @classmethod
    def _after_from(cls, to: dt.date, info: ValidationInfo) -> dt.date:
        first = info.data.get("from_")
        if first is not None and to < first:
            raise ValueError("is before from")
        if first is not None and (to - first).days >= MAX_DAYS:
            raise ValueError(f"a report covers at most {MAX_DAYS} days")
        return to


class SessionReportQuery(Period):
    """``GET /api/reports/sessions``: one athlete's sessions (``athleteId``), one coach's
    (``coachId``), or with neither the caller's own (a coach: every session they coach; an
    admin: every session)."""

    athleteId: Id | None = None
    coachId: Id | None = None

    @field_validator("coachId")
    @classmethod
    def _one_person(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("athleteId") is not None:
            raise ValueError("give athleteId or coachId, not both")
        return value


class AttendanceReportQuery(Period):
    """``GET /api/reports/attendance``: a group's live sessions in the period."""

    groupId: Id


class CompletionReportQuery(Period):
    """``GET /api/reports/completions`` (admins): the completion codes given in the period."""


class AthleteReportQuery(Period):
    """``GET /api/reports/athlete``: an athlete's period report (PDF); no ``athleteId``: the
    caller's own."""

    athleteId: Id | None = None


class ReportFile(Output):
    """A report written to Storage: a signed URL to download it until ``expiresAt``, the name
    to save it under, and how many rows (sessions, members, codes) it holds."""

    url: str
    fileName: str
    expiresAt: dt.datetime
    rows: int
