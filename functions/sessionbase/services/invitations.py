"""Coach–athlete invitations: invite by e-mail, accept (links sessions), revoke; 7-day expiry."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sessionbase.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied
from sessionbase.models.identity import Caller, Role
from sessionbase.models.invitations import InvitationCreate
from sessionbase.models.sessions import to_public
from sessionbase.models.validation import parse
from sessionbase.store import invitations as store
from sessionbase.store.keys import invitation_id as invitation_key
from sessionbase.store.keys import is_invitation_id

if TYPE_CHECKING:
    from google.cloud.firestore import Client

INVITATION_LIFETIME = timedelta(days=7)


def invite(*, db: Client, caller: Caller, body: Any, now: datetime) -> dict:
    """A coach invites an athlete by e-mail; returns ``{invitationId}``."""
    create = parse(InvitationCreate, body)
    if caller.role is not Role.COACH:
        raise PermissionDenied("Only coaches invite athletes.")
    if create.athleteEmail == caller.email:
        raise FailedPrecondition("You cannot invite yourself.")
    invitation_id = invitation_key(caller.uid, create.athleteEmail)

    def decide(current: dict | None) -> dict:
        if current and current["status"] == "accepted":  # the two are linked already
            raise AlreadyExists("This athlete has already accepted your invitation.")
        if current and current["status"] == "pending" and not _expired(current, now):
            raise AlreadyExists("You have already invited this athlete; the invitation is pending.")
        return {
            "coachId": caller.uid,
            "coachEmail": caller.email,
            "coachName": caller.display_name,
            "athleteEmail": create.athleteEmail,
            "status": "pending",
            "createdAt": now,
            "expiresAt": now + INVITATION_LIFETIME,
            "acceptedAt": None,
            "athleteId": None,
        }

    store.put_invitation(db, invitation_id=invitation_id, decide=decide)
    return {"invitationId": invitation_id}


def accept(*, db: Client, caller: Caller, invitation_id: str, now: datetime) -> dict:
    """The invited person accepts: the link is made and the coach's sessions for them are linked."""

    if not is_invitation_id(invitation_id):
        raise _no_invitation()

    def check(current: dict | None) -> None:
        # Someone else's invitation, or one for an address the caller has not verified, does not
        # exist for them: the answer is the same as for a wrong id.
        if current is None or current["athleteEmail"] != caller.email or not caller.email_verified:
            raise _no_invitation()
        if current["status"] == "accepted":
            raise AlreadyExists("You have already accepted this invitation.")
        if current["status"] == "revoked":
            raise FailedPrecondition("This invitation was revoked by the coach.")
        if _expired(current, now):
            raise FailedPrecondition("This invitation has expired; ask the coach for a new one.")

    def accepted(current: dict) -> tuple[dict, dict]:
        update = {"status": "accepted", "acceptedAt": now, "athleteId": caller.uid}
        link = {
            "coachId": current["coachId"],
            "athleteId": caller.uid,
            "coachEmail": current["coachEmail"],
            "athleteEmail": caller.email,
            "createdAt": now,
            "invitationId": invitation_id,
        }
        return update, link

    link, linked_sessions = store.accept(
        db,
        invitation_id=invitation_id,
        check=check,
        accepted=accepted,
        session_changes={"athleteId": caller.uid, "updatedAt": now},
    )
    return {
        "invitationId": invitation_id,
        "status": "accepted",
        "coachId": link["coachId"],
        "athleteId": caller.uid,
        "linkedSessions": linked_sessions,
    }


def revoke(*, db: Client, caller: Caller, invitation_id: str, now: datetime) -> dict:
    """The inviting coach (or an admin) withdraws a pending invitation."""
    if not is_invitation_id(invitation_id):
        raise _no_invitation()

    def decide(current: dict | None) -> dict:
        if current is None or not (caller.is_admin or current["coachId"] == caller.uid):
            raise _no_invitation()
        if current["status"] != "pending":
            raise FailedPrecondition(
                f"Only a pending invitation can be revoked; this one is {current['status']}."
            )
        return {**current, "status": "revoked", "revokedAt": now}

    store.put_invitation(db, invitation_id=invitation_id, decide=decide)
    return {"invitationId": invitation_id, "status": "revoked"}


def list_mine(*, db: Client, caller: Caller, now: datetime) -> dict:
    """Invitations the caller sent (coach) or received (by verified e-mail)."""
    if caller.role is Role.COACH:
        rows = store.list_invitations(db, field="coachId", value=caller.uid)
    elif caller.email and caller.email_verified:
        rows = store.list_invitations(db, field="athleteEmail", value=caller.email)
    else:
        rows = []
    return {
        "invitations": [
            {"invitationId": iid, **to_public(_with_expiry(data, now))} for iid, data in rows
        ]
    }


def _no_invitation() -> NotFound:
    return NotFound("Invitation not found (invitations are accepted from a verified address).")


def _expired(invitation: dict, now: datetime) -> bool:
    return invitation["status"] == "pending" and invitation["expiresAt"] <= now


def _with_expiry(invitation: dict, now: datetime) -> dict:
    """Report a lapsed pending invitation as expired (its stored status stays pending)."""
    return {**invitation, "status": "expired"} if _expired(invitation, now) else invitation
