"""models/review.py: the queries of the analysis and of a comparison, as text (REST) and as JSON
(callables); each bad field is named."""

from __future__ import annotations

import pytest

from sessionbase.errors import InvalidArgument
from sessionbase.models.review import AnalysisQuery, CompareQuery
from sessionbase.models.validation import parse


def fields_of(model, data) -> list[str]:
    with pytest.raises(InvalidArgument) as refused:
        parse(model, data)
    return sorted(error.field for error in refused.value.errors)


@pytest.mark.parametrize(
    ("given", "points"), [({}, 500), ({"points": "2"}, 2), ({"points": 5000}, 5000)]
)
def test_points_default_to_500_and_run_from_2_to_5000(given, points):
    assert parse(AnalysisQuery, given).points == points


@pytest.mark.parametrize("points", ["0", "1", "5001", "100000", "-3", "1.5", "many", 1.5, True])
def test_other_points_are_refused_by_name(points):
    assert fields_of(AnalysisQuery, {"points": points}) == ["points"]


def test_a_comparison_takes_a_negative_offset_as_text_or_json():
    assert parse(CompareQuery, {"a": "s1", "b": "s2", "offsetMs": "-250"}).offsetMs == -250
    assert parse(CompareQuery, {"a": "s1", "b": "s2", "offsetMs": -250}).offsetMs == -250
    assert parse(CompareQuery, {"a": "s1", "b": "s2"}).offsetMs == 0


def test_a_comparison_names_every_bad_field():
    bad = {"a": "a/b", "offsetMs": "600001", "points": "1"}
    assert fields_of(CompareQuery, bad) == ["a", "b", "offsetMs", "points"]
    assert fields_of(CompareQuery, {"a": "s1", "b": "s2", "offsetMs": "+5"}) == ["offsetMs"]
