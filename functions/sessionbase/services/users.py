"""Roles and access (DESIGN.md §2): an admin gives a role, or an operator disables or revokes an
account; each applies at once, in the API and in the security rules.

A change is a transaction on ``users/{uid}`` (the record the rules read), which also reads the
other active admins, so no interleaving of changes leaves the project without one; then the
Auth account (the role claim the API reads, the disabled flag, the refresh tokens) is made to
follow the committed record (``settle_account``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sessionbase.domain import notifications as events
from sessionbase.domain import policy, roles
from sessionbase.domain.roles import Standing
from sessionbase.errors import Aborted, NotFound
from sessionbase.models.identity import Role
from sessionbase.models.users import RoleChange, RoleChanged
from sessionbase.services import notifications
from sessionbase.services.context import Context
from sessionbase.store.work import Store

# Times the account is set again while other changes overtake it (each one ends a round).
SETTLE_ROUNDS = 50


def set_role(ctx: Context, body: RoleChange, *, uid: str) -> RoleChanged:
    """``POST /api/users/{uid}/role`` (admin): the role recorded, the claim set, earlier
    sign-ins revoked."""
    policy.require_role_changer(ctx.caller, uid)
    return apply_role(ctx.store, uid, body.role, by=ctx.caller.uid, now=ctx.now, admin=True)


def apply_role(
    store: Store,
    uid: str,
    role: Role | None,
    *,
    by: str,
    now: datetime,
    admin: bool = False,
) -> RoleChanged:
    """Give ``uid`` the role (None: no role) and revoke their sign-ins; also the bootstrap
    command's way to make the first admin (scripts/grant_role.py). With ``admin``, ``by`` must
    still be an active admin when the change commits."""
    standing = _change(
        store,
        uid,
        lambda current, others: roles.role_changed(current, role, other_admins=others),
        by=by,
        now=now,
        admin=admin,
        role_change=True,
    )
    event = events.role_changed(uid, role=(role or Role.ATHLETE).value, version=standing.version)
    notifications.deliver(store, event, now)
    return RoleChanged(uid=uid, role=role, tokensRevokedAt=now)


def set_disabled(store: Store, uid: str, disabled: bool, *, by: str, now: datetime) -> Standing:
    """Disable (or enable again) ``uid``'s account, revoking their sign-ins (the last active
    admin is not disabled); scripts/grant_role.py's ``disable`` / ``enable``."""
    return _change(
        store,
        uid,
        lambda current, others: roles.access_changed(
            current, disabled=disabled, other_admins=others
        ),
        by=by,
        now=now,
    )


def revoke(store: Store, uid: str, *, by: str, now: datetime) -> Standing:
    """Revoke every sign-in of ``uid`` before now (scripts/grant_role.py's ``revoke``)."""
    return _change(store, uid, lambda current, _: roles.revoked(current), by=by, now=now)


def settle_account(store: Store, uid: str) -> None:
    """Make the Auth account follow ``users/{uid}`` as committed; again while changes that
    committed meanwhile overtake it (``roles.settled``), so the claim ends as the last one."""
    applied: int | None = None
    for _ in range(SETTLE_ROUNDS):
        standing = store.users.standing(uid)
        if roles.settled(applied, standing):
            return
        store.users.apply_to_account(uid, standing)
        applied = standing.version
    raise Aborted("Too many concurrent changes to this user's role; retry.")


def _change(
    store: Store,
    uid: str,
    decide: Callable[[Standing, int], Standing],
    *,
    by: str,
    now: datetime,
    admin: bool = False,
    role_change: bool = False,
) -> Standing:
    user = store.users.account(uid)
    if user is None:
        raise NotFound("No such user.")
    revoked_at = now.replace(microsecond=0)  # whole seconds, as Auth's validSince and auth_time

    def body(unit: Store) -> Standing:
        if admin:
            policy.require_admin_standing(unit.users.standing(by))
        current = unit.users.standing(uid)
        others = unit.users.other_active_admins(uid) if current.is_active_admin else 0
        changed = decide(current, others)
        unit.users.record(user, changed, by=by, at=revoked_at, role_change=role_change)
        return changed

    changed = store.transaction(body)
    settle_account(store, uid)
    return changed
