"""The analysis sweep (DESIGN.md §5): when a job counts as stuck, and the sweep's move for it.

Pure: no I/O. A job with no progress for ``STUCK_AFTER`` is sent again, a limited number of
times, or failed once its attempts or its resends are used up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sessionbase.domain.analysis.jobs import (
    MAX_ATTEMPTS,
    Step,
    analysis_failed,
    failed,
    is_final,
)
from sessionbase.models.analysis import JobRecord, JobState

# The sweep sends a job that never starts at most this many more tasks before it fails it.
MAX_REQUEUES = 3
STUCK_AFTER = timedelta(minutes=30)


def stuck_since(now: datetime) -> datetime:
    """Jobs not touched since this moment count as stuck."""
    return now - STUCK_AFTER


def requeued(job: JobRecord, now: datetime) -> JobRecord | None:
    """The sweep's move for a job with no progress for ``STUCK_AFTER``.

    Another attempt (the job stays where it is, touched, and a new task is sent), or ``failed``
    once its attempts are used up. None when the job is final or not stuck.
    """
    if is_final(job) or now - job.updatedAt < STUCK_AFTER:
        return None
    minutes = int(STUCK_AFTER.total_seconds() // 60)
    if job.attempts >= MAX_ATTEMPTS:
        return failed(
            job,
            f"The analysis made no progress for {minutes} minutes after {job.attempts} attempts.",
            now,
        )
    if job.requeues >= MAX_REQUEUES:
        return failed(
            job, f"The analysis never started after {job.requeues + 1} tasks were sent.", now
        )
    # The lost attempt's lease is long over (it outlives no task); the new task may start.
    return job.changed(updatedAt=now, requeues=job.requeues + 1, leaseUntil=None)


def requeue_step(job: JobRecord, now: datetime) -> Step:
    """The sweep's step (``requeued``); a job failed for good says so on the session."""
    after = requeued(job, now)
    if after is not None and after.state == JobState.FAILED:
        return Step(after, analysis_failed(after.error or "The analysis failed."))
    return Step(after)
