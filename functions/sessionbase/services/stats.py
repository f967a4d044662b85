"""Statistics (DESIGN.md §6): counting session changes, serving dashboards, reconciling.

``record_change`` is what the Firestore trigger runs for every write to ``sessions/{id}``: it
replaces the session's recorded contribution and moves its people's counters by the difference,
in one batch. ``reconcile`` recomputes a person's figures from their sessions, reports the drift
and repairs it (Python triggers are deployed without retries, so a failed run loses its event).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from sessionbase.domain import policy
from sessionbase.domain import stats as decide
from sessionbase.errors import FieldError, InvalidArgument
from sessionbase.models.identity import Role
from sessionbase.models.sessions import SessionRecord
from sessionbase.models.stats import (
    AnalyticsSummary,
    Contribution,
    SessionStats,
    StatsQuery,
    StatsReport,
)
from sessionbase.services.context import Context
from sessionbase.store.work import Store

log = logging.getLogger(__name__)
# Counter documents written by one batch of a reconcile's residual (a batch holds 500 writes).
RESIDUAL_BATCH = 400


def session_stats(ctx: Context, query: StatsQuery) -> SessionStats:
    """``GET /api/sessions/stats``: one person's figures; no parameter means the caller's own.

    Athlete statistics: the athlete, a linked coach, an admin. Coach statistics: the coach or an
    admin. A coach asking with no parameter gets their coach statistics.
    """
    caller = ctx.caller
    if query.athleteId and query.coachId:
        raise InvalidArgument(
            "Give athleteId or coachId, not both.",
            errors=(FieldError(field="coachId", message="not together with athleteId"),),
        )
    if query.coachId is not None:
        if not policy.may_read_coach(caller, query.coachId):
            raise policy.may_not_list("coachId")
        return SessionStats(stats=dashboard(ctx.store, query.coachId, "coach", ctx.now))
    uid = query.athleteId or caller.uid
    if not policy.may_read_athlete(caller, uid, ctx.store.relations):
        raise policy.may_not_list("athleteId")
    own_as_coach = query.athleteId is None and caller.role is Role.COACH
    return SessionStats(
        stats=dashboard(ctx.store, uid, "coach" if own_as_coach else "athlete", ctx.now)
    )


def analytics_summary(ctx: Context) -> AnalyticsSummary:
    """``GET /api/analytics/summary``: the caller's own practice (their athlete statistics, also
    for a coach or an admin), as the yoga seed's dashboard names the figures."""
    stats = dashboard(ctx.store, ctx.caller.uid, "athlete", ctx.now)
    return AnalyticsSummary(
        total_sessions=stats.totalSessions,
        completed_sessions=stats.completedSessions,
        practice_sessions=stats.bySessionType.get("Practice", 0),
        yoga_sessions=stats.byEvent.get("Yoga", 0),
        sessions_this_week=stats.sessionsThisWeek,
        mindful_minutes=stats.mindfulMinutes,
        current_streak=stats.currentStreak,
        longest_streak=stats.longestStreak,
        avg_accuracy=stats.averageAccuracy,
        accuracy_trend=stats.trend.accuracy,
        last_session_date=stats.lastSessionAt,
        timezone=stats.timezone,
    )


def dashboard(store: Store, uid: str, role: str, now: datetime) -> Any:
    """The dashboard of ``uid`` as athlete or coach, evaluated at ``now``."""
    return decide.dashboard(
        store.stats.counters(uid, role),
        now=now,
        tz=decide.zone(store.stats.timezone_of(uid)),
        recent_motion_iq=store.stats.recent_results(uid, role, "motionIQ"),
        recent_accuracy=store.stats.recent_results(uid, role, "accuracy"),
        coach=role == "coach",
    )


def record_change(
    store: Store,
    session_id: str,
    session: SessionRecord | None,
    version: datetime,
    *,
    recount: bool = False,
) -> bool:
    """Count a session's new state (None: deleted) as of ``version``; True if anything moved.

    A change no newer than the one already counted is skipped, so a duplicated or late event
    adds nothing. ``recount`` also redoes the current version (a reconcile, a time-zone change).
    """

    def attempt(unit: Store) -> bool:
        return stage_change(unit, session_id, session, version, recount=recount)

    return store.optimistic(attempt)


def stage_change(
    unit: Store,
    session_id: str,
    session: SessionRecord | None,
    version: datetime,
    *,
    recount: bool = False,
) -> bool:
    """``record_change``'s reads and writes, staged in the caller's unit of work (whose commit
    fails if the contribution changed meanwhile): a change that moves a session's people, and
    their counters with it, in the same batch (deleting an account). True if anything moved."""
    found = unit.stats.contribution(session_id)
    old, written_at = found if found else (None, None)
    if not decide.is_newer(version, old, recount=recount):
        return False
    new = _contribution_of(unit, session, version)
    if old is not None and old.model_dump() == new.model_dump():
        return False
    unit.stats.record_contribution(session_id, new, written_at=written_at)
    for (uid, role), changes in decide.delta(old, new).items():
        unit.stats.add(uid, role, session_id, changes)
    return True


def count_change(
    store: Store,
    session_id: str,
    session: SessionRecord | None,
    version: datetime,
    *,
    now: datetime,
    recount: bool = False,
) -> bool:
    """``record_change``, but a failure is logged and noted in ``statsFailures/{sessionId}``
    instead of raised, so the reconcile finds and recounts it and a recount of many sessions
    goes on past it. True if anything moved."""
    try:
        return record_change(store, session_id, session, version, recount=recount)
    except Exception as error:  # noqa: BLE001 - any failure must leave its note, not stop others
        log.exception("statistics: session %s could not be counted", session_id)
        _note_failure(store, session_id, session, repr(error), now)
        return False


def _note_failure(
    store: Store, session_id: str, session: SessionRecord | None, reason: str, now: datetime
) -> None:
    def note(unit: Store) -> None:
        unit.stats.record_failure(session_id, session, reason, now)

    try:
        store.write(note)
    except Exception:  # noqa: BLE001 - the reconcile still recounts the person's drift
        log.exception("statistics: the failure of session %s could not be noted", session_id)


def retry_failures(store: Store, now: datetime) -> list[str]:
    """Recount every session whose counting failed, as it is now; the ids counted this time
    (their notes removed). One that fails again keeps its note (updated)."""
    repaired = []
    for session_id in store.stats.failures():
        found = store.stats.session(session_id)
        record, version = found if found is not None else (None, now)
        try:
            record_change(store, session_id, record, version, recount=True)
        except Exception as error:  # noqa: BLE001 - one session never stops the others
            log.exception("statistics: session %s still cannot be counted", session_id)
            _note_failure(store, session_id, record, repr(error), now)
            continue
        store.write(functools.partial(_clear_failure, session_id))
        repaired.append(session_id)
    return repaired


def _clear_failure(session_id: str, unit: Store) -> None:
    unit.stats.clear_failure(session_id)


def session_in(session_id: str, data: object) -> SessionRecord | None:
    """A session document of any shape as statistics count it: what is valid in it (the rest
    logged); None if nothing is (it then counts as no session)."""
    from sessionbase.store.stats import session_of

    return session_of(session_id, data)


def timezone_in(profile: object) -> str:
    """The time zone a ``users/{uid}`` document (None: none) puts its person's days in: its
    ``timezone`` if it is a known IANA name, else UTC, whatever the document's shape."""
    from sessionbase.models.users import UserRecord

    found, _ = UserRecord.salvage(profile if profile is not None else {})
    return str(decide.zone(None if found is None else found.timezone))


def _contribution_of(
    store: Store, session: SessionRecord | None, version: datetime
) -> Contribution:
    if session is None:
        return Contribution.tombstone(version)
    return decide.contribution(
        session,
        version=version,
        athlete_tz=decide.zone(store.stats.timezone_of(session.athleteId)),
        coach_tz=decide.zone(store.stats.timezone_of(session.coachId)),
    )


def deleted_version(event_time: datetime, last_update: datetime | None) -> datetime:
    """The version of a deletion: just after the deleted state's own update time.

    Not the event's time: an event may be dispatched after the document was already created
    again, and that newer state must win over the deletion. Without the deleted state (never
    seen), the event's time is all there is.
    """
    if last_update is None:
        return event_time
    return last_update + timedelta(microseconds=1)


def reconcile(
    store: Store, uid: str, role: str, now: datetime, *, repair: bool = True, force: bool = False
) -> StatsReport:
    """Recompute ``uid``'s figures from their sessions; report the drift and (by default) repair it.

    Each session is counted again as it is now (in the person's current time zone); recorded
    contributions whose session is gone are withdrawn. What still differs afterwards (a counter
    changed by hand) is added back. ``force`` recounts even without drift in the totals (a time
    zone change moves sessions between days).
    """
    sessions = {
        sid: (record, version) for sid, record, version in store.stats.sessions_of(uid, role)
    }
    expected = decide.total(
        (_contribution_of(store, record, version) for record, version in sessions.values()),
        uid,
        role,
    )
    stored = _stored(store, uid, role)
    drift = {
        path: expected.get(path, 0) - stored.get(path, 0)
        for path in expected.keys() | stored.keys()
        if abs(expected.get(path, 0) - stored.get(path, 0)) > decide.COUNTER_TOLERANCE
    }
    if repair and (drift or force):
        for session_id, (record, version) in sessions.items():
            count_change(store, session_id, record, version, now=now, recount=True)
        for session_id, _ in list(store.stats.contributions_of(uid, role)):
            if session_id in sessions:
                continue
            # Counted for this person, but no longer theirs: deleted, or moved to someone else,
            # and that event was lost. Count it as it is now (the move counts for the new owner).
            found = store.stats.session(session_id)
            gone, version = found if found is not None else (None, now)
            count_change(store, session_id, gone, version, now=now, recount=True)
        # Anything still off was not caused by a lost event (a counter edited by hand): add it
        # back, unless the sessions changed meanwhile (their events are counting them now).
        now_sessions = {sid: version for sid, _, version in store.stats.sessions_of(uid, role)}
        if now_sessions == {sid: version for sid, (_, version) in sessions.items()}:
            residual = {
                path: expected.get(path, 0) - value
                for path, value in _merged(expected, _stored(store, uid, role)).items()
                if abs(expected.get(path, 0) - value) > decide.COUNTER_TOLERANCE
            }
            for part in decide.in_parts(residual, RESIDUAL_BATCH):
                store.write(functools.partial(_add, uid, role, part))
    return StatsReport(uid=uid, role=role, sessions=len(sessions), drift=drift, repaired=repair)


def _add(uid: str, role: str, changes: decide.Counters, unit: Store) -> None:
    unit.stats.add(uid, role, "reconcile", changes)


def _stored(store: Store, uid: str, role: str) -> decide.Counters:
    summed = store.stats.counters(uid, role)
    return {path: value for path, value in summed.items() if abs(value) > decide.COUNTER_TOLERANCE}


def _merged(expected: decide.Counters, stored: decide.Counters) -> decide.Counters:
    return {path: stored.get(path, 0) for path in expected.keys() | stored.keys()}


def reconcile_people(
    store: Store, people: Iterable[tuple[str, str]], now: datetime, *, repair: bool = True
) -> Iterator[StatsReport]:
    """Reconcile each (uid, role) on their own: one that fails is logged and reported with its
    error, and everyone after them is still reconciled."""
    for uid, role in people:
        try:
            yield reconcile(store, uid, role, now, repair=repair)
        except Exception as error:  # noqa: BLE001 - one person never stops the others
            log.exception("statistics: %s %s could not be reconciled", role, uid)
            yield StatsReport(
                uid=uid, role=role, sessions=0, drift={}, repaired=False, error=repr(error)
            )


def reconcile_everyone(store: Store, now: datetime) -> list[StatsReport]:
    """Recount the sessions whose counting failed, then reconcile every person who has
    statistics; the reports of those that had drifted or could not be reconciled."""
    retry_failures(store, now)
    reports = reconcile_people(store, store.stats.people(), now)
    return [report for report in reports if report.drift or report.error]
