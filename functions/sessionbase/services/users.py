"""Roles (DESIGN.md §2): an admin grants or removes one; it applies at once."""

from __future__ import annotations

from datetime import datetime

from sessionbase.domain import policy
from sessionbase.errors import NotFound
from sessionbase.models.identity import Role
from sessionbase.models.users import RoleChange, RoleChanged
from sessionbase.services.context import Context
from sessionbase.store.work import Store


def set_role(ctx: Context, body: RoleChange, *, uid: str) -> RoleChanged:
    """``POST /api/users/{uid}/role`` (admin): the claim set, earlier sign-ins revoked."""
    policy.require_role_changer(ctx.caller, uid)
    return apply_role(ctx.store, uid, body.role, by=ctx.caller.uid, now=ctx.now)


def apply_role(store: Store, uid: str, role: Role | None, *, by: str, now: datetime) -> RoleChanged:
    """Give ``uid`` the role (None: no role) and revoke their tokens; also the bootstrap
    command's way to make the first admin (scripts/grant_role.py)."""
    value = None if role is None else role.value
    user = store.users.set_role(uid, value)
    if user is None:
        raise NotFound("No such user.")
    store.write(lambda unit: unit.users.write_profile(user, role=value, by=by, now=now))
    return RoleChanged(uid=uid, role=role, tokensRevokedAt=now)
