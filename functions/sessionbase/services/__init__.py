"""Use cases, one module per capability: read records (store), decide (domain), write (store).

Every service function takes a ``Context`` first; path ids come as keyword arguments and the
validated input, if the operation has one, as the second argument (handlers/operations.py).
Services read through the repositories of ``ctx.store``, ask the domain, and hand their writes to
a unit of work (store/work.py). The package's modules are imported on first use (``lazy``).
"""

from typing import TYPE_CHECKING

from sessionbase import lazy

if TYPE_CHECKING:
    from sessionbase.services import (
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
        profiles,
        reports,
        retention,
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
    "profiles",
    "reports",
    "retention",
    "review",
    "schedules",
    "sessions",
    "stats",
    "users",
]
