"""domain/cursors.py: cursors round-trip, and are refused for another query, when forged, or when
their position could not name a page."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from sessionbase.domain.cursors import decode_cursor, encode_cursor, query_fingerprint
from sessionbase.errors import InvalidArgument
from sessionbase.models.sessions import PageAfter

KEY = b"test-cursor-key"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_round_trip():
    fingerprint = query_fingerprint("sessions", "u1", {"athleteId": "u1"})
    after = PageAfter(
        created_at=datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC), session_id="s9"
    )
    assert decode_cursor(encode_cursor(fingerprint, after, key=KEY), fingerprint, key=KEY) == after


def test_cursor_from_another_query_is_refused():
    mine = query_fingerprint("sessions", "u1", {"athleteId": "u1"})
    theirs = query_fingerprint("sessions", "u2", {"athleteId": "u2"})
    cursor = encode_cursor(theirs, PageAfter(created_at=datetime.now(UTC), session_id="s"), key=KEY)
    with pytest.raises(InvalidArgument) as caught:
        decode_cursor(cursor, mine, key=KEY)
    assert caught.value.errors[0].field == "cursor"


@pytest.mark.parametrize("cursor", ["", "garbage", "e30", "!!!"])
def test_garbage_cursor_is_refused(cursor):
    with pytest.raises(InvalidArgument):
        decode_cursor(cursor, "f", key=KEY)


def test_a_cursor_whose_position_was_edited_is_refused():
    fingerprint = query_fingerprint("sessions", "u1", {"athleteId": "u1"})
    after = PageAfter(created_at=datetime(2026, 5, 1, tzinfo=UTC), session_id="s9")
    payload, _, mac = encode_cursor(fingerprint, after, key=KEY).partition(".")
    raw = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    for edit in ({"id": "s1"}, {"t": "2030-01-01T00:00:00+00:00"}, {"q": "other"}):
        forged = b64(json.dumps({**raw, **edit}).encode())
        with pytest.raises(InvalidArgument, match="not a cursor issued by this API"):
            decode_cursor(f"{forged}.{mac}", fingerprint, key=KEY)
    with pytest.raises(InvalidArgument):  # signed with another deployment's key
        decode_cursor(encode_cursor(fingerprint, after, key=b"other"), fingerprint, key=KEY)


@pytest.mark.parametrize(
    "position",
    [
        {"t": "2026-01-01T00:00:00+00:00", "id": "a/b"},
        {"t": "2026-01-01T00:00:00", "id": "ok"},
        {"t": "2026-01-01T00:00:00+00:00", "id": "__x__"},
        {"t": "9999-12-31T23:59:59-05:00", "id": "ok"},
    ],
)
def test_a_signed_position_that_names_no_page_is_refused(position):
    # Once a 500 from Firestore: an id that names no document, a naive time, a time past the
    # calendar. Signed with the deployment's key, so that only the position is wrong.
    fingerprint = query_fingerprint("q")
    raw = json.dumps({"q": fingerprint, **position}).encode()
    mac = hmac.new(KEY, raw, hashlib.sha256).digest()[:16]
    with pytest.raises(InvalidArgument, match="not a cursor issued by this API"):
        decode_cursor(f"{b64(raw)}.{b64(mac)}", fingerprint, key=KEY)
