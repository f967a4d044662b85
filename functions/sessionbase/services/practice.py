"""Practice sessions of exercises (practice seed): exercises, start, submit, end.

A submitted answer is one batch of increments through the session's gate (like a check-in), so
concurrent answers all count and none lands after the end. The running ``scorePercentage`` is
then brought up to the counters (``_refresh_score``); the end computes it from the final ones.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sessionbase.domain import policy, practice
from sessionbase.errors import Aborted, FailedPrecondition, FieldError, invalid_fields
from sessionbase.models.practice import (
    AnswerSubmit,
    AnswerValidation,
    ExerciseAnswersRecord,
    ExerciseCreate,
    ExerciseCreated,
    ExerciseRecord,
    PracticeEnd,
    PracticeStart,
    PracticeStarted,
    PracticeSummary,
)
from sessionbase.models.sessions import SessionRecord
from sessionbase.services.context import Context
from sessionbase.store import practice as store
from sessionbase.store import sessions as session_store
from sessionbase.store.client import DocumentExists, DocumentMissing, commit, retry_on_conflict

if TYPE_CHECKING:
    from google.cloud.firestore import Client

log = logging.getLogger(__name__)


def create_exercise(ctx: Context, body: ExerciseCreate) -> ExerciseCreated:
    """``POST /api/exercises``: a prompt, and its accepted answers kept apart from it."""
    policy.require_coach_or_admin(ctx.caller, "and admins create exercises")
    exercise_id = store.new_exercise_id(ctx.db)
    batch = ctx.db.batch()
    store.create_exercise(
        batch,
        ctx.db,
        exercise_id,
        ExerciseRecord(prompt=body.prompt, createdBy=ctx.caller.uid, createdAt=ctx.now),
        ExerciseAnswersRecord(answers=list(body.answers)),
    )
    commit(batch)
    return ExerciseCreated(exercise_id=exercise_id)


def start_practice(ctx: Context, body: PracticeStart) -> PracticeStarted:
    """``POST /api/exercises/session/start``: an active practice session of the caller."""
    session = practice.new_practice(ctx.caller, practice.session_type(body.session_type), ctx.now)
    session_id = session_store.new_session_id(ctx.db)
    batch = ctx.db.batch()
    session_store.create(batch, ctx.db, session_id=session_id, session=session)
    store.open_for_answers(batch, ctx.db, session_id)
    commit(batch)
    return PracticeStarted(session_id=session_id, started_at=ctx.now)


def submit_answer(ctx: Context, body: AnswerSubmit) -> AnswerValidation:
    """``POST /api/exercises/submit``: check the answer and count it in its session."""
    found = store.exercise(ctx.db, body.exercise_id)
    if found is None:
        raise invalid_fields([FieldError(field="exercise_id", message="no such exercise")])
    exercise, answers = found
    correct = practice.is_correct(body.user_answer, answers)
    item = practice.answer_item(
        body.exercise_id, exercise.prompt, body.user_answer, correct, body.time_taken, ctx.now
    )
    if body.session_id is None:
        session_id = session_store.new_session_id(ctx.db)
        standalone = practice.standalone(ctx.caller, item, ctx.now)
        session_store.create_now(ctx.db, session_id=session_id, session=standalone, items=[item])
    else:
        session_id = body.session_id
        practice.require_open(ctx.caller, session_store.get(ctx.db, session_id))
        batch = ctx.db.batch()
        store.add_answer(batch, ctx.db, session_id, item, item_id=body.attempt_id)
        try:
            commit(batch)
        except DocumentExists:  # a retry of an attempt that was counted: answer it again
            pass
        except DocumentMissing:  # ended (or deleted) since it was read
            practice.require_open(ctx.caller, session_store.get(ctx.db, session_id))
            raise FailedPrecondition(practice.ALREADY_COMPLETED) from None
        _refresh_score(ctx.db, session_id)
    return AnswerValidation(
        is_correct=correct,
        correct_answer=answers[0],
        exercise_id=body.exercise_id,
        session_id=session_id,
    )


def _refresh_score(db: Client, session_id: str) -> None:
    """Bring ``scorePercentage`` up to the session's counters (best effort while it runs).

    Every submit does this after its own increments, so the last one leaves the score exact;
    one that keeps losing races to newer answers gives up, since those answers refresh it too.
    """

    def refresh() -> None:
        found = session_store.get_versioned(db, session_id)
        if found is None:
            return
        session, version = found
        wanted = practice.score(session.correctCount or 0, session.itemCount or 0)
        if session.scorePercentage == wanted:
            return
        batch = db.batch()
        session_store.patch(batch, db, session_id, {"scorePercentage": wanted}, version=version)
        commit(batch)

    try:
        retry_on_conflict(refresh, also=(DocumentMissing,))
    except Aborted:
        log.info("score of practice session %s left to a later answer", session_id)


def end_practice(ctx: Context, body: PracticeEnd) -> PracticeSummary:
    """``POST /api/exercises/session/end``: close the session and sum it up.

    The end closes the gate and writes the final figures in one batch, on the session as it
    was read: an answer committed meanwhile makes the batch fail, and it is read again.
    """

    def end() -> tuple[str, SessionRecord]:
        found = session_store.get_versioned(ctx.db, body.session_id)
        session = practice.require_open(ctx.caller, None if found is None else found[0])
        assert found is not None
        closed = practice.ended(ctx.caller, session, ctx.now)
        batch = ctx.db.batch()
        store.close_for_answers(batch, ctx.db, body.session_id)
        session_store.replace(batch, ctx.db, body.session_id, closed, version=found[1])
        commit(batch)
        return body.session_id, closed

    session_id, closed = retry_on_conflict(end, also=(DocumentMissing,))
    return practice.summary(session_id, closed, ctx.now)
