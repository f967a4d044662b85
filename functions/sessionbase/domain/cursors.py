"""Opaque page cursors bound to the query that issued them, and signed.

A cursor is ``<payload>.<mac>``: the payload holds the query's fingerprint and the position
(the last item's ``createdAt`` and id); the MAC (HMAC-SHA256 with the deployment's cursor key,
``store/meta.py``) makes a cursor whose position or query was edited a 400, not a page of
whatever the edit pointed at.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

from sessionbase.errors import FieldError, InvalidArgument
from sessionbase.models.fields import is_document_id
from sessionbase.models.sessions import PageAfter


def query_fingerprint(*parts: object) -> str:
    """A short digest of everything that defines a query (not the page size)."""
    canonical = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def encode_cursor(fingerprint: str, after: PageAfter, *, key: bytes) -> str:
    """The cursor a client sends back to get the page after ``after``."""
    raw = json.dumps(
        {"q": fingerprint, "t": after.created_at.isoformat(), "id": after.session_id},
        separators=(",", ":"),
    ).encode()
    return f"{_b64(raw)}.{_b64(_mac(key, raw))}"


def decode_cursor(cursor: str, fingerprint: str, *, key: bytes) -> PageAfter:
    """The position a cursor encodes; refused if it is malformed, forged or from another query."""
    try:
        payload, _, mac = cursor.partition(".")
        raw = _unb64(payload)
        if not hmac.compare_digest(_unb64(mac), _mac(key, raw)):
            raise ValueError("not signed by this deployment")
        data = json.loads(raw)
        created_at = datetime.fromisoformat(data["t"])
        created_at = created_at.astimezone(UTC) if created_at.tzinfo else created_at
        after = PageAfter(created_at=created_at, session_id=data["id"])
        issued_for = data["q"]
        if after.created_at.tzinfo is None or not is_document_id(after.session_id):
            raise ValueError("malformed position")
    except (ValueError, KeyError, TypeError, OverflowError):
        raise _bad_cursor("not a cursor issued by this API") from None
    if issued_for != fingerprint:
        raise _bad_cursor("this cursor belongs to a different query")
    return after


def _mac(key: bytes, raw: bytes) -> bytes:
    return hmac.new(key, raw, hashlib.sha256).digest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())


def _bad_cursor(message: str) -> InvalidArgument:
    return InvalidArgument(
        f"Invalid cursor: {message}.", errors=(FieldError(field="cursor", message=message),)
    )
