"""Coach–athlete invitations and the links accepting them makes (DESIGN.md §2)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from sessionbase.models.base import Input, Output, Part, Record
from sessionbase.models.fields import Email


class InvitationStatus(StrEnum):
    """What an invitation's stored status can be (``expired`` is computed when read)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    ENDED = "ended"  # accepted, then the link it made was ended (either party may invite anew)


class InvitationCreate(Input):
    """Body of ``POST /api/invitations``."""

    athleteEmail: Email


class InvitationFields(Part):
    """The fields of an invitation document."""

    coachId: str
    coachEmail: str | None = None
    coachName: str | None = None
    athleteEmail: str
    createdAt: dt.datetime
    expiresAt: dt.datetime
    acceptedAt: dt.datetime | None = None
    revokedAt: dt.datetime | None = None
    endedAt: dt.datetime | None = None
    athleteId: str | None = None


class InvitationRecord(InvitationFields, Record):
    """``invitations/{id}`` as stored."""

    status: InvitationStatus


class InvitationPublic(InvitationFields, Output):
    """An invitation as a client reads it; a lapsed pending one reads as ``expired``."""

    invitationId: str
    status: InvitationStatus | Literal["expired"]


class LinkRecord(Record):
    """``links/{coachId}_{athleteId}``: made only by accepting an invitation."""

    coachId: str
    athleteId: str
    coachEmail: str | None = None
    athleteEmail: str | None = None
    createdAt: dt.datetime
    invitationId: str


class InvitationCreated(Output):
    """``POST /api/invitations``."""

    invitationId: str


class InvitationList(Output):
    """``GET /api/invitations``: sent (coach) or received (verified e-mail), newest first."""

    invitations: list[InvitationPublic]


class InvitationAccepted(Output):
    """``POST /api/invitations/{id}/accept``."""

    invitationId: str
    status: Literal["accepted"]
    coachId: str
    athleteId: str
    linkedSessions: int


class InvitationRevoked(Output):
    """``POST /api/invitations/{id}/revoke``."""

    invitationId: str
    status: Literal["revoked"]


class LinkEnded(Output):
    """``DELETE /api/links/{coachId}_{athleteId}``: the link is gone; the sessions stay."""

    linkId: str
    coachId: str
    athleteId: str
    ended: Literal[True]
