"""Statistics as exact sums of per-session contributions (DESIGN.md §6).

Every session contributes a set of counters to its athlete's and its coach's statistics: one
session, one completed, its event, its motionIQ as a sum and a count, its day, ... A change to a
session replaces its old contribution by its new one, so the statistics move by the difference:
deltas of distinct sessions commute, and replaying a change that is already counted adds nothing.
Figures that depend on "now" (this week, the current streak) are evaluated when read, from the
per-day counters, so they are never stale.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeGuard
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sessionbase.domain import practice
from sessionbase.models.sessions import AnalysisStatus, SessionRecord, SessionStatus, SessionType
from sessionbase.models.stats import Contribution, DashboardStats, Trend

RISK_LEVELS = ("LOW", "MODERATE", "HIGH")
Counters = dict[str, float]
# Counters holding float sums (motionIQ, accuracy) that differ by less than this are equal:
# summing the same values in another order leaves rounding noise, not drift.
COUNTER_TOLERANCE = 1e-9
# The longest event name that names a counter (the API's bound on ``event``): a longer one,
# written around the API, counts in the totals but under no event.
EVENT_NAME_LIMIT = 200
# A person's uid names their statistics document and a counter of their coach's: one that
# cannot (a slash, ``.``/``..``, ``__x__``, longer than an Auth uid) has no statistics.
UID_LIMIT = 128


def zone(name: str | None) -> ZoneInfo:
    """The IANA time zone ``name``; UTC when it is missing or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_person(uid: object) -> TypeGuard[str]:
    """True for a uid that can own statistics (see ``UID_LIMIT``)."""
    return (
        isinstance(uid, str)
        and 0 < len(uid) <= UID_LIMIT
        and "/" not in uid
        and uid not in (".", "..")
        and not (uid.startswith("__") and uid.endswith("__"))
    )


def _finite(value: float | None) -> float | None:
    """A result as counted: a NaN or an infinity (written around the API) is no result."""
    return value if value is not None and math.isfinite(value) else None


def is_completed(session: SessionRecord) -> bool:
    """Completed, as statistics count it: a practice of exercises only once it ended with at
    least one answer (one ended with none is a session that was not done)."""
    return session.status == SessionStatus.COMPLETED and not practice.unanswered(session)


def risk_level(session: SessionRecord) -> str | None:
    """The session's risk level: as stored, else from aclRisk (LOW < 30 <= MODERATE < 60)."""
    if session.riskLevel is not None:
        return session.riskLevel
    acl = _finite(session.aclRisk)
    if acl is None:
        return None
    return "LOW" if acl < 30 else "MODERATE" if acl < 60 else "HIGH"


def moment(session: SessionRecord) -> datetime | None:
    """When the session happened: its actual start, else its creation (its date is a day only)."""
    return session.actualStart or session.createdAt


def day_of(session: SessionRecord, tz: ZoneInfo) -> date | None:
    """The session's day: its actualStart, else its date, else its createdAt, in ``tz``."""
    if session.actualStart is not None:
        return session.actualStart.astimezone(tz).date()
    if session.date is not None:
        return session.date
    if session.createdAt is not None:
        return session.createdAt.astimezone(tz).date()
    return None


def contribution(
    session: SessionRecord, *, version: datetime, athlete_tz: ZoneInfo, coach_tz: ZoneInfo
) -> Contribution:
    """What one session adds to its athlete's and its coach's statistics."""
    counters: Counters = {"totalSessions": 1}
    completed = is_completed(session)
    cancelled = session.status == SessionStatus.CANCELLED
    if completed:
        counters["completedSessions"] = 1
        counters["totalDurationSeconds"] = session.durationSeconds or 0
        if session.sessionType == SessionType.PRACTICE:
            counters["mindfulSeconds"] = session.durationSeconds or 0
    if cancelled:
        counters["cancelledSessions"] = 1
    if session.analysisStatus == AnalysisStatus.COMPLETED:
        counters["completedAnalyses"] = 1
    motion_iq, accuracy = _finite(session.motionIQ), _finite(session.avgAccuracy)
    for name, value in (
        ("motionIQ", motion_iq),
        ("aclRisk", _finite(session.aclRisk)),
        ("accuracy", accuracy),
        # A score counts once its practice is completed: not a running one, not an empty one.
        ("score", _finite(session.scorePercentage) if completed else None),
    ):
        if value is not None:
            counters[f"{name}.sum"] = value
            counters[f"{name}.count"] = 1
    level = risk_level(session)
    if level is not None:
        counters[f"riskLevels.{level}"] = 1
    if session.event and len(session.event) <= EVENT_NAME_LIMIT:
        counters[f"byEvent.{session.event}"] = 1
    if session.sessionType:
        counters[f"bySessionType.{session.sessionType}"] = 1
    athlete_day = day_of(session, athlete_tz)
    coach_day = day_of(session, coach_tz)
    at = moment(session)
    return Contribution(
        version=version,
        athleteId=session.athleteId if is_person(session.athleteId) else None,
        coachId=session.coachId if is_person(session.coachId) else None,
        counters=counters,
        athleteDay=athlete_day,
        coachDay=coach_day,
        active=not cancelled,
        completed=completed,
        at=at,
        motionIQ=motion_iq,
        accuracy=accuracy,
        hasMotionIQ=motion_iq is not None,
        hasAccuracy=accuracy is not None,
    )


def is_newer(version: datetime, recorded: Contribution | None, *, recount: bool = False) -> bool:
    """Should a change at ``version`` replace the recorded contribution?

    Only a newer one does (``recount``: the same one too), so a duplicated event, or one that
    arrives after a later change of the same session, adds nothing.
    """
    if recorded is None:
        return True
    return version > recorded.version or (recount and version == recorded.version)


def counters_for(item: Contribution | None, person: str, role: str) -> Counters:
    """The counters ``item`` adds to ``person``'s statistics as athlete or coach (or none)."""
    if item is None or item.deleted:
        return {}
    if (item.athleteId if role == "athlete" else item.coachId) != person:
        return {}
    found = dict(item.counters)
    day = item.athleteDay if role == "athlete" else item.coachDay
    if day is not None and item.active:
        found[f"days.{day.isoformat()}.sessions"] = 1
        if item.completed:
            found[f"days.{day.isoformat()}.completed"] = 1
    if role == "coach" and item.athleteId:
        found[f"athletes.{item.athleteId}"] = 1
    return found


def people(*items: Contribution | None) -> set[tuple[str, str]]:
    """Every (uid, role) whose statistics these contributions touch."""
    found = set()
    for item in items:
        if item is not None and not item.deleted:
            if item.athleteId:
                found.add((item.athleteId, "athlete"))
            if item.coachId:
                found.add((item.coachId, "coach"))
    return found


def delta(old: Contribution | None, new: Contribution | None) -> dict[tuple[str, str], Counters]:
    """How each person's counters move when a session's contribution goes from old to new."""
    moves: dict[tuple[str, str], Counters] = {}
    for uid, role in people(old, new):
        before, after = counters_for(old, uid, role), counters_for(new, uid, role)
        change = {
            path: after.get(path, 0) - before.get(path, 0)
            for path in before.keys() | after.keys()
            if after.get(path, 0) != before.get(path, 0)
        }
        if change:
            moves[(uid, role)] = change
    return moves


def total(contributions: Iterable[Contribution], uid: str, role: str) -> Counters:
    """The counters of ``uid`` recomputed from every contribution (the reconcile's oracle)."""
    summed: Counters = {}
    for item in contributions:
        for path, value in counters_for(item, uid, role).items():
            summed[path] = summed.get(path, 0) + value
    return {path: value for path, value in summed.items() if value}


def flatten(document: Mapping[str, object], prefix: str = "") -> Counters:
    """A stored statistics document as flat counter paths (``motionIQ.sum``); zeros dropped."""
    found: Counters = {}
    for key, value in document.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found.update(flatten(value, f"{path}."))
        elif isinstance(value, int | float) and not isinstance(value, bool) and value:
            found[path] = float(value)
    return found


def _average(counters: Counters, name: str) -> float | None:
    count = counters.get(f"{name}.count", 0)
    return round(counters.get(f"{name}.sum", 0) / count, 2) if count else None


def _group(counters: Counters, prefix: str) -> dict[str, int]:
    return {
        path[len(prefix) :]: round(value)
        for path, value in sorted(counters.items())
        if path.startswith(prefix) and round(value)
    }


def _days(counters: Counters, kind: str) -> set[date]:
    found = set()
    for path, value in counters.items():
        if path.startswith("days.") and path.endswith(f".{kind}") and value > 0:
            found.add(date.fromisoformat(path.split(".")[1]))
    return found


def streaks(active: set[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive active days.

    The current streak runs back from today, or from yesterday while today has no session yet;
    a day with nothing before that breaks it.
    """
    current = 0
    day = today if today in active else today - timedelta(days=1)
    while day in active:
        current += 1
        day -= timedelta(days=1)
    longest = run = 0
    previous: date | None = None
    for day in sorted(d for d in active if d <= today):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    return current, longest


def trend(recent: list[float]) -> float | None:
    """Mean of the 5 most recent results minus the mean of the 5 before (newest first)."""
    if len(recent) < 10:
        return None
    return round(sum(recent[:5]) / 5 - sum(recent[5:10]) / 5, 2)


def dashboard(
    counters: Counters,
    *,
    now: datetime,
    tz: ZoneInfo,
    recent_motion_iq: list[float],
    recent_accuracy: list[float],
    coach: bool,
) -> DashboardStats:
    """The figures a dashboard shows, evaluated now in the person's time zone."""
    total_sessions = round(counters.get("totalSessions", 0))
    completed = round(counters.get("completedSessions", 0))
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    sessions_per_day = {
        date.fromisoformat(path.split(".")[1]): value
        for path, value in counters.items()
        if path.startswith("days.") and path.endswith(".sessions")
    }
    current, longest = streaks(_days(counters, "completed"), today)
    active_days = [d for d, n in sessions_per_day.items() if n > 0]
    risk = _group(counters, "riskLevels.")
    return DashboardStats(
        totalSessions=total_sessions,
        completedSessions=completed,
        cancelledSessions=round(counters.get("cancelledSessions", 0)),
        completionRate=round(100 * completed / total_sessions, 1) if total_sessions else 0.0,
        completedAnalyses=round(counters.get("completedAnalyses", 0)),
        averageMotionIQ=_average(counters, "motionIQ"),
        averageAclRisk=_average(counters, "aclRisk"),
        riskLevels={level: risk.get(level, 0) for level in RISK_LEVELS},
        byEvent=_group(counters, "byEvent."),
        bySessionType=_group(counters, "bySessionType."),
        totalDurationSeconds=round(counters.get("totalDurationSeconds", 0)),
        mindfulMinutes=round(counters.get("mindfulSeconds", 0) / 60, 1),
        sessionsThisWeek=round(
            sum(n for d, n in sessions_per_day.items() if monday <= d < monday + timedelta(days=7))
        ),
        currentStreak=current,
        longestStreak=longest,
        averageAccuracy=_average(counters, "accuracy"),
        averageScore=_average(counters, "score"),
        lastSessionAt=max(active_days).isoformat() if active_days else None,
        trend=Trend(motionIQ=trend(recent_motion_iq), accuracy=trend(recent_accuracy)),
        timezone=str(tz),
        **({"athleteCount": len(_group(counters, "athletes."))} if coach else {}),
    )


# ---- where counters are stored (bounded documents, safe names) ----------------------------------
#
# A person's counters are spread over bounded documents, each named by what the domain controls:
# the scalars and the enum-keyed groups in the person's document (or a coach's shard), each year's
# days in ``years/{yyyy}`` (at most 366 days × 2 counters), and each event in its own
# ``events/{key}`` document whose id is a digest of the name and whose name is a value, never a
# field name (user text such as ``__x__`` or ``a.b`` is no field path). A coach's year and event
# documents carry the shard too (``{key}-{shard}``), so many athletes never queue on one.
PERSON, YEARS, EVENTS = "", "years", "events"
_GROUPED = ("bySessionType.", "athletes.", "riskLevels.")
Place = tuple[str, str]  # (subcollection, document key); ("", "") is the person's document


def event_key(name: str) -> str:
    """The document key of an event's counters: a digest, whatever the name holds."""
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _placed(path: str) -> tuple[Place, tuple[str, ...], dict[str, str]]:
    """Where one counter goes: its document, its field keys there, and the document's identity
    fields (an event's name, a year)."""
    if path.startswith("byEvent."):
        name = path[len("byEvent.") :]
        return (EVENTS, event_key(name)), ("sessions",), {"event": name}
    if path.startswith("days."):
        _, day, kind = path.split(".")
        return (YEARS, day[:4]), ("days", day[5:], kind), {"year": day[:4]}
    for prefix in _GROUPED:
        if path.startswith(prefix):
            return (PERSON, ""), (prefix[:-1], path[len(prefix) :]), {}
    return (PERSON, ""), tuple(path.split(".")), {}


def documents(changes: Mapping[str, float]) -> dict[Place, dict[str, Any]]:
    """The documents ``changes`` move and, in each, the nested fields (leaves: the amounts) and
    its identity fields."""
    found: dict[Place, dict[str, Any]] = {}
    for path, amount in changes.items():
        place, keys, identity = _placed(path)
        tree = found.setdefault(place, dict(identity))
        *parents, leaf = keys
        for key in parents:
            tree = tree.setdefault(key, {})
        tree[leaf] = amount
    return found


def counters_in(place: str, document: Mapping[str, object]) -> Counters:
    """A stored document's counters as flat paths (the inverse of ``documents``; zeros dropped).

    The person's document may still hold the ``byEvent`` and ``days`` maps of the old layout:
    they read as the same paths, so old and new counts add up.
    """
    if place == EVENTS:
        name, value = document.get("event"), document.get("sessions")
        return flatten({"byEvent": {name: value}}) if isinstance(name, str) and name else {}
    if place == YEARS:
        year, days = document.get("year"), document.get("days")
        if not isinstance(year, str) or not isinstance(days, Mapping):
            return {}
        return flatten({f"{year}-{day}": kinds for day, kinds in days.items()}, "days.")
    return flatten(document)


def in_parts(changes: Counters, documents_per_part: int) -> list[Counters]:
    """``changes`` split so that each part moves at most ``documents_per_part`` documents (one
    batch each)."""
    by_document: dict[Place, Counters] = {}
    for path, amount in changes.items():
        by_document.setdefault(_placed(path)[0], {})[path] = amount
    groups = list(by_document.values())
    return [
        {
            path: amount
            for group in groups[start : start + documents_per_part]
            for path, amount in group.items()
        }
        for start in range(0, len(groups), documents_per_part)
    ]
