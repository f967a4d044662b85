"""Firebase Auth users, looked up by uid or e-mail (the Admin SDK; emulator-aware)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class UserInfo:
    """What a group's roster shows of a user."""

    uid: str
    email: str | None
    name: str | None


def find_user(*, uid: str | None = None, email: str | None = None) -> UserInfo | None:
    """The Auth user with this uid or e-mail, or None if there is none (or it is disabled)."""
    from firebase_admin import auth

    try:
        user = auth.get_user(uid) if uid is not None else auth.get_user_by_email(email or "")
    except (auth.UserNotFoundError, ValueError):
        return None
    if user.disabled:
        return None
    return UserInfo(
        uid=user.uid, email=(user.email or "").lower() or None, name=user.display_name or None
    )
