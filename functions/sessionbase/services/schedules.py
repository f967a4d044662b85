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


def create_schedule(ctx: Context, body: ScheduleCreate) -> ScheduleCreated:
    """``POST /api/schedules``: a coach's weekly session with a linked athlete or a group."""
    policy.require_coach_or_admin(ctx.caller, "and admins make schedules")
    if body.athleteId is not None:
        policy.require_may_schedule_with(ctx.caller, body.athleteId, ctx.store.relations)
    if body.groupId is not None:
        policy.require_may_schedule_for(ctx.caller, ctx.store.groups.get(body.groupId))
    schedule = ScheduleRecord(
        **body.model_dump(),
        coachId=ctx.caller.uid,
        createdBy=ctx.caller.uid,
        createdAt=ctx.now,
    )
    schedule_id = ctx.store.schedules.new_id()
    ctx.store.write(lambda unit: unit.schedules.create(schedule_id, schedule))
    return ScheduleCreated(scheduleId=schedule_id)


def list_occurrences(ctx: Context, query: OccurrenceQuery) -> OccurrenceList:
    """``GET /api/occurrences``: the caller's sessions in the window, in order of start.

    The occurrences of the schedules the caller runs or attends (directly or through a group),
    as their sessions say once touched, merged with the caller's other scheduled sessions.
    """
    start, end = decide.window(query, ctx.now)
    uid = ctx.caller.uid
    group_ids = [group_id for group_id, _ in ctx.store.groups.of_member(uid)]
    planned: dict[str, tuple[str, SessionRecord]] = {}
    for schedule_id, schedule in ctx.store.schedules.of_people(uid, group_ids):
        for day, _begins in decide.occurrences_between(schedule, start, end):
            session_id = decide.occurrence_id(schedule_id, day)
            virtual = decide.occurrence_session(schedule_id, schedule, day, ctx.now)
            planned[session_id] = (schedule.timezone, virtual)
    touched = ctx.store.schedules.sessions(planned)
    found: dict[str, Occurrence | None] = {
        session_id: decide.as_occurrence(session_id, touched.get(session_id, virtual), zone)
        for session_id, (zone, virtual) in planned.items()
    }
    for field in ("athleteId", "coachId"):
        for session_id, session in ctx.store.schedules.scheduled_sessions(field, uid, start, end):
            if session_id not in found:
                found[session_id] = decide.as_occurrence(session_id, session)
    listed = [item for item in found.values() if item is not None]
    return OccurrenceList(occurrences=sorted(listed, key=lambda o: (o.start, o.sessionId)))


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
