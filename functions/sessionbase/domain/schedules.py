"""Schedules and their occurrences (faculty seed): weekly sessions in a time zone.

Pure: no I/O. An occurrence is computed, not stored, until it is first touched: it then becomes
the session ``{scheduleId}_{YYYYMMDD}`` (the local date), so every request that touches it names
the same document and the first one creates it.

Times are local to the schedule's time zone, so a 09:30 class stays at 09:30 across daylight
saving changes (its UTC time moves). A start time that does not exist that day (in the spring
gap) moves forward by the gap; one that exists twice (in the autumn overlap) is the first.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sessionbase.errors import FailedPrecondition, FieldError, invalid_fields
from sessionbase.models.fields import EARLIEST_DAY, LATEST_DAY, in_range
from sessionbase.models.schedules import WEEKDAYS, Occurrence, OccurrenceQuery, ScheduleRecord
from sessionbase.models.sessions import SessionRecord, SessionStatus, SessionType

DEFAULT_WINDOW = timedelta(days=14)
MAX_WINDOW = timedelta(days=92)

# Live schedules (no end date, or one not yet past) per coach who runs them, per athlete who
# attends them directly and per group: an occurrence list reads every live schedule its caller
# runs or attends, so these bound it (docs/decisions.md, "Schedules and occurrences"). Far above
# what a real coach keeps: a week has at most 7 x 24 hourly slots, and a group meets a few times.
SCHEDULES_PER_OWNER = 100
SCHEDULES_PER_ATHLETE = 100
SCHEDULES_PER_GROUP = 10
# The occurrences one list answers at most, the earliest (``truncated`` says there were more).
OCCURRENCES_PER_LIST = 500
_OCCURRENCE_ID = re.compile(r"^(?P<schedule>[A-Za-z0-9]{20})_(?P<day>[0-9]{8})$")


def occurrence_id(schedule_id: str, day: date) -> str:
    """The session id an occurrence has once it is touched: ``{scheduleId}_{YYYYMMDD}``, the
    date always 8 digits (``%Y`` is not zero-padded for years before 1000 on every platform)."""
    return f"{schedule_id}_{day.year:04d}{day.month:02d}{day.day:02d}"


def parse_occurrence_id(session_id: str) -> tuple[str, date] | None:
    """The schedule and local date an occurrence id names, or None for any other id (and for a
    date outside the range every date input keeps to: no occurrence can be there)."""
    match = _OCCURRENCE_ID.match(session_id)
    if match is None:
        return None
    digits = match["day"]
    try:
        day = in_range(date(int(digits[:4]), int(digits[4:6]), int(digits[6:])))
    except ValueError:
        return None
    return match["schedule"], day


def window(query: OccurrenceQuery, now: datetime) -> tuple[datetime, datetime]:
    """The UTC window asked for: ``from`` (default now) up to ``to`` (default 14 days later).

    A bare date is the start of that day in UTC; ``to`` as a bare date includes that day.
    """
    start = _moment(query.from_) if query.from_ is not None else now
    end = (
        _moment(query.to, next_day=True) if query.to is not None else _later(start, DEFAULT_WINDOW)
    )
    if end <= start:
        raise invalid_fields([FieldError(field="to", message="must be after from")])
    if end - start > MAX_WINDOW:
        raise invalid_fields([FieldError(field="to", message="at most 92 days after from")])
    return start, end


def live_since(now: datetime) -> date:
    """The earliest end date of a schedule that still counts as live: yesterday in UTC, so one
    ending today anywhere on Earth still counts (a schedule ends by its ``endDate``)."""
    return _days_after(now.astimezone(UTC).date(), -1)


def require_room_for_schedule(owned: int, attended: int, audience: str) -> None:
    """A new schedule keeps its coach within ``SCHEDULES_PER_OWNER`` live schedules and its
    athlete or group (``audience``: the field naming it) within theirs."""
    cap = SCHEDULES_PER_GROUP if audience == "groupId" else SCHEDULES_PER_ATHLETE
    if attended >= cap:
        who = "This group" if audience == "groupId" else "This athlete"
        raise FailedPrecondition(
            f"{who} already has {cap} live schedules, as many as one may have; "
            "a schedule stops counting after its endDate.",
            errors=(FieldError(field=audience, message=f"already has {cap} live schedules"),),
        )
    if owned >= SCHEDULES_PER_OWNER:
        raise FailedPrecondition(
            f"You already run {SCHEDULES_PER_OWNER} live schedules, as many as one may run; "
            "a schedule stops counting after its endDate."
        )


def _moment(value: date | datetime, *, next_day: bool = False) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    day = _days_after(value, 1 if next_day else 0)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# Date arithmetic near the ends of the calendar stops at them instead of overflowing. Inputs are
# bounded (models/fields.py RANGE), so this only guards records written before the bound.
def _days_after(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _later(moment: datetime, delta: timedelta) -> datetime:
    try:
        return moment + delta
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


def produces(schedule: ScheduleRecord, day: date) -> bool:
    """Does the schedule have an occurrence on this local date?"""
    if day < schedule.startDate or (schedule.endDate is not None and day > schedule.endDate):
        return False
    return WEEKDAYS[day.weekday()] in schedule.weekdays


def starts_at(schedule: ScheduleRecord, day: date) -> datetime:
    """The UTC start of the occurrence on this local date."""
    hour, minute = (int(part) for part in schedule.startTime.split(":"))
    local = datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(schedule.timezone))
    # A local time in the spring gap: its UTC offset is the one before the change, so the
    # conversion moves it forward by the gap (02:30 -> 03:30 local).
    return local.astimezone(UTC)


def occurrences_between(
    schedule: ScheduleRecord, start: datetime, end: datetime
) -> list[tuple[date, datetime]]:
    """The occurrences starting in ``[start, end)``: local date and UTC start, in order."""
    # A local date is within a day of the UTC date (offsets are under 24 hours); the days
    # looked at stay in the input range, so no local time computed here can overflow.
    first = max(schedule.startDate, _days_after(start.astimezone(UTC).date(), -1), EARLIEST_DAY)
    last = min(_days_after(end.astimezone(UTC).date(), 1), LATEST_DAY)
    if schedule.endDate is not None:
        last = min(last, schedule.endDate)
    found = []
    day = first
    while day <= last:
        if produces(schedule, day):
            begins = starts_at(schedule, day)
            if start <= begins < end:
                found.append((day, begins))
        day = _days_after(day, 1)
    return found


def occurrence_session(
    schedule_id: str, schedule: ScheduleRecord, day: date, now: datetime
) -> SessionRecord:
    """The session an occurrence becomes: scheduled, for the schedule's athlete or group."""
    begins = starts_at(schedule, day)
    return SessionRecord.model_validate(
        {
            "athleteId": schedule.athleteId,
            "coachId": schedule.coachId,
            "groupId": schedule.groupId,
            "createdBy": schedule.createdBy,
            "scheduleId": schedule_id,
            "sessionType": SessionType.CLASS if schedule.groupId else SessionType.TRAINING,
            "event": schedule.title,
            "status": SessionStatus.SCHEDULED,
            "date": day,
            "scheduledStart": begins,
            "scheduledEnd": begins + timedelta(minutes=schedule.durationMinutes),
            "createdAt": now,
            "updatedAt": now,
        }
    )


def as_occurrence(
    session_id: str, session: SessionRecord, timezone: str | None = None
) -> Occurrence | None:
    """A session as an occurrence (None for one without a scheduled start)."""
    if session.scheduledStart is None:
        return None
    return Occurrence(
        sessionId=session_id,
        scheduleId=session.scheduleId,
        title=session.event or str(session.sessionType or "Session"),
        start=session.scheduledStart,
        end=session.scheduledEnd or session.scheduledStart,
        timezone=timezone,
        status=str(session.status or SessionStatus.SCHEDULED),
        athleteId=session.athleteId,
        groupId=session.groupId,
        coachId=session.coachId,
    )
