"""The analysis pipeline (DESIGN.md §4-5): upload URLs, uploads landing, jobs, results, the sweep.

Every writer of a job goes through ``_advance``: it reads the job and its session, asks
``domain/analysis.py`` for the next state (which only moves forward), and writes both in one
batch whose preconditions fail if either changed meanwhile; then it reads again and retries.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sessionbase import settings
from sessionbase.domain import analysis, attachments, policy, signatures
from sessionbase.domain.sessions import safe_file_name
from sessionbase.errors import (
    FailedPrecondition,
    FieldError,
    NotFound,
    Unauthenticated,
    invalid_fields,
)
from sessionbase.models.analysis import (
    AnalysisCallback,
    CallbackResult,
    JobRecord,
    UploadRequest,
    UploadUrl,
)
from sessionbase.models.sessions import AnalysisStatus, AttachmentRecord, SessionRecord
from sessionbase.services import schedules
from sessionbase.services.context import Context
from sessionbase.store import jobs, tasks
from sessionbase.store import sessions as sessions_store
from sessionbase.store.client import DocumentMissing, commit, retry_on_conflict
from sessionbase.store.storage import ObjectStore

if TYPE_CHECKING:
    from google.cloud.firestore import Client

log = logging.getLogger(__name__)
# How far back the sweep looks for uploaded videos that never got a job.
UNREGISTERED_LOOKBACK = timedelta(days=3)
SWEEP_BATCH = 200
PROGRESS_INTERVAL = 1.0  # seconds between two progress writes of one analysis


# ---- upload URLs ------------------------------------------------------------------------------


def create_upload_url(ctx: Context, body: UploadRequest, *, session_id: str) -> UploadUrl:
    """``POST /api/sessions/{id}/upload``: a resumable upload session for a video or attachment."""
    session = schedules.touching(ctx, session_id, lambda: sessions_store.get(ctx.db, session_id))
    if session is None or not policy.may_read_session(ctx.caller, session, ctx.relations):
        raise NotFound("Session not found.")
    policy.require_uploader(ctx.caller, session, body.kind)
    analysis.check_upload(body.kind, body.contentType, body.size)
    name = safe_file_name(body.fileName)
    if body.kind == "video":
        # One video per session: a new upload replaces it (and supersedes its analysis).
        path = f"sessions/{session_id}/video/{name}"
    else:
        # Attachments accumulate: a name of its own, so no upload can overwrite another's file.
        path = f"sessions/{session_id}/attachments/{secrets.token_hex(6)}-{name}"
    url = ctx.objects.upload_session(
        path,
        content_type=body.contentType,
        size=body.size,
        origin=ctx.origin,
        metadata={"uploadedBy": ctx.caller.uid, "fileName": body.fileName},
    )
    return UploadUrl(
        uploadUrl=url,
        bucket=ctx.objects.name,
        path=path,
        expiresAt=ctx.now + analysis.UPLOAD_URL_LIFETIME,
    )


# ---- an object landed in the bucket (the finalize trigger) ------------------------------------


@dataclass(frozen=True)
class StoredObject:
    """The metadata of a finalized object, as the Storage event carries it."""

    bucket: str
    name: str
    generation: str
    size: int
    content_type: str | None
    metadata: dict[str, str] = field(default_factory=dict)
    time_created: datetime | None = None


def object_finalized(
    db: Client, objects: ObjectStore, obj: StoredObject, now: datetime, *, retry: str = ""
) -> str:
    """Register a session's upload; returns what was done (for the log and the tests).

    ``retry`` marks a registration by the sweep: its task gets an id of its own, since Cloud
    Tasks refuses an id used in the last hour.
    """
    target = analysis.session_object(obj.name)
    if target is None or obj.bucket != objects.name:
        outcome = "ignored"
    elif target.kind == "video":
        outcome = _video_uploaded(db, objects, obj, target, now, retry)
    else:
        outcome = _attachment_uploaded(db, objects, obj, target, now)
    log.info("object %s (generation %s): %s", obj.name, obj.generation, outcome)
    return outcome


def _video_uploaded(
    db: Client,
    objects: ObjectStore,
    obj: StoredObject,
    target: analysis.SessionObject,
    now: datetime,
    retry: str,
) -> str:
    job_id = analysis.job_id(obj.bucket, obj.name, obj.generation)

    def register() -> str:
        if jobs.exists(db, job_id):
            return "duplicate delivery"
        found = sessions_store.get_versioned(db, target.session_id)
        if found is None:
            objects.delete(obj.name, obj.generation)
            return "no such session: deleted"
        session, version = found
        if not analysis.may_analyse(session):
            return "session cancelled: not analysed"
        if not analysis.is_newer_upload(session, obj.name, obj.generation):
            return "older than the session's video: ignored"
        batch = db.batch()
        if obj.size > analysis.MAX_VIDEO_BYTES:
            objects.delete(obj.name, obj.generation)
            error = f"The video is larger than {analysis.MAX_VIDEO_BYTES} bytes."
            fields = analysis.upload_refused(obj.generation, error, now)
            sessions_store.patch(batch, db, target.session_id, fields, version=version)
            commit(batch)
            return "too large: deleted"
        job = analysis.new_job(target.session_id, obj.bucket, obj.name, obj.generation, now)
        jobs.create(batch, db, job_id, job)
        uploaded = analysis.video_uploaded(
            file_name=target.file_name,
            path=obj.name,
            content_type=obj.content_type,
            size=obj.size,
            generation=obj.generation,
            job=job_id,
            now=now,
        )
        cleared = dict.fromkeys(analysis.RESULT_FIELDS)
        sessions_store.patch(batch, db, target.session_id, {**cleared, **uploaded}, version=version)
        commit(batch)
        return "queued"

    outcome = retry_on_conflict(register, also=(DocumentMissing,))
    if outcome == "queued":
        # A lost enqueue leaves the job queued with no progress: the sweep sends it again.
        tasks.enqueue_analysis(job_id, task_id=f"{job_id}{retry}")
    return outcome


def _with_session(db: Client, session_id: str, write: Callable[[Any], None], now: datetime) -> bool:
    """Write a session's child document only while the session exists (False if it is gone).

    The batch also sets the session's ``updatedAt``, which fails if the session was deleted
    meanwhile, so no child is left behind a deleted session.
    """
    batch = db.batch()
    batch.update(sessions_store.session_ref(db, session_id), {"updatedAt": now})
    write(batch)
    try:
        commit(batch)
    except DocumentMissing:
        return False
    return True


def _attachment_uploaded(
    db: Client,
    objects: ObjectStore,
    obj: StoredObject,
    target: analysis.SessionObject,
    now: datetime,
) -> str:
    if not sessions_store.exists(db, target.session_id):
        objects.delete(obj.name, obj.generation)
        return "no such session: deleted"
    head = objects.head(obj.name, obj.generation, attachments.SNIFF_BYTES)
    if head is None:
        return "gone before it was read"
    reason = attachments.rejection(obj.content_type, obj.size, head)
    session = sessions_store.session_ref(db, target.session_id)
    if reason is not None:
        objects.delete(obj.name, obj.generation)
        rejection = {
            "path": obj.name,
            "fileName": target.file_name,
            "declaredType": obj.content_type,
            "size": obj.size,
            "uploadedBy": obj.metadata.get("uploadedBy"),
            "reason": reason,
            "createdAt": now,
        }
        key = analysis.job_id(obj.bucket, obj.name, obj.generation)
        rejected = session.collection("rejectedUploads").document(key)
        _with_session(db, target.session_id, lambda batch: batch.set(rejected, rejection), now)
        return f"rejected and deleted: {reason}"
    record = AttachmentRecord(
        path=obj.name,
        fileName=obj.metadata.get("fileName") or target.file_name,
        contentType=(obj.content_type or "").lower(),
        size=obj.size,
        description=obj.metadata.get("description"),
        uploadedBy=obj.metadata.get("uploadedBy"),
        createdAt=obj.time_created or now,
    )
    # One record per path: a re-upload of the same name replaces it; a repeated event rewrites it.
    attachment = session.collection("attachments").document(
        analysis.job_id(obj.bucket, obj.name, "")[:20]
    )
    document = record.document()
    if not _with_session(db, target.session_id, lambda batch: batch.set(attachment, document), now):
        objects.delete(obj.name, obj.generation)
        return "session deleted meanwhile: deleted"
    return "attachment registered"


def _failed_fields(error: str) -> dict[str, Any]:
    return {"analysisStatus": AnalysisStatus.FAILED.value, "analysisError": error}


# ---- moving a job forward ----------------------------------------------------------------------

# A move: given the job and its session (None if deleted), the next job and the session fields
# to write (None: leave the session alone); a next job of None means "not a step forward".
Move = Callable[[JobRecord, SessionRecord | None], tuple[JobRecord | None, dict[str, Any] | None]]


def _advance(
    db: Client, job_id: str, move: Move, *, receipt: str | None = None
) -> JobRecord | None:
    """Apply ``move`` to the job and its session atomically; the job written, or None."""

    def attempt() -> JobRecord | None:
        if receipt is not None and jobs.receipt_used(db, receipt):
            raise Unauthenticated("This callback was already received (replayed signature).")
        found = jobs.get_versioned(db, job_id)
        if found is None:
            return None
        job, version = found
        session_found = sessions_store.get_versioned(db, job.sessionId)
        session = None if session_found is None else session_found[0]
        after, fields = move(job, session)
        batch = db.batch()
        if receipt is not None:
            jobs.use_receipt(batch, db, receipt, now=_now(), keep=_RECEIPT_LIFETIME)
        if after is not None:
            jobs.replace(batch, db, job_id, after, version=version)
        if after is not None and fields and session_found is not None:
            sessions_store.patch(batch, db, job.sessionId, fields, version=session_found[1])
        if receipt is not None or after is not None:
            commit(batch)
        return after

    return retry_on_conflict(attempt, also=(DocumentMissing,))


def _now() -> datetime:
    return datetime.now(UTC)


_RECEIPT_LIFETIME = timedelta(seconds=2 * signatures.WINDOW_SECONDS)


def _for_current(
    decide: Callable[[JobRecord, SessionRecord], tuple[JobRecord | None, dict[str, Any] | None]],
) -> Move:
    """A move that applies to the session's current job; a superseded or orphaned job fails.

    The job of a session cancelled meanwhile fails, and the session says so (it is no longer
    processing); a superseded job leaves the session to the newer one.
    """

    def move(job: JobRecord, session: SessionRecord | None) -> Any:
        now = _now()
        if session is None:
            return analysis.failed(job, "The session was deleted.", now), None
        if not analysis.is_current(session, _job_key(job)):
            return analysis.failed(job, "Superseded by a newer upload.", now), None
        if not analysis.may_analyse(session):
            return _give_up(job, "The session was cancelled before its analysis finished.")
        return decide(job, session)

    return move


def _job_key(job: JobRecord) -> str:
    return analysis.job_id(job.bucket, job.path, job.generation)


# ---- the analyze_session task ------------------------------------------------------------------


class BackendUnavailable(Exception):
    """The analysis backend did not accept the job; the task is retried by Cloud Tasks."""


def analyze(db: Client, objects: ObjectStore, job_id: str) -> str:
    """Run one attempt of a job: send it to the backend, or measure it here (built-in)."""

    def start(job: JobRecord, session: SessionRecord) -> Any:
        after = analysis.started(job, _now())
        if after is None:
            return None, None
        if after.state == "failed":
            return after, _failed_fields(after.error or "The analysis failed.")
        fields = {
            "analysisStatus": AnalysisStatus.PROCESSING.value,
            "analysisProgress": 0,
            "analysisAttempts": after.attempts,
        }
        return after, fields

    job = _advance(db, job_id, _for_current(start))
    if job is None or job.state != "running":
        return "nothing to do" if job is None else f"job {job.state}: {job.error}"
    backend = settings.analysis_backend_url()
    if backend:
        return _send_to_backend(db, job_id, job, backend)
    return _run_builtin(db, objects, job_id, job)


def _send_to_backend(db: Client, job_id: str, job: JobRecord, url: str) -> str:
    import requests

    payload = {
        "sessionId": job.sessionId,
        "jobId": job_id,
        "bucket": job.bucket,
        "path": job.path,
        "callbackUrl": settings.callback_url(),
    }
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        signatures.HEADER: signatures.sign(settings.analysis_secret(), body, int(time.time())),
    }
    try:
        response = requests.post(url, data=body, headers=headers, timeout=(5, 30))
        response.raise_for_status()
    except requests.RequestException as error:
        problem = _backend_problem(error)
        if job.attempts < analysis.MAX_ATTEMPTS:
            # Let go of the job, so that the retry Cloud Tasks sends may start it again.
            _advance(db, job_id, _for_current(lambda j, _s: (analysis.released(j, _now()), None)))
            raise BackendUnavailable(problem) from None
        reason = f"The analysis backend failed {job.attempts} times; last: {problem}."
        _advance(db, job_id, _for_current(lambda j, _s: _give_up(j, reason)))
        return "backend failed: job failed"
    return "sent to the analysis backend"


def _backend_problem(error: Exception) -> str:
    response = getattr(error, "response", None)
    if response is not None:
        return f"it answered HTTP {response.status_code}"
    return f"it could not be reached ({type(error).__name__})"


def _give_up(job: JobRecord, reason: str) -> Any:
    return analysis.failed(job, reason, _now()), _failed_fields(reason)


class _NoLongerCurrent(Exception):
    """Raised from a progress report to stop decoding a job that was superseded or ended."""


def _run_builtin(db: Client, objects: ObjectStore, job_id: str, job: JobRecord) -> str:
    from google.api_core.exceptions import NotFound as ObjectMissing

    from sessionbase import analyzer

    last_report = time.monotonic()

    def report(percent: int) -> None:
        # At most one progress write a second: a short video finishes before it needs one.
        nonlocal last_report
        if time.monotonic() - last_report < PROGRESS_INTERVAL:
            return
        last_report = time.monotonic()

        def step(current: JobRecord, _session: SessionRecord) -> Any:
            after = analysis.progressed(current, percent, _now())
            return after, None if after is None else {"analysisProgress": after.progress}

        after = _advance(db, job_id, _for_current(step))
        if after is not None and analysis.is_final(after):
            raise _NoLongerCurrent(after.error)

    try:
        with objects.reader(job.path, job.generation) as source:
            measurement = analyzer.measure(source, on_progress=report)
    except _NoLongerCurrent as stopped:
        return f"stopped: {stopped}"
    except analyzer.UnreadableVideo as error:
        unreadable = str(error)
        _advance(db, job_id, _for_current(lambda j, _s: _give_up(j, unreadable)))
        return "unreadable video: job failed"
    except ObjectMissing:
        reason = "The video was deleted before it could be analysed."
        _advance(db, job_id, _for_current(lambda j, _s: _give_up(j, reason)))
        return "video gone: job failed"
    analytics = f"{analysis.ANALYSIS_PREFIX}/{job.sessionId}/{job_id}/motion.json"
    objects.write_json(
        analytics,
        {
            "sessionId": job.sessionId,
            "jobId": job_id,
            "video": {"path": job.path, "generation": job.generation},
            **measurement.series_document(),
        },
    )
    results = {
        "analysisStatus": AnalysisStatus.COMPLETED.value,
        "analysisProgress": 100,
        "perFrameStatus": AnalysisStatus.COMPLETED.value,
        "metrics": measurement.metrics(),
        "analyticsFile": analytics,
        "analyticsFilename": "motion.json",
        "analysisError": None,
    }
    done = _advance(
        db, job_id, _for_current(lambda j, _s: (analysis.succeeded(j, _now()), results))
    )
    if done is not None and done.state == "succeeded":
        return "analysed"
    # Superseded, cancelled or deleted meanwhile: nothing points at the file, so it goes.
    objects.delete(analytics)
    return "not current: results dropped"


# ---- the backend's callback --------------------------------------------------------------------


def verify_callback(raw: bytes, header: str | None) -> str:
    """Check the callback's signature before anything is parsed; returns the replay-guard key."""
    return signatures.verify(settings.analysis_secret(), header, raw, time.time())


def apply_callback(db: Client, body: AnalysisCallback, *, receipt: str) -> CallbackResult:
    """``POST /api/analysis/callback``: progress or final results from the analysis backend."""
    session_id = body.sessionId or _session_of_backend_id(db, body.backendSessionId or "")
    found = sessions_store.get_versioned(db, session_id)
    if found is None:
        raise NotFound("Session not found.")
    session = found[0]
    analysis.require_analysable(session)
    if body.jobId is None and session.analysisJobId is not None:
        # The backend was sent the job; without its id a late result of an older upload
        # could land on the newer one.
        raise invalid_fields(
            [FieldError(field="jobId", message="required: this session's video has a job")]
        )
    job_id = body.jobId or session.analysisJobId
    if body.jobId is not None and body.jobId != session.analysisJobId:
        raise FailedPrecondition("This job was superseded by a newer upload; results are ignored.")
    if job_id is None:
        applied = _apply_without_job(db, session_id, body, analysis.callback_fields(body), receipt)
        status = body.status if applied else (session.analysisStatus or body.status)
        return CallbackResult(
            sessionId=session_id, jobId=None, analysisStatus=status, applied=applied
        )

    def decide(job: JobRecord, _session: SessionRecord) -> Any:
        after = analysis.job_after_callback(job, body, _now())
        return after, None if after is None else analysis.callback_fields(body, after)

    after = _advance(db, job_id, _for_current(decide), receipt=receipt)
    if after is None and not jobs.exists(db, job_id):
        raise NotFound("No analysis job for this session.")
    applied = after is not None
    status = body.status if applied else (session.analysisStatus or body.status)
    return CallbackResult(
        sessionId=session_id, jobId=job_id, analysisStatus=status, applied=applied
    )


def _session_of_backend_id(db: Client, backend_session_id: str) -> str:
    found = jobs.sessions_with_backend_id(db, backend_session_id)
    if not found:
        raise NotFound("No session is linked to this backendSessionId.")
    if len(found) > 1:
        raise FailedPrecondition(
            "Several sessions are linked to this backendSessionId; send sessionId instead."
        )
    return found[0]


def _apply_without_job(
    db: Client, session_id: str, body: AnalysisCallback, fields: dict[str, Any], receipt: str
) -> bool:
    """A session linked with link-backend, analysed by the backend without an upload here."""

    def attempt() -> bool:
        if jobs.receipt_used(db, receipt):
            raise Unauthenticated("This callback was already received (replayed signature).")
        found = sessions_store.get_versioned(db, session_id)
        if found is None:
            raise NotFound("Session not found.")
        session, version = found
        analysis.require_analysable(session)
        batch = db.batch()
        jobs.use_receipt(batch, db, receipt, now=_now(), keep=_RECEIPT_LIFETIME)
        forward = analysis.is_forward(session, body)
        if forward:
            sessions_store.patch(batch, db, session_id, fields, version=version)
        commit(batch)
        return forward

    # A concurrent copy of this callback wins the receipt: this one re-reads and is refused.
    return retry_on_conflict(attempt, also=(DocumentMissing,))


# ---- the sweep ---------------------------------------------------------------------------------


@dataclass
class SweepReport:
    """What one sweep did."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    registered: list[str] = field(default_factory=list)


def sweep(db: Client, objects: ObjectStore, now: datetime) -> SweepReport:
    """Send stuck jobs again (or fail them after their attempts), and pick up lost uploads."""
    report = SweepReport()
    for job_id, _job in jobs.unfinished_before(db, analysis.stuck_since(now), SWEEP_BATCH):

        def retry(job: JobRecord, _session: SessionRecord) -> Any:
            after = analysis.requeued(job, now)
            if after is not None and after.state == "failed":
                return after, _failed_fields(after.error or "The analysis failed.")
            return after, None

        after = _advance(db, job_id, _for_current(retry))
        if after is None:
            continue
        if after.state == "failed":
            report.failed.append(job_id)
            continue
        try:
            tasks.enqueue_analysis(job_id, task_id=f"{job_id}-{int(now.timestamp())}")
        except Exception:  # one lost enqueue must not stop the sweep; the next sweep resends
            log.exception("sweep: could not enqueue job %s", job_id)
            continue
        report.requeued.append(job_id)
    report.registered = _register_lost_uploads(db, objects, now)
    return report


def _register_lost_uploads(db: Client, objects: ObjectStore, now: datetime) -> list[str]:
    """Videos uploaded more than ``STUCK_AFTER`` ago whose finalize event never made a job."""
    candidates: dict[str, StoredObject] = {}
    for blob in objects.objects("sessions/"):
        target = analysis.session_object(blob.name)
        updated = blob.updated
        if target is None or target.kind != "video" or updated is None:
            continue
        if not now - UNREGISTERED_LOOKBACK < updated < analysis.stuck_since(now):
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
        candidates[analysis.job_id(obj.bucket, obj.name, obj.generation)] = obj
    registered = []
    for job_id in sorted(jobs.missing(db, list(candidates))):
        retry = f"-{int(now.timestamp())}"
        if object_finalized(db, objects, candidates[job_id], now, retry=retry) == "queued":
            registered.append(job_id)
    return registered
