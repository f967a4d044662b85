"""Practice sessions of exercises (practice seed): answer checks, sessions, scores, summaries.

Pure: no I/O. A practice session is a session of the caller as its own athlete, of type
Practice, Review or Test, ``active`` from its start until its end, when it is ``completed``.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from sessionbase.domain.sessions import self_as_athlete
from sessionbase.errors import (
    FailedPrecondition,
    FieldError,
    InvalidArgument,
    NotFound,
    ResourceExhausted,
)
from sessionbase.models.identity import Caller
from sessionbase.models.practice import PracticeSummary, StandaloneQuotaRecord
from sessionbase.models.sessions import ItemRecord, SessionRecord, SessionStatus, SessionType

# The seed's session types, and the session types they are stored as.
SESSION_TYPES = {
    "practice": SessionType.PRACTICE,
    "review": SessionType.REVIEW,
    "test": SessionType.TEST,
}
_NAMES = {stored: name for name, stored in SESSION_TYPES.items()}
# The seed's error sentences, word for word.
NOT_FOUND = "Session not found or does not belong to user"
ALREADY_COMPLETED = "Session is already completed"
# Each standalone submit (no ``session_id``) is a new session: a caller makes at most this many
# in a window (docs/decisions.md); answers within a session are not bounded by it.
STANDALONE_PER_WINDOW = 60
STANDALONE_WINDOW = timedelta(hours=1)


def session_type(name: str) -> SessionType:
    """The stored type of the seed's ``session_type``; the seed's 400 for any other."""
    try:
        return SESSION_TYPES[name]
    except KeyError:
        raise InvalidArgument(
            "Invalid session_type. Must be one of: practice, review, test",
            errors=(FieldError(field="session_type", message="one of practice, review, test"),),
        ) from None


def normalised(answer: str) -> str:
    """An answer as compared: trimmed, Unicode NFC, case-folded; accents stay significant."""
    folded = unicodedata.normalize("NFC", answer.strip()).casefold()
    return unicodedata.normalize("NFC", folded)


def is_correct(user_answer: str, answers: list[str]) -> bool:
    """True when the answer is one of the accepted ones (``normalised`` on both sides)."""
    given = normalised(user_answer)
    return any(given == normalised(accepted) for accepted in answers)


def score(correct: int, total: int) -> float:
    """``correct / total * 100``, to two decimals (0 for an empty session: the seed's summary)."""
    return round(correct * 100 / total, 2) if total else 0.0


def stored_score(correct: int, total: int) -> float | None:
    """A session's ``scorePercentage``: none until it has an answer (an empty practice has no
    score, so statistics never average in a 0 nobody scored)."""
    return score(correct, total) if total else None


def unanswered(session: SessionRecord) -> bool:
    """A practice of exercises (it counts answers) without a single answer."""
    return (
        session.sessionType in _NAMES and session.correctCount is not None and not session.itemCount
    )


def new_practice(caller: Caller, kind: SessionType, now: datetime) -> SessionRecord:
    """A practice session starting now, open to answers."""
    return SessionRecord.model_validate(
        {
            **self_as_athlete(caller),
            "createdBy": caller.uid,
            "sessionType": kind,
            "status": SessionStatus.ACTIVE,
            "actualStart": now,
            "itemCount": 0,
            "correctCount": 0,
            "createdAt": now,
            "updatedAt": now,
        }
    )


def answer_item(
    exercise_id: str, prompt: str, user_answer: str, correct: bool, seconds: float, now: datetime
) -> ItemRecord:
    """The ``items`` record of one submitted answer."""
    return ItemRecord(
        kind="answer",
        name=prompt,
        exerciseId=exercise_id,
        userAnswer=user_answer,
        isCorrect=correct,
        timeTakenSeconds=seconds,
        at=now,
        createdAt=now,
    )


def standalone(caller: Caller, item: ItemRecord, now: datetime) -> SessionRecord:
    """The seed's legacy submit (no ``session_id``): a completed session of that one answer."""
    seconds = item.timeTakenSeconds or 0.0
    correct = 1 if item.isCorrect else 0
    return new_practice(caller, SessionType.PRACTICE, now - timedelta(seconds=seconds)).changed(
        status=SessionStatus.COMPLETED,
        actualEnd=now,
        durationSeconds=round(seconds),
        duration=display_duration(round(seconds)),
        itemCount=1,
        correctCount=correct,
        scorePercentage=score(correct, 1),
        completedBy=caller.uid,
        updatedAt=now,
    )


def counted_standalone(quota: StandaloneQuotaRecord | None, now: datetime) -> StandaloneQuotaRecord:
    """The caller's count with one more standalone submit, or ResourceExhausted (429, with the
    seconds until the window ends) once the window's bound is reached. Windows are fixed: the
    hour the submit falls in (UTC)."""
    start = now.replace(minute=0, second=0, microsecond=0)
    count = quota.count if quota is not None and quota.windowStart == start else 0
    end = start + STANDALONE_WINDOW
    if count >= STANDALONE_PER_WINDOW:
        raise ResourceExhausted(
            f"At most {STANDALONE_PER_WINDOW} answers without a session_id an hour: "
            "start a practice session, or try again later.",
            retry_after=max(1, int((end - now).total_seconds())),
        )
    return StandaloneQuotaRecord(windowStart=start, count=count + 1, expireAt=end)


def require_open(caller: Caller, session: SessionRecord | None) -> SessionRecord:
    """The caller's practice session, open to answers; the seed's 404 or 400 otherwise."""
    if (
        session is None
        or session.athleteId != caller.uid
        or session.createdBy != caller.uid
        or session.sessionType not in _NAMES
    ):
        raise NotFound(NOT_FOUND)
    if session.status == SessionStatus.COMPLETED:
        raise FailedPrecondition(ALREADY_COMPLETED)
    if session.status != SessionStatus.ACTIVE:
        raise FailedPrecondition("Session was cancelled")
    return session


def ended(caller: Caller, session: SessionRecord, now: datetime) -> SessionRecord:
    """The session at its end: completed, with its duration and its final score."""
    start = session.actualStart or session.createdAt or now
    seconds = max(0, int((now - start).total_seconds()))
    total, correct = session.itemCount or 0, session.correctCount or 0
    return session.changed(
        status=SessionStatus.COMPLETED,
        actualEnd=now,
        durationSeconds=seconds,
        duration=display_duration(seconds),
        scorePercentage=stored_score(correct, total),
        completedBy=caller.uid,
        updatedAt=now,
    )


def display_duration(seconds: int) -> str:
    """The ``duration`` display string: ``15 min 30 s``, ``45 s``."""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def summary(session_id: str, session: SessionRecord, now: datetime) -> PracticeSummary:
    """The seed's answer to ``session/end``."""
    total, correct = session.itemCount or 0, session.correctCount or 0
    start = session.actualStart or session.createdAt or now
    return PracticeSummary(
        session_id=session_id,
        started_at=start,
        ended_at=session.actualEnd or now,
        duration_seconds=session.durationSeconds or 0,
        total_exercises=total,
        correct_answers=correct,
        score_percentage=score(correct, total),
        session_type=_NAMES.get(SessionType(session.sessionType or "Practice"), "practice"),
    )
