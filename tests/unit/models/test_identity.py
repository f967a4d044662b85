"""models/identity.py: a caller's role comes from the custom claim; its address in lower case."""

from __future__ import annotations

import pytest

from sessionbase.models.identity import Caller, Role


@pytest.mark.parametrize(
    ("claims", "role"),
    [({}, Role.ATHLETE), ({"role": "coach"}, Role.COACH), ({"role": "root"}, Role.ATHLETE)],
)
def test_role_comes_from_the_custom_claim(claims, role):
    caller = Caller.from_claims({"sub": "u1", "email": "A@B.co", **claims})
    assert caller.role is role
    assert caller.email == "a@b.co"
