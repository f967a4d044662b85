"""The analysis sweep (DESIGN.md §5): what lost events and lost tasks left behind.

A job with no progress for ``STUCK_AFTER`` is sent again (or failed once its attempts or its
resends are used up); a video uploaded whose finalize event never made a job is registered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sessionbase.domain.analysis import jobs, uploads
from sessionbase.domain.analysis.sweep import requeue_step, stuck_since
from sessionbase.models.analysis import JobState
from sessionbase.services.analysis.jobs import advance
from sessionbase.services.analysis.uploads import Registration, StoredObject, object_finalized
from sessionbase.store import tasks
from sessionbase.store.storage import ObjectStore
from sessionbase.store.work import Store

log = logging.getLogger(__name__)
# How far back the sweep looks for uploaded videos that never got a job.
UNREGISTERED_LOOKBACK = timedelta(days=3)
SWEEP_BATCH = 200


@dataclass
class SweepReport:
    """What one sweep did."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    registered: list[str] = field(default_factory=list)


def sweep(store: Store, objects: ObjectStore, now: datetime) -> SweepReport:
    """Send stuck jobs again (or fail them after their attempts), and pick up lost uploads."""
    report = SweepReport()
    for job_id, _job in store.jobs.unfinished_before(stuck_since(now), SWEEP_BATCH):
        after = advance(store, job_id, lambda job: requeue_step(job, now), now=now)
        if after is None:
            continue
        if after.state == JobState.FAILED:
            report.failed.append(job_id)
            continue
        try:
            tasks.enqueue_analysis(job_id, task_id=f"{job_id}-{int(now.timestamp())}")
        except Exception:  # one lost enqueue must not stop the sweep; the next sweep resends
            log.exception("sweep: could not enqueue job %s", job_id)
            continue
        report.requeued.append(job_id)
    report.registered = _register_lost_uploads(store, objects, now)
    return report


def _register_lost_uploads(store: Store, objects: ObjectStore, now: datetime) -> list[str]:
    """Videos uploaded more than ``STUCK_AFTER`` ago whose finalize event never made a job."""
    candidates: dict[str, StoredObject] = {}
    for blob in objects.objects("sessions/"):
        target = uploads.session_object(blob.name)
        updated = blob.updated
        if target is None or target.kind != "video" or updated is None:
            continue
        if not now - UNREGISTERED_LOOKBACK < updated < stuck_since(now):
            continue
        obj = StoredObject(
            bucket=objects.name,
            name=blob.name,
            generation=str(blob.generation),
            size=int(blob.size or 0),
            content_type=blob.content_type,
            metadata=dict(blob.metadata or {}),
            time_created=blob.time_created,
        )
        candidates[jobs.job_id(obj.bucket, obj.name, obj.generation)] = obj
    registered = []
    retry = f"-{int(now.timestamp())}"
    for job_id in sorted(store.jobs.missing(list(candidates))):
        outcome = object_finalized(store, objects, candidates[job_id], now, retry=retry)
        if outcome is Registration.QUEUED:
            registered.append(job_id)
    return registered
