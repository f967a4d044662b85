"""domain/signatures.py: the analysis backend's signatures, their window, their two directions,
key rotation, the first (v1) scheme on callbacks, and which keys are too weak.

That no callback verifies without a key is checked where the key is read, through the callback
handler (tests/unit/handlers/test_analysis.py).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessionbase.domain import signatures
from sessionbase.domain.signatures import Direction
from sessionbase.errors import Unauthenticated

KEY = "7d1c0b4e9a2f68351e0c7b9d4a6f2e8150c3b7a9d2e4f6081a3c5e7b9d0f2a4c"
OLD = "Zr4qP9xW2mK7vL1nB8cT5yH3jD6gF0sA"
IN, OUT = Direction.CALLBACK, Direction.REQUEST


def test_a_signature_verifies_within_its_window_either_way():
    body = b'{"sessionId": "s1"}'
    header = signatures.sign(KEY, body, 1_000_000, direction=IN)
    assert header.startswith(f"t=1000000,kid={signatures.key_id(KEY)},v2=")
    mac = signatures.verify(
        [KEY], header, body, 1_000_000 + signatures.WINDOW_SECONDS, direction=IN
    )
    assert mac == header.split("v2=")[1]
    signatures.verify([KEY], header, body, 1_000_000 - signatures.WINDOW_SECONDS, direction=IN)
    for late in (signatures.WINDOW_SECONDS + 1, -signatures.WINDOW_SECONDS - 1):
        with pytest.raises(Unauthenticated, match="expired"):
            signatures.verify([KEY], header, body, 1_000_000 + late, direction=IN)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "v2=abc",
        "t=,kid=x,v2=abc",
        "t=1000000",
        "t=1000000,kid=",
        "t=\u00b2,v2=abc",  # a Unicode digit: refused, not a crash
        "t=1000000000000,v2=abc",
        "t=-5,v2=abc",
        "t=1000000,v2=" + "0" * 64,  # no key id
        f"t=1000000,kid={signatures.key_id(KEY)},v2=" + "0" * 64,
        "t=1000000,kid=00000000,v2=" + "0" * 64,  # a key id of no configured key
        "t=1000000,v1=" + "0" * 64,
    ],
)
def test_malformed_or_wrong_signatures_are_refused_alike(header):
    with pytest.raises(Unauthenticated, match="missing or invalid"):
        signatures.verify([KEY], header, b"{}", 1_000_000, direction=IN)


@given(st.binary(max_size=200), st.binary(min_size=1, max_size=200), st.integers(0, 2**33))
def test_a_signature_holds_for_its_body_and_its_key_only(body, other, timestamp):
    header = signatures.sign(KEY, body, timestamp, direction=IN)
    assert signatures.verify([KEY], header, body, timestamp, direction=IN)
    if other != body:
        with pytest.raises(Unauthenticated):
            signatures.verify([KEY], header, other, timestamp, direction=IN)
    with pytest.raises(Unauthenticated):
        signatures.verify([KEY + "x"], header, body, timestamp, direction=IN)


@given(st.binary(max_size=200), st.integers(0, 2**33))
def test_a_signature_of_one_direction_never_verifies_in_the_other(body, timestamp):
    """Issue 21 (10): our job requests and the backend's callbacks were signed alike, so a
    request seen by anyone on its way could be sent back to us as a callback."""
    request = signatures.sign(KEY, body, timestamp, direction=OUT)
    callback = signatures.sign(KEY, body, timestamp, direction=IN)
    assert request != callback
    assert signatures.verify([KEY], request, body, timestamp, direction=OUT)
    with pytest.raises(Unauthenticated, match="missing or invalid"):
        signatures.verify([KEY], request, body, timestamp, direction=IN)
    with pytest.raises(Unauthenticated, match="missing or invalid"):
        signatures.verify([KEY], callback, body, timestamp, direction=OUT)


def test_during_a_rotation_both_keys_verify_and_each_signature_names_its_key():
    body = b'{"status": "completed"}'
    by_old = signatures.sign(OLD, body, 1_000_000, direction=IN)
    by_new = signatures.sign(KEY, body, 1_000_000, direction=IN)
    assert signatures.key_id(OLD) != signatures.key_id(KEY)
    assert f"kid={signatures.key_id(OLD)}," in by_old
    rotating = [KEY, OLD]
    assert signatures.verify(rotating, by_old, body, 1_000_000, direction=IN)
    assert signatures.verify(rotating, by_new, body, 1_000_000, direction=IN)
    with pytest.raises(Unauthenticated, match="missing or invalid"):
        signatures.verify([KEY], by_old, body, 1_000_000, direction=IN)  # rotation over
    # A signature by one key under the other's id is no signature.
    swapped = by_old.replace(signatures.key_id(OLD), signatures.key_id(KEY))
    with pytest.raises(Unauthenticated, match="missing or invalid"):
        signatures.verify(rotating, swapped, body, 1_000_000, direction=IN)


def test_a_key_id_is_derived_from_the_key_alone():
    assert signatures.key_id(KEY) == signatures.key_id(KEY)
    assert len(signatures.key_id(KEY)) == 8
    assert signatures.key_id(KEY) not in KEY


def test_the_first_scheme_is_still_accepted_on_callbacks_only():
    """DESIGN.md promises ``t=<t>,v1=<HMAC of "t.<body>">`` to backends that call back; we sign
    nothing with it any more, so it can be no replay of ours (docs/migration.md)."""
    import hashlib
    import hmac

    body = b'{"sessionId": "s1"}'

    def v1(key: str) -> str:
        mac = hmac.new(key.encode(), b"1000000." + body, hashlib.sha256).hexdigest()
        return f"t=1000000,v1={mac}"

    assert signatures.verify([KEY, OLD], v1(OLD), body, 1_000_000, direction=IN)
    assert signatures.verify([KEY], v1(KEY), body, 1_000_000, direction=IN)
    with pytest.raises(Unauthenticated, match="missing or invalid"):
        signatures.verify([KEY], v1(KEY), body, 1_000_000, direction=OUT)
    with pytest.raises(Unauthenticated, match="missing or invalid"):
        signatures.verify([KEY], v1(OLD), body, 1_000_000, direction=IN)


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("s3cret", "is 6 characters long; use at least 32"),
        ("x" * 31, "is 31 characters long"),
        ("a" * 64, "repeats a pattern of 1 characters"),
        ("0123456789abcdef" * 2, "repeats a pattern of 16 characters"),
        ("password" * 4 + "pass", "repeats a pattern of 8 characters"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaabcdefgh", "repeats a pattern of 1 characters"),
        ("abbaababbababbbbbabbaababbabbbabaaaaabbb", "too little entropy (2 distinct characters"),
        ("cdaccadabccbccacccbabcdbaadabccddbaadcbb", "too little entropy (4 distinct characters"),
        ("26126520642727757447621627521745", "too little entropy (7 distinct characters"),
        ("changeme-changeme-changeme-changeme!", "repeats a pattern of 9 characters"),
    ],
)
def test_short_repeated_or_monotonous_keys_are_weak(key, problem):
    assert problem in (signatures.weakness(key) or "")


def test_random_keys_of_32_characters_and_more_are_strong():
    draw = random.Random(21)
    base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for alphabet, length in (("0123456789abcdef", 32), ("0123456789abcdef", 64), (base64url, 32)):
        for _ in range(2000):
            key = "".join(draw.choice(alphabet) for _ in range(length))
            assert signatures.weakness(key) is None, key
    assert signatures.weakness(KEY) is None
    assert signatures.weakness(OLD) is None
