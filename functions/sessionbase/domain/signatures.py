"""Signed messages between Sessionbase and its analysis backend (DESIGN.md §4).

Header ``X-Sessionbase-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.<raw body>">``. A
signature verifies for 300 seconds either way of its timestamp; the same scheme signs the
requests ``analyze_session`` sends to the backend.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from sessionbase.errors import Unauthenticated

HEADER = "X-Sessionbase-Signature"
WINDOW_SECONDS = 300


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},v1={_mac(secret, body, timestamp)}"


def verify(secret: str, header: str | None, body: bytes, now: float) -> str:
    """Check a signature header against the raw body; returns its MAC (the replay-guard key).

    Raises ``Unauthenticated`` with the same sentence for every failure but a stale timestamp, so
    a caller learns nothing about which part was wrong.
    """
    refused = Unauthenticated("The callback signature is missing or invalid.")
    if not secret:
        raise Unauthenticated("Callbacks are not configured on this deployment.")
    parts = dict(part.partition("=")[::2] for part in (header or "").split(",") if "=" in part)
    timestamp, given = parts.get("t", ""), parts.get("v1", "")
    if re.fullmatch(r"[0-9]{1,12}", timestamp) is None or not given:
        raise refused
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        raise Unauthenticated("The callback signature has expired or is dated in the future.")
    expected = _mac(secret, body, int(timestamp))
    if not hmac.compare_digest(expected.encode(), given.strip().lower().encode()):
        raise refused
    return expected


def _mac(secret: str, body: bytes, timestamp: int) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
