"""Profiles (DESIGN.md §7 "People"): ``GET``/``PUT /api/users/me``, the caller's own
``users/{uid}``, made on the first authenticated use (docs/decisions.md, "People: profiles").

A change of ``timezone`` needs nothing more here: the write fires ``recount_on_timezone_change``
(handlers/triggers.py), which recounts the person's statistics in the new zone.
"""

from __future__ import annotations

from typing import Any

from sessionbase.domain import profiles
from sessionbase.models.users import Profile, ProfileUpdate, UserRecord
from sessionbase.services.context import Context
from sessionbase.store.work import Store


def get_my_profile(ctx: Context) -> Profile:
    """The caller's profile (made on first use)."""
    return profiles.view(_written(ctx, None), ctx.caller)


def update_my_profile(ctx: Context, body: ProfileUpdate) -> Profile:
    """Change the caller's name, time zone, locale, photo or notification preferences.

    A new name is also given to the Auth account, so the ID tokens issued after it carry it
    (``name``): what the caller then creates names them by it (a session's ``coachName``, a
    group's ``ownerName``) instead of their e-mail's local part."""
    written = _written(ctx, body)
    if body.displayName is not None and body.displayName != ctx.caller.name:
        ctx.store.users.set_account_name(ctx.caller.uid, body.displayName)
    return profiles.view(written, ctx.caller)


def _written(ctx: Context, body: ProfileUpdate | None) -> UserRecord:
    """The profile after making it (first use), mirroring Auth's e-mail and applying ``body``;
    read without a transaction when there is nothing to write (every later GET)."""
    uid, caller, now = ctx.caller.uid, ctx.caller, ctx.now

    def fields(found: UserRecord | None) -> dict[str, Any]:
        sent = {} if body is None else profiles.changes(body, found)
        return profiles.opening(found, caller, now) | sent

    found = ctx.store.users.profile(uid)
    if found is not None and not fields(found):
        return found

    def write(unit: Store) -> UserRecord:
        current = unit.users.profile(uid)
        changed = fields(current)
        if changed:
            unit.users.merge_profile(uid, changed)
        return (current or UserRecord()).changed(**changed)

    return ctx.store.transaction(write)
