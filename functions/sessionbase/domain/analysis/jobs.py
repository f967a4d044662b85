"""Analysis jobs (DESIGN.md §5): a job as a state machine, and what each move does to its session.

Pure: no I/O. Every writer of a job (the finalize trigger, the ``analyze_session`` task, the
backend callback, the sweep) moves it only through the moves here, and each move only goes
forward; a ``Step`` is a move together with the ``SessionChange`` it makes, which the services
write as they are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sessionbase.errors import FailedPrecondition
from sessionbase.models.analysis import JobRecord, JobState
from sessionbase.models.sessions import AnalysisStatus, SessionRecord, SessionStatus

MAX_ATTEMPTS = 3
# How long one attempt (the ``analyzeSession`` task) may run: handlers/analysis.py deploys the
# task with this timeout.
TASK_TIMEOUT = timedelta(seconds=540)
# A running attempt holds its job this long, longer than any attempt may run: a duplicate task
# arriving meanwhile finds the job taken and does nothing.
LEASE = TASK_TIMEOUT + timedelta(minutes=1)
# Where the built-in analyzer writes its series: outside ``sessions/``, so it never re-triggers.
ANALYSIS_PREFIX = "analysis"
ANALYTICS_FILENAME = "motion.json"
POSE_FILENAME = "pose.json"


def job_id(bucket: str, path: str, generation: str) -> str:
    """The job (and task) id of one uploaded generation of an object: the same on every delivery."""
    return hashlib.sha256(f"{bucket}/{path}#{generation}".encode()).hexdigest()[:32]


def may_analyse(session: SessionRecord) -> bool:
    """A cancelled session gets no analysis (its uploads are kept but not analysed)."""
    return session.status != SessionStatus.CANCELLED


def require_analysable(session: SessionRecord) -> None:
    """Results are refused for a cancelled session."""
    if not may_analyse(session):
        raise FailedPrecondition("The session is cancelled: its analysis is closed.")


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
    progress = min(progress, 99)
    if job.state != JobState.RUNNING or progress <= job.progress:
        return None
    return job.changed(progress=progress, updatedAt=now)


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
    return asset_path(session_id, job_id_, ANALYTICS_FILENAME)


def pose_path(session_id: str, job_id_: str) -> str:
    """Where the built-in analyzer writes a job's pose series (beside ``analytics_path``)."""
    return asset_path(session_id, job_id_, POSE_FILENAME)


def asset_path(session_id: str, job_id_: str, name: str) -> str:
    """Where the built-in analyzer writes a job's file ``name`` (series, poster, thumbnails)."""
    return f"{ANALYSIS_PREFIX}/{session_id}/{job_id_}/{name}"


@dataclass(frozen=True, kw_only=True)
class Measured:
    """What the built-in analyzer measured: the metrics and their series' file, the poster and
    thumbnails it made, and, where the pose model ran, the ``pose`` block and its series' file."""

    metrics: dict[str, Any]
    analytics_file: str
    pose: dict[str, Any] | None = None
    pose_file: str | None = None
    assets: dict[str, Any] | None = None  # ``analysisAssets``: poster and thumbnails


def analysis_measured(measured: Measured) -> SessionChange:
    """The session once the built-in analyzer measured its video (only what it measures)."""
    return SessionChange(
        {
            "analysisStatus": AnalysisStatus.COMPLETED.value,
            "analysisProgress": 100,
            "perFrameStatus": AnalysisStatus.COMPLETED.value,
            "metrics": measured.metrics,
            "analyticsFile": measured.analytics_file,
            "analyticsFilename": ANALYTICS_FILENAME,
            "pose": measured.pose,
            "poseFile": measured.pose_file,
            "analysisAssets": measured.assets,
            "analysisError": None,
        }
    )


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


def interrupted_step(job: JobRecord, reason: str, now: datetime) -> Step:
    """An attempt failed on the way (the backend down, Storage unavailable): the job is let go
    for Cloud Tasks' retry while attempts remain, so the retry starts it at once; on its last
    attempt nothing retries it, and it fails with ``reason``."""
    if job.attempts < MAX_ATTEMPTS:
        return release_step(job, now)
    return failure_step(job, reason, now)


def failure_step(job: JobRecord, reason: str, now: datetime) -> Step:
    """The job given up, and the session says why."""
    return Step(failed(job, reason, now), analysis_failed(reason))


def measured_step(job: JobRecord, measured: Measured, now: datetime) -> Step:
    """The built-in analyzer finished: the job succeeds and the session holds its results."""
    return Step(succeeded(job, now), analysis_measured(measured))
