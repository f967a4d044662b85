"""models/validation.py: ``parse`` reports every bad field at once, and a body must be an object."""

from __future__ import annotations

import pytest

from sessionbase.models.sessions import SessionCreate
from tests.unit.models.refusals import refused_fields


def test_every_bad_field_is_reported_at_once():
    body = {"sessionType": "Party", "durationSeconds": -5, "notes": "x" * 2_000_000, "bogus": 1}
    assert refused_fields(SessionCreate, body) == {
        "sessionType",
        "durationSeconds",
        "notes",
        "bogus",
    }


@pytest.mark.parametrize("body", [[], "text", 3, None])
def test_body_must_be_an_object(body):
    assert refused_fields(SessionCreate, body) == {"body"}


def nested(depth: int) -> object:
    """A value ``depth`` objects and lists deep (alternating), built without recursion."""
    value: object = "leaf"
    for level in range(depth):
        value = {"k": value} if level % 2 else [value]
    return value


def test_a_body_as_deep_as_firestore_stores_is_walked():
    # The body is the first level: 19 more make 20, Firestore's deepest map or array.
    assert refused_fields(SessionCreate, {"notes": nested(19)}) == {"notes"}  # a wrong type


@pytest.mark.parametrize("depth", [20, 700, 5_000])
def test_a_body_deeper_than_firestore_stores_is_refused_before_it_is_walked(depth):
    """Depths 600-900 once raised RecursionError in the walk (a 500 with a stack trace)."""
    assert refused_fields(SessionCreate, {"notes": nested(depth)}) == {"body"}
