"""Firestore triggers, kept thin: decode the event, call the service. Each is idempotent.

Python triggers are deployed without retries and the emulator delivers every event twice, so
each handler works out from the event's own data whether it has been counted already.

Documents may have any shape (the Admin SDK, the console and old code write around the API):
each trigger reads what is valid in them (``Record.salvage``), logs the rest, and never fails on
it, since a failed run loses its event until the reconcile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from firebase_functions import firestore_fn
from firebase_functions.core import Change

from sessionbase.services import notifications, stats
from sessionbase.store.audit import Scope
from sessionbase.store.client import firestore_client
from sessionbase.store.work import Store

if TYPE_CHECKING:
    from google.cloud.firestore import DocumentSnapshot


@firestore_fn.on_document_written(document="sessions/{sessionId}")
def count_session_change(
    event: firestore_fn.Event[Change[DocumentSnapshot[Any] | None]],
) -> None:
    """Keep the athlete's and the coach's statistics in step with one session's change, and tell
    its people when its analysis finished (one trigger on the path, not two: each costs an
    invocation per session write)."""
    session_id = event.params["sessionId"]
    before, after = event.data.before, event.data.after
    if after is not None and after.exists:
        session = stats.session_in(session_id, after.to_dict())
        version = after.update_time
    else:
        session = None
        version = stats.deleted_version(event.time, before.update_time if before else None)
    # A document with nothing readable in it counts as no session (what it counted is withdrawn).
    # A failure is noted in statsFailures/{sessionId} for the reconcile, never raised.
    store = Store(
        firestore_client(), audit=Scope.event("count_session_change", event.id, event.time)
    )
    stats.count_change(store, session_id, session, version, now=event.time)
    if session is not None:
        earlier = (before.to_dict() or {}).get("analysisStatus") if before is not None else None
        notifications.analysis_changed(store, session_id, earlier, session, now=event.time)


@firestore_fn.on_document_written(document="users/{userId}")
def recount_on_timezone_change(
    event: firestore_fn.Event[Change[DocumentSnapshot[Any] | None]],
) -> None:
    """A person's days follow their time zone: recount their statistics when it changes."""
    before, after = event.data.before, event.data.after
    zones = [
        stats.timezone_in(None if s is None or not s.exists else s.to_dict())
        for s in (before, after)
    ]
    if zones[0] != zones[1]:
        uid = event.params["userId"]
        audit = Scope.event("recount_on_timezone_change", event.id, event.time)
        store = Store(firestore_client(), audit=audit)
        for role in ("athlete", "coach"):
            stats.reconcile(store, uid, role, event.time, force=True)
