"""Deleting an account (issue 27): the task that runs a deletion (``services/accounts.py``)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from firebase_functions import https_fn, options, tasks_fn

from sessionbase.errors import SessionbaseError
from sessionbase.models.accounts import AccountDeletionTask
from sessionbase.models.validation import parse
from sessionbase.services import accounts
from sessionbase.store.audit import Scope
from sessionbase.store.client import firestore_client
from sessionbase.store.storage import default_objects
from sessionbase.store.work import Store

log = logging.getLogger(__name__)


@tasks_fn.on_task_dispatched(
    # A run that failed (Firestore or Storage hiccupped) is tried again; every page is safe to
    # run twice. A run stops itself after its budget (settings) and queues the next.
    retry_config=options.RetryConfig(
        max_attempts=5, min_backoff_seconds=30, max_backoff_seconds=300
    ),
    rate_limits=options.RateLimits(max_concurrent_dispatches=5, max_dispatches_per_second=2),
    timeout_sec=300,
)
def runAccountDeletion(request: https_fn.CallableRequest[Any]) -> None:  # noqa: N802
    """One run of one account's deletion (queue ids allow no underscores)."""
    try:
        task = parse(AccountDeletionTask, request.data)
    except SessionbaseError as error:  # a malformed task never succeeds: do not retry it
        log.error("malformed account deletion task %r: %s", request.data, error.detail)
        return
    headers, now = request.raw_request.headers, datetime.now(UTC)
    audit = Scope.task("runAccountDeletion", headers, task.uid, now)
    store, objects = Store(firestore_client(), audit=audit), default_objects()
    job = accounts.run_deletion(store, objects, task.uid, clock=lambda: datetime.now(UTC))
    log.info("account deletion %s: %s", task.uid, None if job is None else job.step)
