"""Download my data (issue 27): the task that builds an export's ZIP (``services/exports.py``).

The retention schedule is in ``handlers/schedules.py`` (``remove_old_videos``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from firebase_functions import https_fn, options, tasks_fn

from sessionbase.errors import SessionbaseError
from sessionbase.models.exports import ExportTask
from sessionbase.models.validation import parse
from sessionbase.services import exports
from sessionbase.store.audit import Scope
from sessionbase.store.client import firestore_client
from sessionbase.store.storage import default_objects
from sessionbase.store.work import Store

log = logging.getLogger(__name__)


@tasks_fn.on_task_dispatched(
    retry_config=options.RetryConfig(
        max_attempts=exports.MAX_ATTEMPTS, min_backoff_seconds=30, max_backoff_seconds=300
    ),
    rate_limits=options.RateLimits(max_concurrent_dispatches=5, max_dispatches_per_second=2),
    memory=options.MemoryOption.GB_1,  # the ZIP is built in memory
    concurrency=1,  # so one export per instance: two ZIPs would share the 1 GB
    timeout_sec=1800,  # the longest a task-queue function may run
)
def runDataExport(request: https_fn.CallableRequest[Any]) -> None:  # noqa: N802
    """Build one export's ZIP (queue ids allow no underscores: ``runDataExport``)."""
    try:
        task = parse(ExportTask, request.data)
    except SessionbaseError as error:  # a malformed task never succeeds: do not retry it
        log.error("malformed export task %r: %s", request.data, error.detail)
        return
    headers, now = request.raw_request.headers, datetime.now(UTC)
    audit = Scope.task("runDataExport", headers, task.exportId, now)
    store, objects = Store(firestore_client(), audit=audit), default_objects()
    status = exports.run_export(store, objects, task.exportId, clock=lambda: datetime.now(UTC))
    log.info("data export %s: %s", task.exportId, status)
