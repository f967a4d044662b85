"""domain/completion.py: codes, which sessions close, completed and cancelled sessions, notes,
attachments' removers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from sessionbase.domain import completion
from sessionbase.errors import FailedPrecondition, PermissionDenied
from sessionbase.models.completion import (
    NoteCreate,
    NoteUpdate,
    SessionCancel,
    completion_code,
)
from sessionbase.models.sessions import AttachmentRecord, SessionRecord
from tests.unit.factories import ADMIN, ATHLETE, COACH, caller, session_record
from tests.unit.factories import completion_body as body

T0 = datetime(2026, 12, 19, 12, 0, tzinfo=UTC)


def session(**fields) -> SessionRecord:
    return session_record(athleteId="ath", coachId="coach", createdBy="coach", **fields)


def test_generated_codes_avoid_look_alike_characters():
    codes = {completion.generated_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code)
        assert completion_code(code) == code


def test_a_completed_session_has_its_times_in_utc_its_duration_and_its_code():
    done = completion.completed(COACH, session(), body(notes="Quiz next"), "K7QM-3XHP", T0)
    assert (done.status, done.completionCode, done.completedBy) == (
        "completed",
        "K7QM-3XHP",
        "coach",
    )
    assert (done.actualStart, done.actualEnd) == (
        datetime(2026, 12, 19, 8, 30, tzinfo=UTC),
        datetime(2026, 12, 19, 9, 45, tzinfo=UTC),
    )
    assert done.actualStart.tzinfo == UTC
    assert (done.durationSeconds, done.duration, done.notes) == (4500, "75 min 0 s", "Quiz next")
    assert completion.completed(COACH, session(notes="kept"), body(), "C0DE", T0).notes == "kept"


def test_a_retry_is_recognised_only_with_the_same_code_and_times():
    done = completion.completed(COACH, session(), body(completionCode="abc"), "ABC", T0)
    assert completion.is_same_completion(done, body(completionCode="ABC"))
    assert not completion.is_same_completion(done, body())  # no code: cannot tell
    assert not completion.is_same_completion(done, body(completionCode="ABD"))
    later = body(completionCode="ABC", actualEnd="2026-12-19T11:00:00+01:00")
    assert not completion.is_same_completion(done, later)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"status": "completed"}, "already completed"),
        ({"status": "cancelled"}, "already cancelled"),
        ({"status": "active", "groupId": "g1"}, "end it with POST"),
    ],
)
def test_only_scheduled_or_active_sessions_close(fields, reason):
    with pytest.raises(FailedPrecondition, match=reason):
        completion.require_closable(session(**fields))


def test_scheduled_active_and_ended_live_sessions_close():
    completion.require_closable(session())
    completion.require_closable(session(status="active"))
    completion.require_closable(session(status="scheduled", groupId="g1"))


def test_a_cancelled_session_keeps_its_reason():
    cancelled = completion.cancelled(session(), SessionCancel(reason="Venue closed"), T0)
    assert (cancelled.status, cancelled.cancelReason, cancelled.updatedAt) == (
        "cancelled",
        "Venue closed",
        T0,
    )


def test_notes_are_written_by_their_author_and_changed_by_them_or_an_admin():
    note = completion.new_note(COACH, NoteCreate(text=" Great work ", type="achievement"), T0)
    assert (note.text, note.type, note.authorId, note.authorName) == (
        "Great work",
        "achievement",
        "coach",
        "coach",
    )
    completion.require_note_author(COACH, note)
    completion.require_note_author(ADMIN, note)
    with pytest.raises(PermissionDenied):
        completion.require_note_author(ATHLETE, note)
    edited = completion.edited_note(note, NoteUpdate(type="follow-up"), T0 + timedelta(hours=1))
    assert (edited.text, edited.type, edited.createdAt, edited.updatedAt) == (
        "Great work",
        "follow-up",
        T0,
        T0 + timedelta(hours=1),
    )
    with pytest.raises(ValidationError):
        NoteUpdate()


def test_attachments_are_removed_by_their_uploader_the_sessions_managers_or_an_admin():
    attachment = AttachmentRecord(path="p", uploadedBy="ath")
    for who in (ATHLETE, COACH, ADMIN):
        completion.require_attachment_remover(who, session(), attachment)
    with pytest.raises(PermissionDenied):
        completion.require_attachment_remover(caller("someone"), session(), attachment)
