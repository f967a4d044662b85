"""Video retention (issue 27): session videos older than ``SESSIONBASE_VIDEO_RETENTION_DAYS``
are deleted by a daily schedule; the session keeps its analysis figures and says when its video
was removed (``videoRemovedAt``; docs/decisions.md, "Video retention").

Each video's object is deleted first, then its session is marked (its path cleared, its upload
time deleted so no later run picks it again), one unit of work per session with the session's
version as precondition. A run stopped between the two leaves the session as it was: the next
run finds it, finds the object gone, and marks it. A second run finds nothing and writes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sessionbase.domain.analysis import uploads
from sessionbase.store.client import DocumentMissing
from sessionbase.store.storage import ObjectStore
from sessionbase.store.work import Store

log = logging.getLogger(__name__)

# Sessions read per query; a run goes on until none is left (or ``MAX_PER_RUN``).
BATCH = 100
# The most videos one run removes (the next day's run goes on): a run stays within its time.
MAX_PER_RUN = 5_000


@dataclass(frozen=True)
class RetentionReport:
    """What one run did: videos removed (sessions marked) and objects deleted."""

    removed: int
    objects_deleted: int


def remove_old_videos(
    store: Store, objects: ObjectStore, now: datetime, days: int | None
) -> RetentionReport:
    """Delete the videos that landed more than ``days`` days before ``now`` (None or 0: off)
    and mark their sessions; idempotent."""
    if not days:
        return RetentionReport(removed=0, objects_deleted=0)
    cutoff = now - timedelta(days=days)
    removed = deleted = 0
    while removed < MAX_PER_RUN:
        rows = store.sessions.videos_uploaded_before(cutoff, limit=BATCH)
        if not rows:
            break
        for session_id, session, _version in rows:
            if session.videoPath and objects.delete(session.videoPath):
                deleted += 1
            if _mark(store, session_id, cutoff, now):
                removed += 1
    if removed:
        log.info("video retention: %d videos removed, %d objects deleted", removed, deleted)
    return RetentionReport(removed=removed, objects_deleted=deleted)


def _mark(store: Store, session_id: str, cutoff: datetime, now: datetime) -> bool:
    """Mark the session's video removed, if it still records the old one (read again: a new
    upload meanwhile is kept); False if there was nothing to mark."""

    def attempt(unit: Store) -> bool:
        found = unit.sessions.get_versioned(session_id)
        if found is None:
            return False
        session, version = found
        if session.videoUploadedAt is None or session.videoUploadedAt >= cutoff:
            return False
        unit.sessions.patch(session_id, uploads.video_removed(now).fields, version=version)
        return True

    return store.optimistic(attempt, also=(DocumentMissing,))
