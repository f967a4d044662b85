"""Roles (DESIGN.md §2): an admin grants or removes one; it applies at once."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sessionbase.errors import FailedPrecondition, NotFound, PermissionDenied
from sessionbase.models.identity import Role
from sessionbase.models.users import RoleChange, RoleChanged
from sessionbase.services.context import Context
from sessionbase.store import users as store

if TYPE_CHECKING:
    from google.cloud.firestore import Client


def set_role(ctx: Context, body: RoleChange, *, uid: str) -> RoleChanged:
    """``POST /api/users/{uid}/role`` (admin): the claim set, earlier sign-ins revoked."""
    if not ctx.caller.is_admin:
        raise PermissionDenied("Only admins change roles.")
    if uid == ctx.caller.uid:
        raise FailedPrecondition("Admins do not change their own role: ask another admin.")
    return apply_role(ctx.db, uid, body.role, by=ctx.caller.uid, now=ctx.now)


def apply_role(db: Client, uid: str, role: Role | None, *, by: str, now: datetime) -> RoleChanged:
    """Give ``uid`` the role (None: no role) and revoke their tokens; also the bootstrap
    command's way to make the first admin (scripts/grant_role.py)."""
    user = store.set_role(uid, None if role is None else role.value)
    if user is None:
        raise NotFound("No such user.")
    store.write_profile(db, user, role=None if role is None else role.value, by=by, now=now)
    return RoleChanged(uid=uid, role=role, tokensRevokedAt=now)
