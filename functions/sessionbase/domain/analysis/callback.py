"""The analysis backend's callback (DESIGN.md §4-5): what it does to a job and to its session.

Pure: no I/O. A progress report moves a running job's progress up (never down); a final report
ends the job once; a duplicate or a step backwards writes nothing (``applied: false``). A result
for a superseded job ends that job failed and is refused. The session gets only what the backend
sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sessionbase.domain.analysis.jobs import (
    SessionChange,
    Step,
    analysis_failed,
    failed,
    progressed,
    succeeded,
)
from sessionbase.errors import FailedPrecondition, FieldError, invalid_fields
from sessionbase.models.analysis import AnalysisCallback, JobRecord
from sessionbase.models.sessions import AnalysisStatus, RiskLevel, SessionRecord

BACKEND_FAILURE = "The analysis backend reported a failure."
SUPERSEDED = "This job was superseded by a newer upload; results are ignored."
_RANK = {
    None: 0,
    AnalysisStatus.PENDING: 0,
    AnalysisStatus.PROCESSING: 1,
    AnalysisStatus.COMPLETED: 2,
    AnalysisStatus.FAILED: 2,
}


def risk_level(acl_risk: float | None) -> RiskLevel | None:
    """DESIGN.md §3: LOW < 30 <= MODERATE < 60 <= HIGH."""
    if acl_risk is None:
        return None
    if acl_risk < 30:
        return "LOW"
    return "MODERATE" if acl_risk < 60 else "HIGH"


def reported_job(session: SessionRecord, body: AnalysisCallback) -> str | None:
    """The job a callback reports on; None only for a session linked with link-backend and never
    uploaded here, which the backend analyses without a job (docs/api.md).

    Without ``jobId``, any other session is refused (400 naming ``jobId``): a session with a
    job, since a late result of an older upload could land on the newer one; a session never
    linked to the backend, since nothing asked the backend about it. A ``jobId`` that is not
    the session's current job is a superseded upload (failed-precondition).
    """
    if body.jobId is None:
        if session.analysisJobId is not None:
            raise invalid_fields(
                [FieldError(field="jobId", message="required: this session's video has a job")]
            )
        if session.backendSessionId is None:
            raise invalid_fields(
                [
                    FieldError(
                        field="jobId",
                        message="required: only a session linked with link-backend reports "
                        "without a job",
                    )
                ]
            )
        return None
    if superseded_job(session, body) is not None:
        raise FailedPrecondition(SUPERSEDED)
    return body.jobId


def superseded_job(session: SessionRecord, body: AnalysisCallback) -> str | None:
    """The job a callback names when it is no longer the session's current one (a newer upload
    superseded it): that job ends failed, "Superseded by a newer upload.", and the callback is
    refused. None when the callback names no job or the current one."""
    if body.jobId is None or body.jobId == session.analysisJobId:
        return None
    return body.jobId


def job_after_callback(job: JobRecord, body: AnalysisCallback, now: datetime) -> JobRecord | None:
    """The job after a callback; None for a duplicate or a step backwards (nothing is written).

    A progress report that moves a running job's progress up counts as a sign of life for the
    sweep; the same progress again, a lower one or none moves nothing (``applied: false``, and
    ``updatedAt`` stays). A final report ends the job once.
    """
    if body.status == AnalysisStatus.PROCESSING:
        return progressed(job, body.progress or 0, now)
    if body.status == AnalysisStatus.COMPLETED:
        return succeeded(job, now)
    return failed(job, body.error or BACKEND_FAILURE, now)


def callback_change(body: AnalysisCallback, job: JobRecord | None = None) -> SessionChange:
    """What a callback writes to the session (a None value deletes the field)."""
    if body.status == AnalysisStatus.PROCESSING:
        fields: dict[str, Any] = {"analysisStatus": AnalysisStatus.PROCESSING.value}
        progress = job.progress if job is not None else body.progress
        if progress is not None:
            fields["analysisProgress"] = progress
        if body.perFrameStatus is not None:
            fields["perFrameStatus"] = body.perFrameStatus.value
        return SessionChange(fields)
    if body.status == AnalysisStatus.FAILED:
        return analysis_failed(body.error or BACKEND_FAILURE)
    results: dict[str, Any] = {
        "analysisStatus": AnalysisStatus.COMPLETED.value,
        "analysisProgress": 100,
        "analysisError": None,
        "motionIQ": body.motionIQ,
        "aclRisk": body.aclRisk,
        "riskLevel": body.riskLevel or risk_level(body.aclRisk),
        "metrics": body.metrics,
        "perFrameStatus": None if body.perFrameStatus is None else body.perFrameStatus.value,
        "processedVideoFilename": body.processedVideoFilename,
        "analyticsFilename": body.analyticsFilename,
    }
    if body.processedVideoFilename:
        results["hasProcessedVideo"] = True
    # Only what the backend sent (and the error it clears): other fields stay as they are.
    return SessionChange(
        {
            name: value
            for name, value in results.items()
            if value is not None or name == "analysisError"
        }
    )


def is_forward(session: SessionRecord, body: AnalysisCallback) -> bool:
    """For a session without a job: does this callback move its analysis forward?"""
    current = _RANK.get(session.analysisStatus, 0)
    if body.status == AnalysisStatus.PROCESSING:
        if current == 0:
            return True
        return current == 1 and (body.progress or 0) > (session.analysisProgress or 0)
    return current < 2


def callback_step(job: JobRecord, body: AnalysisCallback, now: datetime) -> Step:
    """The backend's callback: the job after it and, if it moved, what the session shows."""
    after = job_after_callback(job, body, now)
    return Step(after, None if after is None else callback_change(body, after))
