"""domain/practice.py: answer checks, session types, scores, the end of a session, its summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sessionbase.domain import practice
from sessionbase.errors import FailedPrecondition, InvalidArgument, NotFound
from sessionbase.models.sessions import SessionStatus, SessionType
from tests.unit.factories import caller

T0 = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
ME = caller("me", name="Me")
OTHER = caller("other", email=None, verified=False)


@pytest.mark.parametrize(
    ("given", "accepted", "right"),
    [
        ("hable", ["hable"], True),
        ("  Hable\n", ["hable"], True),
        ("HABLE", ["Hable"], True),
        ("cafe\u0301", ["café"], True),  # NFD against NFC
        ("café", ["cafe\u0301"], True),
        ("cafe", ["café"], False),  # accents are significant
        ("STRASSE", ["straße"], True),  # case folding, not just lower()
        ("habla", ["hable", "hablé"], False),
        ("", ["hable"], False),
        ("four", ["4", "four"], True),
    ],
)
def test_answers_are_compared_trimmed_nfc_case_folded(given, accepted, right):
    assert practice.is_correct(given, accepted) is right


def test_the_seeds_session_types_and_its_error_for_any_other():
    assert practice.session_type("review") == SessionType.REVIEW
    with pytest.raises(InvalidArgument) as refused:
        practice.session_type("Practice")  # the seed's names are lower case
    assert refused.value.detail == "Invalid session_type. Must be one of: practice, review, test"
    assert [error.field for error in refused.value.errors] == ["session_type"]


@pytest.mark.parametrize(
    ("correct", "total", "percent"), [(12, 15, 80.0), (0, 0, 0.0), (1, 3, 33.33), (2, 3, 66.67)]
)
def test_score_is_a_percentage_to_two_decimals(correct, total, percent):
    assert practice.score(correct, total) == percent


def test_a_practice_is_the_callers_own_and_open_until_it_ends():
    session = practice.new_practice(ME, SessionType.TEST, T0)
    assert (session.athleteId, session.createdBy, session.coachId) == ("me", "me", None)
    assert (session.status, session.itemCount, session.scorePercentage) == ("active", 0, None)
    assert practice.require_open(ME, session) is session
    for who, stored in ((OTHER, session), (ME, None)):
        with pytest.raises(NotFound, match="^Session not found or does not belong to user$"):
            practice.require_open(who, stored)
    training = session.changed(sessionType=SessionType.TRAINING)
    with pytest.raises(NotFound):
        practice.require_open(ME, training)  # not a practice session
    with pytest.raises(FailedPrecondition, match="^Session is already completed$"):
        practice.require_open(ME, session.changed(status=SessionStatus.COMPLETED))
    with pytest.raises(FailedPrecondition, match="cancelled"):
        practice.require_open(ME, session.changed(status=SessionStatus.CANCELLED))


def test_the_end_computes_duration_and_score_from_the_counters():
    running = practice.new_practice(ME, SessionType.PRACTICE, T0).changed(
        itemCount=15, correctCount=12, scorePercentage=73.33
    )
    end = T0 + timedelta(seconds=930, milliseconds=400)
    done = practice.ended(ME, running, end)
    assert (done.status, done.durationSeconds, done.duration) == ("completed", 930, "15 min 30 s")
    assert (done.scorePercentage, done.completedBy, done.actualEnd) == (80.0, "me", end)
    summary = practice.summary("s1", done, end).model_dump()
    assert summary == {
        "session_id": "s1",
        "started_at": T0,
        "ended_at": end,
        "duration_seconds": 930,
        "total_exercises": 15,
        "correct_answers": 12,
        "score_percentage": 80.0,
        "session_type": "practice",
    }


def test_a_practice_ended_with_no_answers_has_no_score():
    started = practice.new_practice(ME, SessionType.PRACTICE, T0)
    done = practice.ended(ME, started, T0 + timedelta(seconds=5))
    assert (done.status, done.itemCount, done.scorePercentage) == ("completed", 0, None)
    assert practice.unanswered(done)
    assert not practice.unanswered(done.changed(itemCount=1))
    assert practice.summary("s1", done, T0).score_percentage == 0.0  # the seed's summary


def test_a_standalone_answer_is_a_completed_session_of_one():
    item = practice.answer_item("e1", "2 + 2", "4", True, 8.4, T0)
    session = practice.standalone(ME, item, T0)
    assert (session.status, session.itemCount, session.correctCount) == ("completed", 1, 1)
    assert (session.scorePercentage, session.durationSeconds, session.duration) == (100.0, 8, "8 s")
    assert session.actualStart == T0 - timedelta(seconds=8.4)
    wrong = practice.standalone(ME, practice.answer_item("e1", "p", "5", False, 0, T0), T0)
    assert (wrong.correctCount, wrong.scorePercentage) == (0, 0.0)


def test_standalone_answers_are_counted_per_hour_and_refused_past_the_bound():
    from sessionbase.errors import ResourceExhausted

    at = T0.replace(minute=59, second=30)  # 30 s before the hour ends
    first = practice.counted_standalone(None, at)
    hour = at.replace(minute=0, second=0)
    assert (first.windowStart, first.count, first.expireAt) == (hour, 1, hour + timedelta(hours=1))
    quota = first
    for _ in range(practice.STANDALONE_PER_WINDOW - 1):
        quota = practice.counted_standalone(quota, at)
    assert quota.count == practice.STANDALONE_PER_WINDOW
    with pytest.raises(ResourceExhausted) as refused:
        practice.counted_standalone(quota, at)
    assert refused.value.retry_after == 30  # until the window ends
    assert "At most 60 answers without a session_id an hour" in refused.value.detail
    # The next hour starts a new count; a count of an earlier window is not carried over.
    later = practice.counted_standalone(quota, hour + timedelta(hours=1))
    assert (later.windowStart, later.count) == (hour + timedelta(hours=1), 1)
    at_the_bound = practice.counted_standalone(quota.changed(count=59), at)
    assert at_the_bound.count == practice.STANDALONE_PER_WINDOW


def test_a_standalone_refusal_near_the_end_of_its_window_says_retry_after_a_second_at_least():
    from sessionbase.errors import ResourceExhausted

    end = T0.replace(minute=59, second=59, microsecond=900_000)
    quota = practice.counted_standalone(None, end).changed(count=practice.STANDALONE_PER_WINDOW)
    with pytest.raises(ResourceExhausted) as refused:
        practice.counted_standalone(quota, end)
    assert refused.value.retry_after == 1
