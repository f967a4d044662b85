"""Video analysis decisions (DESIGN.md §5): object paths, jobs as a state machine, results.

Pure: no I/O. The finalize trigger, the ``analyze_session`` task, the backend callback and the
sweep all write a job only through the moves here, and each move only goes forward; a ``Step``
is a move together with the ``SessionChange`` it makes, which the services write as they are.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from sessionbase.domain.attachments import DECLARED_TYPES, MAX_ATTACHMENT_BYTES
from sessionbase.errors import FailedPrecondition, FieldError, InvalidArgument
from sessionbase.models.analysis import AnalysisCallback, JobRecord, JobState
from sessionbase.models.sessions import AnalysisStatus, RiskLevel, SessionRecord, SessionStatus

MAX_ATTEMPTS = 3
# The sweep sends a job that never starts at most this many more tasks before it fails it.
MAX_REQUEUES = 3
STUCK_AFTER = timedelta(minutes=30)
# How long one attempt (the ``analyzeSession`` task) may run: handlers/analysis.py deploys the
# task with this timeout.
TASK_TIMEOUT = timedelta(seconds=540)
# A running attempt holds its job this long, longer than any attempt may run: a duplicate task
# arriving meanwhile finds the job taken and does nothing.
LEASE = TASK_TIMEOUT + timedelta(minutes=1)
MAX_VIDEO_BYTES = 2 * 1024**3  # storage.rules: maxVideoBytes()
UPLOAD_URL_LIFETIME = timedelta(days=7)  # a resumable upload session lives a week (Cloud Storage)
# Where the built-in analyzer writes its series: outside ``sessions/``, so it never re-triggers.
ANALYSIS_PREFIX = "analysis"
ANALYTICS_FILENAME = "motion.json"
_OBJECT = re.compile(r"^sessions/(?P<session>[^/]+)/(?P<kind>video|attachments)/(?P<file>[^/]+)$")
_VIDEO_TYPE = re.compile(r"^video/[a-z0-9][a-z0-9.+-]*$")

ObjectKind = Literal["video", "attachments"]

# Session fields that belong to one video's analysis: a new upload clears them.
RESULT_FIELDS = frozenset(
    {
        "analysisError",
        "motionIQ",
        "aclRisk",
        "riskLevel",
        "metrics",
        "perFrameStatus",
        "hasProcessedVideo",
        "processedVideoUrl",
        "processedVideoFilename",
        "analyticsFile",
        "analyticsFilename",
    }
)


@dataclass(frozen=True)
class SessionObject:
    """An object under ``sessions/{sessionId}/video|attachments/{file}``."""

    session_id: str
    kind: ObjectKind
    file_name: str


def session_object(name: str) -> SessionObject | None:
    """What an object name refers to, or None for any other object (ignored by the trigger)."""
    match = _OBJECT.match(name)
    if match is None:
        return None
    kind: ObjectKind = "video" if match["kind"] == "video" else "attachments"
    return SessionObject(match["session"], kind, match["file"])


def job_id(bucket: str, path: str, generation: str) -> str:
    """The job (and task) id of one uploaded generation of an object: the same on every delivery."""
    return hashlib.sha256(f"{bucket}/{path}#{generation}".encode()).hexdigest()[:32]


def attachment_id(bucket: str, path: str) -> str:
    """The record id of an uploaded attachment: one per path, so a re-upload of the same name
    replaces its record and a repeated event rewrites it."""
    return job_id(bucket, path, "")[:20]


def upload_path(
    session_id: str, kind: Literal["video", "attachment"], file_name: str, token: str
) -> str:
    """Where an upload of ``kind`` goes; ``file_name`` is already Storage-safe.

    One video per session: a new upload replaces it (and supersedes its analysis). Attachments
    accumulate: ``token`` gives each a name of its own, so no upload overwrites another's file.
    """
    if kind == "video":
        return f"sessions/{session_id}/video/{file_name}"
    return f"sessions/{session_id}/attachments/{token}-{file_name}"


def is_video_type(content_type: str | None) -> bool:
    """A declared video content type (``video/*``), as storage.rules accepts."""
    return bool(content_type) and _VIDEO_TYPE.match(str(content_type).lower()) is not None


def check_upload(kind: str, content_type: str, size: int | None) -> None:
    """Refuse an upload request the bucket would refuse anyway, naming each bad field."""
    errors: list[FieldError] = []
    if kind == "video" and not is_video_type(content_type):
        errors.append(FieldError(field="contentType", message="expected a video/* type"))
    if kind == "attachment" and content_type.lower() not in DECLARED_TYPES:
        errors.append(FieldError(field="contentType", message="not an accepted attachment type"))
    limit = MAX_VIDEO_BYTES if kind == "video" else MAX_ATTACHMENT_BYTES
    if size is not None and size > limit:
        errors.append(FieldError(field="size", message=f"larger than {limit} bytes"))
    if errors:
        raise InvalidArgument("The upload cannot be accepted.", errors=tuple(errors))


def may_analyse(session: SessionRecord) -> bool:
    """A cancelled session gets no analysis (its uploads are kept but not analysed)."""
    return session.status != SessionStatus.CANCELLED


# ---- the job state machine -------------------------------------------------------------------


def new_job(session_id: str, bucket: str, path: str, generation: str, now: datetime) -> JobRecord:
    """A job for a freshly uploaded generation: queued, never attempted."""
    return JobRecord(
        sessionId=session_id,
        bucket=bucket,
        path=path,
        generation=generation,
        state=JobState.QUEUED,
        attempts=0,
        progress=0,
        createdAt=now,
        updatedAt=now,
    )


def is_final(job: JobRecord) -> bool:
    """Succeeded or failed: nothing moves a job out of these."""
    return job.state in (JobState.SUCCEEDED, JobState.FAILED)


def is_leased(job: JobRecord, now: datetime) -> bool:
    """True while a running attempt holds the job."""
    return job.state == JobState.RUNNING and job.leaseUntil is not None and now < job.leaseUntil


def started(job: JobRecord, now: datetime) -> JobRecord | None:
    """The job as an attempt starts (queued, or running again after a lost or released attempt).

    None when the job is final or another attempt holds it (a duplicate task). Past
    ``MAX_ATTEMPTS`` the job fails instead of starting again.
    """
    if is_final(job) or is_leased(job, now):
        return None
    if job.attempts >= MAX_ATTEMPTS:
        return failed(job, f"The analysis did not finish after {MAX_ATTEMPTS} attempts.", now)
    return job.changed(
        state=JobState.RUNNING,
        attempts=job.attempts + 1,
        progress=0,
        startedAt=now,
        updatedAt=now,
        leaseUntil=now + LEASE,
    )


def released(job: JobRecord, now: datetime) -> JobRecord | None:
    """The running job let go by an attempt that will be retried (the backend was down)."""
    if job.state != JobState.RUNNING:
        return None
    return job.changed(leaseUntil=now, updatedAt=now)


def progressed(job: JobRecord, progress: int, now: datetime) -> JobRecord | None:
    """The running job at ``progress`` (0-100); None if that is not a step forward."""
    if job.state != JobState.RUNNING or progress <= job.progress:
        return None
    return job.changed(progress=min(progress, 99), updatedAt=now)


def succeeded(job: JobRecord, now: datetime) -> JobRecord | None:
    """The job done; None when it is already final."""
    if is_final(job):
        return None
    return job.changed(state=JobState.SUCCEEDED, progress=100, updatedAt=now, finishedAt=now)


def failed(job: JobRecord, error: str, now: datetime) -> JobRecord | None:
    """The job given up, with a readable reason; None when it is already final."""
    if is_final(job):
        return None
    return job.changed(state=JobState.FAILED, error=error, updatedAt=now, finishedAt=now)


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


def is_current(session: SessionRecord, job_id_: str) -> bool:
    """True while the job is the one of the session's latest upload (a newer one supersedes it)."""
    return session.analysisJobId == job_id_


# ---- what a job does to its session ------------------------------------------------------------


@dataclass(frozen=True)
class SessionChange:
    """The session fields one step of a video's analysis writes (a None value deletes a field)."""

    fields: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """A change of no field writes nothing."""
        return bool(self.fields)


def video_uploaded(
    *,
    file_name: str,
    path: str,
    content_type: str | None,
    size: int,
    generation: str,
    job: str,
    now: datetime,
) -> SessionChange:
    """The session after a new upload: its video, processing, the old video's results cleared."""
    return SessionChange(
        {
            **dict.fromkeys(RESULT_FIELDS),
            "videoPath": path,
            "videoName": file_name,
            "originalVideoName": file_name,
            "contentType": content_type,
            "fileSize": size,
            "videoGeneration": generation,
            "analysisJobId": job,
            "analysisStatus": AnalysisStatus.PROCESSING.value,
            "analysisProgress": 0,
            "analysisAttempts": 0,
            "updatedAt": now,
        }
    )


def is_newer_upload(session: SessionRecord, path: str, generation: str) -> bool:
    """True unless the session already records a newer upload than this one.

    Generations are Cloud Storage's object versions (microsecond timestamps), so a late event of
    an older upload never replaces a newer one.
    """
    if session.videoGeneration is None:
        return True
    try:
        return int(generation) >= int(session.videoGeneration)
    except ValueError:
        return path != session.videoPath or generation != session.videoGeneration


def upload_refused(generation: str, error: str, now: datetime) -> SessionChange:
    """The session after an upload is refused (and deleted): no analysis is current."""
    return SessionChange(
        {
            **dict.fromkeys(RESULT_FIELDS),
            "videoGeneration": generation,
            "analysisJobId": None,
            "analysisStatus": AnalysisStatus.FAILED.value,
            "analysisError": error,
            "updatedAt": now,
        }
    )


def video_too_large(generation: str, now: datetime) -> SessionChange:
    """The session after a video larger than ``MAX_VIDEO_BYTES`` is refused (and deleted)."""
    return upload_refused(generation, f"The video is larger than {MAX_VIDEO_BYTES} bytes.", now)


def analysis_started(job: JobRecord) -> SessionChange:
    """The session as an attempt at its video starts."""
    return SessionChange(
        {
            "analysisStatus": AnalysisStatus.PROCESSING.value,
            "analysisProgress": 0,
            "analysisAttempts": job.attempts,
        }
    )


def analysis_failed(error: str) -> SessionChange:
    """The session once its video's analysis is given up, with the reason."""
    return SessionChange({"analysisStatus": AnalysisStatus.FAILED.value, "analysisError": error})


def analytics_path(session_id: str, job_id_: str) -> str:
    """Where the built-in analyzer writes a job's series (outside ``sessions/``)."""
    return f"{ANALYSIS_PREFIX}/{session_id}/{job_id_}/{ANALYTICS_FILENAME}"


def analysis_measured(metrics: dict[str, Any], analytics_file: str) -> SessionChange:
    """The session once the built-in analyzer measured its video (only what it measures)."""
    return SessionChange(
        {
            "analysisStatus": AnalysisStatus.COMPLETED.value,
            "analysisProgress": 100,
            "perFrameStatus": AnalysisStatus.COMPLETED.value,
            "metrics": metrics,
            "analyticsFile": analytics_file,
            "analyticsFilename": ANALYTICS_FILENAME,
            "analysisError": None,
        }
    )


def risk_level(acl_risk: float | None) -> RiskLevel | None:
    """DESIGN.md §3: LOW < 30 <= MODERATE < 60 <= HIGH."""
    if acl_risk is None:
        return None
    if acl_risk < 30:
        return "LOW"
    return "MODERATE" if acl_risk < 60 else "HIGH"


def stuck_since(now: datetime) -> datetime:
    """Jobs not touched since this moment count as stuck."""
    return now - STUCK_AFTER


def require_analysable(session: SessionRecord) -> None:
    """Results are refused for a cancelled session."""
    if not may_analyse(session):
        raise FailedPrecondition("The session is cancelled: its analysis is closed.")


# ---- the analysis backend's callback -----------------------------------------------------------

BACKEND_FAILURE = "The analysis backend reported a failure."
_RANK = {
    None: 0,
    AnalysisStatus.PENDING: 0,
    AnalysisStatus.PROCESSING: 1,
    AnalysisStatus.COMPLETED: 2,
    AnalysisStatus.FAILED: 2,
}


def job_after_callback(job: JobRecord, body: AnalysisCallback, now: datetime) -> JobRecord | None:
    """The job after a callback; None for a duplicate or a step backwards (nothing is written).

    A progress report moves a running job's progress up (never down) and counts as a sign of
    life for the sweep; a final report ends the job once.
    """
    if body.status == AnalysisStatus.PROCESSING:
        if job.state != JobState.RUNNING:
            return None
        progress = max(job.progress, min(body.progress or 0, 99))
        return job.changed(progress=progress, updatedAt=now)
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


# ---- steps: a job's move and what it does to the session, decided together -------------------


@dataclass(frozen=True)
class Step:
    """One move of a job: the job after it (None: not a step forward, nothing is written) and
    what it changes on its session (None: the session is left alone)."""

    job: JobRecord | None
    session: SessionChange | None = None


# The step to take for a job whose session exists, is analysable and has it as its current job.
Decide = Callable[[JobRecord], Step]


def current_step(
    job: JobRecord, session: SessionRecord | None, now: datetime, decide: Decide
) -> Step:
    """``decide``'s step for the session's current job; a superseded or orphaned job fails.

    The job of a session cancelled meanwhile fails, and the session says so (it is no longer
    processing); a superseded job leaves the session to the newer one.
    """
    if session is None:
        return Step(failed(job, "The session was deleted.", now))
    if not is_current(session, job_id(job.bucket, job.path, job.generation)):
        return Step(failed(job, "Superseded by a newer upload.", now))
    if not may_analyse(session):
        return failure_step(job, "The session was cancelled before its analysis finished.", now)
    return decide(job)


def start_step(job: JobRecord, now: datetime) -> Step:
    """An attempt starts (``started``); the session shows it processing, or failed for good."""
    after = started(job, now)
    if after is None:
        return Step(None)
    if after.state == JobState.FAILED:
        return Step(after, analysis_failed(after.error or "The analysis failed."))
    return Step(after, analysis_started(after))


def progress_step(job: JobRecord, percent: int, now: datetime) -> Step:
    """The running attempt reports ``percent``; the session shows the job's progress."""
    after = progressed(job, percent, now)
    if after is None:
        return Step(None)
    return Step(after, SessionChange({"analysisProgress": after.progress}))


def release_step(job: JobRecord, now: datetime) -> Step:
    """The attempt lets go of the job (to be retried); the session is unchanged."""
    return Step(released(job, now))


def failure_step(job: JobRecord, reason: str, now: datetime) -> Step:
    """The job given up, and the session says why."""
    return Step(failed(job, reason, now), analysis_failed(reason))


def measured_step(
    job: JobRecord, metrics: dict[str, Any], analytics_file: str, now: datetime
) -> Step:
    """The built-in analyzer finished: the job succeeds and the session holds its results."""
    return Step(succeeded(job, now), analysis_measured(metrics, analytics_file))


def requeue_step(job: JobRecord, now: datetime) -> Step:
    """The sweep's step (``requeued``); a job failed for good says so on the session."""
    after = requeued(job, now)
    if after is not None and after.state == JobState.FAILED:
        return Step(after, analysis_failed(after.error or "The analysis failed."))
    return Step(after)


def callback_step(job: JobRecord, body: AnalysisCallback, now: datetime) -> Step:
    """The backend's callback: the job after it and, if it moved, what the session shows."""
    after = job_after_callback(job, body, now)
    return Step(after, None if after is None else callback_change(body, after))
