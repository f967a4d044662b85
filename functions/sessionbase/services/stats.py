"""Statistics of an athlete or a coach, as the statistics documents hold them (DESIGN.md §6)."""

from __future__ import annotations

from sessionbase.domain import policy
from sessionbase.errors import FieldError, InvalidArgument
from sessionbase.models.identity import Role
from sessionbase.models.stats import SessionStats, StatsQuery
from sessionbase.services.context import Context
from sessionbase.store.keys import ATHLETE_STATS, COACH_STATS
from sessionbase.store.stats import stats_document


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
        return SessionStats(stats=stats_document(ctx.db, COACH_STATS, query.coachId))
    uid = query.athleteId or caller.uid
    if not policy.may_read_athlete(caller, uid, ctx.relations):
        raise policy.may_not_list("athleteId")
    own_as_coach = query.athleteId is None and caller.role is Role.COACH
    return SessionStats(
        stats=stats_document(ctx.db, COACH_STATS if own_as_coach else ATHLETE_STATS, uid)
    )
