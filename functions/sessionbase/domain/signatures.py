"""Signed messages between Sessionbase and its analysis backend (DESIGN.md §4; issue 21).

Header ``X-Sessionbase-Signature: t=<unix seconds>,kid=<key id>,v2=<hex HMAC-SHA256>``, the MAC
taken over ``"<direction>.<t>.<kid>." + raw body``. The direction keeps the two ways apart: our
job requests to the backend are signed as ``sessionbase-request``, the backend's callbacks to us
as ``sessionbase-callback``, so a signature seen on one way never verifies on the other. The key
id names which shared key signed (two are accepted during a rotation); it is derived from the
key (``key_id``), so there is nothing to name or keep in step. A signature verifies for 300
seconds either way of its timestamp.

DESIGN.md's first scheme, ``t=<t>,v1=<hex HMAC-SHA256 of "t.<raw body>">``, is still accepted
on callbacks (docs/migration.md); Sessionbase no longer signs anything with it, so no v1
signature can come from us.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from collections import Counter
from collections.abc import Sequence
from enum import StrEnum

from sessionbase.errors import Unauthenticated

HEADER = "X-Sessionbase-Signature"
WINDOW_SECONDS = 300
MIN_KEY_LENGTH = 32
MIN_KEY_BITS = 90  # estimated from the key's own character counts (``weakness``)


class Direction(StrEnum):
    """Which way a signed message goes: part of what is signed."""

    REQUEST = "sessionbase-request"  # Sessionbase -> the analysis backend (a job)
    CALLBACK = "sessionbase-callback"  # the analysis backend -> Sessionbase (its results)


def key_id(key: str) -> str:
    """The id a key signs under: 8 hex digits of ``HMAC-SHA256(key, "sessionbase-key-id")``.

    One-way, so it says nothing of the key; both sides compute it from the key alone."""
    return hmac.new(key.encode(), b"sessionbase-key-id", hashlib.sha256).hexdigest()[:8]


def sign(key: str, body: bytes, timestamp: int, *, direction: Direction) -> str:
    """The signature header value for ``body`` sent at ``timestamp`` one way, with ``key``."""
    kid = key_id(key)
    return f"t={timestamp},kid={kid},v2={_mac_v2(key, kid, body, timestamp, direction)}"


def verify(
    keys: Sequence[str], header: str | None, body: bytes, now: float, *, direction: Direction
) -> str:
    """Check a signature header against the raw body; returns its MAC (the replay-guard key).

    ``keys``: the keys accepted (the current one first, the previous one during a rotation).
    Raises ``Unauthenticated`` with the same sentence for every failure but a stale timestamp, so
    a caller learns nothing about which part was wrong.
    """
    refused = Unauthenticated("The callback signature is missing or invalid.")
    if not keys:
        raise Unauthenticated("Callbacks are not configured on this deployment.")
    parts = dict(part.partition("=")[::2] for part in (header or "").split(",") if "=" in part)
    timestamp = parts.get("t", "")
    given = parts.get("v2", "").strip().lower()
    legacy = direction is Direction.CALLBACK and not given
    if legacy:
        given = parts.get("v1", "").strip().lower()
    if re.fullmatch(r"[0-9]{1,12}", timestamp) is None or not given:
        raise refused
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        raise Unauthenticated("The callback signature has expired or is dated in the future.")
    if legacy:
        candidates = [_mac_v1(key, body, int(timestamp)) for key in keys]
    else:
        kid = parts.get("kid", "").strip()
        candidates = [
            _mac_v2(key, kid, body, int(timestamp), direction) for key in keys if key_id(key) == kid
        ]
    for expected in candidates:
        if hmac.compare_digest(expected.encode(), given.encode()):
            return expected
    raise refused


def weakness(key: str) -> str | None:
    """Why ``key`` is too weak to share with the analysis backend, or None.

    A simple check against typed or placeholder keys, not a proof of randomness: at least
    ``MIN_KEY_LENGTH`` characters; not one pattern repeated (``abcabc...``, ``changeme-changeme-
    ...!``: three quarters of its characters or more equal to the one a period of at most half
    its length before); and at least ``MIN_KEY_BITS`` bits estimated from its character counts
    (length × the Shannon entropy of its characters' frequencies), which few distinct
    characters fail. ``openssl rand -hex 32`` (64 hex digits, about 250 bits by this estimate)
    passes; a random 32-character key passes too (a hex one fails about twice in a million
    draws: draw again).
    """
    if len(key) < MIN_KEY_LENGTH:
        return f"is {len(key)} characters long; use at least {MIN_KEY_LENGTH}"
    period = next((p for p in range(1, len(key) // 2 + 1) if _repeats(key, p)), None)
    if period is not None:
        return f"repeats a pattern of {period} characters"
    counts = Counter(key).values()
    bits = -sum(n * math.log2(n / len(key)) for n in counts)
    if bits < MIN_KEY_BITS:
        return (
            f"has too little entropy ({len(counts)} distinct characters, about {bits:.0f} bits; "
            f"at least {MIN_KEY_BITS})"
        )
    return None


def _repeats(key: str, period: int) -> bool:
    """True when at least 3/4 of ``key``'s characters repeat the one ``period`` places before."""
    same = sum(a == b for a, b in zip(key[period:], key, strict=False))
    return 4 * same >= 3 * (len(key) - period)


def _mac_v2(key: str, kid: str, body: bytes, timestamp: int, direction: Direction) -> str:
    message = f"{direction.value}.{timestamp}.{kid}.".encode() + body
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def _mac_v1(key: str, body: bytes, timestamp: int) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
