"""Statistics (DESIGN.md §6): the query, the dashboard figures, and per-session contributions."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from sessionbase.models.base import Input, Output, Part, Record
from sessionbase.models.fields import Id, StoredDay


class StatsQuery(Input):
    """Query parameters of ``GET /api/sessions/stats``: one person, or none for the caller."""

    athleteId: Id | None = None
    coachId: Id | None = None


class Contribution(Record):
    """``statsContributions/{sessionId}`` (internal): what a session adds to its people's stats.

    ``version`` is the session's update time (its delete time for a tombstone): a change older
    than the recorded one is ignored, so duplicated and reordered events count once.
    """

    version: dt.datetime
    deleted: bool = False
    athleteId: str | None = None
    coachId: str | None = None
    counters: dict[str, float] = Field(default_factory=dict)
    athleteDay: StoredDay | None = None
    coachDay: StoredDay | None = None
    active: bool = False  # not cancelled: counts on its day
    completed: bool = False
    at: dt.datetime | None = None
    motionIQ: float | None = None
    accuracy: float | None = None
    # For the trend's "latest results" queries (an equality filter the index can serve).
    hasMotionIQ: bool = False
    hasAccuracy: bool = False

    @classmethod
    def tombstone(cls, version: dt.datetime) -> Contribution:
        """A deleted session's record: it contributes nothing from ``version`` on."""
        return cls(version=version, deleted=True)


class Trend(Part):
    """Mean of the last 5 results minus the mean of the 5 before (null with fewer than 10)."""

    motionIQ: float | None
    accuracy: float | None


class DashboardStats(Part):
    """The dashboard figures of one athlete or coach, evaluated when read."""

    totalSessions: int
    completedSessions: int
    cancelledSessions: int
    completionRate: float = Field(description="completed / total, in percent")
    completedAnalyses: int
    averageMotionIQ: float | None
    averageAclRisk: float | None
    riskLevels: dict[str, int]
    byEvent: dict[str, int]
    bySessionType: dict[str, int]
    totalDurationSeconds: int = Field(description="of completed sessions")
    mindfulMinutes: float = Field(description="duration of completed Practice sessions")
    sessionsThisWeek: int = Field(description="Monday to Sunday, in the person's time zone")
    currentStreak: int = Field(description="consecutive days with a completed session")
    longestStreak: int
    averageAccuracy: float | None
    averageScore: float | None
    lastSessionAt: dt.date | None = Field(description="the latest day with a session")
    trend: Trend
    timezone: str
    athleteCount: int | None = Field(default=None, description="coaches only")


class SessionStats(Output):
    """``{"stats": {...}}`` for one athlete or coach."""

    stats: DashboardStats


class AnalyticsSummary(Output):
    """``GET /api/analytics/summary``: the caller's own practice, in the yoga seed's words.

    Each figure is one of the caller's athlete statistics (``GET /api/sessions/stats``), renamed:
    the dashboard's "sessions this week", "mindful minutes", "current streak" and "total average
    accuracy", and the totals around them.
    """

    total_sessions: int = Field(description="totalSessions")
    completed_sessions: int = Field(description="completedSessions")
    practice_sessions: int = Field(description="bySessionType.Practice")
    yoga_sessions: int = Field(description="byEvent.Yoga: practices logged with poses")
    sessions_this_week: int = Field(description="sessionsThisWeek")
    mindful_minutes: float = Field(description="mindfulMinutes")
    current_streak: int = Field(description="currentStreak (days)")
    longest_streak: int = Field(description="longestStreak (days)")
    avg_accuracy: float | None = Field(description="averageAccuracy: the total average accuracy")
    accuracy_trend: float | None = Field(description="trend.accuracy")
    last_session_date: dt.date | None = Field(description="lastSessionAt")
    timezone: str


class StatsReport(Part):
    """What a reconcile found and did for one person."""

    uid: str
    role: str
    sessions: int
    drift: dict[str, float]
    repaired: bool
    error: str | None = None  # why this person could not be reconciled (the others still were)
