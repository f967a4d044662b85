"""A user's standing: the role, the disabled flag and the revocation that ``users/{uid}`` records,
and what a role change, a disable or a revocation makes of it (DESIGN.md §2; issue 20, items 6
and 7).

``users/{uid}`` is the record both sides follow: the security rules read the role and the
revocation time from it, and the Auth claim is set from it after each committed change. Every
change adds one to ``version``, so a claim set from an older version can tell it has been
overtaken (``settled``). Changes refuse to leave the project without an active admin.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sessionbase.errors import FailedPrecondition, Unauthenticated
from sessionbase.models.identity import Role

LAST_ADMIN = "The last admin cannot be demoted or disabled: make another admin first."
# A deletion job past these has disabled the account (its first step) or deleted it.
DELETION_STARTED = frozenset({"running", "done"})


@dataclass(frozen=True, kw_only=True)
class Standing:
    """What ``users/{uid}`` records of a user's access (a user without the document: an athlete
    with no role, never disabled, at version 0)."""

    role: Role | None = None
    disabled: bool = False
    version: int = 0

    @property
    def is_active_admin(self) -> bool:
        """An admin whose account is not disabled: one who counts towards "at least one"."""
        return self.role is Role.ADMIN and not self.disabled

    @classmethod
    def from_document(cls, data: dict[str, Any] | None) -> Standing:
        """The standing a stored document records; fields of the wrong type count as absent."""
        data = data or {}
        role, disabled, version = data.get("role"), data.get("disabled"), data.get("roleVersion")
        return cls(
            role=Role(role) if isinstance(role, str) and role in set(Role) else None,
            disabled=disabled is True,
            version=version if isinstance(version, int) and not isinstance(version, bool) else 0,
        )


def role_changed(current: Standing, role: Role | None, *, other_admins: int) -> Standing:
    """The standing after giving the user ``role`` (None: no role, an athlete).

    ``other_admins`` is how many active admins there are besides this user, read in the same
    transaction; the last active admin is not demoted (FailedPrecondition).
    """
    return _kept_an_admin(current, replace(current, role=role), other_admins)


def access_changed(current: Standing, *, disabled: bool, other_admins: int) -> Standing:
    """The standing after disabling (or enabling) the account; the last active admin is not
    disabled."""
    return _kept_an_admin(current, replace(current, disabled=disabled), other_admins)


def revoked(current: Standing) -> Standing:
    """The standing after revoking the user's sign-ins: the same access, a new version (the
    record's revocation time moves on)."""
    return replace(current, version=current.version + 1)


def settled(applied: int | None, current: Standing) -> bool:
    """Has the account (claim, disabled flag) been set from the record's current version?

    The claim is set after the transaction commits, so two changes can set it in the other
    order; whoever set it re-reads the record, and sets it again while the version moved on.
    The last to set it then set it from the last version.
    """
    return applied == current.version


def _kept_an_admin(before: Standing, after: Standing, other_admins: int) -> Standing:
    if before.is_active_admin and not after.is_active_admin and other_admins < 1:
        raise FailedPrecondition(LAST_ADMIN)
    return replace(after, version=before.version + 1)


@dataclass(frozen=True, kw_only=True)
class Account:
    """What the user's Auth record says, as the API checks it: gone, disabled, the time before
    which sign-ins were revoked (``validSince``, milliseconds), and the ``role`` claim."""

    exists: bool = True
    disabled: bool = False
    valid_since_ms: int | None = None
    role: Role = Role.ATHLETE


def admitted_role(
    *,
    profile: dict[str, Any] | None,
    deletion: dict[str, Any] | None,
    account: Account,
    signed_in: float | None,
) -> Role:
    """The role a request runs as, for a token whose sign-in (``auth_time``, seconds) was at
    ``signed_in``; ``Unauthenticated`` when that sign-in no longer counts.

    Two records decide, and either refuses: ``users/{uid}`` (and the account's deletion job),
    which Sessionbase writes with every role change, disable, revocation and deletion, and the
    Auth record, which the console changes too. The role is the one ``users/{uid}`` records,
    as in the security rules; a user it records none for keeps the claim (an admin made by
    hand).
    """
    if not account.exists or (deletion or {}).get("status") in DELETION_STARTED:
        raise Unauthenticated("This account no longer exists; sign in again.")
    record = Standing.from_document(profile)
    if account.disabled or record.disabled:
        raise Unauthenticated("This account is disabled.")
    revoked_at = (profile or {}).get("revokedAt")
    revoked = max(
        account.valid_since_ms or 0,
        int(revoked_at.timestamp() * 1000) if isinstance(revoked_at, datetime) else 0,
    )
    if revoked and (signed_in is None or signed_in * 1000 < revoked):
        raise Unauthenticated("This sign-in was revoked; sign in again.")
    if profile is not None and "role" in profile:
        return record.role or Role.ATHLETE
    return account.role
