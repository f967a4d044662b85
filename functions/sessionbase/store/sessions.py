"""Session documents in ``sessions/{sessionId}``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from google.cloud.firestore import Client

SESSIONS = "sessions"
LINKS = "links"


@dataclass(frozen=True, kw_only=True)
class PageAfter:
    """Where the previous page ended: the last session's creation time and id."""

    created_at: datetime
    session_id: str


def new_session_id(db: Client) -> str:
    """A fresh Firestore auto-id for a session."""
    return db.collection(SESSIONS).document().id


def create_session(db: Client, *, session_id: str, data: dict, items: list[dict] = ()) -> None:
    """Write a new session and its item subdocuments in one batch (fails if the id exists)."""
    ref = db.collection(SESSIONS).document(session_id)
    batch = db.batch()
    batch.create(ref, data)
    for item in items:
        batch.create(ref.collection("items").document(), item)
    batch.commit()


def get_session(db: Client, session_id: str) -> dict | None:
    """The session's data, or None."""
    snapshot = db.collection(SESSIONS).document(session_id).get()
    return snapshot.to_dict() if snapshot.exists else None


def list_sessions(
    db: Client,
    *,
    equals: dict[str, Any],
    limit: int,
    after: PageAfter | None,
) -> list[tuple[str, dict]]:
    """Sessions matching every ``field == value``, newest first, at most ``limit``."""
    from google.cloud.firestore import FieldFilter, Query

    query = db.collection(SESSIONS)
    for field, value in sorted(equals.items()):
        query = query.where(filter=FieldFilter(field, "==", value))
    query = query.order_by("createdAt", direction=Query.DESCENDING).order_by(
        "__name__", direction=Query.DESCENDING
    )
    if after is not None:
        query = query.start_after(
            {
                "createdAt": after.created_at,
                "__name__": db.collection(SESSIONS).document(after.session_id),
            }
        )
    return [(snap.id, snap.to_dict()) for snap in query.limit(limit).stream()]


def link_exists(db: Client, *, coach_id: str, athlete_id: str) -> bool:
    """True when ``links/{coachId}_{athleteId}`` exists (made by an accepted invitation)."""
    return db.collection(LINKS).document(f"{coach_id}_{athlete_id}").get().exists
