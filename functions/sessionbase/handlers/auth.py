"""Establishing the caller from a Firebase ID token: the one place auth is resolved.

A valid signature is not enough: every request also reads the user's Auth record, so a token
of a user who was deleted, disabled, or whose tokens were revoked (``validSince`` after the
token's sign-in) is refused at once, not when the token expires within the hour; and the role is
the one the user has now (its custom claim), not the one the token was issued with. The cost is
one Auth lookup per request (README, Benchmarks).
"""

from __future__ import annotations

import time
from typing import Any

from sessionbase.errors import Unauthenticated
from sessionbase.models.identity import Caller


def caller_from_authorization(header: str | None) -> Caller:
    """The caller of a REST request, from its ``Authorization: Bearer <ID token>`` header."""
    if not header:
        raise Unauthenticated("Sign in first: send 'Authorization: Bearer <Firebase ID token>'.")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <Firebase ID token>'.")
    from firebase_admin import auth

    try:
        claims = auth.verify_id_token(token.strip())
    except (
        ValueError,
        auth.InvalidIdTokenError,
        auth.ExpiredIdTokenError,
        auth.CertificateFetchError,
    ):
        raise Unauthenticated("The ID token is invalid or expired; sign in again.") from None
    return Caller.from_claims(_current(_fresh(claims)))


def caller_from_callable(auth_data: Any) -> Caller:
    """The caller of a callable function, whose token the SDK has already verified."""
    if auth_data is None or not getattr(auth_data, "uid", None):
        raise Unauthenticated("Sign in first: this function needs a signed-in user.")
    return Caller.from_claims(_current(_fresh({**auth_data.token, "uid": auth_data.uid})))


def _fresh(claims: dict[str, Any]) -> dict[str, Any]:
    """Refuse expired tokens ourselves: under the Auth emulator the SDK skips the expiry check."""
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires <= time.time():
        raise Unauthenticated("The ID token has expired; sign in again.")
    return claims


def _current(claims: dict[str, Any]) -> dict[str, Any]:
    """The claims as they hold now: refused if the user is gone, disabled, or was revoked after
    this token's sign-in; the role taken from the user's current custom claims."""
    from firebase_admin import auth

    uid = claims.get("uid") or claims.get("sub")
    try:
        user = auth.get_user(str(uid))
    except (auth.UserNotFoundError, ValueError):
        raise Unauthenticated("This account no longer exists; sign in again.") from None
    if user.disabled:
        raise Unauthenticated("This account is disabled.")
    signed_in = claims.get("auth_time", claims.get("iat"))
    valid_since = user.tokens_valid_after_timestamp  # milliseconds, or None
    if valid_since and (not isinstance(signed_in, int | float) or signed_in * 1000 < valid_since):
        raise Unauthenticated("This sign-in was revoked; sign in again.")
    current = dict(claims)
    current.pop("role", None)
    role = (user.custom_claims or {}).get("role")
    if role is not None:
        current["role"] = role
    return current
