"""Statistics (DESIGN.md §6): which figures a client asks for and how they are returned."""

from __future__ import annotations

from typing import Any

from sessionbase.models.base import Input, Output
from sessionbase.models.fields import Id


class StatsQuery(Input):
    """Query parameters of ``GET /api/sessions/stats``: one person, or none for the caller."""

    athleteId: Id | None = None
    coachId: Id | None = None


class SessionStats(Output):
    """``{"stats": {...}}``: the figures of ``athleteStats/{uid}`` or ``coachStats/{uid}``.

    The statistics trigger (a later capability) defines the figures; until it exists the documents
    are absent and ``stats`` is empty. No figure is invented here.
    """

    stats: dict[str, Any]
