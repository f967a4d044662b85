"""Firestore triggers, kept thin: decode the event, call the service. Each is idempotent.

Python triggers are deployed without retries and the emulator delivers every event twice, so
each handler works out from the event's own data whether it has been counted already.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from firebase_functions import firestore_fn
from firebase_functions.core import Change

from sessionbase.models.sessions import SessionRecord
from sessionbase.services import stats
from sessionbase.store.client import firestore_client
from sessionbase.store.work import Store

if TYPE_CHECKING:
    from google.cloud.firestore import DocumentSnapshot


@firestore_fn.on_document_written(document="sessions/{sessionId}")
def count_session_change(
    event: firestore_fn.Event[Change[DocumentSnapshot[Any] | None]],
) -> None:
    """Keep the athlete's and the coach's statistics in step with one session's change."""
    before, after = event.data.before, event.data.after
    if after is not None and after.exists:
        session = SessionRecord.model_validate(after.to_dict())
        version = after.update_time
    else:
        session = None
        version = stats.deleted_version(event.time, before.update_time if before else None)
    stats.record_change(Store(firestore_client()), event.params["sessionId"], session, version)


@firestore_fn.on_document_written(document="users/{userId}")
def recount_on_timezone_change(
    event: firestore_fn.Event[Change[DocumentSnapshot[Any] | None]],
) -> None:
    """A person's days follow their time zone: recount their statistics when it changes."""
    before, after = event.data.before, event.data.after
    zone_before = (before.to_dict() or {}).get("timezone") if before is not None else None
    zone_after = (after.to_dict() or {}).get("timezone") if after is not None else None
    if zone_before != zone_after:
        uid, store = event.params["userId"], Store(firestore_client())
        for role in ("athlete", "coach"):
            stats.reconcile(store, uid, role, event.time, force=True)
