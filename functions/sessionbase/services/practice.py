"""Practice sessions of exercises (practice seed): exercises, start, submit, end.

A submitted answer is one batch of increments through the session's gate (like a check-in), so
concurrent answers all count and none lands after the end. The running ``scorePercentage`` is
then brought up to the counters (``_refresh_score``); the end computes it from the final ones.
"""

from __future__ import annotations

import contextlib
import logging

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
from sessionbase.models.sessions import ItemRecord, SessionRecord
from sessionbase.services.context import Context
from sessionbase.store.client import DocumentExists, DocumentMissing
from sessionbase.store.keys import standalone_session_id
from sessionbase.store.work import Store

log = logging.getLogger(__name__)


def create_exercise(ctx: Context, body: ExerciseCreate) -> ExerciseCreated:
    """``POST /api/exercises``: a prompt, and its accepted answers kept apart from it."""
    policy.require_coach_or_admin(ctx.caller, "and admins create exercises")
    exercise_id = ctx.store.practice.new_exercise_id()
    exercise = ExerciseRecord(prompt=body.prompt, createdBy=ctx.caller.uid, createdAt=ctx.now)
    answers = ExerciseAnswersRecord(answers=list(body.answers))
    ctx.store.write(lambda unit: unit.practice.create_exercise(exercise_id, exercise, answers))
    return ExerciseCreated(exercise_id=exercise_id)


def start_practice(ctx: Context, body: PracticeStart) -> PracticeStarted:
    """``POST /api/exercises/session/start``: an active practice session of the caller."""
    session = practice.new_practice(ctx.caller, practice.session_type(body.session_type), ctx.now)
    session_id = ctx.store.sessions.new_id()

    def start(unit: Store) -> None:
        unit.sessions.create(session_id, session)
        unit.practice.open_for_answers(session_id)

    ctx.store.write(start)
    return PracticeStarted(session_id=session_id, started_at=ctx.now)


def submit_answer(ctx: Context, body: AnswerSubmit) -> AnswerValidation:
    """``POST /api/exercises/submit``: check the answer and count it in its session."""
    found = ctx.store.practice.exercise(body.exercise_id)
    if found is None:
        raise invalid_fields([FieldError(field="exercise_id", message="no such exercise")])
    exercise, answers = found
    correct = practice.is_correct(body.user_answer, answers)
    item = practice.answer_item(
        body.exercise_id, exercise.prompt, body.user_answer, correct, body.time_taken, ctx.now
    )
    if body.session_id is None:
        session_id = _submit_standalone(ctx, item, body.attempt_id)
    else:
        session_id = body.session_id
        practice.require_open(ctx.caller, ctx.store.sessions.get(session_id))
        try:
            ctx.store.write(
                lambda unit: unit.practice.add_answer(session_id, item, item_id=body.attempt_id)
            )
        except DocumentExists:  # a retry of an attempt that was counted: answer it again
            pass
        except DocumentMissing:  # ended (or deleted) since it was read
            practice.require_open(ctx.caller, ctx.store.sessions.get(session_id))
            raise FailedPrecondition(practice.ALREADY_COMPLETED) from None
        _refresh_score(ctx, session_id)
    return AnswerValidation(
        is_correct=correct,
        correct_answer=answers[0],
        exercise_id=body.exercise_id,
        session_id=session_id,
    )


def _submit_standalone(ctx: Context, item: ItemRecord, attempt_id: str | None) -> str:
    """A completed session of this one answer, counted against the caller's window
    (``practice.counted_standalone``). With an ``attempt_id`` its id is derived from the caller
    and the attempt, so a repeat finds the session made the first time and counts nothing."""
    uid = ctx.caller.uid
    if attempt_id is None:
        session_id = ctx.store.sessions.new_id()
    else:
        session_id = standalone_session_id(uid, attempt_id)
    standalone = practice.standalone(ctx.caller, item, ctx.now)

    def submit(unit: Store) -> None:
        if attempt_id is not None and unit.sessions.exists(session_id):
            return  # a repeat of a counted attempt
        counted = practice.counted_standalone(unit.practice.standalone_quota(uid), ctx.now)
        unit.sessions.create(session_id, standalone, [item])
        unit.practice.count_standalone(uid, counted)

    # DocumentExists: a concurrent repeat won (or the session is being deleted): counted once.
    with contextlib.suppress(DocumentExists):
        ctx.store.transaction(submit)
    return session_id


def _refresh_score(ctx: Context, session_id: str) -> None:
    """Bring ``scorePercentage`` up to the session's counters (best effort while it runs).

    Every submit does this after its own increments, so the last one leaves the score exact;
    one that keeps losing races to newer answers gives up, since those answers refresh it too.
    """

    def refresh(unit: Store) -> None:
        found = unit.sessions.get_versioned(session_id)
        if found is None:
            return
        session, version = found
        wanted = practice.stored_score(session.correctCount or 0, session.itemCount or 0)
        if session.scorePercentage == wanted:
            return  # nothing staged: nothing is committed
        unit.sessions.patch(session_id, {"scorePercentage": wanted}, version=version)

    try:
        ctx.store.optimistic(refresh, also=(DocumentMissing,))
    except Aborted:
        log.info("score of practice session %s left to a later answer", session_id)


def end_practice(ctx: Context, body: PracticeEnd) -> PracticeSummary:
    """``POST /api/exercises/session/end``: close the session and sum it up.

    The end closes the gate and writes the final figures in one unit, on the session as it
    was read: an answer committed meanwhile makes the unit fail, and it is read again.
    """

    def end(unit: Store) -> SessionRecord:
        found = unit.sessions.get_versioned(body.session_id)
        session = practice.require_open(ctx.caller, None if found is None else found[0])
        assert found is not None
        closed = practice.ended(ctx.caller, session, ctx.now)
        unit.practice.close_for_answers(body.session_id)
        unit.sessions.replace(body.session_id, closed, version=found[1])
        return closed

    closed = ctx.store.optimistic(end, also=(DocumentMissing,))
    return practice.summary(body.session_id, closed, ctx.now)
