"""Scheduled functions: the sweeps that keep long-running state honest."""

from __future__ import annotations

from datetime import UTC, datetime

from firebase_functions import scheduler_fn

from sessionbase.services.groups import sweep_live_sessions
from sessionbase.store.client import firestore_client


@scheduler_fn.on_schedule(schedule="every 5 minutes")
def end_overdue_live_sessions(event: scheduler_fn.ScheduledEvent) -> None:
    """End live sessions left active past their group's maximum duration (``autoEndAt``)."""
    sweep_live_sessions(firestore_client(), datetime.now(UTC))
