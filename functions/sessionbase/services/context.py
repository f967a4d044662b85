"""What every service call receives: who is calling, the store, and the time of the request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sessionbase.models.identity import Caller
from sessionbase.store.storage import ObjectStore
from sessionbase.store.work import Store


@dataclass(frozen=True, kw_only=True)
class Context:
    """One request's collaborators; tests build their own."""

    caller: Caller
    store: Store
    now: datetime
    objects: ObjectStore
    # The browser's Origin header, when the request came from one (upload sessions need it).
    origin: str | None = None
