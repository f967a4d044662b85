"""Groups and live sessions: membership, start, check-in, end, and the group's active list.

``groups/{id}.activeSessions`` is what a member's listener watches: an entry appears at start,
its ``studentCount`` moves with each check-in, and it disappears at the end, when the session
document gets its ``finalStatistics``. Every function returns the records to write; the services
write them in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sessionbase.domain import policy
from sessionbase.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied
from sessionbase.models.groups import (
    ActiveSession,
    AttendanceRecord,
    AttendanceStatus,
    EndedSession,
    GroupCreate,
    GroupRecord,
    LiveSessionStart,
    MemberRecord,
    MemberRole,
)
from sessionbase.models.identity import Caller, Role
from sessionbase.models.sessions import (
    FinalStatistics,
    SessionRecord,
    SessionStatus,
    SessionType,
)

# ---- groups and members -----------------------------------------------------------------------


def new_group(
    caller: Caller, create: GroupCreate, now: datetime
) -> tuple[GroupRecord, MemberRecord]:
    """A group owned by the caller (a coach or an admin), and the owner's member document."""
    if caller.role is Role.ATHLETE:
        raise PermissionDenied("Only coaches and admins create groups.")
    group = GroupRecord(
        name=create.name,
        kind=create.kind,
        ownerId=caller.uid,
        ownerName=caller.display_name,
        allowConcurrent=create.allowConcurrent,
        lateAfterMinutes=create.lateAfterMinutes,
        maxDurationMinutes=create.maxDurationMinutes,
        memberCount=0,
        activeSessions=[],
        createdAt=now,
        updatedAt=now,
    )
    owner = MemberRecord(
        uid=caller.uid,
        role=MemberRole.OWNER,
        email=caller.email,
        displayName=caller.display_name,
        joinedAt=now,
    )
    return group, owner


def require_may_remove(caller: Caller, group: GroupRecord, member: MemberRecord | None) -> None:
    """A member is removed by the owner or an admin, or leaves by themself; the owner stays."""
    if member is None:
        raise NotFound("No such member in this group.")
    if not (policy.may_manage_group(caller, group) or caller.uid == member.uid):
        raise PermissionDenied("Only the group's owner or an admin may remove a member.")
    if member.role == MemberRole.OWNER:
        raise FailedPrecondition("The owner cannot leave or be removed from their group.")


# ---- live sessions ----------------------------------------------------------------------------


def started(
    caller: Caller,
    group_id: str,
    group: GroupRecord,
    start: LiveSessionStart,
    session_id: str,
    now: datetime,
) -> tuple[SessionRecord, GroupRecord]:
    """A new active Class session of the group, and the group listing it as active.

    Only the owner (or an admin) starts one, and only one at a time unless the group allows
    concurrent sessions.
    """
    policy.require_group_manager(caller, group)
    if group.activeSessions and not group.allowConcurrent:
        raise FailedPrecondition(
            "A session of this group is already active; end it first "
            "(or create the group with allowConcurrent)."
        )
    session = SessionRecord(
        groupId=group_id,
        coachId=group.ownerId,
        coachName=group.ownerName,
        createdBy=caller.uid,
        sessionType=SessionType.CLASS,
        event=start.event,
        notes="",
        status=SessionStatus.ACTIVE,
        actualStart=now,
        presentCount=0,
        autoEndAt=now + timedelta(minutes=group.maxDurationMinutes),
        createdAt=now,
        updatedAt=now,
    )
    entry = ActiveSession(
        sessionId=session_id,
        teacherId=group.ownerId,
        studentCount=0,
        startedAt=now,
        startedByName=caller.display_name,
    )
    return session, group.changed(activeSessions=[*group.activeSessions, entry], updatedAt=now)


def checked_in(
    caller: Caller,
    session: SessionRecord,
    group: GroupRecord,
    member: MemberRecord | None,
    current: AttendanceRecord | None,
    now: datetime,
) -> AttendanceRecord:
    """The caller's attendance: members only, once, while the session is active; late after the
    group's grace period."""
    if member is None or member.role != MemberRole.MEMBER:
        raise PermissionDenied("Only the group's members check in.")
    require_active(session)
    require_not_ended(current)
    if current is not None:
        raise already_checked_in()
    assert session.actualStart is not None  # an active live session has started
    late = now > session.actualStart + timedelta(minutes=group.lateAfterMinutes)
    return AttendanceRecord(
        status=AttendanceStatus.LATE if late else AttendanceStatus.PRESENT, at=now
    )


def require_not_ended(current: AttendanceRecord | None) -> None:
    """Refuse a check-in that finds the end's ``absent`` record: only the end records absence,
    so the session ended after it was read (a check-in racing the end), and the member is absent,
    not checked in."""
    if current is not None and current.status == AttendanceStatus.ABSENT:
        raise FailedPrecondition("This session is not active (it has ended).")


def already_checked_in() -> AlreadyExists:
    """The refusal of a second check-in."""
    return AlreadyExists("You have already checked in to this session.")


# A claim of the next count that its claimer has not honoured this long after its time (its
# instance stopped) is void: the next check-in counts or claims anew.
CLAIM_GRACE = timedelta(seconds=30)


@dataclass(frozen=True)
class NextCount:
    """What a check-in does next about its session's count of check-ins (``next_count``):
    count now, claim the next count (and wait for its time), wait for a count it claimed, or
    nothing (all False/None/0: a count made or claimed will include it)."""

    count: bool = False
    claim: datetime | None = None
    wait: float = 0.0

    @property
    def done(self) -> bool:
        """Nothing left to do: a count made, or claimed by another check-in, includes it."""
        return not self.count and self.claim is None and self.wait <= 0


def next_count(
    *,
    counted: datetime | None,
    claimed: datetime | None,
    since: datetime,
    mine: datetime | None,
    now: datetime,
    interval: timedelta,
) -> NextCount:
    """The next step of a check-in committed at ``since`` towards a count that includes it.

    Counts are at least ``interval`` apart; ``counted`` is when the last was made (Firestore's
    read time), ``claimed`` the time another check-in claimed the next one for, ``mine`` the
    time this check-in claimed it for (services/groups.py: ``_count_in``). A check-in that
    commits before a pending claim's time is done: the claimer counts at or after that time. One
    that finds no count due yet claims the next (the first claim wins; the others find it).
    """
    if mine is not None:  # the claimer: count at its claim's time, unless a count made since
        if counted is not None and counted >= mine:
            return NextCount()
        left = (mine - now).total_seconds()
        return NextCount(wait=left) if left > 0 else NextCount(count=True)
    if counted is not None and counted >= since:
        return NextCount()
    pending = claimed
    if pending is not None and (
        (counted is not None and pending <= counted) or pending + interval + CLAIM_GRACE < now
    ):
        pending = None  # honoured already, or void
    if pending is not None and since < pending:
        return NextCount()
    last = max((t for t in (counted, pending) if t is not None), default=None)
    if last is None or last + interval <= now:
        return NextCount(count=True)
    return NextCount(claim=last + interval)


def with_student_count(
    group: GroupRecord, session_id: str, count: int, now: datetime
) -> GroupRecord | None:
    """The group showing ``count`` check-ins for the session, or None if nothing is to change.

    Counts only grow while a session is active, so a writer that finds the entry already at or
    above its count (a later count was written first) leaves it.
    """
    entries = list(group.activeSessions)
    for index, entry in enumerate(entries):
        if entry.sessionId == session_id:
            if entry.studentCount >= count:
                return None
            entries[index] = entry.model_copy(update={"studentCount": count})
            return group.changed(activeSessions=entries, updatedAt=now)
    return None  # ended meanwhile: its entry is gone and stays gone


def ended(
    session: SessionRecord,
    *,
    by: str | None,
    checked_in: set[str],
    members: set[str],
    now: datetime,
) -> tuple[SessionRecord, FinalStatistics, set[str]]:
    """The session completed with its attendance frozen, its statistics, and who was absent.

    Present counts every check-in (late ones too); absent are the members who did not check in.
    ``by`` is who ended it (None: the sweep, for a session left active past the group's maximum).
    """
    require_active(session)
    absent = members - checked_in
    final = FinalStatistics(
        present=len(checked_in), absent=len(absent), total=len(checked_in) + len(absent)
    )
    assert session.actualStart is not None
    done = session.changed(
        status=SessionStatus.COMPLETED,
        actualEnd=now,
        durationSeconds=max(int((now - session.actualStart).total_seconds()), 0),
        presentCount=len(checked_in),
        finalStatistics=final,
        completedBy=by,
        updatedAt=now,
    )
    return done, final, absent


# How many ends the group document keeps: listeners that missed a few snapshots (several ends
# coalesced into one) still find each; the document every member reads stays small.
ENDED_KEPT = 10


def without_session(
    group: GroupRecord, session_id: str, now: datetime, *, ended: EndedSession | None = None
) -> GroupRecord | None:
    """The group no longer listing the session as active (None if it does not list it), and
    remembering how it ``ended`` among its last ``ENDED_KEPT`` ends (what a member's listener
    reports, the real-time seed's ``courseSessionEnded``, with no other read)."""
    remaining = [entry for entry in group.activeSessions if entry.sessionId != session_id]
    if len(remaining) == len(group.activeSessions):
        return None
    if ended is None:
        return group.changed(activeSessions=remaining, updatedAt=now)
    kept = [e for e in group.recentlyEnded if e.sessionId != session_id][-(ENDED_KEPT - 1) :]
    return group.changed(activeSessions=remaining, recentlyEnded=[*kept, ended], updatedAt=now)


def end_of(session_id: str, done: SessionRecord, *, by_name: str | None) -> EndedSession:
    """How an ended session (``ended``'s first result) ended, as the group keeps it."""
    assert done.finalStatistics is not None  # ended
    assert done.actualEnd is not None
    return EndedSession(
        sessionId=session_id,
        teacherId=done.coachId or "",
        finalStatistics=done.finalStatistics,
        endedBy=done.completedBy,
        endedByName=by_name,
        endedAt=done.actualEnd,
    )


def require_active(session: SessionRecord) -> None:
    """Refuse anything but an active live group session.

    A live session is known by its group, which no edit changes, not by its ``sessionType``
    (an edit keeps a group session's type too: ``domain.sessions.require_kind_kept``).
    """
    if not session.groupId:
        raise FailedPrecondition("This is not a live group session.")
    if session.status != SessionStatus.ACTIVE:
        raise FailedPrecondition(f"This session is not active (it is {session.status}).")
