"""Establishing the caller from a Firebase ID token: the one place auth is resolved.

A valid signature is not enough: every request also reads the user's Auth record, so a token
of a user who was deleted, disabled, or whose tokens were revoked (``validSince`` after the
token's sign-in) is refused at once, not when the token expires within the hour; and the role is
the one the user has now (its custom claim), not the one the token was issued with. The cost is
one Auth lookup per request (README, Benchmarks).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from sessionbase import settings
from sessionbase.errors import PermissionDenied, Unauthenticated
from sessionbase.models.identity import Caller

if TYPE_CHECKING:
    from flask import Request

# The one cookie Firebase Hosting forwards to functions: a web app keeps its ID token there.
SESSION_COOKIE = "__session"
_SAFE_METHODS = ("GET", "HEAD")


def caller_from_request(request: Request) -> Caller:
    """The caller of a REST request: a Bearer token, else the ``__session`` cookie.

    A Bearer header wins when both are sent. A cookie is sent by the browser on its own, so a
    request signed in by cookie is accepted only from the site's own pages (``same_origin``):
    a form or fetch from another site that carries it is refused (403) before anything runs.
    """
    header = request.headers.get("Authorization")
    if header:
        return caller_from_authorization(header)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthenticated(
            "Sign in first: send 'Authorization: Bearer <Firebase ID token>', or the ID token "
            "in the __session cookie from this site's pages."
        )
    if not same_origin(request):
        raise PermissionDenied(
            "Cookie sign-in is accepted only from this site's own pages; from elsewhere, send "
            "the ID token as 'Authorization: Bearer'."
        )
    return _caller_from_token(token)


def same_origin(request: Request) -> bool:
    """Did this request come from a page of the Hosting site it was sent to?

    The site is the one Hosting forwarded the request for (``X-Forwarded-Host``; a request
    that did not come through Hosting has none). A browser says where a request comes from in
    ``Origin`` (on every write) and ``Sec-Fetch-Site``; both must agree with the site when sent.
    A request with neither (not from a modern browser's page) may only read.
    """
    forwarded = request.headers.get("X-Forwarded-Host")
    if not forwarded:
        return False
    proto = request.headers.get("X-Forwarded-Proto") or (
        "http" if settings.in_emulator() else "https"
    )
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{proto}://{forwarded}":
        return False
    safe = request.method in _SAFE_METHODS
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin" or (site == "none" and safe)
    return origin is not None or safe


def caller_from_authorization(header: str | None) -> Caller:
    """The caller of a REST request, from its ``Authorization: Bearer <ID token>`` header."""
    if not header:
        raise Unauthenticated("Sign in first: send 'Authorization: Bearer <Firebase ID token>'.")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <Firebase ID token>'.")
    return _caller_from_token(token.strip())


def _caller_from_token(token: str) -> Caller:
    from firebase_admin import auth

    try:
        claims = auth.verify_id_token(token)
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
