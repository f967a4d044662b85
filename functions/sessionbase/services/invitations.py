"""Coach–athlete invitations: invite by e-mail, accept (links the coach's sessions), revoke."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sessionbase.domain import invitations as decide
from sessionbase.domain import policy
from sessionbase.models.identity import Role
from sessionbase.models.invitations import (
    InvitationAccepted,
    InvitationCreate,
    InvitationCreated,
    InvitationList,
    InvitationRevoked,
)
from sessionbase.services.context import Context
from sessionbase.store import invitations as store
from sessionbase.store import relations
from sessionbase.store import sessions as session_store
from sessionbase.store.client import run_transaction
from sessionbase.store.keys import invitation_id as invitation_key
from sessionbase.store.keys import is_invitation_id

if TYPE_CHECKING:
    from google.cloud.firestore import Transaction


def create_invitation(ctx: Context, body: InvitationCreate) -> InvitationCreated:
    """``POST /api/invitations``: a coach invites an athlete by e-mail (one slot per pair)."""
    policy.require_coach(ctx.caller)
    invitation_id = invitation_key(ctx.caller.uid, body.athleteEmail)

    def invite(transaction: Transaction) -> None:
        current = store.get(ctx.db, invitation_id, transaction=transaction)
        invitation = decide.new_invitation(ctx.caller, body, current, ctx.now)
        store.put(transaction, ctx.db, invitation_id, invitation)

    run_transaction(ctx.db, invite)
    return InvitationCreated(invitationId=invitation_id)


def accept_invitation(ctx: Context, *, invitation_id: str) -> InvitationAccepted:
    """``POST /api/invitations/{id}/accept``: link the coach and every session made pending for
    the caller's address, atomically."""
    if not is_invitation_id(invitation_id):
        raise decide.no_invitation()

    def accept(transaction: Transaction) -> InvitationAccepted:
        current = store.get(ctx.db, invitation_id, transaction=transaction)
        invitation, link = decide.accepted(ctx.caller, invitation_id, current, ctx.now)
        pending = session_store.pending_for(
            ctx.db, transaction, coach_id=invitation.coachId, athlete_email=invitation.athleteEmail
        )
        store.put(transaction, ctx.db, invitation_id, invitation)
        relations.put_link(transaction, ctx.db, link)
        session_store.assign_athlete(
            transaction, ctx.db, pending, athlete_id=ctx.caller.uid, now=ctx.now
        )
        return InvitationAccepted(
            invitationId=invitation_id,
            status="accepted",
            coachId=link.coachId,
            athleteId=link.athleteId,
            linkedSessions=len(pending),
        )

    return run_transaction(ctx.db, accept)


def revoke_invitation(ctx: Context, *, invitation_id: str) -> InvitationRevoked:
    """``POST /api/invitations/{id}/revoke``: the inviting coach (or an admin) withdraws it."""
    if not is_invitation_id(invitation_id):
        raise decide.no_invitation()

    def revoke(transaction: Transaction) -> None:
        current = store.get(ctx.db, invitation_id, transaction=transaction)
        store.put(transaction, ctx.db, invitation_id, decide.revoked(ctx.caller, current, ctx.now))

    run_transaction(ctx.db, revoke)
    return InvitationRevoked(invitationId=invitation_id, status="revoked")


def list_invitations(ctx: Context) -> InvitationList:
    """``GET /api/invitations``: sent (a coach) or received (by verified e-mail), newest first."""
    if ctx.caller.role is Role.COACH:
        rows = store.where(ctx.db, field="coachId", value=ctx.caller.uid)
    elif address := policy.received_invitations_address(ctx.caller):
        rows = store.where(ctx.db, field="athleteEmail", value=address)
    else:
        rows = []
    return InvitationList(
        invitations=[decide.public(iid, invitation, ctx.now) for iid, invitation in rows]
    )
