"""User profiles (``users/{uid}``) and role changes (DESIGN.md §2)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, StringConstraints, field_validator

from sessionbase.models.base import Input, Output, Record
from sessionbase.models.fields import Name, TimeZoneName
from sessionbase.models.identity import Role
from sessionbase.models.notifications import Preferences

# BCP 47-ish: a language (2-3 letters), then up to four subtags (script, region, variant).
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$")
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f<>\"\\]")
PHOTO_URL_MAX = 2048


def _locale(value: str) -> str:
    if not _LOCALE.match(value):
        raise ValueError("not a language tag (such as en or de-DE)")
    return value


def _https_url(value: str) -> str:
    if _URL_UNSAFE.search(value):
        raise ValueError("not a URL (spaces, quotes or control characters)")
    try:
        parts = urlsplit(value)
    except ValueError:
        raise ValueError("not a URL") from None
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("must be an https:// URL")
    return value


Locale = Annotated[str, StringConstraints(max_length=35), AfterValidator(_locale)]
HttpsUrl = Annotated[str, StringConstraints(max_length=PHOTO_URL_MAX), AfterValidator(_https_url)]


class UserRecord(Record):
    """``users/{uid}``, the profile: every field optional, with its default when absent.

    Several hands write it (the role change merges its own fields, the web app or the console a
    time zone), so no reader may assume a field is there; readers that must not fail on a
    malformed one (triggers) read it with ``UserRecord.salvage``, which reads it as absent.
    """

    timezone: str | None = None  # IANA; absent or unknown: UTC (statistics' days)
    role: Role | None = None
    email: str | None = None
    displayName: str | None = None
    roleChangedAt: dt.datetime | None = None
    roleChangedBy: str | None = None
    # Access (services/users.py, domain/roles.py; read by the security rules): one more per
    # change, the account disabled, sign-ins before this (whole seconds) no longer count.
    roleVersion: int = 0
    disabled: bool = False
    revokedAt: dt.datetime | None = None
    # The person's own (PUT /api/users/me: services/profiles.py); createdAt on first use.
    locale: str | None = None
    photoUrl: str | None = None
    notifications: dict[str, Any] | None = None
    createdAt: dt.datetime | None = None


class ProfileUpdate(Input):
    """Body of ``PUT /api/users/me``: what the person may change of their profile; each field
    sent replaces the stored one (``notifications`` as a whole), a field left out is kept.

    ``role`` and ``email`` are not fields (an unknown field is refused): the role operation and
    Auth own them. Only ``photoUrl`` may be null (no photo). ``notifications``: the e-mail and
    push choices per kind (``models/notifications.Preferences``).
    """

    displayName: Name | None = None
    timezone: TimeZoneName | None = None
    locale: Locale | None = None
    photoUrl: HttpsUrl | None = None
    notifications: Preferences | None = None

    @field_validator("displayName", "timezone", "locale", "notifications", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        """A profile always has these: they can be changed, not erased."""
        if value is None:
            raise ValueError("cannot be null")
        return value


class Profile(Output):
    """The caller's profile (``GET``/``PUT /api/users/me``). ``timezone`` is the zone their
    statistics count days in (UTC when none is set); ``role`` the one they act with."""

    uid: str
    email: str | None
    displayName: str | None
    timezone: str
    locale: str | None
    photoUrl: str | None
    role: Role
    # Every kind's channels as they apply (the person's choices, else the defaults).
    notifications: dict[str, dict[str, bool]]
    createdAt: dt.datetime | None


class RoleChange(Input):
    """Body of ``POST /api/users/{uid}/role``: the new role, or null for none (an athlete)."""

    role: Role | None


class RoleChanged(Output):
    """The role a user has now; their earlier sign-ins stop working at ``tokensRevokedAt``."""

    uid: str
    role: Role | None
    tokensRevokedAt: dt.datetime
