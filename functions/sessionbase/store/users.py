"""Firebase Auth users, looked up by uid or e-mail (the Admin SDK; emulator-aware), and their
profiles in ``users/{uid}``.

The profile's access fields, written only by services/users.py (role changes, disable, revoke),
inside a transaction: ``role`` (``athlete``/``coach``/``admin``, or null: none), ``disabled``,
``roleVersion`` (one more per change), ``revokedAt`` (the time of the latest change, whole
seconds: sign-ins before it no longer count in the security rules), ``roleChangedAt`` /
``roleChangedBy`` (the latest role change) and ``email`` (Auth's).

The person's own fields (``displayName``, ``timezone``, ``locale``, ``photoUrl``,
``notifications``, ``createdAt``), written only by services/profiles.py, also in a transaction;
neither writer names the other's fields, so each merges its own and keeps the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sessionbase.store.work import Repository

if TYPE_CHECKING:
    from sessionbase.domain.roles import Standing
    from sessionbase.models.users import UserRecord

PROFILES = "users"


@dataclass(frozen=True, kw_only=True)
class UserInfo:
    """What a group's roster shows of a user."""

    uid: str
    email: str | None
    name: str | None
    email_verified: bool = False


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
        return _info(user)

    def account(self, uid: str) -> UserInfo | None:
        """The Auth user with this uid, disabled or not; None if there is none."""
        from firebase_admin import auth

        try:
            return _info(auth.get_user(uid))
        except (auth.UserNotFoundError, ValueError):
            return None

    def profile(self, uid: str) -> UserRecord | None:
        """``users/{uid}`` (inside the unit's transaction, if any), None if there is none; a
        malformed field reads as absent (``UserRecord.salvage``)."""
        from sessionbase.models.users import UserRecord

        snapshot = self._read(self._collection(PROFILES).document(uid))
        if not snapshot.exists:
            return None
        found, _ = UserRecord.salvage(snapshot.to_dict())
        return found or UserRecord()

    def merge_profile(self, uid: str, fields: dict[str, Any]) -> None:
        """Stage these fields of ``users/{uid}`` (made if absent; its other fields are kept)."""
        self._writes.set(self._collection(PROFILES).document(uid), fields, merge=True)

    def profiles(self, uids: set[str] | frozenset[str]) -> dict[str, UserRecord]:
        """These people's profiles, in one round trip; a uid without one is left out (a
        malformed field reads as absent)."""
        from sessionbase.models.users import UserRecord

        refs = [self._collection(PROFILES).document(uid) for uid in sorted(uids)]
        found: dict[str, UserRecord] = {}
        for snapshot in self._read_all(refs) if refs else ():
            if snapshot.exists:
                record, _ = UserRecord.salvage(snapshot.to_dict())
                found[snapshot.id] = record or UserRecord()
        return found

    def accounts(self, uids: set[str] | frozenset[str]) -> dict[str, UserInfo]:
        """The Auth accounts of these uids that exist and are not disabled, 100 a round trip."""
        from firebase_admin import auth

        everyone = sorted(uids)
        found: dict[str, UserInfo] = {}
        for start in range(0, len(everyone), 100):
            ids = [auth.UidIdentifier(uid) for uid in everyone[start : start + 100]]
            for user in auth.get_users(ids).users:
                if not user.disabled:
                    found[user.uid] = _info(user)
        return found

    def set_account_name(self, uid: str, name: str) -> None:
        """Give the Auth account this display name (ID tokens issued after carry it)."""
        from firebase_admin import auth

        try:
            auth.update_user(uid, display_name=name)
        except auth.UserNotFoundError:
            return

    def display_names(self, uids: set[str]) -> dict[str, str]:
        """The ``displayName`` of each of these profiles that has one (a non-empty string), in
        one round trip; a uid without a profile or a name is left out."""
        refs = [self._collection(PROFILES).document(uid) for uid in sorted(uids)]
        names: dict[str, str] = {}
        for snapshot in self._read_all(refs) if refs else ():
            name = (snapshot.to_dict() or {}).get("displayName") if snapshot.exists else None
            if isinstance(name, str) and name.strip():
                names[snapshot.id] = name
        return names

    def standing(self, uid: str) -> Standing:
        """The access ``users/{uid}`` records (inside the unit's transaction, if any)."""
        from sessionbase.domain.roles import Standing

        snapshot = self._read(self._collection(PROFILES).document(uid))
        return Standing.from_document(snapshot.to_dict() if snapshot.exists else None)

    def other_active_admins(self, uid: str) -> int:
        """How many users besides ``uid`` are admins whose accounts are not disabled.

        Read inside the unit's transaction: the admins' documents are then part of what it
        read, so two changes that would each leave the other as the last admin conflict, and
        the one that runs again sees the other's change.
        """
        from sessionbase.domain.roles import Standing

        admins = self._collection(PROFILES).where("role", "==", "admin")
        return sum(
            1
            for snapshot in self._stream(admins)
            if snapshot.id != uid and Standing.from_document(snapshot.to_dict()).is_active_admin
        )

    def record(
        self, user: UserInfo, standing: Standing, *, by: str, at: datetime, role_change: bool
    ) -> None:
        """Stage ``users/{uid}``'s new access fields (other fields are kept); ``at`` is the
        revocation time, in whole seconds."""
        fields: dict[str, Any] = {
            "role": None if standing.role is None else standing.role.value,
            "disabled": standing.disabled,
            "roleVersion": standing.version,
            "revokedAt": at,
            "email": user.email,
        }
        if role_change:
            fields |= {"roleChangedAt": at, "roleChangedBy": by}
        self._writes.set(self._collection(PROFILES).document(user.uid), fields, merge=True)

    def apply_to_account(self, uid: str, standing: Standing) -> None:
        """Make the Auth account follow a standing: the ``role`` claim (other claims kept), the
        disabled flag, and the user's refresh tokens revoked, so that the API refuses every
        token issued before."""
        from firebase_admin import auth

        try:
            user = auth.get_user(uid)
        except auth.UserNotFoundError:
            return  # deleted meanwhile: no account left to follow the record
        claims: dict[str, Any] = {
            k: v for k, v in (user.custom_claims or {}).items() if k != "role"
        }
        if standing.role is not None:
            claims["role"] = standing.role.value
        auth.update_user(
            uid, custom_claims=claims or auth.DELETE_ATTRIBUTE, disabled=standing.disabled
        )
        auth.revoke_refresh_tokens(uid)


def _info(user: Any) -> UserInfo:
    return UserInfo(
        uid=user.uid,
        email=(user.email or "").lower() or None,
        name=user.display_name or None,
        email_verified=bool(user.email_verified),
    )
