"""domain/invitations.py: inviting once per address, accepting, declining, resending,
revoking, lapsed invitations, the invitee's inbox."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from sessionbase.domain import invitations
from sessionbase.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied
from sessionbase.models.groups import GroupRecord, MemberAdd, MemberRecord
from sessionbase.models.identity import Caller, Role
from sessionbase.models.invitations import InvitationCreate, LinkRecord
from tests.unit.factories import ADMIN, ATHLETE, COACH, CREATED, caller
from tests.unit.factories import invitation_record as invitation

NOW = CREATED  # the moment the factories' records are made
NEWCOMER = caller("newcomer", email="new@example.com")
LIFETIME = timedelta(days=30)  # the setting's default (settings.invitation_lifetime)


def invite(who: Caller, current, email="new@example.com", lifetime=LIFETIME):
    return invitations.new_invitation(
        who, InvitationCreate(athleteEmail=email), current, NOW, lifetime=lifetime
    )


def test_a_coach_invites_once_per_address():
    made = invite(COACH, None)
    assert (made.status, made.expiresAt) == ("pending", NOW + timedelta(days=30))
    with pytest.raises(AlreadyExists):
        invite(COACH, invitation("pending"))
    with pytest.raises(AlreadyExists):
        invite(COACH, invitation("accepted"))
    assert invite(COACH, invitation("pending", age=timedelta(days=31))).createdAt == NOW
    assert invite(COACH, invitation("revoked")).status == "pending"
    assert invite(COACH, invitation("declined")).status == "pending"  # asked again after a no


def test_an_invitation_lasts_the_lifetime_it_is_given():
    # settings.invitation_lifetime (the SESSIONBASE_INVITATION_DAYS param) gives it; 30 days
    # unless configured.
    assert timedelta(days=30) == invitations.INVITATION_LIFETIME
    assert invite(COACH, None, lifetime=timedelta(days=3)).expiresAt == NOW + timedelta(days=3)
    assert group_invite().expiresAt == NOW + LIFETIME


def test_only_coaches_invite_and_not_themselves():
    with pytest.raises(PermissionDenied):
        invite(ATHLETE, None)
    with pytest.raises(FailedPrecondition):
        invite(COACH, None, email="coach@example.com")


def test_accepting_links_the_two():
    accepted, link = invitations.accepted(NEWCOMER, "i1", invitation(), NOW)
    assert (accepted.status, accepted.acceptedAt, accepted.athleteId) == (
        "accepted",
        NOW,
        "newcomer",
    )
    assert (link.coachId, link.athleteId, link.invitationId) == ("coach", "newcomer", "i1")


def test_the_link_names_the_athlete_as_they_accepted():
    # The coach's athlete list says names: the link carries the name the athlete signed in with
    # (the only one the coach may read: users/{uid} is not theirs to read).
    named = replace(NEWCOMER, name="Nia Newcomer")
    assert invitations.accepted(named, "i1", invitation(), NOW)[1].athleteName == "Nia Newcomer"
    assert invitations.accepted(NEWCOMER, "i1", invitation(), NOW)[1].athleteName == "new"


@pytest.mark.parametrize(
    ("who", "current", "error"),
    [
        (NEWCOMER, None, NotFound),
        (ATHLETE, invitation(), NotFound),  # someone else's invitation
        (replace(NEWCOMER, email_verified=False), invitation(), NotFound),
        (NEWCOMER, invitation("accepted"), AlreadyExists),
        (NEWCOMER, invitation("revoked"), FailedPrecondition),
        (NEWCOMER, invitation(age=timedelta(days=30)), FailedPrecondition),
        (NEWCOMER, invitation("declined"), AlreadyExists),  # 409: answered already
        (replace(NEWCOMER, email="other@example.com"), invitation(), NotFound),
    ],
)
def test_accepting_is_refused(who, current, error):
    with pytest.raises(error):
        invitations.accepted(who, "i1", current, NOW)


def test_revoking():
    assert invitations.revoked(COACH, invitation(), NOW).status == "revoked"
    assert invitations.revoked(ADMIN, invitation(), NOW).revokedAt == NOW
    with pytest.raises(NotFound):
        invitations.revoked(caller("other", role=Role.COACH), invitation(), NOW)
    with pytest.raises(FailedPrecondition):
        invitations.revoked(COACH, invitation("accepted"), NOW)


def test_a_lapsed_invitation_reads_expired_but_stays_pending():
    lapsed = invitation(age=timedelta(days=31))
    assert invitations.public("i1", lapsed, NOW).status == "expired"
    assert lapsed.status == "pending"
    assert invitations.public("i1", invitation(), NOW).status == "pending"


# ---- ending a link (issue 21, item 3) -----------------------------------------------------------

LINK = LinkRecord(coachId="coach", athleteId="newcomer", createdAt=NOW, invitationId="i1")


@pytest.mark.parametrize("who", [COACH, NEWCOMER, ADMIN], ids=["coach", "athlete", "admin"])
def test_either_party_or_an_admin_ends_a_link_and_the_invitation_reads_ended(who):
    ended = invitations.ended_link(who, LINK, invitation("accepted"), NOW)
    assert ended is not None
    assert (ended.status, ended.endedAt) == ("ended", NOW)
    assert invitations.ended_link(who, LINK, None, NOW) is None  # the invitation is gone


@pytest.mark.parametrize(
    ("who", "link"),
    [
        (caller("other", role=Role.COACH), LINK),  # someone else's link does not exist for them
        (ATHLETE, LINK),
        (COACH, None),
    ],
)
def test_ending_a_link_is_refused_alike_for_strangers_and_missing_links(who, link):
    with pytest.raises(NotFound, match="Link not found"):
        invitations.ended_link(who, link, invitation("accepted"), NOW)


def test_an_ended_invitation_cannot_be_accepted_but_the_coach_may_invite_again():
    ended = invitation("accepted").changed(status="ended", endedAt=NOW)
    with pytest.raises(FailedPrecondition, match="has ended"):
        invitations.accepted(NEWCOMER, "i1", ended, NOW)
    assert invite(COACH, ended).status == "pending"


# ---- group invitations (issue 21, item 2) -------------------------------------------------------

GROUP = GroupRecord(name="Rings", kind="team", ownerId="coach", createdAt=NOW, updatedAt=NOW)


def group_invite(who: Caller = COACH, current=None, *, is_member=False, **address):
    body = MemberAdd.model_validate_json(json.dumps(address or {"email": "New@Example.com "}))
    return invitations.new_group_invitation(
        who, "g1", GROUP, body, current, is_member=is_member, now=NOW, lifetime=LIFETIME
    )


def test_a_group_invitation_names_the_address_as_given_and_nothing_of_an_account():
    by_email = group_invite()
    assert by_email.document() == {
        "kind": "group",
        "groupId": "g1",
        "groupName": "Rings",
        "coachId": "coach",
        "coachEmail": "coach@example.com",
        "coachName": "coach",
        "athleteEmail": "new@example.com",
        "status": "pending",
        "createdAt": NOW,
        "expiresAt": NOW + timedelta(days=30),
    }
    by_uid = group_invite(userId="newcomer")
    assert (by_uid.inviteeId, by_uid.athleteEmail) == ("newcomer", None)
    assert "athleteEmail" not in by_uid.document()
    assert group_invite(ADMIN).coachId == ADMIN.uid  # an admin may invite too


def test_a_group_invitation_is_refused_to_all_but_the_owner_and_for_members_or_pending_ones():
    with pytest.raises(PermissionDenied):
        group_invite(caller("other", role=Role.COACH))
    with pytest.raises(AlreadyExists, match="already a member"):
        group_invite(is_member=True)
    with pytest.raises(AlreadyExists, match="pending"):
        group_invite(current=group_invite())
    lapsed = group_invite().changed(expiresAt=NOW - timedelta(seconds=1))
    for earlier in (lapsed, group_invite().changed(status="revoked"), group_accepted()[0]):
        assert group_invite(current=earlier).status == "pending"  # a member who left: anew


def group_accepted(who: Caller = NEWCOMER, invitation_=None, member=None):
    return invitations.joined(who, invitation_ or group_invite(), member, NOW)


def test_accepting_a_group_invitation_makes_a_member_once():
    accepted, member = group_accepted()
    assert (accepted.status, accepted.acceptedAt, accepted.athleteId) == (
        "accepted",
        NOW,
        "newcomer",
    )
    assert member is not None
    assert (member.uid, member.role, member.email) == ("newcomer", "member", "new@example.com")
    already = MemberRecord(uid="newcomer", role="member", joinedAt=NOW)
    assert group_accepted(member=already)[1] is None  # in the group already: not made again
    with pytest.raises(AlreadyExists):
        group_accepted(invitation_=accepted)
    by_uid = group_invite(userId="newcomer")
    assert group_accepted(caller("newcomer", email=None, verified=False), by_uid)[1] is not None


@pytest.mark.parametrize(
    ("who", "address"),
    [
        (ATHLETE, {"email": "new@example.com"}),  # a stranger
        (COACH, {"email": "new@example.com"}),  # its sender
        (replace(NEWCOMER, email_verified=False), {"email": "new@example.com"}),
        (NEWCOMER, {"userId": "someone-else"}),  # addressed to another account
    ],
)
def test_someone_elses_group_invitation_does_not_exist_for_them(who, address):
    with pytest.raises(NotFound):
        group_accepted(who, group_invite(**address))


def test_a_coach_invitation_is_not_accepted_as_a_group_invitation():
    with pytest.raises(NotFound):
        invitations.joined(NEWCOMER, invitation(), None, NOW)
    with pytest.raises(FailedPrecondition, match="expired"):
        group_accepted(invitation_=group_invite().changed(expiresAt=NOW))
    with pytest.raises(FailedPrecondition, match="revoked by the group's owner"):
        group_accepted(invitation_=invitations.revoked(COACH, group_invite(), NOW))


def test_the_public_form_names_the_kind_of_every_invitation():
    assert invitations.public("i1", invitation(), NOW).kind == "coach"
    shown = invitations.public("i2", group_invite(), NOW).to_json()
    assert (shown["kind"], shown["groupId"], shown["groupName"]) == ("group", "g1", "Rings")


# ---- the invitee's inbox: declining; the coach's resend (issue 25) ------------------------------


def test_the_invitee_declines_and_the_coach_reads_declined():
    declined = invitations.declined(NEWCOMER, invitation(), NOW)
    assert (declined.status, declined.declinedAt, declined.athleteId) == ("declined", NOW, None)
    assert invitations.public("i1", declined, NOW).status == "declined"
    by_uid = group_invite(userId="newcomer")
    unverified = caller("newcomer", email=None, verified=False)
    assert invitations.declined(unverified, by_uid, NOW).status == "declined"


@pytest.mark.parametrize(
    ("who", "current", "error"),
    [
        (NEWCOMER, None, NotFound),
        (ATHLETE, invitation(), NotFound),  # someone else's invitation
        (COACH, invitation(), NotFound),  # its sender does not decline it: they revoke it
        (ADMIN, invitation(), NotFound),
        (replace(NEWCOMER, email_verified=False), invitation(), NotFound),
        (NEWCOMER, invitation("declined"), AlreadyExists),
        (NEWCOMER, invitation("accepted"), AlreadyExists),
        (NEWCOMER, invitation("revoked"), FailedPrecondition),
        (NEWCOMER, invitation(age=timedelta(days=31)), FailedPrecondition),
    ],
)
def test_declining_is_refused(who, current, error):
    with pytest.raises(error):
        invitations.declined(who, current, NOW)


@pytest.mark.parametrize("who", [COACH, ADMIN], ids=["coach", "admin"])
def test_resending_gives_a_new_expiry_to_the_same_invitation(who):
    later = NOW + timedelta(days=40)
    lapsed = invitation(age=timedelta(days=31))
    for current in (invitation(), lapsed):
        resent = invitations.resent(who, current, later, lifetime=LIFETIME)
        assert (resent.status, resent.expiresAt, resent.resentAt) == (
            "pending",
            later + LIFETIME,
            later,
        )
        assert (resent.createdAt, resent.athleteEmail) == (current.createdAt, current.athleteEmail)
        assert invitations.public("i1", resent, later).status == "pending"


@pytest.mark.parametrize(
    ("who", "current", "error"),
    [
        (COACH, None, NotFound),
        (caller("other", role=Role.COACH), invitation(), NotFound),
        (NEWCOMER, invitation(), NotFound),  # the invitee does not resend
        (COACH, invitation("accepted"), AlreadyExists),
        (COACH, invitation("declined"), AlreadyExists),
        (COACH, invitation("revoked"), AlreadyExists),
        (COACH, invitation("accepted").changed(status="ended"), AlreadyExists),
    ],
)
def test_resending_is_refused(who, current, error):
    with pytest.raises(error):
        invitations.resent(who, current, NOW, lifetime=LIFETIME)


def test_the_inbox_holds_the_callers_pending_invitations_only():
    assert invitations.in_inbox(NEWCOMER, invitation(), NOW)
    assert invitations.in_inbox(NEWCOMER, group_invite(userId="newcomer"), NOW)
    assert not invitations.in_inbox(replace(NEWCOMER, email_verified=False), invitation(), NOW)
    assert not invitations.in_inbox(ATHLETE, invitation(), NOW)
    assert not invitations.in_inbox(COACH, invitation(), NOW)  # sent, not received
    for status in ("accepted", "declined", "revoked"):
        assert not invitations.in_inbox(NEWCOMER, invitation(status), NOW)
    assert not invitations.in_inbox(NEWCOMER, invitation(age=timedelta(days=31)), NOW)


def test_the_inbox_names_the_coach_by_profile_else_by_the_name_stored_never_by_address():
    named = invitation().changed(coachName="Coach Carter")
    shown = invitations.public("i1", named, NOW, coach_name="Cora Carter")
    assert shown.coachName == "Cora Carter"
    assert invitations.public("i1", named, NOW, coach_name=None).coachName == "Coach Carter"
    unnamed = invitations.public("i1", invitation(), NOW, coach_name=None)
    assert unnamed.coachName is None  # no name anywhere: none made up from the e-mail
