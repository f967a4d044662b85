"""Scheduled functions: the sweeps that keep long-running state honest."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from firebase_functions import scheduler_fn

from sessionbase import settings
from sessionbase.services import exports, notifications, reports, retention
from sessionbase.services.groups import sweep_live_sessions
from sessionbase.services.stats import reconcile_everyone
from sessionbase.store.audit import Scope
from sessionbase.store.client import firestore_client
from sessionbase.store.storage import default_objects
from sessionbase.store.work import Store

log = logging.getLogger(__name__)


def _store(function: str) -> Store:
    """The store of one scheduled run, audited as that function."""
    return Store(firestore_client(), audit=Scope.run(function, datetime.now(UTC)))


@scheduler_fn.on_schedule(schedule="every 5 minutes")
def end_overdue_live_sessions(event: scheduler_fn.ScheduledEvent) -> None:
    """End live sessions left active past their group's maximum duration (``autoEndAt``)."""
    sweep_live_sessions(_store("end_overdue_live_sessions"), datetime.now(UTC))


# It reads every counted person's sessions: the longest a scheduled function may run, not the
# 60 s default (docs/decisions.md, "Function settings").
@scheduler_fn.on_schedule(schedule="every day 03:00", timeout_sec=540)
def reconcile_statistics(event: scheduler_fn.ScheduledEvent) -> None:
    """Recompute everyone's statistics from their sessions and repair any drift (lost events)."""
    for report in reconcile_everyone(_store("reconcile_statistics"), datetime.now(UTC)):
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
    pruned = notifications.prune(_store("prune_notifications"), datetime.now(UTC))
    log.info("%d notifications pruned", pruned)


@scheduler_fn.on_schedule(schedule="every day 04:30")
def remove_old_videos(event: scheduler_fn.ScheduledEvent) -> None:
    """Delete session videos older than ``SESSIONBASE_VIDEO_RETENTION_DAYS`` (off by default);
    their sessions keep their figures and record ``videoRemovedAt``."""
    days = settings.video_retention_days()
    report = retention.remove_old_videos(
        _store("remove_old_videos"), default_objects(), datetime.now(UTC), days
    )
    log.info("video retention: %d removed", report.removed)


@scheduler_fn.on_schedule(schedule="every day 05:00")
def remove_expired_exports(event: scheduler_fn.ScheduledEvent) -> None:
    """Delete data-export ZIPs kept past their ``expiresAt`` (7 days after they were made), and
    report files older than a day (``services/reports.py: KEEP``)."""
    now, objects = datetime.now(UTC), default_objects()
    removed = exports.remove_expired(_store("remove_expired_exports"), objects, now)
    log.info("%d expired data exports removed", removed)
    log.info("%d old report files removed", reports.remove_old_reports(objects, now))
