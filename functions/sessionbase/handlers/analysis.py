"""The analysis pipeline's functions (DESIGN.md §5): finalize trigger, task, callback, sweep.

Each one is a thin shell over ``services/analysis/``. Storage triggers are deployed without
retries (a failed delivery is gone), so the trigger only records the upload and queues the job;
the sweep picks up whatever a lost event or a lost enqueue left behind.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from firebase_functions import https_fn, options, scheduler_fn, storage_fn, tasks_fn
from firebase_functions.core import CloudEvent
from flask import Request, Response

from sessionbase import settings
from sessionbase.domain.analysis.jobs import MAX_ATTEMPTS, TASK_TIMEOUT
from sessionbase.errors import FieldError, Internal, InvalidArgument, NotFound, SessionbaseError
from sessionbase.handlers.responses import error_response, json_response
from sessionbase.models.analysis import AnalysisCallback, AnalysisTask
from sessionbase.models.validation import parse
from sessionbase.services.analysis import callback, jobs, sweep, uploads
from sessionbase.store.audit import Scope
from sessionbase.store.client import firestore_client
from sessionbase.store.storage import default_objects
from sessionbase.store.work import Store

log = logging.getLogger(__name__)
MAX_CALLBACK_BYTES = 1024 * 1024


@storage_fn.on_object_finalized(bucket=settings.trigger_bucket())
def register_upload(event: CloudEvent[storage_fn.StorageObjectData]) -> None:
    """A video or attachment landed under ``sessions/{id}/``: record it (and queue its analysis)."""
    data = event.data
    obj = uploads.StoredObject(
        bucket=data.bucket,
        name=data.name,
        generation=str(data.generation),
        size=int(data.size or 0),
        content_type=data.content_type,
        metadata=dict(data.metadata or {}),
        time_created=_timestamp(data.time_created),
    )
    now = datetime.now(UTC)
    store = Store(firestore_client(), audit=Scope.event("register_upload", event.id, now))
    uploads.object_finalized(store, default_objects(), obj, now)


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return None


@tasks_fn.on_task_dispatched(
    # Cloud Tasks retries a failed attempt (the backend was down, Storage hiccupped) after 30 s,
    # then 60 s (SESSIONBASE_ANALYSIS_RETRY_SECONDS); the job counts attempts itself and fails
    # after MAX_ATTEMPTS.
    retry_config=options.RetryConfig(
        max_attempts=MAX_ATTEMPTS,
        min_backoff_seconds=settings.analysis_retry_seconds(),
        max_backoff_seconds=300,
    ),
    # Decoding is CPU-bound: SESSIONBASE_ANALYSES_AT_ONCE analyses at a time (default 10), each
    # on an instance of its own, keeps instances busy but bounded; half as many start a second
    # (at least 5), so that with tasks of 2 s or more the width is what binds.
    rate_limits=options.RateLimits(
        max_concurrent_dispatches=settings.analyses_at_once(),
        max_dispatches_per_second=max(5, settings.analyses_at_once() // 2),
    ),
    max_instances=settings.analyses_at_once(),
    memory=options.MemoryOption.GB_1,  # measured peak: scripts/bench.sh pose
    timeout_sec=int(TASK_TIMEOUT.total_seconds()),  # the job's lease outlives it
    secrets=settings.analysis_secrets(),  # the key signs job requests: only with a backend
)
def analyzeSession(request: https_fn.CallableRequest[Any]) -> None:  # noqa: N802
    """One attempt at analysing one job: DESIGN.md §5's ``analyze_session`` task queue.

    The function (and so its queue) is named ``analyzeSession``: Cloud Tasks queue ids may hold
    only letters, digits and hyphens. It is deployed by the pose codebase (``functions_pose``),
    so the built-in analyzer measures body keypoints too; the API's codebase enqueues by name.
    """
    try:
        task = parse(AnalysisTask, request.data)
    except SessionbaseError as error:  # a malformed task will never succeed: do not retry it
        log.error("malformed analysis task %r: %s", request.data, error.detail)
        return
    # One entry per task: Cloud Tasks keeps a task's name through its retries.
    headers, now = request.raw_request.headers, datetime.now(UTC)
    audit = Scope.task("analyzeSession", headers, task.jobId, now)
    store, objects = Store(firestore_client(), audit=audit), default_objects()
    outcome = jobs.analyze(store, objects, task.jobId, clock=lambda: datetime.now(UTC), pose=True)
    log.info("analysis job %s: %s", task.jobId, outcome)


@scheduler_fn.on_schedule(schedule="every 10 minutes")
def sweep_analyses(event: scheduler_fn.ScheduledEvent) -> None:
    """Send stuck analyses again (at most three attempts), then fail them; pick up lost uploads."""
    now = datetime.now(UTC)
    report = sweep.sweep(
        Store(firestore_client(), audit=Scope.run("sweep_analyses", now)), default_objects(), now
    )
    if report.requeued or report.failed or report.registered:
        log.warning(
            "analysis sweep: requeued %s, failed %s, registered %s",
            report.requeued,
            report.failed,
            report.registered,
        )


@https_fn.on_request(secrets=settings.analysis_secrets())  # deployed only with a backend
def analysis_callback(request: Request) -> Response:
    """``POST /api/analysis/callback``: signed results from the analysis backend.

    Deployed only with an analysis backend (``handlers/exports.py``); an instance left from an
    earlier deploy without one answers 404 and reads nothing. The signature is checked on the
    raw bytes before anything is parsed or written.
    """
    if not settings.analysis_backend_configured():
        return error_response(NotFound("No analysis backend is configured on this deployment."))
    if request.method != "POST":
        body = {"detail": "Use POST.", "code": "invalid-argument"}
        return json_response(405, body, {"Allow": "POST"})
    now = datetime.now(UTC)
    try:
        if (request.content_length or 0) > MAX_CALLBACK_BYTES:
            raise _bad_body("larger than 1 MB")
        raw = _read_capped(request, MAX_CALLBACK_BYTES)
        signature = request.headers.get("X-Sessionbase-Signature")
        receipt = callback.verify_callback(raw, signature, now)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise _bad_body("not valid JSON") from None
        result = callback.apply_callback(
            Store(firestore_client(), audit=Scope.run("analysis_callback", now)),
            parse(AnalysisCallback, data),
            receipt=receipt,
            now=now,
        )
        return json_response(200, result.to_json())
    except SessionbaseError as error:
        return error_response(error)
    except settings.InvalidConfiguration as error:  # the start check was skipped: say why
        log.error("the analysis callback is not configured correctly: %s", error)
        return error_response(Internal())
    except Exception:
        log.exception("unhandled error in the analysis callback")
        return error_response(Internal())


def _read_capped(request: Request, limit: int) -> bytes:
    """The raw body, refused once it passes ``limit``: a chunked body declares no length, so
    it is read at most one byte past the cap, never whole."""
    chunks, size = [], 0
    while size <= limit:
        chunk = request.stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise _bad_body("larger than 1 MB")
    return b"".join(chunks)


def _bad_body(problem: str) -> InvalidArgument:
    return InvalidArgument(
        f"The callback body is {problem}.", errors=(FieldError(field="body", message=problem),)
    )
