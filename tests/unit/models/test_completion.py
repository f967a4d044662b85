"""models/completion.py: completion codes are compared in upper case, malformed ones are refused,
and a completion's end follows its start."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.unit.factories import completion_body as body


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" batch-001-dec19 ", "BATCH-001-DEC19"), ("abc", "ABC"), ("A" * 40, "A" * 40)],
)
def test_codes_are_compared_in_upper_case(typed, stored):
    assert body(completionCode=typed).completionCode == stored


@pytest.mark.parametrize("typed", ["ab", "-ABC", "A B C", "A/B/C", "A" * 41, "ÉCOLE"])
def test_malformed_codes_are_refused(typed):
    with pytest.raises(ValidationError) as refused:
        body(completionCode=typed)
    assert [error["loc"] for error in refused.value.errors()] == [("completionCode",)]


def test_the_end_must_follow_the_start():
    with pytest.raises(ValidationError) as refused:
        body(actualEnd="2026-12-19T09:30:00+01:00")
    assert [error["loc"] for error in refused.value.errors()] == [("actualEnd",)]
