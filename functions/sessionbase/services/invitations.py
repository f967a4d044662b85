"""Invitations: a coach's by e-mail (accepting links the coach's sessions), a group owner's
(accepting makes a member; sent by ``services/groups.invite_member``), decline, resend, revoke;
the invitee's inbox; and ending the link an accepted coach's invitation made.

Each change tells the people it concerns (services/notifications.py) after it commits: a new or
resent invitation its invitee, an answer the inviting coach.
"""

from __future__ import annotations

from sessionbase import settings
from sessionbase.domain import invitations as decide
from sessionbase.domain import notifications as events
from sessionbase.domain import policy
from sessionbase.models.fields import is_document_id
from sessionbase.models.identity import Role
from sessionbase.models.invitations import (
    InvitationAccepted,
    InvitationCreate,
    InvitationCreated,
    InvitationDeclined,
    InvitationKind,
    InvitationList,
    InvitationListQuery,
    InvitationRecord,
    InvitationResent,
    InvitationRevoked,
    LinkEnded,
)
from sessionbase.services import notifications
from sessionbase.services.context import Context
from sessionbase.store.keys import invitation_id as invitation_key
from sessionbase.store.keys import is_invitation_id
from sessionbase.store.work import Store

# Invitations ``GET /api/invitations`` lists (each of its queries reads at most this many).
LIST_LIMIT = 100


def create_invitation(ctx: Context, body: InvitationCreate) -> InvitationCreated:
    """``POST /api/invitations``: a coach invites an athlete by e-mail (one slot per pair)."""
    policy.require_coach(ctx.caller)
    invitation_id = invitation_key(ctx.caller.uid, body.athleteEmail)

    def invite(unit: Store) -> InvitationRecord:
        current = unit.invitations.get(invitation_id)
        invitation = decide.new_invitation(
            ctx.caller, body, current, ctx.now, lifetime=settings.invitation_lifetime()
        )
        unit.invitations.put(invitation_id, invitation)
        return invitation

    tell_invitee(ctx, invitation_id, ctx.store.transaction(invite))
    return InvitationCreated(invitationId=invitation_id)


def tell_invitee(ctx: Context, invitation_id: str, invitation: InvitationRecord) -> None:
    """A new or resent invitation to its invitee: the account a group's names by uid, else the
    account whose verified address it is, else mailed to the address (no account, or one that
    has not verified it). A uid with no account is told nothing."""
    account = None
    if invitation.inviteeId is not None:
        found = ctx.store.users.find(uid=invitation.inviteeId)
        if found is None:
            return
        account = found.uid
    elif invitation.athleteEmail:
        found = ctx.store.users.find(email=invitation.athleteEmail)
        account = found.uid if found is not None and found.email_verified else None
    profile = ctx.store.users.profile(account) if account else None
    sender = invitation.coachName or ctx.caller.display_name
    event = events.invitation_received(
        invitation_id,
        invitation,
        account=account,
        sender=notifications.name_of(ctx.store, invitation.coachId, sender),
        group=invitation.groupName,
        expires=events.day(invitation.expiresAt, profile.timezone if profile else None),
    )
    notifications.deliver(ctx.store, event, ctx.now)


def _tell_sender(ctx: Context, invitation_id: str, invitation: InvitationRecord) -> None:
    """An invitation's answer to the coach (or group owner) who sent it."""
    person = notifications.name_of(ctx.store, ctx.caller.uid, ctx.caller.display_name)
    event = events.invitation_answered(
        invitation_id, invitation, person=person, group=invitation.groupName
    )
    notifications.deliver(ctx.store, event, ctx.now)


def accept_invitation(ctx: Context, *, invitation_id: str) -> InvitationAccepted:
    """``POST /api/invitations/{id}/accept``: a coach's invitation links the coach and every
    session made pending for the caller's address; a group invitation makes the caller a member.
    Each atomically, in one transaction that reads the invitation (so an accept delivered twice
    finds it accepted the second time: 409, counted once)."""
    if not is_invitation_id(invitation_id):
        raise decide.no_invitation()

    def accept(unit: Store) -> tuple[InvitationAccepted, InvitationRecord]:
        current = unit.invitations.get(invitation_id)
        if current is not None and current.kind == InvitationKind.GROUP:
            return _join(ctx, unit, invitation_id, current)
        invitation, link = decide.accepted(ctx.caller, invitation_id, current, ctx.now)
        pending = unit.sessions.pending_for(
            coach_id=invitation.coachId, athlete_email=invitation.athleteEmail or ""
        )
        unit.invitations.put(invitation_id, invitation)
        unit.relations.put_link(link)
        unit.sessions.assign_athlete(pending, athlete_id=ctx.caller.uid, now=ctx.now)
        answer = InvitationAccepted(
            invitationId=invitation_id,
            status="accepted",
            coachId=link.coachId,
            athleteId=link.athleteId,
            linkedSessions=len(pending),
        )
        return answer, invitation

    answer, invitation = ctx.store.transaction(accept)
    _tell_sender(ctx, invitation_id, invitation)
    return answer


def _join(
    ctx: Context, unit: Store, invitation_id: str, current: InvitationRecord
) -> tuple[InvitationAccepted, InvitationRecord]:
    """Accept a group invitation inside the unit: the member document and the count, once."""
    group_id = current.groupId or ""
    member = unit.groups.member(group_id, ctx.caller.uid) if group_id else None
    invitation, joining = decide.joined(ctx.caller, current, member, ctx.now)
    unit.invitations.put(invitation_id, invitation)
    if joining is not None:
        unit.groups.add_member(group_id, joining)
        unit.groups.count_members(group_id, +1, ctx.now)
    answer = InvitationAccepted(
        invitationId=invitation_id,
        status="accepted",
        kind=InvitationKind.GROUP,
        groupId=group_id,
        coachId=invitation.coachId,
        athleteId=ctx.caller.uid,
        linkedSessions=0,
    )
    return answer, invitation


def decline_invitation(ctx: Context, *, invitation_id: str) -> InvitationDeclined:
    """``POST /api/invitations/{id}/decline``: the invited person says no; its coach then reads
    it ``declined``. Refused as accepting is (anyone else: 404; answered already: 409)."""
    if not is_invitation_id(invitation_id):
        raise decide.no_invitation()

    def decline(unit: Store) -> InvitationRecord:
        invitation = decide.declined(ctx.caller, unit.invitations.get(invitation_id), ctx.now)
        unit.invitations.put(invitation_id, invitation)
        return invitation

    _tell_sender(ctx, invitation_id, ctx.store.transaction(decline))
    return InvitationDeclined(invitationId=invitation_id, status="declined")


def resend_invitation(ctx: Context, *, invitation_id: str) -> InvitationResent:
    """``POST /api/invitations/{id}/resend``: its coach (or an admin) opens a pending or lapsed
    invitation again, from now for the invitation lifetime; the same invitation, the same id."""
    if not is_invitation_id(invitation_id):
        raise decide.no_invitation()
    lifetime = settings.invitation_lifetime()

    def resend(unit: Store) -> InvitationRecord:
        current = unit.invitations.get(invitation_id)
        invitation = decide.resent(ctx.caller, current, ctx.now, lifetime=lifetime)
        unit.invitations.put(invitation_id, invitation)
        return invitation

    invitation = ctx.store.transaction(resend)
    tell_invitee(ctx, invitation_id, invitation)
    return InvitationResent(
        invitationId=invitation_id, status="pending", expiresAt=invitation.expiresAt
    )


def revoke_invitation(ctx: Context, *, invitation_id: str) -> InvitationRevoked:
    """``POST /api/invitations/{id}/revoke``: the inviting coach (or an admin) withdraws it."""
    if not is_invitation_id(invitation_id):
        raise decide.no_invitation()

    def revoke(unit: Store) -> None:
        current = unit.invitations.get(invitation_id)
        unit.invitations.put(invitation_id, decide.revoked(ctx.caller, current, ctx.now))

    ctx.store.transaction(revoke)
    return InvitationRevoked(invitationId=invitation_id, status="revoked")


def end_link(ctx: Context, *, link_id: str) -> LinkEnded:
    """``DELETE /api/links/{coachId}_{athleteId}``: either party (or an admin) ends the link.

    One transaction deletes the link and marks the invitation that made it ``ended``: from the
    commit on, the API and the rules (which check ``links/{id}`` on every read) refuse whatever
    the link gave, and the coach may invite the athlete again. Sessions are not touched.
    """
    if not is_document_id(link_id):
        raise decide.no_link()

    def end(unit: Store) -> LinkEnded:
        link = unit.relations.link_at(link_id)
        made_by = link.invitationId if link and is_document_id(link.invitationId) else None
        invitation = unit.invitations.get(made_by) if made_by else None
        ended = decide.ended_link(ctx.caller, link, invitation, ctx.now)
        assert link is not None  # ended_link refused a missing one
        unit.relations.delete_link(link_id)
        if ended is not None and made_by:
            unit.invitations.put(made_by, ended)
        return LinkEnded(linkId=link_id, coachId=link.coachId, athleteId=link.athleteId, ended=True)

    return ctx.store.transaction(end)


def list_invitations(ctx: Context, query: InvitationListQuery) -> InvitationList:
    """``GET /api/invitations``: those the caller sent (coaches and admins: to athletes and to
    groups) and those they received (by verified e-mail, or by uid), newest first; ``?for=me``:
    only the invitations waiting for the caller's answer, each naming its coach."""
    if query.for_ == "me":
        return _inbox(ctx)
    uid = ctx.caller.uid
    rows: dict[str, InvitationRecord] = {}
    if ctx.caller.role is not Role.ATHLETE:
        rows.update(ctx.store.invitations.where(field="coachId", value=uid, limit=LIST_LIMIT))
    if address := policy.received_invitations_address(ctx.caller):
        rows.update(
            ctx.store.invitations.where(field="athleteEmail", value=address, limit=LIST_LIMIT)
        )
    rows.update(ctx.store.invitations.where(field="inviteeId", value=uid, limit=LIST_LIMIT))
    newest = sorted(rows.items(), key=lambda row: row[1].createdAt, reverse=True)
    return InvitationList(
        invitations=[
            decide.public(iid, invitation, ctx.now) for iid, invitation in newest[:LIST_LIMIT]
        ]
    )


def _inbox(ctx: Context) -> InvitationList:
    """The pending invitations addressed to the caller (their verified e-mail; a group's by uid
    also), newest first, each naming its coach by their profile's ``displayName`` if they have
    one, else by the name it was sent with."""
    uid = ctx.caller.uid
    rows: dict[str, InvitationRecord] = {}
    if address := policy.received_invitations_address(ctx.caller):
        rows.update(
            ctx.store.invitations.where(field="athleteEmail", value=address, limit=LIST_LIMIT)
        )
    rows.update(ctx.store.invitations.where(field="inviteeId", value=uid, limit=LIST_LIMIT))
    waiting = [
        (iid, invitation)
        for iid, invitation in rows.items()
        if decide.in_inbox(ctx.caller, invitation, ctx.now)
    ]
    newest = sorted(waiting, key=lambda row: row[1].createdAt, reverse=True)[:LIST_LIMIT]
    names = ctx.store.users.display_names({invitation.coachId for _, invitation in newest})
    return InvitationList(
        invitations=[
            decide.public(iid, invitation, ctx.now, coach_name=names.get(invitation.coachId))
            for iid, invitation in newest
        ]
    )
