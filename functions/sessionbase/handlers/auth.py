"""Establishing the caller from a Firebase ID token: the one place auth is resolved.

A valid signature is not enough: whether the sign-in still counts, and the role the user has
now, are checked for every request (``domain/roles.py: admitted_role``) against two records.
``users/{uid}`` (and the account's deletion job), which Sessionbase writes with every role
change, disable, revocation and deletion, is read with the request's first read, in the same
round trip (``store/standing.py``): those changes refuse earlier tokens at once. The Auth record,
which the console changes too, is kept by each instance for ``SESSIONBASE_AUTH_RECORD_SECONDS``
(default 30) and looked up again after, beside the request's first read: a change made only in
the console reaches the API within that window (docs/decisions.md, "The caller's standing").
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sessionbase import settings
from sessionbase.errors import PermissionDenied, Unauthenticated
from sessionbase.models.identity import Caller, Role
from sessionbase.threads import Pool

if TYPE_CHECKING:
    from flask import Request

    from sessionbase.domain.roles import Account
    from sessionbase.store.standing import Gate

# The one cookie Firebase Hosting forwards to functions: a web app keeps its ID token there.
SESSION_COOKIE = "__session"
_SAFE_METHODS = ("GET", "HEAD")


@dataclass(frozen=True)
class SignIn:
    """A verified token's caller (their role as the token says), and the check of their
    standing still to make (``store/standing.py``; None: nothing to check)."""

    caller: Caller
    gate: Gate | None

    def checked(self) -> Caller:
        """The caller once checked now (one round trip), with the role they have now."""
        if self.gate is None:
            return self.caller
        from sessionbase.store.client import firestore_client

        return replace(self.caller, role=self.gate.admitted(firestore_client()))

    def as_role(self, role: Role) -> SignIn:
        """The same sign-in, to run again as ``role`` (the check is made again)."""
        caller = replace(self.caller, role=role)
        return SignIn(caller, None if self.gate is None else self.gate.again(role))


def caller_from_request(request: Request) -> Caller:
    """The caller of a REST request, checked now (``sign_in_from_request``, then its check)."""
    return sign_in_from_request(request).checked()


def sign_in_from_request(request: Request) -> SignIn:
    """The caller of a REST request: a Bearer token, else the ``__session`` cookie.

    A Bearer header wins when both are sent. A cookie is sent by the browser on its own, so a
    request signed in by cookie is accepted only from the site's own pages (``same_origin``):
    a form or fetch from another site that carries it is refused (403) before anything runs.
    """
    header = request.headers.get("Authorization")
    if header:
        return _sign_in_from_authorization(header)
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
    return _sign_in_from_token(token)


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


def _sign_in_from_authorization(header: str | None) -> SignIn:
    """The caller of a REST request, from its ``Authorization: Bearer <ID token>`` header."""
    if not header:
        raise Unauthenticated("Sign in first: send 'Authorization: Bearer <Firebase ID token>'.")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <Firebase ID token>'.")
    return _sign_in_from_token(token.strip())


def _sign_in_from_token(token: str) -> SignIn:
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
    return _sign_in(_fresh(claims))


def sign_in_from_callable(auth_data: Any) -> SignIn:
    """The caller of a callable function, whose token the SDK has already verified."""
    if auth_data is None or not getattr(auth_data, "uid", None):
        raise Unauthenticated("Sign in first: this function needs a signed-in user.")
    return _sign_in(_fresh({**auth_data.token, "uid": auth_data.uid}))


def _fresh(claims: dict[str, Any]) -> dict[str, Any]:
    """Refuse expired tokens ourselves: under the Auth emulator the SDK skips the expiry check."""
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires <= time.time():
        raise Unauthenticated("The ID token has expired; sign in again.")
    return claims


def _sign_in(claims: dict[str, Any]) -> SignIn:
    caller = Caller.from_claims(claims)
    return SignIn(caller, _gate(claims, caller))


def _gate(claims: dict[str, Any], caller: Caller) -> Gate | None:
    """The check of this sign-in's standing, made with the request's first read."""
    from sessionbase.store.standing import Gate

    signed_in = claims.get("auth_time", claims.get("iat"))
    return Gate(
        caller.uid,
        signed_in=signed_in if isinstance(signed_in, int | float) else None,
        role=caller.role,
        account=_account(caller.uid, caller.role),
    )


log = logging.getLogger(__name__)


# ---- the Auth record, per instance ------------------------------------------------------------
# Users whose records an instance keeps (the oldest dropped first): a few hundred bytes each.
RECORDS_AT_MOST = 10_000
# Lookups run beside the request's first read, in a pool of their own (nothing in it waits).
LOOKUP_THREADS = 8
_LOOKUPS = Pool("auth-lookup", LOOKUP_THREADS)
_records: OrderedDict[str, tuple[float, Future[Account]]] = OrderedDict()
_records_lock = threading.Lock()


def _account(uid: str, claimed: Role) -> Callable[[], Account]:
    """The user's Auth record as the API checks it: this instance's copy while it is younger
    than the window, else a lookup started now (its answer is waited for by the check). With
    the window ``off``, none: the account as the token describes it (its ``claimed`` role)."""
    from sessionbase.domain.roles import Account

    window = settings.auth_record_seconds()
    if window is None:
        return lambda: Account(role=claimed)
    now = time.monotonic()
    with _records_lock:
        kept = _records.get(uid)
        if kept is not None and now - kept[0] < window:
            future = kept[1]
        else:
            future = _LOOKUPS.submit(lambda: _look_up(uid))
            if window > 0:
                _records[uid] = (now, future)
                _records.move_to_end(uid)
                while len(_records) > RECORDS_AT_MOST:
                    _records.popitem(last=False)

    def result() -> Account:
        try:
            return future.result()
        except Exception:
            with _records_lock:  # a failed lookup is not kept: the next request asks again
                if _records.get(uid, (0.0, None))[1] is future:
                    del _records[uid]
            raise

    return result


def _look_up(uid: str) -> Account:
    from firebase_admin import auth

    from sessionbase.domain.roles import Account

    try:
        user = auth.get_user(uid)
    except auth.UserNotFoundError:
        # Asked once more before a refusal: the race tier once saw "not found" for an account
        # that had signed in moments before; a second lookup costs only deleted accounts.
        try:
            user = auth.get_user(uid)
        except auth.UserNotFoundError:
            return Account(exists=False)
        log.warning("the Auth record of %s was not found, then found", uid)
    return Account(
        disabled=bool(user.disabled),
        valid_since_ms=user.tokens_valid_after_timestamp,
        role=Role.of_claim((user.custom_claims or {}).get("role")),
    )
