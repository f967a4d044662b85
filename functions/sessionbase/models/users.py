"""User profiles (``users/{uid}``) and role changes (DESIGN.md §2)."""

from __future__ import annotations

import datetime as dt

from sessionbase.models.base import Input, Output, Record
from sessionbase.models.identity import Role


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


class RoleChange(Input):
    """Body of ``POST /api/users/{uid}/role``: the new role, or null for none (an athlete)."""

    role: Role | None


class RoleChanged(Output):
    """The role a user has now; their earlier sign-ins stop working at ``tokensRevokedAt``."""

    uid: str
    role: Role | None
    tokensRevokedAt: dt.datetime
