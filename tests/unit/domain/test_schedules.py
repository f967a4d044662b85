"""domain/schedules.py: weekly occurrences in a time zone (across daylight saving), ids, windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sessionbase.domain import schedules
from sessionbase.errors import InvalidArgument
from sessionbase.models.schedules import OccurrenceQuery, ScheduleRecord

NOW = datetime(2026, 10, 19, 6, 0, tzinfo=UTC)
SCHEDULE_ID = "A" * 20


def schedule(**fields) -> ScheduleRecord:
    return ScheduleRecord.model_validate(
        {
            "title": "Batch 1",
            "groupId": "g1",
            "coachId": "c1",
            "weekdays": ["MO", "WE"],
            "startTime": "09:30",
            "durationMinutes": 75,
            "timezone": "Europe/Paris",
            "startDate": "2026-10-01",
            "createdBy": "c1",
            "createdAt": NOW,
            **fields,
        }
    )


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_a_local_time_stays_local_across_the_autumn_change():
    # Paris leaves summer time on Sunday 2026-10-25: 09:30 is 07:30 UTC before, 08:30 after.
    found = schedules.occurrences_between(schedule(), NOW, utc(2026, 11, 2))
    assert found == [
        (date(2026, 10, 19), utc(2026, 10, 19, 7, 30)),
        (date(2026, 10, 21), utc(2026, 10, 21, 7, 30)),
        (date(2026, 10, 26), utc(2026, 10, 26, 8, 30)),
        (date(2026, 10, 28), utc(2026, 10, 28, 8, 30)),
    ]


def test_a_start_in_the_spring_gap_moves_forward_and_an_ambiguous_one_is_the_first():
    # 2027-03-28 02:30 does not exist in Paris (02:00 -> 03:00): it starts at 03:30 local.
    gap = schedule(weekdays=["SU"], startTime="02:30")
    assert schedules.starts_at(gap, date(2027, 3, 28)) == utc(2027, 3, 28, 1, 30)
    # 2026-10-25 02:30 happens twice: the first (summer time, +02:00).
    assert schedules.starts_at(gap, date(2026, 10, 25)) == utc(2026, 10, 25, 0, 30)


def test_a_schedule_runs_from_its_start_date_to_its_end_date_inclusive():
    bounded = schedule(startDate="2026-10-21", endDate="2026-10-26")
    days = [day for day, _ in schedules.occurrences_between(bounded, NOW, utc(2026, 11, 30))]
    assert days == [date(2026, 10, 21), date(2026, 10, 26)]
    assert not schedules.produces(bounded, date(2026, 10, 19))  # before its start
    assert not schedules.produces(bounded, date(2026, 10, 22))  # a Thursday


def test_the_window_edge_counts_by_start_time():
    found = schedules.occurrences_between(
        schedule(), utc(2026, 10, 19, 7, 30), utc(2026, 10, 21, 7, 30)
    )
    assert [day for day, _ in found] == [date(2026, 10, 19)]  # [start, end)


def test_a_west_of_utc_zone_keeps_its_local_day():
    # 23:00 on a Monday in Los Angeles is Tuesday in UTC; it is still Monday's occurrence.
    late = schedule(weekdays=["MO"], startTime="23:00", timezone="America/Los_Angeles")
    found = schedules.occurrences_between(late, NOW, NOW + timedelta(days=7))
    assert found == [(date(2026, 10, 19), utc(2026, 10, 20, 6, 0))]


def test_occurrence_ids_name_the_schedule_and_the_local_date():
    session_id = schedules.occurrence_id(SCHEDULE_ID, date(2026, 10, 19))
    assert session_id == f"{SCHEDULE_ID}_20261019"
    assert schedules.parse_occurrence_id(session_id) == (SCHEDULE_ID, date(2026, 10, 19))
    for other in ("plain-session-id", f"{SCHEDULE_ID}_20261332", f"{'A' * 19}_20261019"):
        assert schedules.parse_occurrence_id(other) is None


def test_occurrence_ids_always_have_eight_digits_of_date():
    # ``%Y`` gives "1" for year 1 on glibc: the id was {sid}_10104, which then answered 404.
    assert schedules.occurrence_id(SCHEDULE_ID, date(1, 1, 4)) == f"{SCHEDULE_ID}_00010104"
    assert schedules.occurrence_id(SCHEDULE_ID, date(999, 12, 31)) == f"{SCHEDULE_ID}_09991231"


@pytest.mark.parametrize("day", ["00010104", "19691231", "21010101", "99991231"])
def test_an_id_dated_outside_the_input_range_names_no_occurrence(day):
    # Nothing could be scheduled there, and its session's times would overflow.
    assert schedules.parse_occurrence_id(f"{SCHEDULE_ID}_{day}") is None


def test_the_ends_of_the_input_range_have_occurrences():
    every_day = schedule(weekdays=["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
    for day in (date(1970, 1, 1), date(2100, 12, 31)):
        session_id = schedules.occurrence_id(SCHEDULE_ID, day)
        assert schedules.parse_occurrence_id(session_id) == (SCHEDULE_ID, day)
    last = every_day.changed(startDate=date(2100, 12, 1), timezone="Pacific/Kiritimati")
    found = schedules.occurrences_between(last, utc(2100, 12, 30), utc(2101, 1, 1))
    # UTC+14: local 2100-12-31 09:30 starts 2100-12-30T19:30Z; local 2101-01-01 would start in the
    # window too, but its date is past the range (its id would name nothing): it is not listed.
    assert [(day, begins) for day, begins in found] == [
        (date(2100, 12, 31), utc(2100, 12, 30, 19, 30))
    ]


def test_window_arithmetic_stops_at_the_ends_of_the_calendar():
    # Records written before the input range (a schedule from year 1 or to 9999) and the
    # widest windows compute without OverflowError.
    ancient = schedule(startDate=date(1, 1, 1), weekdays=["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
    found = schedules.occurrences_between(ancient, utc(1, 1, 1), utc(1, 3, 1))
    assert found == []  # before the input range: none
    query = OccurrenceQuery.model_construct(from_=date(9999, 12, 29), to=date(9999, 12, 31))
    start, end = schedules.window(query, NOW)
    assert (start, end.date()) == (utc(9999, 12, 29), date(9999, 12, 31))
    assert (
        schedules.occurrences_between(ancient.changed(startDate=date(9999, 12, 1)), start, end)
        == []
    )
    open_ended = OccurrenceQuery.model_construct(from_=datetime.max.replace(tzinfo=UTC), to=None)
    with pytest.raises(InvalidArgument):  # the default end stops at the calendar's: an empty window
        schedules.window(open_ended, NOW)


def test_an_occurrence_becomes_a_scheduled_session_of_the_group():
    session = schedules.occurrence_session(SCHEDULE_ID, schedule(), date(2026, 10, 26), NOW)
    assert (session.status, session.sessionType, session.groupId, session.event) == (
        "scheduled",
        "Class",
        "g1",
        "Batch 1",
    )
    assert (session.scheduledStart, session.scheduledEnd) == (
        utc(2026, 10, 26, 8, 30),
        utc(2026, 10, 26, 9, 45),
    )
    assert (session.scheduleId, session.date) == (SCHEDULE_ID, date(2026, 10, 26))
    athlete = schedules.occurrence_session(
        SCHEDULE_ID, schedule(groupId=None, athleteId="a1"), date(2026, 10, 26), NOW
    )
    assert (athlete.sessionType, athlete.athleteId) == ("Training", "a1")
    occurrence = schedules.as_occurrence("x", session, "Europe/Paris")
    assert (occurrence.title, occurrence.timezone, occurrence.status) == (
        "Batch 1",
        "Europe/Paris",
        "scheduled",
    )


def test_the_window_defaults_to_two_weeks_and_is_bounded():
    assert schedules.window(OccurrenceQuery(), NOW) == (NOW, NOW + timedelta(days=14))
    days = OccurrenceQuery.model_validate({"from": "2026-11-01", "to": "2026-11-30"})
    assert schedules.window(days, NOW) == (utc(2026, 11, 1), utc(2026, 12, 1))
    for bad in (
        {"from": "2026-11-02", "to": "2026-11-01"},
        {"from": "2026-01-01", "to": "2026-06-01"},
    ):
        with pytest.raises(InvalidArgument) as refused:
            schedules.window(OccurrenceQuery.model_validate(bad), NOW)
        assert [error.field for error in refused.value.errors] == ["to"]
