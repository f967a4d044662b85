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
