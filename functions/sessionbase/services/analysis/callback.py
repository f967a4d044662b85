"""The analysis backend's callback (DESIGN.md §4-5): progress or final results, signed.

The signature is checked before anything is parsed; its receipt is used up in the same unit of
work that applies the callback, so a replayed callback is refused and a concurrent copy of one
loses the race and is refused too.
"""

from __future__ import annotations

from datetime import datetime

from sessionbase import settings
from sessionbase.domain import signatures
from sessionbase.domain.analysis import callback, jobs
from sessionbase.errors import FailedPrecondition, NotFound
from sessionbase.models.analysis import AnalysisCallback, CallbackResult
from sessionbase.services.access import session_not_found
from sessionbase.services.analysis.jobs import Receipt, advance
from sessionbase.store.client import DocumentMissing
from sessionbase.store.work import Store


def verify_callback(raw: bytes, header: str | None, now: datetime) -> str:
    """Check the callback's signature before anything is parsed; returns the replay-guard key."""
    return signatures.verify(settings.analysis_secret(), header, raw, now.timestamp())


def apply_callback(
    store: Store, body: AnalysisCallback, *, receipt: str, now: datetime
) -> CallbackResult:
    """``POST /api/analysis/callback``: progress or final results from the analysis backend."""
    used = Receipt(receipt, now)
    session_id = body.sessionId or _session_of_backend_id(store, body.backendSessionId or "")
    session = store.sessions.get(session_id)
    if session is None:
        raise session_not_found()
    jobs.require_analysable(session)
    job_id = callback.reported_job(session, body)
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


def _session_of_backend_id(store: Store, backend_session_id: str) -> str:
    found = store.jobs.sessions_with_backend_id(backend_session_id)
    if not found:
        raise NotFound("No session is linked to this backendSessionId.")
    if len(found) > 1:
        raise FailedPrecondition(
            "Several sessions are linked to this backendSessionId; send sessionId instead."
        )
    return found[0]


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
