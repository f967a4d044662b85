"""Exercises (``exercises`` and ``exerciseAnswers``) and the answers of practice sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sessionbase.models.practice import ExerciseAnswersRecord, ExerciseRecord
from sessionbase.models.sessions import ItemRecord
from sessionbase.store.client import record_of
from sessionbase.store.keys import EXERCISE_ANSWERS, EXERCISES
from sessionbase.store.sessions import gate_ref, session_ref

if TYPE_CHECKING:
    from google.cloud.firestore import Client, WriteBatch


def new_exercise_id(db: Client) -> str:
    """A fresh exercise id."""
    return str(db.collection(EXERCISES).document().id)


def create_exercise(
    batch: WriteBatch,
    db: Client,
    exercise_id: str,
    exercise: ExerciseRecord,
    answers: ExerciseAnswersRecord,
) -> None:
    """The exercise (its prompt) and, apart, its accepted answers."""
    batch.create(db.collection(EXERCISES).document(exercise_id), exercise.document())
    batch.create(db.collection(EXERCISE_ANSWERS).document(exercise_id), answers.document())


def exercise(db: Client, exercise_id: str) -> tuple[ExerciseRecord, list[str]] | None:
    """The exercise and its accepted answers, or None."""
    refs = [
        db.collection(EXERCISES).document(exercise_id),
        db.collection(EXERCISE_ANSWERS).document(exercise_id),
    ]
    found = {snapshot.reference.parent.id: snapshot for snapshot in db.get_all(refs)}
    prompt = record_of(found[EXERCISES], ExerciseRecord.model_validate)
    answers = record_of(found[EXERCISE_ANSWERS], ExerciseAnswersRecord.model_validate)
    return None if prompt is None or answers is None else (prompt, answers.answers)


def open_for_answers(batch: WriteBatch, db: Client, session_id: str) -> None:
    """Open a new practice session's gate (the session is created in the same batch)."""
    batch.create(gate_ref(db, session_id), {"answers": 0})


def add_answer(
    batch: WriteBatch, db: Client, session_id: str, item: ItemRecord, *, item_id: str | None
) -> None:
    """One answer: its item, through the open gate, and the session's counters, by increments.

    The batch fails with NotFound once the session has ended (its gate is gone), and with
    AlreadyExists when ``item_id`` names an answer already counted.
    """
    from google.cloud.firestore import Increment

    session = session_ref(db, session_id)
    batch.create(session.collection("items").document(item_id), item.document())
    batch.update(gate_ref(db, session_id), {"answers": Increment(1)})
    batch.update(
        session,
        {
            "itemCount": Increment(1),
            "correctCount": Increment(1 if item.isCorrect else 0),
            "updatedAt": item.at,
        },
    )


def close_for_answers(batch: WriteBatch, db: Client, session_id: str) -> None:
    """Delete the gate: no answer commits after this batch."""
    batch.delete(gate_ref(db, session_id))
