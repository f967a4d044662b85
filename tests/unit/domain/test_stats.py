"""domain/stats.py: contributions, deltas, days in time zones, streaks, weeks, trends.

The property test replays random session histories with every event delivered one to three times
and in shuffled order, as Firestore may deliver them, through the same decisions the trigger
uses; the counters must equal a recount from the final sessions.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionbase.domain import stats
from sessionbase.models.sessions import SessionRecord
from sessionbase.models.stats import Contribution
from tests.unit.factories import session_record

UTC_ZONE = stats.zone("UTC")
AUCKLAND = stats.zone("Pacific/Auckland")
LOS_ANGELES = stats.zone("America/Los_Angeles")
T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def session(**fields) -> SessionRecord:
    return session_record(createdAt=T0, **fields)


def dashboard(counters: dict[str, float], *, now=T0, tz=UTC_ZONE, accuracy=(), coach=False):
    """The figures of ``counters`` at ``now``: no recent results but the ``accuracy`` given."""
    return stats.dashboard(
        counters, now=now, tz=tz, recent_motion_iq=[], recent_accuracy=list(accuracy), coach=coach
    )


def counted(record: SessionRecord | None, version: datetime = T0, tz=UTC_ZONE) -> Contribution:
    if record is None:
        return Contribution.tombstone(version)
    return stats.contribution(record, version=version, athlete_tz=tz, coach_tz=tz)


def test_a_completed_yoga_practice_counts_minutes_accuracy_and_its_day():
    yoga = session(
        status="completed",
        sessionType="Practice",
        event="Yoga",
        durationSeconds=1500,
        avgAccuracy=92.5,
        actualStart=T0,
    )
    counters = stats.counters_for(counted(yoga), "a", "athlete")
    assert counters == {
        "totalSessions": 1,
        "completedSessions": 1,
        "totalDurationSeconds": 1500,
        "mindfulSeconds": 1500,
        "accuracy.sum": 92.5,
        "accuracy.count": 1,
        "byEvent.Yoga": 1,
        "bySessionType.Practice": 1,
        "days.2026-11-23.sessions": 1,
        "days.2026-11-23.completed": 1,
    }
    figures = dashboard(counters, accuracy=[92.5])
    assert (figures.sessionsThisWeek, figures.mindfulMinutes, figures.currentStreak) == (1, 25.0, 1)
    assert figures.averageAccuracy == 92.5
    assert figures.athleteCount is None


@pytest.mark.parametrize(
    ("acl", "stored", "level"),
    [(29.9, None, "LOW"), (30, None, "MODERATE"), (59.9, None, "MODERATE"), (60, None, "HIGH"),
     (10, "HIGH", "HIGH"), (None, None, None)],
)  # fmt: skip
def test_the_risk_level_comes_from_acl_risk_unless_the_backend_sent_one(acl, stored, level):
    assert stats.risk_level(session(aclRisk=acl, riskLevel=stored)) == level


def test_the_day_is_the_actual_start_in_the_persons_zone_else_the_date_else_creation():
    late_utc = datetime(2026, 11, 22, 12, 30, tzinfo=UTC)  # Auckland: 23rd 01:30; LA: 22nd
    assert stats.day_of(session(actualStart=late_utc), AUCKLAND) == date(2026, 11, 23)
    assert stats.day_of(session(actualStart=late_utc), LOS_ANGELES) == date(2026, 11, 22)
    assert stats.day_of(session(date="2026-01-02"), AUCKLAND) == date(2026, 1, 2)
    assert stats.day_of(session(), AUCKLAND) == date(2026, 11, 24)  # created 12:00 UTC
    assert stats.zone("Mars/Olympus") == UTC_ZONE


def test_a_change_moves_counts_by_the_difference_only():
    before = counted(session(event="Vault", motionIQ=80))
    after = counted(session(event="Floor", motionIQ=90), T0 + timedelta(seconds=1))
    assert stats.delta(before, after) == {
        ("a", "athlete"): {
            "byEvent.Vault": -1,
            "byEvent.Floor": 1,
            "motionIQ.sum": 10,
        },
        ("c", "coach"): {"byEvent.Vault": -1, "byEvent.Floor": 1, "motionIQ.sum": 10},
    }
    assert stats.delta(before, before) == {}


def test_moving_a_session_to_another_athlete_moves_its_counts():
    moved = stats.delta(counted(session()), counted(session(athleteId="b"), T0))
    assert moved[("a", "athlete")]["totalSessions"] == -1
    assert moved[("b", "athlete")]["totalSessions"] == 1
    assert moved[("c", "coach")] == {"athletes.a": -1, "athletes.b": 1}


def test_a_deleted_session_counts_nothing_and_newer_changes_only_replace_older():
    old = counted(session())
    assert stats.delta(old, Contribution.tombstone(T0))[("a", "athlete")]["totalSessions"] == -1
    assert stats.is_newer(T0 + timedelta(microseconds=1), old)
    assert not stats.is_newer(T0, old)
    assert stats.is_newer(T0, old, recount=True)
    assert not stats.is_newer(T0 - timedelta(seconds=1), old, recount=True)


def test_a_practice_in_progress_counts_as_a_session_without_its_running_score():
    running = session(
        status="active", sessionType="Test", itemCount=4, correctCount=3, scorePercentage=75.0
    )
    counters = stats.counters_for(counted(running), "a", "athlete")
    assert counters == {"totalSessions": 1, "bySessionType.Test": 1, "days.2026-11-23.sessions": 1}
    assert dashboard(counters).averageScore is None


def test_a_practice_ended_with_no_answers_is_not_completed_and_has_no_score():
    """Also as stored before issue 20 (a score of 0): the reconcile recounts it so."""
    for stored_score in (None, 0.0):
        empty = session(status="completed", sessionType="Practice", durationSeconds=40,
                         itemCount=0, correctCount=0, scorePercentage=stored_score)  # fmt: skip
        counters = stats.counters_for(counted(empty), "a", "athlete")
        assert counters == {
            "totalSessions": 1,
            "bySessionType.Practice": 1,
            "days.2026-11-23.sessions": 1,
        }
    answered = session(status="completed", sessionType="Practice", durationSeconds=40,
                       itemCount=3, correctCount=2, scorePercentage=66.67)  # fmt: skip
    both = stats.total([counted(answered), counted(empty)], "a", "athlete")
    figures = dashboard(both)
    assert (figures.averageScore, figures.completedSessions, figures.totalSessions) == (66.67, 1, 2)
    assert figures.mindfulMinutes == round(40 / 60, 1)


def test_results_and_names_written_around_the_api_count_only_where_they_can():
    odd = session(
        motionIQ=float("nan"),
        aclRisk=float("inf"),
        avgAccuracy=80.0,
        event="x" * (stats.EVENT_NAME_LIMIT + 1),
        coachId="a/b",
    )
    item = counted(odd)
    assert item.counters == {"totalSessions": 1, "accuracy.sum": 80.0, "accuracy.count": 1}
    assert (item.coachId, item.hasMotionIQ, item.motionIQ) == (None, False, None)
    for uid in ("", ".", "..", "__x__", "a/b", "u" * 129):
        assert not stats.is_person(uid)
    assert stats.is_person("u" * 128)
    assert stats.is_person("user.1")


def test_cancelled_sessions_leave_their_day_and_the_rate():
    counters = stats.counters_for(counted(session(status="cancelled")), "a", "athlete")
    assert counters == {"totalSessions": 1, "cancelledSessions": 1}
    figures = dashboard(counters)
    assert (figures.completionRate, figures.sessionsThisWeek, figures.lastSessionAt) == (0, 0, None)


TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("days", "current", "longest"),
    [
        ([], 0, 0),
        ([0], 1, 1),
        ([1], 1, 1),  # yesterday: not broken until today ends
        ([2], 0, 1),  # the day before yesterday: broken
        ([0, 1, 2, 4, 5, 6, 7], 3, 4),
        ([1, 2, 3], 3, 3),
        ([-1], 0, 0),  # a future day is no activity yet
    ],
)
def test_streaks(days, current, longest):
    active = {TODAY - timedelta(days=n) for n in days}
    assert stats.streaks(active, TODAY) == (current, longest)


def test_this_week_runs_monday_to_sunday_in_the_persons_zone():
    counters = {
        "days.2026-11-22.sessions": 1,  # Sunday: last week
        "days.2026-11-23.sessions": 2,  # Monday
        "days.2026-11-29.sessions": 1,  # Sunday
        "days.2026-11-30.sessions": 1,  # next Monday
    }
    # 2026-11-23 10:30 UTC is already Tuesday the 24th in Auckland: still the same week.
    now = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    for tz in (UTC_ZONE, AUCKLAND):
        figures = dashboard(counters, now=now, tz=tz)
        assert figures.sessionsThisWeek == 3
    # Early Monday in Auckland is still Sunday in Los Angeles: last week there.
    sunday_la = dashboard(counters, now=datetime(2026, 11, 23, 3, 0, tzinfo=UTC), tz=LOS_ANGELES)
    assert sunday_la.sessionsThisWeek == 1


def test_a_dst_change_keeps_days_whole():
    # Auckland leaves DST on 2026-04-05 at 03:00 (back to 02:00): 01:30 UTC+13 and 02:30 UTC+12
    # are the same local day.
    first = datetime(2026, 4, 4, 12, 30, tzinfo=UTC)  # 01:30 NZDT on the 5th
    second = datetime(2026, 4, 4, 14, 30, tzinfo=UTC)  # 02:30 NZST on the 5th
    days = {stats.day_of(session(actualStart=t), AUCKLAND) for t in (first, second)}
    assert days == {date(2026, 4, 5)}


def test_the_trend_compares_the_last_five_results_with_the_five_before():
    assert stats.trend([90, 90, 90, 90, 90, 80, 80, 80, 80, 80]) == 10
    assert stats.trend([1.0] * 9) is None


def test_coaches_count_their_athletes():
    counters = {"athletes.a": 2, "athletes.b": 1, "athletes.gone": 0}
    figures = dashboard(counters, coach=True)
    assert figures.athleteCount == 2


def test_stored_maps_read_back_as_the_same_paths():
    stored = {"byEvent": {"Floor 1.0": 2}, "motionIQ": {"sum": 160.0, "count": 2}, "x": True}
    assert stats.flatten(stored) == {
        "byEvent.Floor 1.0": 2,
        "motionIQ.sum": 160,
        "motionIQ.count": 2,
    }


# ---- where counters are stored: bounded documents, names Firestore accepts --------------------

RESERVED = re.compile(r"^__.*__$")
EVENT_NAMES = st.one_of(
    st.sampled_from(["__x__", "__name__", "__.__", "a.b", "`x`", "x/y", ".", "..", "Vault"]),
    st.text(min_size=1, max_size=stats.EVENT_NAME_LIMIT),
)


def assert_storable(place: tuple[str, str], fields: dict, depth: int = 0) -> None:
    """Every document id and field name is one Firestore accepts."""
    sub, key = place
    if sub:
        assert key
        assert "/" not in key
        assert key not in (".", "..")
        assert not RESERVED.match(key)
    for name, value in fields.items():
        assert name
        assert not RESERVED.match(name)
        assert len(name.encode()) <= 1500
        if isinstance(value, dict):
            assert_storable(("", ""), value, depth + 1)


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENT_NAMES, max_size=8), st.lists(st.integers(0, 3000), max_size=8))
def test_counters_keyed_by_user_text_are_stored_under_safe_names_and_read_back(events, offsets):
    """An event name (user text: ``__x__``, ``a.b``, anything) is never a field name: each
    event has its own document, keyed by a digest, holding the name as a value."""
    changes = {"totalSessions": 1.0, "motionIQ.sum": 70.0, "athletes.a": 1.0}
    changes |= {f"byEvent.{name}": 1.0 for name in events}
    changes |= {
        f"days.{(T0.date() - timedelta(days=n)).isoformat()}.sessions": 1.0 for n in offsets
    }
    placed = stats.documents(changes)
    read: dict[str, float] = {}
    for (sub, key), fields in placed.items():
        assert_storable((sub, key), fields)
        for path, value in stats.counters_in(sub, fields).items():
            read[path] = read.get(path, 0) + value
    assert read == changes


def test_no_counter_document_grows_with_the_history():
    """Ten years of daily sessions and a thousand events: every document stays small (a year
    of days at most), far below Firestore's 1 MiB."""
    days = [T0.date() - timedelta(days=n) for n in range(3650)]
    changes = {
        f"days.{day.isoformat()}.{kind}": 1.0 for day in days for kind in ("sessions", "completed")
    }
    changes |= {f"byEvent.{'e' * 190}{n}": 1.0 for n in range(1000)}
    placed = stats.documents(changes)
    assert len(placed) == 11 + 1000  # 2016..2026, one per event
    biggest = max(len(repr(fields)) for fields in placed.values())
    assert biggest < 40_000


def test_the_old_maps_in_the_persons_document_still_count():
    """Counters written before issue 21 (``byEvent`` and ``days`` maps in the person's document)
    read as the same paths, so they add up with the new documents."""
    old = {"totalSessions": 2, "byEvent": {"Vault": 1}, "days": {"2026-11-23": {"sessions": 2}}}
    assert stats.counters_in(stats.PERSON, old) == {
        "totalSessions": 2, "byEvent.Vault": 1, "days.2026-11-23.sessions": 2,
    }  # fmt: skip


def test_a_residual_is_written_in_parts_of_bounded_documents():
    changes = {f"byEvent.e{n}": 1.0 for n in range(900)} | {"totalSessions": 1.0}
    parts = stats.in_parts(changes, 400)
    assert [len(stats.documents(part)) for part in parts] == [400, 400, 101]
    assert {path: v for part in parts for path, v in part.items()} == changes


# ---- the property: any delivery order, any duplicates, exact counts -----------------------------

EVENTS = ["Vault", "Floor", "Beam"]
operation = st.tuples(
    st.sampled_from(["create", "complete", "cancel", "uncancel", "result", "backdate",
                     "reassign", "delete"]),
    st.integers(0, 3),  # which session
    st.integers(0, 100),  # a value for the operation
)  # fmt: skip


def apply(op: str, current: SessionRecord | None, value: int) -> SessionRecord | None:
    if op == "create":
        return current or session(event=EVENTS[value % 3], athleteId="ab"[value % 2])
    if current is None:
        return None
    changes = {
        "complete": {"status": "completed", "durationSeconds": value * 60},
        "cancel": {"status": "cancelled"},
        "uncancel": {"status": "scheduled"},
        "result": {"motionIQ": value, "aclRisk": 100 - value, "avgAccuracy": value / 2},
        "backdate": {"actualStart": T0 - timedelta(days=value)},
        "reassign": {"athleteId": "ab"[value % 2], "coachId": "cd"[value % 2]},
        "delete": None,
    }[op]
    return None if changes is None else current.changed(**changes)


@settings(max_examples=150, deadline=None)
@given(st.lists(operation, max_size=25), st.randoms(use_true_random=False))
def test_counters_equal_a_recount_whatever_the_delivery(operations, shuffler: random.Random):
    state: dict[int, SessionRecord | None] = {}
    events: list[tuple[int, SessionRecord | None, datetime]] = []
    for tick, (op, which, value) in enumerate(operations, start=1):
        after = apply(op, state.get(which), value)
        if after is None and state.get(which) is None:
            continue
        state[which] = after
        events.append((which, after, T0 + timedelta(seconds=tick)))
    deliveries = [event for event in events for _ in range(shuffler.randint(1, 3))]
    shuffler.shuffle(deliveries)

    recorded: dict[int, Contribution] = {}
    counters: dict[tuple[str, str], dict[str, float]] = {}
    for which, after, version in deliveries:  # what record_change does, without the store
        old = recorded.get(which)
        if not stats.is_newer(version, old):
            continue
        new = counted(after, version)
        for person, change in stats.delta(old, new).items():
            mine = counters.setdefault(person, {})
            for path, amount in change.items():
                mine[path] = mine.get(path, 0) + amount
        recorded[which] = new

    final = [counted(record) for record in state.values() if record is not None]
    for uid, role in {(u, r) for u in "abcd" for r in ("athlete", "coach")}:
        expected = stats.total(final, uid, role)
        kept = {p: v for p, v in counters.get((uid, role), {}).items() if abs(v) > 1e-9}
        assert kept == pytest.approx(expected)
