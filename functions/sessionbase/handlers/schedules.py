"""Scheduled functions: the sweeps that keep long-running state honest."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from firebase_functions import scheduler_fn

from sessionbase.services import notifications
from sessionbase.services.groups import sweep_live_sessions
from sessionbase.services.stats import reconcile_everyone
from sessionbase.store.client import firestore_client
from sessionbase.store.work import Store

log = logging.getLogger(__name__)


@scheduler_fn.on_schedule(schedule="every 5 minutes")
def end_overdue_live_sessions(event: scheduler_fn.ScheduledEvent) -> None:
    """End live sessions left active past their group's maximum duration (``autoEndAt``)."""
    sweep_live_sessions(Store(firestore_client()), datetime.now(UTC))


@scheduler_fn.on_schedule(schedule="every day 03:00")
def reconcile_statistics(event: scheduler_fn.ScheduledEvent) -> None:
    """Recompute everyone's statistics from their sessions and repair any drift (lost events)."""
    for report in reconcile_everyone(Store(firestore_client()), datetime.now(UTC)):
        if report.error:
            log.error(
                "statistics of %s %s not reconciled: %s", report.role, report.uid, report.error
            )
        else:
            log.warning(
                "statistics drift repaired for %s %s: %s", report.role, report.uid, report.drift
            )


@scheduler_fn.on_schedule(schedule="every day 04:00")
def prune_notifications(event: scheduler_fn.ScheduledEvent) -> None:
    """Delete notifications older than ``SESSIONBASE_NOTIFICATION_DAYS`` (default 90)."""
    pruned = notifications.prune(Store(firestore_client()), datetime.now(UTC))
    log.info("%d notifications pruned", pruned)
