"""Opaque page cursors bound to the query that issued them."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

from sessionbase.errors import FieldError, InvalidArgument
from sessionbase.models.fields import is_document_id
from sessionbase.models.sessions import PageAfter


def query_fingerprint(*parts: object) -> str:
    """A short digest of everything that defines a query (not the page size)."""
    canonical = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def encode_cursor(fingerprint: str, after: PageAfter) -> str:
    """The cursor a client sends back to get the page after ``after``."""
    raw = json.dumps(
        {"q": fingerprint, "t": after.created_at.isoformat(), "id": after.session_id},
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, fingerprint: str) -> PageAfter:
    """The position a cursor encodes; refused if it is malformed or from another query."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()))
        created_at = datetime.fromisoformat(raw["t"])
        created_at = created_at.astimezone(UTC) if created_at.tzinfo else created_at
        after = PageAfter(created_at=created_at, session_id=raw["id"])
        issued_for = raw["q"]
        if after.created_at.tzinfo is None or not is_document_id(after.session_id):
            raise ValueError("malformed position")
    except (ValueError, KeyError, TypeError, OverflowError):
        raise _bad_cursor("not a cursor issued by this API") from None
    if issued_for != fingerprint:
        raise _bad_cursor("this cursor belongs to a different query")
    return after


def _bad_cursor(message: str) -> InvalidArgument:
    return InvalidArgument(
        f"Invalid cursor: {message}.", errors=(FieldError(field="cursor", message=message),)
    )
