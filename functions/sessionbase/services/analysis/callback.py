"""The analysis backend's callback (DESIGN.md §4-5): progress or final results, signed.

The signature is checked before anything is parsed; its receipt is used up in the same unit of
work that applies the callback, so a replayed callback is refused and a concurrent copy of one
loses the race and is refused too. A result for a superseded job ends that job (failed,
"Superseded by a newer upload.") and is refused.
"""

from __future__ import annotations

from datetime import datetime

from sessionbase import settings
from sessionbase.domain import signatures
from sessionbase.domain.analysis import callback, jobs
from sessionbase.errors import NotFound
from sessionbase.models.analysis import AnalysisCallback, CallbackResult, JobRecord
from sessionbase.services.access import session_not_found
from sessionbase.services.analysis.jobs import Receipt, advance
from sessionbase.store.client import DocumentMissing
from sessionbase.store.keys import backend_key
from sessionbase.store.work import Store


def verify_callback(raw: bytes, header: str | None, now: datetime) -> str:
    """Check the callback's signature before anything is parsed; returns the replay-guard key."""
    return signatures.verify(
        settings.analysis_keys(),
        header,
        raw,
        now.timestamp(),
        direction=signatures.Direction.CALLBACK,
    )


def apply_callback(
    store: Store, body: AnalysisCallback, *, receipt: str, now: datetime
) -> CallbackResult:
    """``POST /api/analysis/callback``: progress or final results from the analysis backend."""
    used = Receipt(receipt, now)
    session_id = body.sessionId or _session_of_backend_id(
        store, body.coachId or "", body.backendSessionId or ""
    )
    session = store.sessions.get(session_id)
    if session is None:
        raise session_not_found()
    jobs.require_analysable(session)
    stale = callback.superseded_job(session, body)
    if stale is not None:
        # Still running at the backend when a newer upload superseded it: it ends now, not when
        # the sweep finds it untouched. Only a job of this session (the body names both).
        advance(store, stale, _no_step, now=now, receipt=used, of_session=session_id)
    job_id = callback.reported_job(session, body)  # refuses the superseded job
    if job_id is None:
        applied = _apply_without_job(store, session_id, body, used)
    else:
        after = advance(
            store, job_id, lambda job: callback.callback_step(job, body, now), now=now, receipt=used
        )
        if after is None and not store.jobs.exists(job_id):
            raise NotFound("No analysis job for this session.")
        applied = after is not None
    status = body.status if applied else (session.analysisStatus or body.status)
    return CallbackResult(
        sessionId=session_id, jobId=job_id, analysisStatus=status, applied=applied
    )


def _no_step(job: JobRecord) -> jobs.Step:
    """No move for a job that is still current (``advance`` ends it when it is not)."""
    return jobs.Step(None)


def _session_of_backend_id(store: Store, coach_id: str, backend_session_id: str) -> str:
    """The session the coach linked to this backend id (ids are per coach: another coach's
    link of the same id is not a match); one read of the registry link-backend writes."""
    found = store.sessions.backend_entry(backend_key(coach_id, backend_session_id))
    if found is None:
        raise NotFound("No session of this coach is linked to this backendSessionId.")
    return found


def _apply_without_job(
    store: Store, session_id: str, body: AnalysisCallback, receipt: Receipt
) -> bool:
    """A session linked with link-backend, analysed by the backend without an upload here."""
    change = callback.callback_change(body)

    def attempt(unit: Store) -> bool:
        receipt.refuse_replay(unit)
        found = unit.sessions.get_versioned(session_id)
        if found is None:
            raise session_not_found()
        session, version = found
        jobs.require_analysable(session)
        callback.reported_job(session, body)  # still without a job: an upload may have raced it
        receipt.use(unit)
        forward = callback.is_forward(session, body)
        if forward:
            unit.sessions.patch(session_id, change.fields, version=version)
        return forward

    # A concurrent copy of this callback wins the receipt: this one re-reads and is refused.
    return store.optimistic(attempt, also=(DocumentMissing,))
