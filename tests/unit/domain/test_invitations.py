"""domain/invitations.py: inviting once per address, accepting, revoking, lapsed invitations."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from sessionbase.domain import invitations
from sessionbase.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied
from sessionbase.models.identity import Caller, Role
from sessionbase.models.invitations import InvitationCreate
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
