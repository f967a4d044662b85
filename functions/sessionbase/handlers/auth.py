"""Establishing the caller from a Firebase ID token: the one place auth is resolved."""

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
    return Caller.from_claims(_fresh(claims))


def caller_from_callable(auth_data: Any) -> Caller:
    """The caller of a callable function, whose token the SDK has already verified."""
    if auth_data is None or not getattr(auth_data, "uid", None):
        raise Unauthenticated("Sign in first: this function needs a signed-in user.")
    return Caller.from_claims(_fresh({**auth_data.token, "uid": auth_data.uid}))


def _fresh(claims: dict[str, Any]) -> dict[str, Any]:
    """Refuse expired tokens ourselves: under the Auth emulator the SDK skips the expiry check."""
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires <= time.time():
        raise Unauthenticated("The ID token has expired; sign in again.")
    return claims
