"""Schedules and occurrences (faculty seed): weekly sessions, the upcoming list, and an
occurrence read as the session it would be (stored by the first change that is allowed)."""

from __future__ import annotations

import contextlib

from sessionbase.domain import policy
from sessionbase.domain import schedules as decide
from sessionbase.models.schedules import (
    Occurrence,
    OccurrenceList,
    OccurrenceQuery,
    ScheduleCreate,
    ScheduleCreated,
    ScheduleRecord,
)
from sessionbase.models.sessions import SessionRecord
from sessionbase.services.context import Context
from sessionbase.store.client import DocumentExists
from sessionbase.store.work import Store


def create_schedule(ctx: Context, body: ScheduleCreate) -> ScheduleCreated:
    """``POST /api/schedules``: a coach's weekly session with a linked athlete or a group."""
    policy.require_coach_or_admin(ctx.caller, "and admins make schedules")
    if body.athleteId is not None:
        policy.require_may_schedule_with(ctx.caller, body.athleteId, ctx.store.relations)
    if body.groupId is not None:
        policy.require_may_schedule_for(ctx.caller, ctx.store.groups.get(body.groupId))
    audience, attendee = (
        ("athleteId", body.athleteId) if body.athleteId is not None else ("groupId", body.groupId)
    )
    assert attendee is not None  # the model gives exactly one
    schedule = ScheduleRecord(
        **body.model_dump(),
        coachId=ctx.caller.uid,
        createdBy=ctx.caller.uid,
        createdAt=ctx.now,
    )
    schedule_id = ctx.store.schedules.new_id()
    since = decide.live_since(ctx.now)
    guarded = (("coachId", ctx.caller.uid), (audience, attendee))

    # Each create writes a guard document of the coach and one of the athlete or group, at the
    # version read before counting: of two creates racing past a cap, the second is read again
    # (counting the first) and refused.
    def create(unit: Store) -> None:
        versions = [unit.schedules.guard_version(field, value) for field, value in guarded]
        counts = [
            unit.schedules.count_live(field, value, live_since=since) for field, value in guarded
        ]
        decide.require_room_for_schedule(counts[0], counts[1], audience)
        unit.schedules.create(schedule_id, schedule)
        for (field, value), version in zip(guarded, versions, strict=True):
            unit.schedules.guard(field, value, version, ctx.now)

    ctx.store.optimistic(create)
    return ScheduleCreated(scheduleId=schedule_id)


def list_occurrences(ctx: Context, query: OccurrenceQuery) -> OccurrenceList:
    """``GET /api/occurrences``: the caller's sessions in the window, in order of start.

    The occurrences of the schedules the caller runs or attends (directly or through a group),
    as their sessions say once touched, merged with the caller's other scheduled sessions.
    """
    start, end = decide.window(query, ctx.now)
    uid = ctx.caller.uid
    group_ids = [group_id for group_id, _ in ctx.store.groups.of_member(uid)]
    # The schedules not ended before the window: a local date is within a day of the UTC one.
    live = decide.live_since(start)
    schedules = ctx.store.schedules.of_people(uid, group_ids, live_since=live)
    # Every occurrence in the window, by its planned start; only the earliest are read.
    due = sorted(
        (begins, decide.occurrence_id(schedule_id, day), schedule_id, schedule, day)
        for schedule_id, schedule in schedules
        for day, begins in decide.occurrences_between(schedule, start, end)
    )
    limit = decide.OCCURRENCES_PER_LIST
    planned: dict[str, tuple[str, SessionRecord]] = {
        session_id: (
            schedule.timezone,
            decide.occurrence_session(schedule_id, schedule, day, ctx.now),
        )
        for _, session_id, schedule_id, schedule, day in due[: limit + 1]
    }
    touched = ctx.store.schedules.sessions(planned)
    found: dict[str, Occurrence | None] = {
        session_id: decide.as_occurrence(session_id, touched.get(session_id, virtual), zone)
        for session_id, (zone, virtual) in planned.items()
    }
    for field in ("athleteId", "coachId"):
        for session_id, session in ctx.store.schedules.scheduled_sessions(
            field, uid, start, end, limit=limit + 1
        ):
            if session_id not in found:
                found[session_id] = decide.as_occurrence(session_id, session)
    listed = sorted(
        (item for item in found.values() if item is not None), key=lambda o: (o.start, o.sessionId)
    )
    return OccurrenceList(
        occurrences=listed[:limit], truncated=len(listed) > limit or len(due) > limit + 1
    )


def occurrence(ctx: Context, session_id: str) -> SessionRecord | None:
    """The session an occurrence id would be (not written), or None if it names none."""
    parsed = decide.parse_occurrence_id(session_id)
    if parsed is None:
        return None
    schedule_id, day = parsed
    schedule = ctx.store.schedules.get(schedule_id)
    if schedule is None or not decide.produces(schedule, day):
        return None
    return decide.occurrence_session(schedule_id, schedule, day, ctx.now)


def materialize(ctx: Context, session_id: str, planned: SessionRecord) -> None:
    """Store a schedule's occurrence as the session it is (``planned``: ``occurrence``), once an
    operation that needs it stored was allowed (an upload URL: the object's landing looks the
    session up). Every request stores the same document, so one made meanwhile is kept."""
    with contextlib.suppress(DocumentExists):
        ctx.store.write(lambda unit: unit.sessions.create(session_id, planned))
