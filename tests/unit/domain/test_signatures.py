"""domain/signatures.py: the analysis callback's signature, its window, and what it refuses.

That no callback verifies without a secret is checked where the secret is read, through the
callback handler (tests/unit/handlers/test_analysis.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessionbase.domain import signatures
from sessionbase.errors import Unauthenticated

SECRET = "s3cret"


def test_a_signature_verifies_within_its_window_either_way():
    body = b'{"sessionId": "s1"}'
    header = signatures.sign(SECRET, body, 1_000_000)
    key = signatures.verify(SECRET, header, body, 1_000_000 + signatures.WINDOW_SECONDS)
    assert key == header.split("v1=")[1]
    signatures.verify(SECRET, header, body, 1_000_000 - signatures.WINDOW_SECONDS)
    with pytest.raises(Unauthenticated, match="expired"):
        signatures.verify(SECRET, header, body, 1_000_000 + signatures.WINDOW_SECONDS + 1)
    with pytest.raises(Unauthenticated, match="expired"):
        signatures.verify(SECRET, header, body, 1_000_000 - signatures.WINDOW_SECONDS - 1)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "v1=abc",
        "t=,v1=abc",
        "t=1000000",
        "t=\u00b2,v1=abc",  # a Unicode digit: refused, not a crash
        "t=1000000000000,v1=abc",
        "t=-5,v1=abc",
        "t=1000000,v1=" + "0" * 64,
    ],
)
def test_malformed_or_wrong_signatures_are_refused_alike(header):
    with pytest.raises(Unauthenticated, match="missing or invalid"):
        signatures.verify(SECRET, header, b"{}", 1_000_000)


@given(st.binary(max_size=200), st.binary(min_size=1, max_size=200), st.integers(0, 2**33))
def test_a_signature_holds_for_its_body_only(body, other, timestamp):
    header = signatures.sign(SECRET, body, timestamp)
    assert signatures.verify(SECRET, header, body, timestamp)
    if other != body:
        with pytest.raises(Unauthenticated):
            signatures.verify(SECRET, header, other, timestamp)
    with pytest.raises(Unauthenticated):
        signatures.verify(SECRET + "x", header, body, timestamp)
