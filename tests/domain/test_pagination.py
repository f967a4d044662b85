"""Cursors round-trip and are refused for another query or when forged."""

from datetime import UTC, datetime

import pytest

from sessionbase.domain.cursors import decode_cursor, encode_cursor, query_fingerprint
from sessionbase.errors import InvalidArgument
from sessionbase.models.sessions import PageAfter


def test_round_trip():
    fingerprint = query_fingerprint("sessions", "u1", {"athleteId": "u1"})
    after = PageAfter(
        created_at=datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC), session_id="s9"
    )
    assert decode_cursor(encode_cursor(fingerprint, after), fingerprint) == after


def test_cursor_from_another_query_is_refused():
    mine = query_fingerprint("sessions", "u1", {"athleteId": "u1"})
    theirs = query_fingerprint("sessions", "u2", {"athleteId": "u2"})
    cursor = encode_cursor(theirs, PageAfter(created_at=datetime.now(UTC), session_id="s"))
    with pytest.raises(InvalidArgument) as caught:
        decode_cursor(cursor, mine)
    assert caught.value.errors[0].field == "cursor"


@pytest.mark.parametrize("cursor", ["", "garbage", "e30", "!!!"])
def test_garbage_cursor_is_refused(cursor):
    with pytest.raises(InvalidArgument):
        decode_cursor(cursor, "f")
