"""Practice sessions of exercises (practice seed): snake_case, exactly as that seed's clients send.

An exercise is two documents: ``exercises/{id}`` (the prompt, readable by any signed-in user) and
``exerciseAnswers/{id}`` (the accepted answers, never readable by athletes; firestore.rules).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints

from sessionbase.models.base import Input, Output, Record
from sessionbase.models.fields import Id

Prompt = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Answer = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
UserAnswer = Annotated[str, StringConstraints(max_length=500)]


class ExerciseCreate(Input):
    """Body of ``POST /api/exercises``: a prompt and the answers accepted for it."""

    prompt: Prompt
    answers: list[Answer] = Field(min_length=1, max_length=50)


class ExerciseRecord(Record):
    """``exercises/{exerciseId}``: what an athlete sees."""

    prompt: str
    createdBy: str
    createdAt: dt.datetime


class ExerciseAnswersRecord(Record):
    """``exerciseAnswers/{exerciseId}``: the accepted answers (the first is shown as correct)."""

    answers: list[str]


class StandaloneQuotaRecord(Record):
    """``quotas/{key}``: a caller's standalone submits in the current window (internal)."""

    windowStart: dt.datetime
    count: int
    expireAt: dt.datetime  # for a Firestore TTL policy: a window past is of no use


class ExerciseCreated(Output):
    """A new exercise's id."""

    exercise_id: str


class PracticeStart(Input):
    """Body of ``POST /api/exercises/session/start``.

    ``session_type`` is checked by the service, so that an unknown one gets the seed's own error.
    """

    session_type: Annotated[str, StringConstraints(max_length=50)] = "practice"


class PracticeStarted(Output):
    """The seed's answer to a start: the session's id and when it started."""

    session_id: str
    started_at: dt.datetime


class AnswerSubmit(Input):
    """Body of ``POST /api/exercises/submit``; without ``session_id``, a standalone session."""

    exercise_id: Id
    user_answer: UserAnswer
    time_taken: float = Field(ge=0, le=24 * 3600, allow_inf_nan=False, description="seconds")
    session_id: Id | None = None
    # Not in the seed: a client-chosen id of this attempt, which makes a retried submit safe
    # (the same attempt is counted once).
    attempt_id: Id | None = None


class AnswerValidation(Output):
    """The seed's ``AnswerValidation``: whether the answer was right, and the right one."""

    is_correct: bool
    correct_answer: str
    exercise_id: str
    session_id: str


class PracticeEnd(Input):
    """Body of ``POST /api/exercises/session/end``."""

    session_id: Id


class PracticeSummary(Output):
    """The seed's summary of an ended session."""

    session_id: str
    started_at: dt.datetime
    ended_at: dt.datetime
    duration_seconds: int
    total_exercises: int
    correct_answers: int
    score_percentage: float
    session_type: str
