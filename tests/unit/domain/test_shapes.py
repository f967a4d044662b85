"""Our records in the yoga seed's shape (domain/shapes.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sessionbase.domain.sessions import new_yoga_session
from sessionbase.domain.shapes import has_poses, yoga_session
from sessionbase.models.identity import Caller, Role
from sessionbase.models.sessions import ItemRecord, SessionRecord, YogaSessionCreate

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
CALLER = Caller(
    uid="yogi", email="yogi@example.com", email_verified=True, name=None, role=Role.ATHLETE
)


def practice(minutes: float, *names: str) -> tuple[SessionRecord, list[ItemRecord]]:
    body = {
        "duration": minutes,
        "poses": [{"pose_name": n, "accuracy": 80.0 + i} for i, n in enumerate(names)],
    }
    return new_yoga_session(CALLER, YogaSessionCreate.model_validate(body), NOW)


def test_poses_come_in_the_order_sent_whatever_their_ids() -> None:
    session, items = practice(25, "Tree", "Mountain Pose", "Cobra")
    ids = ["zz", "aa", "mm"]  # Firestore auto-ids sort at random
    shaped = yoga_session("s1", session, reversed(list(zip(ids, items, strict=True))))
    assert [p.pose_name for p in shaped.poses] == ["Tree", "Mountain Pose", "Cobra"]
    assert (shaped.id, shaped.user_id, shaped.total_poses, shaped.avg_accuracy) == (
        "s1",
        "yogi",
        3,
        81.0,
    )
    assert (shaped.date, shaped.created_at) == (NOW - timedelta(minutes=25), NOW)
    assert shaped.poses[0].timestamp == NOW
    assert has_poses(session)


def test_duration_is_whole_minutes_halves_up() -> None:
    for minutes, whole in ((25, 25), (31.6, 32), (0.5, 1), (12.4, 12), (0, 0)):
        session, _ = practice(minutes, "Tree")
        assert yoga_session("s", session, []).duration == whole


def test_answers_are_not_poses_and_a_session_without_poses_is_empty() -> None:
    answer = ItemRecord(kind="answer", name="2 + 2", isCorrect=True, at=NOW, createdAt=NOW)
    plain = SessionRecord(athleteId="a", createdAt=NOW)
    shaped = yoga_session("s", plain, [("x", answer)])
    assert (shaped.poses, shaped.total_poses, shaped.duration, shaped.avg_accuracy) == (
        [],
        0,
        0,
        None,
    )
    assert shaped.date == NOW
    assert not has_poses(plain)
