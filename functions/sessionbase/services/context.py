"""What every service call receives: who is calling, the clients, and the time of the request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sessionbase.models.identity import Caller
from sessionbase.store.relations import FirestoreRelations
from sessionbase.store.storage import ObjectStore

if TYPE_CHECKING:
    from google.cloud.firestore import Client


@dataclass(frozen=True, kw_only=True)
class Context:
    """One request's collaborators; tests build their own."""

    caller: Caller
    db: Client
    now: datetime
    objects: ObjectStore
    # The browser's Origin header, when the request came from one (upload sessions need it).
    origin: str | None = None

    @property
    def relations(self) -> FirestoreRelations:
        """Link and membership questions, answered from Firestore."""
        return FirestoreRelations(self.db)
