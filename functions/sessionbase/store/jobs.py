"""Analysis jobs in ``analysisJobs/{jobId}`` and the callback replay guard."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sessionbase.models.analysis import JobRecord, JobState
from sessionbase.store.client import record_of, unchanged_since
from sessionbase.store.keys import ANALYSIS_JOBS, CALLBACK_RECEIPTS, SESSIONS

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentReference, WriteBatch


def job_ref(db: Client, job_id: str) -> DocumentReference:
    """The reference of one job document."""
    return db.collection(ANALYSIS_JOBS).document(job_id)


def get_versioned(db: Client, job_id: str) -> tuple[JobRecord, datetime] | None:
    """The job and its version (update time), or None."""
    snapshot = job_ref(db, job_id).get()
    job = record_of(snapshot, JobRecord.model_validate)
    return None if job is None else (job, snapshot.update_time)


def exists(db: Client, job_id: str) -> bool:
    """True when the job document exists."""
    return bool(job_ref(db, job_id).get().exists)


def create(batch: WriteBatch, db: Client, job_id: str, job: JobRecord) -> None:
    """Create the job (the batch fails if it exists: a second delivery of the same upload)."""
    batch.create(job_ref(db, job_id), job.document())


def replace(
    batch: WriteBatch, db: Client, job_id: str, job: JobRecord, *, version: datetime
) -> None:
    """Write the job, if it is still at ``version`` (else the batch fails)."""
    batch.update(job_ref(db, job_id), job.document(), option=unchanged_since(db, version))


def unfinished_before(db: Client, moment: datetime, limit: int) -> list[tuple[str, JobRecord]]:
    """Jobs still queued or running whose last change is older than ``moment``, oldest first."""
    from google.cloud.firestore import FieldFilter

    query = (
        db.collection(ANALYSIS_JOBS)
        .where(filter=FieldFilter("state", "in", [JobState.QUEUED.value, JobState.RUNNING.value]))
        .where(filter=FieldFilter("updatedAt", "<", moment))
        .order_by("updatedAt")
        .limit(limit)
    )
    return [(snap.id, JobRecord.model_validate(snap.to_dict())) for snap in query.stream()]


def missing(db: Client, job_ids: list[str]) -> set[str]:
    """Which of these jobs do not exist."""
    refs = [job_ref(db, job_id) for job_id in job_ids]
    return {snap.id for snap in db.get_all(refs) if not snap.exists}


def sessions_with_backend_id(db: Client, backend_session_id: str) -> list[str]:
    """Ids of the sessions linked to this analysis-backend id (at most two are read)."""
    from google.cloud.firestore import FieldFilter

    query = (
        db.collection(SESSIONS)
        .where(filter=FieldFilter("backendSessionId", "==", backend_session_id))
        .limit(2)
    )
    return [snap.id for snap in query.stream()]


def use_receipt(batch: WriteBatch, db: Client, key: str, *, now: datetime, keep: timedelta) -> None:
    """Record a callback signature as used (the batch fails if it was: a replay).

    ``expireAt`` lets a Firestore TTL policy remove receipts once no signature that old verifies.
    """
    batch.create(
        db.collection(CALLBACK_RECEIPTS).document(key), {"usedAt": now, "expireAt": now + keep}
    )


def receipt_used(db: Client, key: str) -> bool:
    """True when a callback with this signature was already accepted."""
    return bool(db.collection(CALLBACK_RECEIPTS).document(key).get().exists)
