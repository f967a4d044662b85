"""domain/live.py: groups and members, the start, check-ins (late), counts, the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sessionbase.domain import live
from sessionbase.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied
from sessionbase.models.groups import (
    AttendanceRecord,
    AttendanceStatus,
    GroupCreate,
    LiveSessionStart,
    MemberRecord,
)
from sessionbase.models.identity import Role
from tests.unit.factories import caller

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OWNER = caller("t", role=Role.COACH, name="T")
STUDENT = caller("s")
ADMIN = caller("a", role=Role.ADMIN)
MEMBER = MemberRecord(uid="s", role="member", joinedAt=NOW)


def group(**settings):
    made, owner = live.new_group(OWNER, GroupCreate(name="Physics", **settings), NOW)
    assert (owner.uid, owner.role) == ("t", "owner")
    return made


def started(g, at=NOW):
    return live.started(OWNER, "g1", g, LiveSessionStart(), "s1", at)


def test_only_coaches_and_admins_own_groups():
    with pytest.raises(PermissionDenied):
        live.new_group(STUDENT, GroupCreate(name="Mine"), NOW)
    assert live.new_group(ADMIN, GroupCreate(name="Ops"), NOW)[0].ownerId == "a"


def test_a_member_leaves_or_is_removed_and_the_owner_stays():
    g = group()
    live.require_may_remove(STUDENT, g, MEMBER)  # leaving
    owner_member = MemberRecord(uid="t", role="owner", joinedAt=NOW)
    with pytest.raises(FailedPrecondition):
        live.require_may_remove(OWNER, g, owner_member)
    with pytest.raises(NotFound):
        live.require_may_remove(OWNER, g, None)
    other = caller("o", email=None, verified=False)
    with pytest.raises(PermissionDenied):
        live.require_may_remove(other, g, MEMBER)


def test_a_start_lists_the_session_and_one_at_a_time_unless_allowed():
    session, g = started(group())
    assert (session.status, session.sessionType, session.groupId) == ("active", "Class", "g1")
    assert session.autoEndAt == NOW + timedelta(minutes=240)
    assert [(e.sessionId, e.studentCount) for e in g.activeSessions] == [("s1", 0)]
    with pytest.raises(FailedPrecondition):
        live.started(OWNER, "g1", g, LiveSessionStart(), "s2", NOW)
    _, concurrent = started(group(allowConcurrent=True))
    assert (
        len(live.started(OWNER, "g1", concurrent, LiveSessionStart(), "s2", NOW)[1].activeSessions)
        == 2
    )
    with pytest.raises(PermissionDenied):
        live.started(STUDENT, "g1", group(), LiveSessionStart(), "s1", NOW)


@pytest.mark.parametrize(("after", "status"), [(0, "present"), (10, "present"), (11, "late")])
def test_a_check_in_after_the_grace_period_is_late(after, status):
    session, g = started(group(lateAfterMinutes=10))
    at = NOW + timedelta(minutes=after)
    assert live.checked_in(STUDENT, session, g, MEMBER, None, at).status == status


def test_check_ins_are_for_members_once_while_active():
    session, g = started(group())
    with pytest.raises(PermissionDenied):
        live.checked_in(
            OWNER, session, g, MemberRecord(uid="t", role="owner", joinedAt=NOW), None, NOW
        )
    with pytest.raises(PermissionDenied):
        live.checked_in(STUDENT, session, g, None, None, NOW)
    first = live.checked_in(STUDENT, session, g, MEMBER, None, NOW)
    with pytest.raises(AlreadyExists):
        live.checked_in(STUDENT, session, g, MEMBER, first, NOW)
    ended, _, _ = live.ended(session, by="t", checked_in=set(), members={"s"}, now=NOW)
    with pytest.raises(FailedPrecondition):
        live.checked_in(STUDENT, ended, g, MEMBER, None, NOW)


def test_the_count_only_grows_and_never_returns_after_the_end():
    _, g = started(group())
    three = live.with_student_count(g, "s1", 3, NOW)
    assert three is not None
    assert three.activeSessions[0].studentCount == 3
    assert live.with_student_count(three, "s1", 2, NOW) is None  # a later figure is shown already
    assert live.with_student_count(three, "s1", 3, NOW) is None
    gone = live.without_session(three, "s1", NOW)
    assert gone is not None
    assert gone.activeSessions == []
    assert live.with_student_count(gone, "s1", 4, NOW) is None
    assert live.without_session(gone, "s1", NOW) is None


def test_the_end_freezes_attendance():
    session, _ = started(group())
    later = NOW + timedelta(minutes=50)
    done, final, absent = live.ended(
        session, by=None, checked_in={"a", "b", "gone"}, members={"a", "b", "c", "d"}, now=later
    )
    assert final.model_dump() == {"present": 3, "absent": 2, "total": 5}
    assert absent == {"c", "d"}
    assert (done.status, done.durationSeconds, done.completedBy) == ("completed", 3000, None)
    assert done.presentCount == 3  # whatever the last count showed: the check-ins themselves
    with pytest.raises(FailedPrecondition):
        live.ended(done, by=None, checked_in=set(), members=set(), now=later)


def test_a_live_session_is_known_by_its_group_not_by_its_type():
    """Issue 20 (4): a class stored with another type (an edit before the fix) still ends."""
    session, _ = started(group())
    retyped = session.changed(sessionType="Training")
    live.require_active(retyped)
    assert live.ended(retyped, by="t", checked_in=set(), members=set(), now=NOW)[0].status == (
        "completed"
    )
    with pytest.raises(FailedPrecondition, match="not a live group session"):
        live.require_active(session.changed(groupId=None))


def test_a_check_in_that_finds_the_ends_absence_is_refused_as_not_active():
    """Issue 21: a check-in racing the end read the session active, then found the ``absent``
    record the end wrote and answered 409 "already checked in" for a member recorded absent."""
    session, g = started(group())
    absent = AttendanceRecord(status=AttendanceStatus.ABSENT, at=NOW)
    with pytest.raises(FailedPrecondition, match="not active"):
        live.checked_in(STUDENT, session, g, MEMBER, absent, NOW)


def test_a_start_names_who_started_it_on_the_groups_entry():
    """Issue 26: the real-time seed's ``started_by`` comes from the group document, no extra
    read (an admin may start the owner's class: ``teacher_name`` is the owner's, ``started_by``
    the admin's)."""
    _, g = started(group())
    assert g.activeSessions[0].startedByName == "T"
    admin = caller("a", role=Role.ADMIN, name="Ada Admin")
    _, by_admin = live.started(admin, "g1", group(), LiveSessionStart(), "s1", NOW)
    assert (by_admin.ownerName, by_admin.activeSessions[0].startedByName) == ("T", "Ada Admin")


def test_the_group_remembers_how_its_last_sessions_ended():
    """Issue 26: the real-time seed's ``courseSessionEnded`` (final statistics, who ended it,
    when) is read from the same group document write that unlists the session."""
    session, g = started(group())
    later = NOW + timedelta(minutes=50)
    done, _, _ = live.ended(session, by="t", checked_in={"s"}, members={"s", "x"}, now=later)
    gone = live.without_session(g, "s1", later, ended=live.end_of("s1", done, by_name="T"))
    assert gone is not None
    assert gone.activeSessions == []
    [end] = gone.recentlyEnded
    assert end.model_dump() == {
        "sessionId": "s1",
        "teacherId": "t",
        "finalStatistics": {"present": 1, "absent": 1, "total": 2},
        "endedBy": "t",
        "endedByName": "T",
        "endedAt": later,
    }
    assert "recentlyEnded" in gone.document()
    # Only the last few are kept (the document every member's listener reads stays small).
    many = gone
    for n in range(live.ENDED_KEPT + 3):
        entry = g.activeSessions[0].model_copy(update={"sessionId": f"n{n}"})
        many = many.changed(activeSessions=[entry])
        swept = live.end_of(f"n{n}", done, by_name=None)
        after = live.without_session(many, f"n{n}", later, ended=swept)
        assert after is not None
        many = after
    assert len(many.recentlyEnded) == live.ENDED_KEPT
    assert many.recentlyEnded[-1].sessionId == f"n{live.ENDED_KEPT + 2}"
    assert many.recentlyEnded[-1].endedByName is None


SECOND = timedelta(seconds=1)


def step(*, counted=None, claimed=None, since=NOW, mine=None, now=NOW, interval=SECOND):
    return live.next_count(
        counted=counted, claimed=claimed, since=since, mine=mine, now=now, interval=interval
    )


def test_a_check_in_counts_when_a_count_is_due_and_claims_the_next_when_not():
    assert step() == live.NextCount(count=True)  # never counted
    assert step(counted=NOW - 2 * SECOND, since=NOW - SECOND) == live.NextCount(count=True)
    # The last count was half a second ago: the next is due half a second from now.
    half = NOW - SECOND / 2
    assert step(counted=half, since=NOW - SECOND / 4) == live.NextCount(claim=half + SECOND)
    assert step(counted=half, interval=timedelta(0)) == live.NextCount(count=True)  # 0: each


def test_a_check_in_is_done_when_a_count_made_or_claimed_will_include_it():
    assert step(counted=NOW, since=NOW).done  # counted at its commit
    later = NOW + SECOND / 2
    assert step(counted=NOW - SECOND / 2, claimed=later, since=NOW).done
    # Committed at or after the claim's time: the claimer may count before it; claim the next.
    after = step(counted=NOW - SECOND / 2, claimed=later, since=later, now=later)
    assert after == live.NextCount(claim=later + SECOND)


def test_a_claim_honoured_or_void_is_no_longer_pending():
    honoured = step(counted=NOW - SECOND / 4, claimed=NOW - SECOND / 2, since=NOW)
    assert honoured == live.NextCount(claim=NOW - SECOND / 4 + SECOND)
    stale = NOW - live.CLAIM_GRACE - 2 * SECOND
    assert step(counted=stale - SECOND, claimed=stale, since=NOW - SECOND) == live.NextCount(
        count=True
    )


def test_the_claimer_waits_for_its_time_then_counts_unless_counted_since():
    mine = NOW + SECOND / 2
    assert step(counted=NOW - SECOND / 2, mine=mine, since=NOW - SECOND / 4).wait == 0.5
    assert step(counted=NOW - SECOND / 2, mine=mine, now=mine) == live.NextCount(count=True)
    assert step(counted=mine, mine=mine, now=mine).done
