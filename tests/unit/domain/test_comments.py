"""domain/comments.py: a comment lies within its video, replies go one level deep, and who may
add, edit, delete and resolve; a comment on a replaced video is marked, not lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sessionbase.domain import comments
from sessionbase.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from sessionbase.models.comments import CommentCreate, CommentRecord, CommentUpdate
from sessionbase.models.sessions import SessionRecord
from sessionbase.models.validation import parse
from tests.unit.factories import ADMIN, ATHLETE, COACH, caller, session_record

T0 = datetime(2026, 12, 19, 12, 0, tzinfo=UTC)
VIDEO = {
    "videoPath": "sessions/s1/video/jump.mp4",
    "videoGeneration": "1700000000000000",
    "analysisJobId": "job-1",
}


def session(**fields) -> SessionRecord:
    return session_record(
        athleteId="ath",
        coachId="its-coach",
        createdBy="its-coach",
        **{**VIDEO, "metrics": {"durationSeconds": 2.04}, **fields},
    )


def body(**fields) -> CommentCreate:
    return parse(CommentCreate, {"atMs": 1000, "text": "Look here", **fields})


def stored(**fields) -> CommentRecord:
    return CommentRecord.model_validate(
        {
            "commentId": "c1",
            "sessionId": "s1",
            "atMs": 1000,
            "text": "Look here",
            "drawing": None,
            "replyTo": None,
            "authorId": ATHLETE.uid,
            "authorName": "Ath",
            "createdAt": T0,
            "editedAt": None,
            "resolved": False,
            "resolvedBy": None,
            "resolvedAt": None,
            "videoJobId": "job-1",
            **fields,
        }
    )


def fields_of(error: pytest.ExceptionInfo) -> set[str]:
    return {e.field for e in error.value.errors}


def test_a_new_comment_is_the_callers_on_the_current_video():
    made = comments.new_comment(
        COACH, session(), body(), comment_id="c9", session_id="s1", parent=None, now=T0
    )
    assert made.document() == {
        "commentId": "c9",
        "sessionId": "s1",
        "atMs": 1000,
        "text": "Look here",
        "drawing": None,
        "replyTo": None,
        "authorId": COACH.uid,
        "authorName": COACH.display_name,
        "createdAt": T0,
        "editedAt": None,
        "resolved": False,
        "resolvedBy": None,
        "resolvedAt": None,
        "videoJobId": "job-1",
    }


@pytest.mark.parametrize("at_ms", [0, 2040])
def test_a_comment_may_sit_at_either_end_of_the_video(at_ms):
    made = comments.new_comment(
        ATHLETE, session(), body(atMs=at_ms), comment_id="c", session_id="s1", parent=None, now=T0
    )
    assert made.atMs == at_ms


def test_a_comment_past_the_end_names_at_ms():
    with pytest.raises(InvalidArgument) as refused:
        comments.new_comment(
            ATHLETE, session(), body(atMs=2041), comment_id="c", session_id="s1", parent=None,
            now=T0,
        )  # fmt: skip
    assert fields_of(refused) == {"atMs"}
    assert "2040" in refused.value.errors[0].message


@pytest.mark.parametrize(
    "fields",
    [
        {"videoPath": None},
        {"videoPath": None, "metrics": None, "analysisJobId": None},
        {"analysisJobId": None},  # a refused upload: deleted, no job
        {"videoGeneration": None},  # a create-with-athlete session waiting for its upload
    ],
)
def test_a_session_without_video_takes_no_comment(fields):
    with pytest.raises(FailedPrecondition, match="no video") as refused:
        comments.new_comment(
            ATHLETE, session(**fields), body(), comment_id="c", session_id="s1", parent=None,
            now=T0,
        )  # fmt: skip
    assert refused.value.errors == ()


@pytest.mark.parametrize("metrics", [None, {}, {"durationSeconds": None}, {"durationSeconds": "x"}])
def test_a_video_of_unknown_length_takes_no_comment_yet(metrics):
    with pytest.raises(FailedPrecondition, match="length"):
        comments.new_comment(
            ATHLETE, session(metrics=metrics), body(), comment_id="c", session_id="s1",
            parent=None, now=T0,
        )  # fmt: skip


def test_a_reply_answers_a_top_level_comment_of_the_session():
    reply = comments.new_comment(
        COACH, session(), body(replyTo="c1"), comment_id="c2", session_id="s1", parent=stored(),
        now=T0,
    )  # fmt: skip
    assert reply.replyTo == "c1"


@pytest.mark.parametrize(
    "parent",
    [None, stored(replyTo="c0"), stored(sessionId="another")],
    ids=["missing (or another session's)", "a reply", "another session's"],
)
def test_a_reply_to_anything_else_names_reply_to(parent):
    with pytest.raises(InvalidArgument) as refused:
        comments.new_comment(
            COACH, session(), body(replyTo="c1"), comment_id="c2", session_id="s1",
            parent=parent, now=T0,
        )  # fmt: skip
    assert fields_of(refused) == {"replyTo"}


def test_every_bad_field_is_named_at_once():
    with pytest.raises(InvalidArgument) as refused:
        comments.new_comment(
            COACH, session(), body(atMs=99_000, replyTo="c1"), comment_id="c2",
            session_id="s1", parent=stored(replyTo="c0"), now=T0,
        )  # fmt: skip
    assert fields_of(refused) == {"atMs", "replyTo"}


def test_the_author_and_admins_edit():
    comments.require_editor(ATHLETE, stored())
    comments.require_editor(ADMIN, stored())
    for other in (COACH, caller("someone-else")):
        with pytest.raises(PermissionDenied):
            comments.require_editor(other, stored())


def test_an_edit_sets_what_was_sent_and_the_edit_time():
    later = T0 + timedelta(minutes=5)
    drawn = {"shapes": [{"kind": "arrow", "points": [[0, 0], [1, 1]], "colour": "#123abc"}]}
    edited = comments.edited(
        stored(), parse(CommentUpdate, {"text": "better", "drawing": drawn}), session(), later
    )
    assert (edited.text, edited.atMs, edited.editedAt) == ("better", 1000, later)
    assert edited.drawing == {
        "shapes": [
            {"kind": "arrow", "points": [{"x": 0.0, "y": 0.0}, {"x": 1.0, "y": 1.0}],
             "colour": "#123abc"}
        ]
    }  # fmt: skip
    cleared = comments.edited(edited, parse(CommentUpdate, {"drawing": None}), session(), later)
    assert cleared.drawing is None
    assert cleared.text == "better"


def test_an_edit_past_the_end_names_at_ms():
    with pytest.raises(InvalidArgument) as refused:
        comments.edited(stored(), parse(CommentUpdate, {"atMs": 5000}), session(), T0)
    assert fields_of(refused) == {"atMs"}


def test_the_author_the_sessions_coach_and_admins_delete():
    for who in (ATHLETE, caller("its-coach", role="coach"), ADMIN):
        comments.require_remover(who, session(), stored())
    for who in (COACH, caller("someone-else"), caller("ath2")):  # COACH: not this session's
        with pytest.raises(PermissionDenied):
            comments.require_remover(who, session(), stored())


def test_the_sessions_coach_and_admins_resolve():
    comments.require_resolver(caller("its-coach", role="coach"), session())
    comments.require_resolver(ADMIN, session())
    for who in (ATHLETE, COACH, caller("ath")):  # the author is not enough
        with pytest.raises(PermissionDenied):
            comments.require_resolver(who, session())


def test_resolving_records_who_and_when_and_reopening_clears_them():
    coach = caller("its-coach", role="coach")
    done = comments.resolved(stored(), coach, True, T0)
    assert (done.resolved, done.resolvedBy, done.resolvedAt) == (True, "its-coach", T0)
    again = comments.resolved(done, ADMIN, True, T0 + timedelta(hours=1))
    assert again == done  # resolving a resolved comment changes nothing
    reopened = comments.resolved(done, coach, False, T0)
    assert (reopened.resolved, reopened.resolvedBy, reopened.resolvedAt) == (False, None, None)


def test_a_comment_on_a_replaced_video_is_marked_earlier():
    assert comments.is_earlier_video(session(), stored()) is False
    assert comments.is_earlier_video(session(analysisJobId="job-2"), stored()) is True
    assert comments.is_earlier_video(session(analysisJobId=None), stored()) is True
