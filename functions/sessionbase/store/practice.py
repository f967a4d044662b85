"""Exercises (``exercises`` and ``exerciseAnswers``) and the answers of practice sessions."""

from __future__ import annotations

from sessionbase.models.practice import (
    ExerciseAnswersRecord,
    ExerciseRecord,
    StandaloneQuotaRecord,
)
from sessionbase.models.sessions import ItemRecord
from sessionbase.store.client import record_of
from sessionbase.store.keys import EXERCISE_ANSWERS, EXERCISES, QUOTAS, quota_id
from sessionbase.store.sessions import gate_ref, session_ref
from sessionbase.store.work import Repository


class Practice(Repository):
    """Exercises with their accepted answers, and the gate answers pass through."""

    def new_exercise_id(self) -> str:
        """A fresh exercise id."""
        return str(self._collection(EXERCISES).document().id)

    def exercise(self, exercise_id: str) -> tuple[ExerciseRecord, list[str]] | None:
        """The exercise and its accepted answers (one round trip), or None."""
        refs = [
            self._collection(EXERCISES).document(exercise_id),
            self._collection(EXERCISE_ANSWERS).document(exercise_id),
        ]
        found = {snapshot.reference.parent.id: snapshot for snapshot in self._read_all(refs)}
        prompt = record_of(found[EXERCISES], ExerciseRecord.model_validate)
        answers = record_of(found[EXERCISE_ANSWERS], ExerciseAnswersRecord.model_validate)
        return None if prompt is None or answers is None else (prompt, answers.answers)

    def standalone_quota(self, uid: str) -> StandaloneQuotaRecord | None:
        """The caller's count of standalone submits in its window, or None."""
        ref = self._collection(QUOTAS).document(quota_id(uid, "standaloneSubmit"))
        return record_of(self._read(ref), StandaloneQuotaRecord.model_validate)

    # ---- writes (inside a unit of work) --------------------------------------------------------

    def count_standalone(self, uid: str, quota: StandaloneQuotaRecord) -> None:
        """Write the caller's count of standalone submits."""
        ref = self._collection(QUOTAS).document(quota_id(uid, "standaloneSubmit"))
        self._writes.set(ref, quota.document())

    def create_exercise(
        self, exercise_id: str, exercise: ExerciseRecord, answers: ExerciseAnswersRecord
    ) -> None:
        """The exercise (its prompt) and, apart, its accepted answers."""
        self._writes.create(self._collection(EXERCISES).document(exercise_id), exercise.document())
        self._writes.create(
            self._collection(EXERCISE_ANSWERS).document(exercise_id), answers.document()
        )

    def open_for_answers(self, session_id: str) -> None:
        """Open a new practice session's gate (the session is created in the same unit)."""
        self._writes.create(gate_ref(self._db, session_id), {"answers": 0})

    def add_answer(self, session_id: str, item: ItemRecord, *, item_id: str | None) -> None:
        """One answer: its item, through the open gate, and the session's counters, by increments.

        The unit fails with ``DocumentMissing`` once the session has ended (its gate is gone),
        and with ``DocumentExists`` when ``item_id`` names an answer already counted.
        """
        from google.cloud.firestore import Increment

        session = session_ref(self._db, session_id)
        self._writes.create(session.collection("items").document(item_id), item.document())
        self._writes.update(gate_ref(self._db, session_id), {"answers": Increment(1)})
        self._writes.update(
            session,
            {
                "itemCount": Increment(1),
                "correctCount": Increment(1 if item.isCorrect else 0),
                "updatedAt": item.at,
            },
        )

    def close_for_answers(self, session_id: str) -> None:
        """Delete the gate: no answer commits after this unit."""
        self._writes.delete(gate_ref(self._db, session_id))
