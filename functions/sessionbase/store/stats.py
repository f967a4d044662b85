"""Statistics documents: ``athleteStats/{uid}`` and ``coachStats/{uid}``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from google.cloud.firestore import Client


def stats_document(db: Client, collection: str, uid: str) -> dict[str, Any]:
    """A statistics document (``athleteStats`` or ``coachStats``), or {} when there is none."""
    snapshot = db.collection(collection).document(uid).get()
    return (snapshot.to_dict() or {}) if snapshot.exists else {}
