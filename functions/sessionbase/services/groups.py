"""Groups and live sessions (DESIGN.md §2, §4): members, start, check-in, end, the active list."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sessionbase.domain import live, policy
from sessionbase.errors import AlreadyExists, FailedPrecondition, FieldError, NotFound
from sessionbase.models.fields import is_document_id
from sessionbase.models.groups import (
    ActiveSessionsData,
    CheckedIn,
    GroupCreate,
    GroupCreated,
    GroupList,
    GroupPublic,
    GroupRecord,
    LiveSessionEnded,
    LiveSessionStart,
    LiveSessionStarted,
    MemberAdd,
    MemberList,
    MemberPublic,
    MemberRecord,
    MemberRemoved,
)
from sessionbase.models.sessions import SessionRecord
from sessionbase.services.context import Context
from sessionbase.store import groups as store
from sessionbase.store import sessions as session_store
from sessionbase.store.client import (
    DocumentExists,
    DocumentMissing,
    commit,
    retry_on_conflict,
)
from sessionbase.store.users import find_user

if TYPE_CHECKING:
    from google.cloud.firestore import Client

# ---- groups -----------------------------------------------------------------------------------


def create_group(ctx: Context, body: GroupCreate) -> GroupCreated:
    """``POST /api/groups``: a course or team owned by the caller."""
    group, owner = live.new_group(ctx.caller, body, ctx.now)
    group_id = store.new_group_id(ctx.db)
    batch = ctx.db.batch()
    store.create(batch, ctx.db, group_id, group)
    store.add_member(batch, ctx.db, group_id, owner)
    commit(batch)
    return GroupCreated(groupId=group_id)


def list_groups(ctx: Context) -> GroupList:
    """``GET /api/groups``: the groups the caller owns or belongs to, newest first."""
    rows = store.groups_of(ctx.db, ctx.caller.uid)
    return GroupList(groups=[_public(group_id, group) for group_id, group in rows])


def get_group(ctx: Context, *, group_id: str) -> GroupPublic:
    """``GET /api/groups/{id}``: the group, with its active sessions."""
    return _public(group_id, _readable(ctx, group_id))


def active_sessions(ctx: Context, *, group_id: str) -> ActiveSessionsData:
    """``GET /api/groups/{id}/active-sessions``: the real-time seed's ``activeSessionsData``."""
    group = _readable(ctx, group_id)
    return ActiveSessionsData(course_id=group_id, activeSessions=group.activeSessions)


def list_members(ctx: Context, *, group_id: str) -> MemberList:
    """``GET /api/groups/{id}/members``: the roster, for the owner or an admin."""
    group = _readable(ctx, group_id)
    policy.require_group_manager(ctx.caller, group)
    members = store.members(ctx.db, group_id)
    members.sort(key=lambda m: (m.role != "owner", m.joinedAt))
    return MemberList(members=[_member(m) for m in members])


def add_member(ctx: Context, body: MemberAdd, *, group_id: str) -> MemberPublic:
    """``POST /api/groups/{id}/members``: the owner (or an admin) adds an existing user."""
    group = _readable(ctx, group_id)
    policy.require_group_manager(ctx.caller, group)  # before looking anyone up
    user = find_user(uid=body.userId, email=body.email)
    if user is None:
        field = "userId" if body.userId is not None else "email"
        raise NotFound(
            "No user with that id or e-mail: they sign up first.",
            errors=(FieldError(field=field, message="no such user"),),
        )
    member = live.new_member(
        ctx.caller, group, uid=user.uid, email=user.email, name=user.name, now=ctx.now
    )
    batch = ctx.db.batch()
    store.add_member(batch, ctx.db, group_id, member)
    store.count_members(batch, ctx.db, group_id, +1, ctx.now)
    try:
        commit(batch)
    except DocumentExists:
        raise AlreadyExists("This user is already in the group.") from None
    return _member(member)


def remove_member(ctx: Context, *, group_id: str, user_id: str) -> MemberRemoved:
    """``DELETE /api/groups/{id}/members/{uid}``: removed by the owner or an admin, or leaving."""
    group = _readable(ctx, group_id)
    member = store.member(ctx.db, group_id, user_id) if is_document_id(user_id) else None
    live.require_may_remove(ctx.caller, group, member)
    batch = ctx.db.batch()
    store.remove_member(batch, ctx.db, group_id, user_id)
    store.count_members(batch, ctx.db, group_id, -1, ctx.now)
    try:
        commit(batch)
    except DocumentMissing:  # removed meanwhile: counted once
        raise NotFound("No such member in this group.") from None
    return MemberRemoved(groupId=group_id, userId=user_id, removed=True)


def _readable(ctx: Context, group_id: str) -> GroupRecord:
    """The group if the caller may read it; otherwise it "does not exist"."""
    group = store.get(ctx.db, group_id) if is_document_id(group_id) else None
    if group is None or not policy.may_read_group(ctx.caller, group_id, group, ctx.relations):
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
    _readable(ctx, group_id)
    session_id = session_store.new_session_id(ctx.db)

    def start() -> None:
        group, version = _versioned_group(ctx.db, group_id)
        session, updated = live.started(ctx.caller, group_id, group, body, session_id, ctx.now)
        batch = ctx.db.batch()
        session_store.create(batch, ctx.db, session_id=session_id, session=session)
        store.open_gate(batch, ctx.db, session_id, ctx.now)
        store.replace(batch, ctx.db, group_id, updated, version=version)
        commit(batch)

    retry_on_conflict(start)
    return LiveSessionStarted(sessionId=session_id, startedAt=ctx.now)


def check_in(ctx: Context, *, session_id: str) -> CheckedIn:
    """``POST /api/sessions/{id}/check-in``: a member checks in, once (late after the grace).

    The check-in itself is one batch of increments, so concurrent ones all count; the group's
    ``activeSessions`` entry then shows the session's count (``_show_count``).
    """
    session = _live_session(ctx, session_id)
    group_id = session.groupId or ""
    group = store.get(ctx.db, group_id)
    if group is None:
        raise NotFound("Session not found.")
    current = store.attendance(ctx.db, session_id, ctx.caller.uid)
    if current is not None:  # a retry of a check-in whose answer was lost: show its count
        _show_count(ctx.db, group_id, session_id, ctx.now)
    attendance = live.checked_in(
        ctx.caller,
        session,
        group,
        store.member(ctx.db, group_id, ctx.caller.uid),
        current,
        ctx.now,
    )
    batch = ctx.db.batch()
    store.check_in(batch, ctx.db, session_id, ctx.caller.uid, attendance)
    try:
        commit(batch)
    except DocumentExists:  # a concurrent retry of the same check-in won
        _show_count(ctx.db, group_id, session_id, ctx.now)
        raise live.already_checked_in() from None
    except DocumentMissing:  # the gate closed: the session ended meanwhile
        raise FailedPrecondition("This session is not active (it has ended).") from None
    _show_count(ctx.db, group_id, session_id, ctx.now)
    return CheckedIn(sessionId=session_id, status=attendance.status, at=attendance.at)


def _show_count(db: Client, group_id: str, session_id: str, now: datetime) -> None:
    """Bring the group's entry for the session up to the session's current count."""

    def show() -> None:
        found = session_store.get(db, session_id)
        group, version = _versioned_group(db, group_id)
        count = (found.presentCount or 0) if found else 0
        updated = live.with_student_count(group, session_id, count, now)
        if updated is not None:
            batch = db.batch()
            store.replace(batch, db, group_id, updated, version=version)
            commit(batch)

    retry_on_conflict(show)


def end_live_session(ctx: Context, *, session_id: str) -> LiveSessionEnded:
    """``POST /api/sessions/{id}/end``: the owner ends it; attendance is frozen."""
    session = _live_session(ctx, session_id)
    group = store.get(ctx.db, session.groupId or "")
    if group is None:
        raise NotFound("Session not found.")
    policy.require_group_manager(ctx.caller, group)
    live.require_active(session)
    return _end(ctx.db, session_id, by=ctx.caller.uid, now=ctx.now)


def sweep_live_sessions(db: Client, now: datetime) -> list[str]:
    """End every live session left active past its group's maximum duration; returns their ids."""
    ended = []
    for session_id in store.due_live_sessions(db, now):
        try:
            _end(db, session_id, by=None, now=now)
        except (NotFound, FailedPrecondition):  # gone, or ended meanwhile
            continue
        ended.append(session_id)
    return ended


def _end(db: Client, session_id: str, *, by: str | None, now: datetime) -> LiveSessionEnded:
    """Close the gate, then freeze the attendance it let through; safe to run again."""
    store.close_gate(db, session_id)

    def end() -> tuple[LiveSessionEnded, set[str], str]:
        found = session_store.get_versioned(db, session_id)
        if found is None or not found[0].groupId:
            raise NotFound("Session not found.")
        session, version = found
        group_id = session.groupId or ""
        members = {m.uid for m in store.members(db, group_id) if m.role == "member"}
        done, final, absent = live.ended(
            session, by=by, checked_in=store.attendees(db, session_id), members=members, now=now
        )
        batch = db.batch()
        session_store.replace(batch, db, session_id, done, version=version)
        commit(batch)
        return (
            LiveSessionEnded(sessionId=session_id, endedAt=now, finalStatistics=final),
            absent,
            group_id,
        )

    result, absent, group_id = retry_on_conflict(end)
    store.mark_absent(db, session_id, absent, now)

    def unlist() -> None:
        group, version = _versioned_group(db, group_id)
        updated = live.without_session(group, session_id, now)
        if updated is not None:
            batch = db.batch()
            store.replace(batch, db, group_id, updated, version=version)
            commit(batch)

    retry_on_conflict(unlist)
    return result


def _versioned_group(db: Client, group_id: str) -> tuple[GroupRecord, datetime]:
    found = store.get_versioned(db, group_id)
    if found is None:
        raise NotFound("Group not found.")
    return found


def _live_session(ctx: Context, session_id: str) -> SessionRecord:
    """A live session the caller may read (members, its owner, admins); else it does not exist."""
    session = session_store.get(ctx.db, session_id) if is_document_id(session_id) else None
    if session is None or not policy.may_read_session(ctx.caller, session, ctx.relations):
        raise NotFound("Session not found.")
    if not session.groupId:
        raise FailedPrecondition("This is not a live group session.")
    return session
