"""Groups and live sessions (DESIGN.md §2, §4): members, start, check-in, end, the active list."""

from __future__ import annotations

import logging
import random
import time
from datetime import UTC, datetime, timedelta

from sessionbase import settings
from sessionbase.domain import invitations, live, policy
from sessionbase.domain import notifications as events
from sessionbase.errors import Aborted, FailedPrecondition, NotFound
from sessionbase.models.fields import is_document_id
from sessionbase.models.groups import (
    ActiveSessionsData,
    AttendanceRecord,
    AttendanceStatus,
    CheckedIn,
    EndedSession,
    GroupCreate,
    GroupCreated,
    GroupList,
    GroupPublic,
    GroupRecord,
    LiveSessionEnded,
    LiveSessionStart,
    LiveSessionStarted,
    MemberAdd,
    MemberInvited,
    MemberList,
    MemberPublic,
    MemberRecord,
    MemberRemoved,
)
from sessionbase.models.invitations import InvitationRecord
from sessionbase.models.sessions import SessionRecord, SessionStatus
from sessionbase.services import invitations as invitation_service
from sessionbase.services import notifications
from sessionbase.services.access import readable, session_not_found
from sessionbase.services.context import Context
from sessionbase.store.client import DocumentExists, DocumentMissing
from sessionbase.store.keys import group_invitation_id
from sessionbase.store.work import BATCH_LIMIT, Store

# Absentees marked per batch (the batch also writes the session).
ABSENT_PER_BATCH = BATCH_LIMIT - 1
# Steps a check-in takes towards a count that includes it (``_count_in``): a claim, a wait, a
# count, and room for a claim lost to a count made meanwhile; each wait gets up to this much
# jitter, so that check-ins that waited together do not read together.
COUNT_STEPS = 5
COUNT_JITTER_SECONDS = 0.05

log = logging.getLogger(__name__)

# ---- groups -----------------------------------------------------------------------------------


def create_group(ctx: Context, body: GroupCreate) -> GroupCreated:
    """``POST /api/groups``: a course or team owned by the caller."""
    group, owner = live.new_group(ctx.caller, body, ctx.now)
    group_id = ctx.store.groups.new_id()

    def create(unit: Store) -> None:
        unit.groups.create(group_id, group)
        unit.groups.add_member(group_id, owner)

    ctx.store.write(create)
    return GroupCreated(groupId=group_id)


def list_groups(ctx: Context) -> GroupList:
    """``GET /api/groups``: the groups the caller owns or belongs to, newest first."""
    rows = ctx.store.groups.of_member(ctx.caller.uid)
    return GroupList(groups=[_public(group_id, group) for group_id, group in rows])


def get_group(ctx: Context, *, group_id: str) -> GroupPublic:
    """``GET /api/groups/{id}``: the group, with its active sessions."""
    return _public(group_id, _readable_group(ctx, group_id))


def active_sessions(ctx: Context, *, group_id: str) -> ActiveSessionsData:
    """``GET /api/groups/{id}/active-sessions``: the real-time seed's ``activeSessionsData``."""
    group = _readable_group(ctx, group_id)
    return ActiveSessionsData.model_validate(
        {"course_id": group_id, "activeSessions": [e.model_dump() for e in group.activeSessions]}
    )


def list_members(ctx: Context, *, group_id: str) -> MemberList:
    """``GET /api/groups/{id}/members``: the roster, for the owner or an admin."""
    group = _readable_group(ctx, group_id)
    policy.require_group_manager(ctx.caller, group)
    members = ctx.store.groups.members(group_id)
    members.sort(key=lambda m: (m.role != "owner", m.joinedAt))
    return MemberList(members=[_member(m) for m in members])


def invite_member(ctx: Context, body: MemberAdd, *, group_id: str) -> MemberInvited:
    """``POST /api/groups/{id}/members``: the owner (or an admin) invites a person by e-mail or
    uid; they become a member when they accept (``services/invitations.accept_invitation``).

    No account is looked up: the answer is the same whether or not one exists, and says nothing
    of it (issue 21). Inviting again while an invitation is pending, or inviting a member, is 409.
    """
    group = _readable_group(ctx, group_id)
    policy.require_group_manager(ctx.caller, group)
    invitation_id = group_invitation_id(group_id, email=body.email, uid=body.userId)

    def invite(unit: Store) -> InvitationRecord:
        current = unit.invitations.get(invitation_id)
        if body.userId is not None:
            member = unit.groups.member(group_id, body.userId)
        else:
            member = unit.groups.member_with_email(group_id, body.email or "")
        invitation = invitations.new_group_invitation(
            ctx.caller,
            group_id,
            group,
            body,
            current,
            is_member=member is not None,
            now=ctx.now,
            lifetime=settings.invitation_lifetime(),
        )
        unit.invitations.put(invitation_id, invitation)
        return invitation

    invitation = ctx.store.transaction(invite)
    invitation_service.tell_invitee(ctx, invitation_id, invitation)
    address = {"email": body.email} if body.email is not None else {"userId": body.userId}
    return MemberInvited.model_validate(
        {
            "invitationId": invitation_id,
            "groupId": group_id,
            **address,
            "status": "pending",
            "expiresAt": invitation.expiresAt,
        }
    )


def remove_member(ctx: Context, *, group_id: str, user_id: str) -> MemberRemoved:
    """``DELETE /api/groups/{id}/members/{uid}``: removed by the owner or an admin, or leaving."""
    group = _readable_group(ctx, group_id)
    member = ctx.store.groups.member(group_id, user_id) if is_document_id(user_id) else None
    live.require_may_remove(ctx.caller, group, member)

    def remove(unit: Store) -> None:
        unit.groups.remove_member(group_id, user_id)
        unit.groups.count_members(group_id, -1, ctx.now)

    try:
        ctx.store.write(remove)
    except DocumentMissing:  # removed meanwhile: counted once
        raise NotFound("No such member in this group.") from None
    return MemberRemoved(groupId=group_id, userId=user_id, removed=True)


def _readable_group(ctx: Context, group_id: str) -> GroupRecord:
    """The group if the caller may read it; otherwise it "does not exist"."""
    group = ctx.store.groups.get(group_id) if is_document_id(group_id) else None
    if group is None or not policy.may_read_group(ctx.caller, group_id, group, ctx.store.relations):
        raise NotFound("Group not found.")
    return group


def _public(group_id: str, group: GroupRecord) -> GroupPublic:
    return GroupPublic.model_validate({"groupId": group_id, **group.model_dump(exclude_unset=True)})


def _member(member: MemberRecord) -> MemberPublic:
    return MemberPublic.model_validate(member.model_dump(exclude_unset=True))


# ---- live sessions ----------------------------------------------------------------------------


def start_live_session(
    ctx: Context, body: LiveSessionStart, *, group_id: str
) -> LiveSessionStarted:
    """``POST /api/groups/{id}/sessions``: the owner starts a Class session, now active."""
    _readable_group(ctx, group_id)
    session_id = ctx.store.sessions.new_id()

    def start(unit: Store) -> GroupRecord:
        group, version = _versioned_group(unit, group_id)
        session, updated = live.started(ctx.caller, group_id, group, body, session_id, ctx.now)
        unit.sessions.create(session_id, session)
        unit.groups.open_gate(session_id, ctx.now)
        unit.groups.replace(group_id, updated, version=version)
        return group

    group = ctx.store.optimistic(start)
    members = [m.uid for m in ctx.store.groups.members(group_id) if m.role == "member"]
    event = events.class_started(
        session_id,
        group_id=group_id,
        group=group.name,
        teacher=notifications.name_of(ctx.store, ctx.caller.uid, ctx.caller.display_name),
        members=members,
        by=ctx.caller.uid,
    )
    notifications.deliver(ctx.store, event, ctx.now)
    return LiveSessionStarted(sessionId=session_id, startedAt=ctx.now)


def check_in(ctx: Context, *, session_id: str) -> CheckedIn:
    """``POST /api/sessions/{id}/check-in``: a member checks in, once (late after the grace).

    The check-in itself writes the attendance and one shard of the session's gate; the session's
    ``presentCount`` and the group's ``activeSessions`` entry are then counted to include it
    (``_count_in``) before the answer, at most once an interval however many check in at once.
    """
    session = _live_session(ctx, session_id)
    group_id = session.groupId or ""
    group = ctx.store.groups.get(group_id)
    if group is None:
        raise session_not_found()
    uid = ctx.caller.uid
    found = ctx.store.groups.attendance_versioned(session_id, uid)
    current = None if found is None else found[0]
    if found is not None and found[0].status != AttendanceStatus.ABSENT:
        # A retry of a check-in whose answer was lost: count it. (``absent`` is the end's
        # record, not a check-in: ``live.checked_in`` answers that the session ended.)
        _count_in(ctx.store, group_id, session_id, since=found[1])
    attendance = live.checked_in(
        ctx.caller, session, group, ctx.store.groups.member(group_id, uid), current, ctx.now
    )
    try:
        committed = _write_check_in(ctx.store, session_id, uid, attendance)
    except DocumentExists:  # a concurrent retry of the same check-in won, or the end's absence
        again = ctx.store.groups.attendance_versioned(session_id, uid)
        live.require_not_ended(None if again is None else again[0])
        if again is not None:
            _count_in(ctx.store, group_id, session_id, since=again[1])
        raise live.already_checked_in() from None
    _count_in(ctx.store, group_id, session_id, since=committed)
    return CheckedIn(sessionId=session_id, status=attendance.status, at=attendance.at)


def _write_check_in(
    store: Store, session_id: str, uid: str, attendance: AttendanceRecord
) -> datetime:
    """Commit the check-in through the open gate; when Firestore committed it."""
    try:
        _, committed = store.write_at(
            lambda unit: unit.groups.check_in(session_id, uid, attendance)
        )
        return committed
    except DocumentMissing:
        if not store.groups.gate_open(session_id):  # the gate closed: the session ended meanwhile
            raise FailedPrecondition("This session is not active (it has ended).") from None
    # Opened before the gate had shards (by an earlier version): through the gate itself.
    try:
        _, committed = store.write_at(
            lambda unit: unit.groups.check_in_legacy(session_id, uid, attendance)
        )
    except DocumentMissing:
        raise FailedPrecondition("This session is not active (it has ended).") from None
    return committed


def _count_in(store: Store, group_id: str, session_id: str, *, since: datetime) -> None:
    """Make sure a count of the session's check-ins that includes one committed at ``since``
    (Firestore's time of its commit) is written, or will be, to the session's ``presentCount``
    and the group's entry for it.

    Counts are at least ``settings.check_in_count_seconds()`` apart (``live.next_count``
    decides): a check-in counts itself when one is due, answers at once when a count made or
    claimed by another will include it, and otherwise claims the next count on the gate (one
    claim wins) and waits for its time to make it. So a class checking in at once writes the
    group, the session and the gate about once an interval each, and one check-in an interval
    waits; a quiet class counts each check-in as it comes.
    """
    interval = settings.check_in_count_seconds()
    mine: datetime | None = None
    for _ in range(COUNT_STEPS):

        def step(unit: Store, mine: datetime | None = mine) -> live.NextCount:
            return _count_step(unit, group_id, session_id, since, mine, interval)

        try:
            decided = store.optimistic(step, also=(DocumentMissing,))
        except Aborted:  # contention past its budget: the next count, or the end, includes it
            log.warning("live session %s: the count gave up under contention", session_id)
            return
        if decided.claim is not None:  # claimed: wait for its time, then count
            mine = decided.claim
            wait = (mine - datetime.now(UTC)).total_seconds()
        elif decided.done:
            return
        else:
            wait = decided.wait
        time.sleep(max(wait, 0) + random.uniform(0, COUNT_JITTER_SECONDS))
    log.warning("live session %s: a check-in's count was left to the next", session_id)


def _count_step(
    unit: Store,
    group_id: str,
    session_id: str,
    since: datetime,
    mine: datetime | None,
    interval: timedelta,
) -> live.NextCount:
    """One step of ``_count_in``: read the session and its gate's claim, then count, claim or
    nothing (``live.next_count``); what was decided."""
    state = unit.groups.count_state(session_id)
    if state is None or state.session.status != SessionStatus.ACTIVE:
        return live.NextCount()  # ended meanwhile: the end counted every check-in
    now = datetime.now(UTC)
    decided = live.next_count(
        counted=state.session.countedAt,
        claimed=state.claimed,
        since=since,
        mine=mine,
        now=now,
        interval=interval,
    )
    if decided.claim is not None:
        unit.groups.claim_count(session_id, decided.claim, gate_version=state.gate_version)
    elif decided.count:
        present, at = unit.groups.checked_in_count(session_id)
        group, group_version = _versioned_group(unit, group_id)
        earlier = state.session.presentCount or 0
        unit.sessions.counted(
            session_id, max(present, earlier), at=at, now=now, version=state.version
        )
        updated = live.with_student_count(group, session_id, present, now)
        if updated is not None:
            unit.groups.replace(group_id, updated, version=group_version)
        if mine is not None and at < mine:  # counted before the claim's time (clocks differ)
            return live.NextCount(wait=(mine - at).total_seconds())
        return live.NextCount()
    return decided


def end_live_session(ctx: Context, *, session_id: str) -> LiveSessionEnded:
    """``POST /api/sessions/{id}/end``: the owner ends it; attendance is frozen."""
    session = _live_session(ctx, session_id)
    group = ctx.store.groups.get(session.groupId or "")
    if group is None:
        raise session_not_found()
    policy.require_group_manager(ctx.caller, group)
    live.require_active(session)
    return _end(
        ctx.store, session_id, by=ctx.caller.uid, by_name=ctx.caller.display_name, now=ctx.now
    )


def sweep_live_sessions(store: Store, now: datetime) -> list[str]:
    """End every live session left active past its group's maximum duration; returns their ids
    (the scheduled sweep, handlers/schedules.py)."""
    ended = []
    for session_id in store.groups.due_live_sessions(now):
        try:
            _end(store, session_id, by=None, now=now)
        except (NotFound, FailedPrecondition):  # gone, or ended meanwhile
            continue
        ended.append(session_id)
    return ended


def _end(
    store: Store, session_id: str, *, by: str | None, by_name: str | None = None, now: datetime
) -> LiveSessionEnded:
    """Close the gate, then freeze the attendance it let through; safe to run again. The group
    unlists the session and keeps how it ended (``by_name``: who ended it, for its listeners)."""
    store.write(lambda unit: unit.groups.close_gate(session_id))

    def end(unit: Store) -> tuple[LiveSessionEnded, set[str], str, EndedSession]:
        found = unit.sessions.get_versioned(session_id)
        if found is None or not found[0].groupId:
            raise session_not_found()
        session, version = found
        group_id = session.groupId or ""
        members = {m.uid for m in unit.groups.members(group_id) if m.role == "member"}
        done, final, absent = live.ended(
            session,
            by=by,
            checked_in=unit.groups.attendees(session_id),
            members=members,
            now=now,
        )
        unit.sessions.replace(session_id, done, version=version)
        return (
            LiveSessionEnded(sessionId=session_id, endedAt=now, finalStatistics=final),
            absent,
            group_id,
            live.end_of(session_id, done, by_name=by_name),
        )

    result, absent, group_id, how = store.optimistic(end)
    _mark_absent(store, session_id, sorted(absent), now)
    if absent and (group := store.groups.get(group_id)) is not None:
        event = events.marked_absent(session_id, group_id=group_id, group=group.name, absent=absent)
        notifications.deliver(store, event, now)

    def unlist(unit: Store) -> None:
        group, version = _versioned_group(unit, group_id)
        updated = live.without_session(group, session_id, now, ended=how)
        if updated is not None:
            unit.groups.replace(group_id, updated, version=version)

    store.optimistic(unlist)
    return result


def _mark_absent(store: Store, session_id: str, absent: list[str], now: datetime) -> None:
    """Record the absentees, a batch at a time (a class can exceed one batch). Each batch writes
    the session at the version it read, so none lands under a session whose delete began
    meanwhile (``Sessions.mark_deleting``): the marking stops there, and the delete takes what
    was written. A plain set per member, so running it again is harmless."""
    for start in range(0, len(absent), ABSENT_PER_BATCH):
        chunk = absent[start : start + ABSENT_PER_BATCH]

        def mark(unit: Store, chunk: list[str] = chunk) -> bool:
            found = unit.sessions.get_versioned(session_id)
            if found is None:
                return False
            unit.sessions.touch(session_id, now, version=found[1])
            unit.groups.mark_absent(session_id, chunk, now)
            return True

        if not store.optimistic(mark, also=(DocumentMissing,)):
            return


def _versioned_group(unit: Store, group_id: str) -> tuple[GroupRecord, datetime]:
    """The group and its version, read for a write that must not lose a concurrent one."""
    found = unit.groups.get_versioned(group_id)
    if found is None:
        raise NotFound("Group not found.")
    return found


def _live_session(ctx: Context, session_id: str) -> SessionRecord:
    """A live session the caller may read (members, its owner, admins); else it does not exist."""
    session = readable(ctx, session_id)
    if not session.groupId:
        raise FailedPrecondition("This is not a live group session.")
    return session
