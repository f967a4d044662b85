"""Pydantic models by role; no Firebase imports here.

- ``Input`` models are what a client may send (``XCreate``, ``XUpdate``, ``XQuery``): unknown
  fields are refused.
- ``Record`` models are what Firestore holds (``XRecord``): the store turns snapshots into records
  and records into writes. Internal fields live only here.
- ``Output`` models are what a client reads (``XPublic``, ``XResult``): responses are
  ``model_dump(mode="json", exclude_unset=True)``, so a field absent from a stored document stays
  absent from the response and an internal field, not being on the model, never leaves.
- ``Part`` models are pieces of the others: the fields several roles share (``XFields``) or an
  object nested in them.

Every model builds its validator on first use, not at import (cold start).
"""

from typing import TYPE_CHECKING

from sessionbase import lazy

if TYPE_CHECKING:
    from sessionbase.models import (
        accounts,
        analysis,
        audit,
        comments,
        completion,
        exports,
        groups,
        invitations,
        notifications,
        practice,
        reports,
        review,
        schedules,
        sessions,
        stats,
        users,
    )
else:
    __getattr__ = lazy.submodules(__name__)

__all__ = [
    "accounts",
    "analysis",
    "audit",
    "comments",
    "completion",
    "exports",
    "groups",
    "invitations",
    "notifications",
    "practice",
    "reports",
    "review",
    "schedules",
    "sessions",
    "stats",
    "users",
]
