"""domain/invitations.py: inviting once per address, accepting, revoking, lapsed invitations."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from sessionbase.domain import invitations
from sessionbase.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied
from sessionbase.models.identity import Caller, Role
from sessionbase.models.invitations import InvitationCreate, LinkRecord
from tests.unit.factories import ADMIN, ATHLETE, COACH, CREATED, caller
from tests.unit.factories import invitation_record as invitation

NOW = CREATED  # the moment the factories' records are made
NEWCOMER = caller("newcomer", email="new@example.com")


def invite(who: Caller, current, email="new@example.com"):
    return invitations.new_invitation(who, InvitationCreate(athleteEmail=email), current, NOW)


def test_a_coach_invites_once_per_address():
    made = invite(COACH, None)
    assert (made.status, made.expiresAt) == ("pending", NOW + timedelta(days=7))
    with pytest.raises(AlreadyExists):
        invite(COACH, invitation("pending"))
    with pytest.raises(AlreadyExists):
        invite(COACH, invitation("accepted"))
    assert invite(COACH, invitation("pending", age=timedelta(days=8))).createdAt == NOW
    assert invite(COACH, invitation("revoked")).status == "pending"


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


@pytest.mark.parametrize(
    ("who", "current", "error"),
    [
        (NEWCOMER, None, NotFound),
        (ATHLETE, invitation(), NotFound),  # someone else's invitation
        (replace(NEWCOMER, email_verified=False), invitation(), NotFound),
        (NEWCOMER, invitation("accepted"), AlreadyExists),
        (NEWCOMER, invitation("revoked"), FailedPrecondition),
        (NEWCOMER, invitation(age=timedelta(days=7)), FailedPrecondition),
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
    lapsed = invitation(age=timedelta(days=8))
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
