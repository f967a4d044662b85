"""User profiles (``users/{uid}``) and role changes (DESIGN.md §2)."""

from __future__ import annotations

import datetime as dt

from sessionbase.models.base import Input, Output
from sessionbase.models.identity import Role


class RoleChange(Input):
    """Body of ``POST /api/users/{uid}/role``: the new role, or null for none (an athlete)."""

    role: Role | None


class RoleChanged(Output):
    """The role a user has now; their earlier sign-ins stop working at ``tokensRevokedAt``."""

    uid: str
    role: Role | None
    tokensRevokedAt: dt.datetime
