"""Analysis jobs (DESIGN.md §5): moving a job forward, and the ``analyze_session`` task.

Every writer of a job goes through ``advance``: it reads the job and its session, asks
``domain/analysis/jobs.py`` for the step (which only moves forward), and writes both in one unit of
work whose preconditions fail if either changed meanwhile; then it reads again and retries.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sessionbase import settings
from sessionbase.domain import signatures
from sessionbase.domain.analysis import jobs
from sessionbase.errors import Unauthenticated
from sessionbase.models.analysis import JobRecord, JobState
from sessionbase.store.client import DocumentMissing
from sessionbase.store.storage import ObjectStore
from sessionbase.store.work import Store

if TYPE_CHECKING:
    from sessionbase.pose_model import VideoTracker

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 1.0  # seconds between two progress writes of one analysis
# Seconds the analysis backend has to accept a connection, then to answer the job request.
BACKEND_CONNECT_TIMEOUT = 5
BACKEND_READ_TIMEOUT = 30
# A receipt outlives every signature that could still verify (either side of the clock).
RECEIPT_LIFETIME = timedelta(seconds=2 * signatures.WINDOW_SECONDS)

# The time of each step: an attempt lasts minutes, and each of its writes is dated when it happens.
Clock = Callable[[], datetime]


# ---- moving a job forward ----------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """A verified callback signature, used up in the unit of work that applies its callback."""

    key: str
    at: datetime

    def refuse_replay(self, unit: Store) -> None:
        """Refuse a callback whose signature was already received."""
        if unit.jobs.receipt_used(self.key):
            raise Unauthenticated("This callback was already received (replayed signature).")

    def use(self, unit: Store) -> None:
        """Stage the receipt (a concurrent copy of the callback makes the unit fail)."""
        unit.jobs.use_receipt(self.key, now=self.at, keep=RECEIPT_LIFETIME)


def advance(
    store: Store,
    job_id: str,
    decide: jobs.Decide,
    *,
    now: datetime,
    receipt: Receipt | None = None,
    of_session: str | None = None,
) -> JobRecord | None:
    """Take ``decide``'s step for the session's current job (``jobs.current_step``) and write
    the job and its session atomically; the job written, or None (no step forward, or no job).

    With a ``receipt``, the same unit uses it up: a replayed callback is refused. With
    ``of_session``, a job of any other session is left alone (None).
    """

    def attempt(unit: Store) -> JobRecord | None:
        if receipt is not None:
            receipt.refuse_replay(unit)
        found = unit.jobs.get_versioned(job_id)
        if found is None or (of_session is not None and found[0].sessionId != of_session):
            return None
        job, version = found
        session_found = unit.sessions.get_versioned(job.sessionId)
        session = None if session_found is None else session_found[0]
        step = jobs.current_step(job, session, now, decide)
        if receipt is not None:
            receipt.use(unit)
        if step.job is not None:
            unit.jobs.replace(job_id, step.job, version=version)
            if step.session and session_found is not None:
                unit.sessions.patch(job.sessionId, step.session.fields, version=session_found[1])
        return step.job

    # A concurrent writer of the job or the session wins: this attempt reads again.
    return store.optimistic(attempt, also=(DocumentMissing,))


# ---- the analyze_session task ------------------------------------------------------------------


class AnalyzeOutcome(StrEnum):
    """What one attempt at a job did (for the task's log and the tests)."""

    NOTHING_TO_DO = "nothing to do"  # no such job, it is final, or another attempt holds it
    JOB_FAILED = "job failed"  # failed as it started: attempts used up, superseded, cancelled
    SENT = "sent to the analysis backend"
    BACKEND_FAILED = "backend failed: job failed"  # its last attempt
    ATTEMPT_FAILED = "unexpected error: job failed"  # its last attempt
    STOPPED = "stopped"  # the job ended (superseded, cancelled) while it was measured
    UNREADABLE = "unreadable video: job failed"
    VIDEO_GONE = "video gone: job failed"
    ANALYSED = "analysed"
    NOT_CURRENT = "not current: results dropped"


class BackendUnavailable(Exception):
    """The analysis backend did not accept the job; the task is retried by Cloud Tasks."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def analyze(
    store: Store, objects: ObjectStore, job_id: str, *, clock: Clock, pose: bool = False
) -> AnalyzeOutcome:
    """Run one attempt of a job: send it to the backend, or measure it here (built-in).

    With ``pose`` (the pose codebase, where the model is installed) the built-in analyzer also
    tracks the body's keypoints in the same decode (``pose_model.VideoTracker``)."""
    now = clock()
    job = advance(store, job_id, lambda current: jobs.start_step(current, now), now=now)
    if job is None:
        return AnalyzeOutcome.NOTHING_TO_DO
    if job.state != JobState.RUNNING:
        log.info("job %s %s: %s", job_id, job.state, job.error)
        return AnalyzeOutcome.JOB_FAILED
    backend = settings.analysis_backend_url()
    try:
        if backend:
            return _send_to_backend(job_id, job, backend, clock)
        return _run_builtin(store, objects, job_id, job, clock, pose=pose)
    except Exception as error:
        # Cloud Tasks retries a failed task: let go of the job first, or the retry finds it
        # taken and does nothing (the lease outlives the task). Raised again for the retry.
        outcome = _interrupted(store, job_id, error, clock)
        if outcome is None:
            raise
        return outcome


def _interrupted(
    store: Store, job_id: str, error: Exception, clock: Clock
) -> AnalyzeOutcome | None:
    """After an attempt failed on the way: None when the job was let go for Cloud Tasks' retry
    (or could not be let go: the sweep then sends it again), else the outcome of giving up."""
    if isinstance(error, BackendUnavailable):
        failure, given_up = "The analysis backend failed", AnalyzeOutcome.BACKEND_FAILED
        problem = error.problem
    else:
        failure, given_up = "The analysis failed", AnalyzeOutcome.ATTEMPT_FAILED
        problem = f"an unexpected {type(error).__name__}"  # its message may hold URLs and paths
    now = clock()

    def decide(current: JobRecord) -> jobs.Step:
        reason = f"{failure} {current.attempts} times; last: {problem}."
        return jobs.interrupted_step(current, reason, now)

    try:
        after = advance(store, job_id, decide, now=now)
    except Exception:
        log.exception("job %s: the failed attempt could not let go of its job", job_id)
        return None
    if after is not None and after.state == JobState.RUNNING:
        return None
    log.warning("job %s ended after %s: %s", job_id, type(error).__name__, problem)
    return given_up


def _give_up(store: Store, job_id: str, reason: str, now: datetime) -> JobRecord | None:
    """Fail the job with ``reason``; the session says why."""
    return advance(store, job_id, lambda current: jobs.failure_step(current, reason, now), now=now)


def _send_to_backend(job_id: str, job: JobRecord, url: str, clock: Clock) -> AnalyzeOutcome:
    """POST the signed job request; ``BackendUnavailable`` when the backend does not take it."""
    import requests

    payload = {
        "sessionId": job.sessionId,
        "jobId": job_id,
        "bucket": job.bucket,
        "path": job.path,
        "callbackUrl": settings.callback_url(),
    }
    body = json.dumps(payload).encode()
    signed_at = int(clock().timestamp())
    headers = {
        "Content-Type": "application/json",
        signatures.HEADER: signatures.sign(
            settings.analysis_keys()[0], body, signed_at, direction=signatures.Direction.REQUEST
        ),
    }
    try:
        response = requests.post(
            url,
            data=body,
            headers=headers,
            timeout=(BACKEND_CONNECT_TIMEOUT, BACKEND_READ_TIMEOUT),
        )
        response.raise_for_status()
    except requests.RequestException as error:
        raise BackendUnavailable(_backend_problem(error)) from None
    return AnalyzeOutcome.SENT


def _backend_problem(error: Exception) -> str:
    response = getattr(error, "response", None)
    if response is not None:
        return f"it answered HTTP {response.status_code}"
    return f"it could not be reached ({type(error).__name__})"


class _NoLongerCurrent(Exception):
    """Raised from a progress report to stop decoding a job that was superseded or ended."""


def _run_builtin(
    store: Store, objects: ObjectStore, job_id: str, job: JobRecord, clock: Clock, *, pose: bool
) -> AnalyzeOutcome:
    from google.api_core.exceptions import NotFound as ObjectMissing

    from sessionbase import analyzer
    from sessionbase.stills import Stills

    last_report = time.monotonic()

    def report(percent: int) -> None:
        # At most one progress write a second: a short video finishes before it needs one.
        nonlocal last_report
        if time.monotonic() - last_report < PROGRESS_INTERVAL:
            return
        last_report = time.monotonic()
        now = clock()
        after = advance(
            store, job_id, lambda current: jobs.progress_step(current, percent, now), now=now
        )
        if after is not None and jobs.is_final(after):
            raise _NoLongerCurrent(after.error)

    try:
        with objects.reader(job.path, job.generation) as source, _tracker(pose) as tracker:
            stills = Stills()
            observers: list[analyzer.FrameObserver] = [stills]
            if tracker is not None:
                observers.append(tracker)
            measurement = analyzer.measure(source, on_progress=report, observers=observers)
            keypoints = None if tracker is None else _pose_results(tracker)
    except _NoLongerCurrent as stopped:
        log.info("job %s stopped: %s", job_id, stopped)
        return AnalyzeOutcome.STOPPED
    except analyzer.UnreadableVideo as error:
        _give_up(store, job_id, str(error), clock())
        return AnalyzeOutcome.UNREADABLE
    except ObjectMissing:
        _give_up(store, job_id, "The video was deleted before it could be analysed.", clock())
        return AnalyzeOutcome.VIDEO_GONE
    # Each file says which job and video it is of, then what was measured.
    video = {"path": job.path, "generation": job.generation}
    about: dict[str, Any] = {"sessionId": job.sessionId, "jobId": job_id, "video": video}
    motion_file = jobs.analytics_path(job.sessionId, job_id)
    objects.write_json(motion_file, about | measurement.series_document())
    written = [motion_file]
    pose_block = pose_file = None
    if keypoints is not None:
        pose_block, series = keypoints
        pose_file = jobs.pose_path(job.sessionId, job_id)
        objects.write_json(pose_file, about | series)
        written.append(pose_file)
    assets: dict[str, Any] = {}
    for name, still in (("poster", stills.poster()), ("thumbnails", stills.thumbnails())):
        if still is not None:
            path = jobs.asset_path(job.sessionId, job_id, f"{name}.jpg")
            objects.write_bytes(path, still.data, "image/jpeg")
            written.append(path)
            assets[name] = still.document(path)
    results = jobs.Measured(
        metrics=measurement.metrics(),
        analytics_file=motion_file,
        pose=pose_block,
        pose_file=pose_file,
        assets=assets or None,
    )
    now = clock()
    done = advance(
        store, job_id, lambda current: jobs.measured_step(current, results, now), now=now
    )
    if done is not None and done.state == JobState.SUCCEEDED:
        return AnalyzeOutcome.ANALYSED
    # Superseded, cancelled or deleted meanwhile: nothing points at the files, so they go.
    for path in written:
        objects.delete(path)
    return AnalyzeOutcome.NOT_CURRENT


@contextmanager
def _tracker(pose: bool) -> Iterator[VideoTracker | None]:
    """A clip's pose tracker (closed afterwards), or None without ``pose``."""
    if not pose:
        yield None
        return
    from sessionbase.pose_model import VideoTracker

    with VideoTracker() as tracker:
        yield tracker


def _pose_results(tracker: VideoTracker) -> tuple[dict[str, Any], dict[str, Any]]:
    """The session's ``pose`` block and the ``pose.json`` series of a tracked clip."""
    from sessionbase.domain.pose import measures
    from sessionbase.pose_model import MODEL

    series = measures.pose_series(tracker.samples)
    about = measures.ClipCoverage(
        model=MODEL,
        sample_rate=tracker.fps,
        measured_seconds=series.times[-1] if series.times else None,
        complete=tracker.stopped_at is None,
    )
    return (
        about.to_document() | measures.summarise(series).to_document(),
        about.to_document() | series.to_document(),
    )
