"""Invitation decisions: inviting, accepting (a coach's links the two; a group owner's makes a
member), declining, resending, revoking; expiry after a lifetime the deployment sets
(``settings.invitation_lifetime``, 30 days by default); the invitee's inbox."""

from __future__ import annotations

from datetime import datetime, timedelta

from sessionbase.domain import policy
from sessionbase.errors import AlreadyExists, FailedPrecondition, NotFound
from sessionbase.models.groups import GroupRecord, MemberAdd, MemberRecord, MemberRole
from sessionbase.models.identity import Caller
from sessionbase.models.invitations import (
    InvitationCreate,
    InvitationKind,
    InvitationPublic,
    InvitationRecord,
    InvitationStatus,
    LinkRecord,
)

# The default lifetime (``SESSIONBASE_INVITATION_DAYS``'s default): services pass the setting's.
INVITATION_LIFETIME = timedelta(days=30)


def is_expired(invitation: InvitationRecord, now: datetime) -> bool:
    """A pending invitation lapses at its ``expiresAt``; its stored status stays."""
    return invitation.status == InvitationStatus.PENDING and invitation.expiresAt <= now


def new_invitation(
    caller: Caller,
    create: InvitationCreate,
    current: InvitationRecord | None,
    now: datetime,
    *,
    lifetime: timedelta,
) -> InvitationRecord:
    """A coach's invitation to an address, unless one is pending or was accepted already.

    ``current`` is the invitation this coach sent to this address before (one slot per pair);
    one that was declined, revoked or ended gives way to the new one.
    """
    policy.require_coach(caller)
    if create.athleteEmail == caller.email:
        raise FailedPrecondition("You cannot invite yourself.")
    if current and current.status == InvitationStatus.ACCEPTED:  # the two are linked already
        raise AlreadyExists("This athlete has already accepted your invitation.")
    if current and current.status == InvitationStatus.PENDING and not is_expired(current, now):
        raise AlreadyExists("You have already invited this athlete; the invitation is pending.")
    return InvitationRecord(
        coachId=caller.uid,
        coachEmail=caller.email,
        coachName=caller.display_name,
        athleteEmail=create.athleteEmail,
        status=InvitationStatus.PENDING,
        createdAt=now,
        expiresAt=now + lifetime,
        acceptedAt=None,
        athleteId=None,
    )


def accepted(
    caller: Caller, invitation_id: str, invitation: InvitationRecord | None, now: datetime
) -> tuple[InvitationRecord, LinkRecord]:
    """A coach's invitation once the caller accepts it, and the coach–athlete link it makes.

    Someone else's invitation, or one for an address the caller has not verified, does not exist
    for them: the answer is the same as for a wrong id.
    """
    invitation = _acceptable(caller, invitation, now)
    link = LinkRecord(
        coachId=invitation.coachId,
        athleteId=caller.uid,
        coachEmail=invitation.coachEmail,
        athleteEmail=caller.email,
        athleteName=caller.display_name,
        createdAt=now,
        invitationId=invitation_id,
    )
    update = invitation.changed(
        status=InvitationStatus.ACCEPTED, acceptedAt=now, athleteId=caller.uid
    )
    return update, link


def new_group_invitation(
    caller: Caller,
    group_id: str,
    group: GroupRecord,
    address: MemberAdd,
    current: InvitationRecord | None,
    *,
    is_member: bool,
    now: datetime,
    lifetime: timedelta,
) -> InvitationRecord:
    """The group owner's (or an admin's) invitation to join, to an e-mail or a uid as given.

    Nothing about an account with that address is looked up or returned: whether one exists
    makes no difference until its owner accepts (issue 21). ``current`` is the invitation sent
    to this address for this group before (one slot per pair); ``is_member`` whether the roster
    already holds the address (409, which tells the owner only what their roster says).
    """
    policy.require_group_manager(caller, group)
    if is_member:
        raise AlreadyExists("This person is already a member of the group.")
    if current and current.status == InvitationStatus.PENDING and not is_expired(current, now):
        raise AlreadyExists(
            "This address is already invited to the group; the invitation is pending."
        )
    addressed = {"athleteEmail": address.email, "inviteeId": address.userId}
    return InvitationRecord.model_validate(
        {
            "kind": InvitationKind.GROUP,
            "groupId": group_id,
            "groupName": group.name,
            "coachId": caller.uid,
            "coachEmail": caller.email,
            "coachName": caller.display_name,
            **{name: value for name, value in addressed.items() if value is not None},
            "status": InvitationStatus.PENDING,
            "createdAt": now,
            "expiresAt": now + lifetime,
        }
    )


def joined(
    caller: Caller, invitation: InvitationRecord | None, member: MemberRecord | None, now: datetime
) -> tuple[InvitationRecord, MemberRecord | None]:
    """A group invitation once the caller accepts it, and the member document to create — None
    when ``member`` (the caller's, read with the invitation) shows they are in the group already,
    so a membership is made and counted once however it came about."""
    if invitation is None or invitation.kind != InvitationKind.GROUP or not invitation.groupId:
        raise no_invitation()
    invitation = _acceptable(caller, invitation, now)
    update = invitation.changed(
        status=InvitationStatus.ACCEPTED, acceptedAt=now, athleteId=caller.uid
    )
    if member is not None:
        return update, None
    return update, MemberRecord(
        uid=caller.uid,
        role=MemberRole.MEMBER,
        email=caller.email,
        displayName=caller.display_name,
        joinedAt=now,
    )


def _acceptable(
    caller: Caller, invitation: InvitationRecord | None, now: datetime
) -> InvitationRecord:
    """The invitation, if the caller may accept it now; someone else's is "not found"."""
    if invitation is None or not policy.is_invitee(caller, invitation):
        raise no_invitation()
    sender = "the coach" if invitation.kind == InvitationKind.COACH else "the group's owner"
    if invitation.status == InvitationStatus.ACCEPTED:
        raise AlreadyExists("You have already accepted this invitation.")
    if invitation.status == InvitationStatus.DECLINED:
        raise AlreadyExists(f"You have declined this invitation; ask {sender} for a new one.")
    if invitation.status == InvitationStatus.REVOKED:
        raise FailedPrecondition(f"This invitation was revoked by {sender}.")
    if invitation.status == InvitationStatus.ENDED:
        raise FailedPrecondition("The link this invitation made has ended; ask for a new one.")
    if is_expired(invitation, now):
        raise FailedPrecondition(f"This invitation has expired; ask {sender} for a new one.")
    return invitation


def declined(
    caller: Caller, invitation: InvitationRecord | None, now: datetime
) -> InvitationRecord:
    """The invitation once the invited person declines it; refused as accepting would be (an
    answered one is 409, a revoked, ended or lapsed one 400, anyone else's "not found")."""
    invitation = _acceptable(caller, invitation, now)
    return invitation.changed(status=InvitationStatus.DECLINED, declinedAt=now)


def resent(
    caller: Caller, invitation: InvitationRecord | None, now: datetime, *, lifetime: timedelta
) -> InvitationRecord:
    """The same invitation open again for ``lifetime`` from ``now``: by its coach (or an admin),
    while it is pending, lapsed or not. One that was answered, revoked or ended is 409: the
    coach invites anew instead (a decline is the invitee's answer, not to be renewed over)."""
    if invitation is None or not policy.may_revoke_invitation(caller, invitation):
        raise no_invitation()
    if invitation.status != InvitationStatus.PENDING:
        raise AlreadyExists(
            f"Only a pending or expired invitation can be resent; this one is {invitation.status}."
        )
    return invitation.changed(expiresAt=now + lifetime, resentAt=now)


def in_inbox(caller: Caller, invitation: InvitationRecord, now: datetime) -> bool:
    """The invitation waits for the caller's answer: addressed to them (their uid, or their
    verified e-mail), pending and not lapsed."""
    return (
        policy.is_invitee(caller, invitation)
        and invitation.status == InvitationStatus.PENDING
        and not is_expired(invitation, now)
    )


def revoked(caller: Caller, invitation: InvitationRecord | None, now: datetime) -> InvitationRecord:
    """The invitation once its coach (or an admin) withdraws it; only a pending one can be."""
    if invitation is None or not policy.may_revoke_invitation(caller, invitation):
        raise no_invitation()
    if invitation.status != InvitationStatus.PENDING:
        raise FailedPrecondition(
            f"Only a pending invitation can be revoked; this one is {invitation.status}."
        )
    return invitation.changed(status=InvitationStatus.REVOKED, revokedAt=now)


def ended_link(
    caller: Caller, link: LinkRecord | None, invitation: InvitationRecord | None, now: datetime
) -> InvitationRecord | None:
    """End a link: either party (or an admin) may. Returns the invitation that made it, marked
    ``ended`` so the coach may invite the athlete again (None if it is gone or was not accepted).

    A link the caller is not a party to does not exist for them: the answer is the same as for
    a wrong id. The sessions the two made together are not touched: they keep their athlete,
    coach and statistics (docs/decisions.md, "Ending a link").
    """
    if link is None or not policy.may_end_link(caller, link):
        raise no_link()
    if invitation is None or invitation.status != InvitationStatus.ACCEPTED:
        return None
    return invitation.changed(status=InvitationStatus.ENDED, endedAt=now)


def no_link() -> NotFound:
    """One answer for a wrong link id and for someone else's link."""
    return NotFound("Link not found.")


def public(
    invitation_id: str,
    invitation: InvitationRecord,
    now: datetime,
    *,
    coach_name: str | None = None,
) -> InvitationPublic:
    """An invitation as its coach or invitee reads it: a lapsed pending one reads ``expired``.

    ``coach_name``, the sender's profile name when the reader's list looked it up, names the
    coach in place of the name stored when it was sent; without one, the stored name stays
    (never the coach's e-mail in its place).
    """
    fields = {"kind": invitation.kind, **invitation.model_dump(exclude_unset=True)}
    if is_expired(invitation, now):
        fields["status"] = "expired"
    if coach_name:
        fields["coachName"] = coach_name
    return InvitationPublic.model_validate({"invitationId": invitation_id, **fields})


def no_invitation() -> NotFound:
    """One answer for a wrong id, someone else's invitation, or an unverified address."""
    return NotFound("Invitation not found (invitations are accepted from a verified address).")
