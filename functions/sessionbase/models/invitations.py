"""Invitations (DESIGN.md §2): a coach's to an athlete, which accepting turns into a link, and a
group owner's to a person, which accepting turns into a membership (issue 21)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field

from sessionbase.models.base import Input, Output, Part, Record
from sessionbase.models.fields import Email


class InvitationStatus(StrEnum):
    """What an invitation's stored status can be (``expired`` is computed when read)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    DECLINED = "declined"  # the invitee said no (the coach may invite them anew)
    ENDED = "ended"  # accepted, then the link it made was ended (either party may invite anew)


class InvitationKind(StrEnum):
    """What accepting an invitation makes. Stored only on group invitations: a document without
    ``kind`` is a coach's (all of them before group invitations existed)."""

    COACH = "coach"  # a coach–athlete link
    GROUP = "group"  # a membership of ``groupId``


class InvitationCreate(Input):
    """Body of ``POST /api/invitations``."""

    athleteEmail: Email


class InvitationListQuery(Input):
    """Query of ``GET /api/invitations`` (the callable's data): ``for=me`` lists only the
    caller's inbox, the pending invitations addressed to them; without it, sent and received."""

    model_config = ConfigDict(populate_by_name=True)

    for_: Literal["me"] | None = Field(default=None, alias="for")


class InvitationFields(Part):
    """The fields of an invitation document.

    A group invitation names its sender in the ``coach*`` fields (the group's owner or an admin)
    and its invitee by ``athleteEmail`` (a verified address accepts) or by ``inviteeId`` (that
    account accepts), so the sent and received lists and the rules read both kinds alike.
    """

    kind: InvitationKind = InvitationKind.COACH
    coachId: str
    coachEmail: str | None = None
    coachName: str | None = None
    athleteEmail: str | None = None
    inviteeId: str | None = None
    groupId: str | None = None
    groupName: str | None = None
    createdAt: dt.datetime
    expiresAt: dt.datetime
    acceptedAt: dt.datetime | None = None
    revokedAt: dt.datetime | None = None
    declinedAt: dt.datetime | None = None
    resentAt: dt.datetime | None = None  # the latest resend (it set ``expiresAt`` anew)
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
    # The name the athlete accepted with (their token's, else their address's local part): the
    # coach's athlete list names them with it, and a session made for them takes it.
    athleteName: str | None = None
    createdAt: dt.datetime
    invitationId: str


class InvitationCreated(Output):
    """``POST /api/invitations``."""

    invitationId: str


class InvitationList(Output):
    """``GET /api/invitations``: sent (coach) or received (verified e-mail), newest first;
    ``?for=me``: the caller's pending ones, each naming its coach as their profile does."""

    invitations: list[InvitationPublic]


class InvitationAccepted(Output):
    """``POST /api/invitations/{id}/accept``: a coach's invitation links the two (``coachId`` and
    ``athleteId``, ``linkedSessions`` made theirs); a group invitation makes the caller a member
    of ``groupId`` (``coachId``: who invited; ``linkedSessions`` 0)."""

    invitationId: str
    status: Literal["accepted"]
    kind: InvitationKind = InvitationKind.COACH
    groupId: str | None = None
    coachId: str
    athleteId: str
    linkedSessions: int


class InvitationRevoked(Output):
    """``POST /api/invitations/{id}/revoke``."""

    invitationId: str
    status: Literal["revoked"]


class InvitationDeclined(Output):
    """``POST /api/invitations/{id}/decline``."""

    invitationId: str
    status: Literal["declined"]


class InvitationResent(Output):
    """``POST /api/invitations/{id}/resend``: the same invitation, pending until ``expiresAt``."""

    invitationId: str
    status: Literal["pending"]
    expiresAt: dt.datetime


class LinkEnded(Output):
    """``DELETE /api/links/{coachId}_{athleteId}``: the link is gone; the sessions stay."""

    linkId: str
    coachId: str
    athleteId: str
    ended: Literal[True]
