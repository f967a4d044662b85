"""Notifications (DESIGN.md §7 "People"): the in-app inbox ``users/{uid}/notifications/{key}``,
the preferences a profile keeps per kind and channel, and the devices push goes to."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

from sessionbase.models.base import Input, Output, Record
from sessionbase.models.fields import Id, QueryInt


class Kind(StrEnum):
    """What happened; also the key of its preferences (``users/{uid}.notifications``)."""

    INVITATION_RECEIVED = "invitationReceived"
    INVITATION_ACCEPTED = "invitationAccepted"
    INVITATION_DECLINED = "invitationDeclined"
    ANALYSIS_COMPLETED = "analysisCompleted"
    ANALYSIS_FAILED = "analysisFailed"
    COMMENT_ADDED = "commentAdded"
    CLASS_STARTED = "classStarted"
    MARKED_ABSENT = "markedAbsent"
    SESSION_COMPLETED = "sessionCompleted"
    ROLE_CHANGED = "roleChanged"
    EXPORT_READY = "exportReady"


class Channel(StrEnum):
    """Where a notification goes besides the in-app inbox (always on)."""

    EMAIL = "email"
    PUSH = "push"


# What a person gets when they have not chosen: e-mail for each kind but those that come in
# numbers (a class starting, a discussion), push for every kind (sent only to registered devices).
DEFAULTS: dict[Kind, dict[Channel, bool]] = {
    kind: {
        Channel.EMAIL: kind not in (Kind.CLASS_STARTED, Kind.COMMENT_ADDED),
        Channel.PUSH: True,
    }
    for kind in Kind
}


class ChannelChoice(Input):
    """One kind's channels; a channel left out keeps its default."""

    email: bool | None = None
    push: bool | None = None


class Preferences(Input):
    """``notifications`` of ``PUT /api/users/me``: the choices per kind (an unknown kind or
    channel is refused, naming it). Replaces the stored choices as a whole."""

    invitationReceived: ChannelChoice | None = None
    invitationAccepted: ChannelChoice | None = None
    invitationDeclined: ChannelChoice | None = None
    analysisCompleted: ChannelChoice | None = None
    analysisFailed: ChannelChoice | None = None
    commentAdded: ChannelChoice | None = None
    classStarted: ChannelChoice | None = None
    markedAbsent: ChannelChoice | None = None
    sessionCompleted: ChannelChoice | None = None
    roleChanged: ChannelChoice | None = None
    exportReady: ChannelChoice | None = None

    def stored(self) -> dict[str, dict[str, bool]]:
        """The choices to store: only what was chosen."""
        return {
            kind: {channel: on for channel, on in choice.items() if on is not None}
            for kind, choice in self.model_dump().items()
            if choice is not None
        }


class NotificationRecord(Record):
    """``users/{uid}/notifications/{eventKey}``; ``readAt`` null while unread."""

    kind: str
    title: str
    body: str
    link: str
    createdAt: dt.datetime
    readAt: dt.datetime | None = None


class NotificationPublic(Output):
    """One notification as its person reads it; ``id`` is its event key."""

    id: str
    kind: str
    title: str
    body: str
    link: str
    createdAt: dt.datetime
    readAt: dt.datetime | None


class NotificationListQuery(Input):
    """Query of ``GET /api/notifications``."""

    limit: QueryInt = Field(default=20, ge=1, le=100)
    cursor: Annotated[str, StringConstraints(max_length=1000)] | None = None


class NotificationList(Output):
    """One page of the caller's notifications, newest first; ``unread`` counts all of them."""

    notifications: list[NotificationPublic]
    unread: int
    nextCursor: str | None


class NotificationsRead(Input):
    """Body of ``POST /api/notifications/read``: some of the caller's notifications, or all."""

    ids: Annotated[list[Id], Field(min_length=1, max_length=100)] | None = None
    all: bool | None = None  # a JSON true (strict: not 1, not "true")

    @field_validator("all")
    @classmethod
    def _only_true(cls, value: bool | None) -> bool | None:
        if value is False:
            raise ValueError("only true (to mark every one read), or leave it out")
        return value

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.ids is None) == (self.all is None):
            raise ValueError("send either ids or all: true")
        return self


class NotificationsMarked(Output):
    """How many notifications this call marked read, and how many are unread now."""

    read: int
    unread: int


# An FCM registration token: base64url characters and colons (what getToken() returns).
DeviceToken = Annotated[
    str, StringConstraints(min_length=20, max_length=4096, pattern=r"^[A-Za-z0-9_:-]+$")
]


class DeviceRegister(Input):
    """Body of ``POST /api/users/me/devices``: a web-push registration token."""

    token: DeviceToken


class DeviceRegistered(Output):
    """The device's id (the same token always gets the same id)."""

    deviceId: str


class DeviceRemoved(Output):
    """``DELETE /api/users/me/devices/{deviceId}``."""

    deviceId: str
    removed: bool


class DeviceRecord(Record):
    """``users/{uid}/devices/{deviceId}``."""

    token: str
    createdAt: dt.datetime
