"""Rate limits in use: checked before an operation runs, counted after it succeeded.

Cost per limited request: one document read before it runs (``check``), and one write after it
succeeded (``spend``: a blind increment). A refused request (over the limit, or refused for any
other reason) counts nothing. Checking and counting are not one transaction: requests running at
the same moment may pass a limit by as many as run at once (docs/decisions.md, "Rate limits").
"""

from __future__ import annotations

from datetime import datetime

from sessionbase import settings
from sessionbase.domain.limits import Limit, require_within
from sessionbase.store.work import Store


def limit_of(name: str) -> Limit:
    """The limit called ``name``, as this deployment sets it."""
    return settings.rate_limits()[name]


def check(store: Store, uid: str, name: str, now: datetime, *, cost: int = 1) -> None:
    """Refuse (429, ``Retry-After``) when ``uid`` has no room left for ``cost`` uses."""
    limit = limit_of(name)
    start, _ = limit.window_at(now)
    require_within(limit, store.limits.used(uid, name, start), cost, now)


def spend(store: Store, uid: str, name: str, now: datetime, *, cost: int = 1) -> None:
    """Count ``cost`` uses of ``name`` by ``uid`` in the window of ``now``."""
    limit = limit_of(name)
    start, end = limit.window_at(now)
    store.write(lambda unit: unit.limits.count(uid, name, start, cost=cost, ends=end))
