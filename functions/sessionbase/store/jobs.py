"""Analysis jobs in ``analysisJobs/{jobId}`` and the callback replay guard."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sessionbase.models.analysis import JobRecord, JobState
from sessionbase.store.client import record_of
from sessionbase.store.keys import ANALYSIS_JOBS, CALLBACK_RECEIPTS
from sessionbase.store.work import Repository

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentReference


def job_ref(db: Client, job_id: str) -> DocumentReference:
    """The reference of one job document."""
    return db.collection(ANALYSIS_JOBS).document(job_id)


class Jobs(Repository):
    """Analysis jobs, the sessions a callback names by backend id, and used callback receipts."""

    def get_versioned(self, job_id: str) -> tuple[JobRecord, datetime] | None:
        """The job and its version (update time), or None."""
        snapshot = self._read(job_ref(self._db, job_id))
        job = record_of(snapshot, JobRecord.model_validate)
        return None if job is None else (job, snapshot.update_time)

    def exists(self, job_id: str) -> bool:
        """True when the job document exists."""
        return bool(self._read(job_ref(self._db, job_id)).exists)

    def unfinished_before(self, moment: datetime, limit: int) -> list[tuple[str, JobRecord]]:
        """Jobs still queued or running whose last change is older than ``moment``, oldest first."""
        from google.cloud.firestore import FieldFilter

        unfinished = [JobState.QUEUED.value, JobState.RUNNING.value]
        query = (
            self._collection(ANALYSIS_JOBS)
            .where(filter=FieldFilter("state", "in", unfinished))
            .where(filter=FieldFilter("updatedAt", "<", moment))
            .order_by("updatedAt")
            .limit(limit)
        )
        return [(snap.id, JobRecord.model_validate(snap.to_dict())) for snap in self._stream(query)]

    def missing(self, job_ids: list[str]) -> set[str]:
        """Which of these jobs do not exist."""
        refs = [job_ref(self._db, job_id) for job_id in job_ids]
        return {snap.id for snap in self._read_all(refs) if not snap.exists}

    def receipt_used(self, key: str) -> bool:
        """True when a callback with this signature was already accepted."""
        return bool(self._read(self._collection(CALLBACK_RECEIPTS).document(key)).exists)

    # ---- writes (inside a unit of work) --------------------------------------------------------

    def create(self, job_id: str, job: JobRecord) -> None:
        """Create the job (the unit fails if it exists: a second delivery of the same upload)."""
        self._writes.create(job_ref(self._db, job_id), job.document())

    def replace(self, job_id: str, job: JobRecord, *, version: datetime) -> None:
        """Write the job, if it is still at ``version`` (else the unit fails)."""
        option = self._unchanged_since(version)
        self._writes.update(job_ref(self._db, job_id), job.document(), option=option)

    def use_receipt(self, key: str, *, now: datetime, keep: timedelta) -> None:
        """Record a callback signature as used (the unit fails if it was: a replay).

        ``expireAt`` lets a Firestore TTL policy remove receipts once no signature that old
        verifies.
        """
        receipt = {"usedAt": now, "expireAt": now + keep}
        self._writes.create(self._collection(CALLBACK_RECEIPTS).document(key), receipt)
