"""Our records in the shapes of a seed's clients (docs/migration.md): translations, no rules."""

from __future__ import annotations

import math
from collections.abc import Iterable

from sessionbase.models.sessions import (
    ItemRecord,
    SessionRecord,
    SessionType,
    YogaPose,
    YogaSession,
)


def yoga_session(
    session_id: str, session: SessionRecord, items: Iterable[tuple[str, ItemRecord]]
) -> YogaSession:
    """The session as the yoga seed's clients read it, with its pose items in the order sent.

    ``duration`` is whole minutes, halves rounded up (the seed stores an INTEGER); a session
    without a duration is 0 minutes. Answer items (a practice of exercises) are not poses.
    """
    poses = sorted(
        ((item_id, item) for item_id, item in items if item.kind == "pose"),
        key=lambda row: (row[1].position is None, row[1].position or 0, row[1].createdAt, row[0]),
    )
    return YogaSession(
        id=session_id,
        user_id=session.athleteId,
        date=session.actualStart or session.createdAt,
        duration=math.floor((session.durationSeconds or 0) / 60 + 0.5),
        avg_accuracy=session.avgAccuracy,
        total_poses=len(poses),
        created_at=session.createdAt,
        poses=[
            YogaPose(
                pose_name=item.name,
                accuracy=item.accuracy,
                feedback=list(item.feedback),
                improvements=list(item.improvements),
                timestamp=item.at,
            )
            for _, item in poses
        ],
    )


def has_poses(session: SessionRecord) -> bool:
    """Whether the session may hold pose items (a practice with items): others need no read."""
    return session.sessionType == SessionType.PRACTICE and bool(session.itemCount)
