"""Firebase Auth users, looked up by uid or e-mail (the Admin SDK; emulator-aware), and their
profiles in ``users/{uid}``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sessionbase.store.work import Repository

PROFILES = "users"


@dataclass(frozen=True, kw_only=True)
class UserInfo:
    """What a group's roster shows of a user."""

    uid: str
    email: str | None
    name: str | None


class Users(Repository):
    """Auth users (looked up and given roles at once: Auth has no unit of work) and the
    profiles that record their roles (written inside a unit of work)."""

    def find(self, *, uid: str | None = None, email: str | None = None) -> UserInfo | None:
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

    def set_role(self, uid: str, role: str | None) -> UserInfo | None:
        """Set (or remove) the ``role`` claim and revoke the user's refresh tokens, so that no
        token issued before the change is accepted any more; None if there is no such user."""
        from firebase_admin import auth

        try:
            user = auth.get_user(uid)
        except (auth.UserNotFoundError, ValueError):
            return None
        claims: dict[str, Any] = {
            k: v for k, v in (user.custom_claims or {}).items() if k != "role"
        }
        if role is not None:
            claims["role"] = role
        auth.set_custom_user_claims(uid, claims or None)
        auth.revoke_refresh_tokens(uid)
        return UserInfo(
            uid=user.uid, email=(user.email or "").lower() or None, name=user.display_name or None
        )

    def write_profile(self, user: UserInfo, *, role: str | None, by: str, now: datetime) -> None:
        """``users/{uid}``: the role a user has, and who gave it (other fields are kept)."""
        self._writes.set(
            self._collection(PROFILES).document(user.uid),
            {
                "role": role,
                "email": user.email,
                "displayName": user.name,
                "roleChangedAt": now,
                "roleChangedBy": by,
            },
            merge=True,
        )
