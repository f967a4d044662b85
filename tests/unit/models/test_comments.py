"""models/comments.py: a comment's time, text and drawing are bounded, and every bad field of a
body is named (``drawing.shapes.3.points``); a drawing is stored with points Firestore can hold."""

from __future__ import annotations

import pytest

from sessionbase.models.comments import (
    MAX_POINTS,
    CommentCreate,
    CommentRecord,
    CommentResolve,
    CommentUpdate,
    drawing_from_store,
    drawing_to_store,
)
from sessionbase.models.validation import parse
from tests.unit.models.refusals import refused_fields


def line(**fields) -> dict:
    return {"kind": "line", "points": [[0.1, 0.2], [0.5, 0.5]], "colour": "#ff0000", **fields}


def shapes(*points) -> dict:
    """A drawing of one line through ``points``."""
    return {"shapes": [line(points=list(points))]}


def create(**fields) -> dict:
    return {"atMs": 4000, "text": "Knees in at landing", **fields}


def test_a_comment_is_trimmed_and_keeps_its_line_breaks():
    comment = parse(CommentCreate, create(text="  first line\r\nsecond line\n\n  "))
    assert comment.text == "first line\nsecond line"
    assert comment.drawing is None
    assert comment.replyTo is None


def test_a_drawing_of_every_kind_is_taken():
    shapes = [
        line(),
        line(kind="arrow", width=20),
        line(kind="circle", points=[[0.5, 0.5], [0.6, 0.5]], colour="#00FF00"),
        line(kind="freehand", points=[[0, 0], [1, 1], [0.5, 0.25]], width=1),
    ]
    drawing = parse(CommentCreate, create(drawing={"shapes": shapes})).drawing
    assert drawing is not None
    assert [s.kind for s in drawing.shapes] == ["line", "arrow", "circle", "freehand"]
    assert drawing.shapes[2].colour == "#00ff00"  # stored in one case
    assert drawing.shapes[3].points == [(0.0, 0.0), (1.0, 1.0), (0.5, 0.25)]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (create(atMs=-1), {"atMs"}),
        (create(atMs=1.5), {"atMs"}),
        (create(atMs="4000"), {"atMs"}),
        (create(text=""), {"text"}),
        (create(text=" \n\t "), {"text"}),
        (create(text="x" * 2001), {"text"}),
        (create(replyTo="a/b"), {"replyTo"}),
        (create(drawing={"shapes": []}), {"drawing.shapes"}),
        (create(drawing={"shapes": [line(kind="square")]}), {"drawing.shapes.0.kind"}),
        (create(drawing={"shapes": [line(colour="red")]}), {"drawing.shapes.0.colour"}),
        (create(drawing={"shapes": [line(colour="#ff00001")]}), {"drawing.shapes.0.colour"}),
        (create(drawing={"shapes": [line(width=0)]}), {"drawing.shapes.0.width"}),
        (create(drawing={"shapes": [line(width=21)]}), {"drawing.shapes.0.width"}),
        (
            create(drawing={"shapes": [line(), line(), line(), line(points=[[0, 0]])]}),
            {"drawing.shapes.3.points"},
        ),
        (create(drawing=shapes([0, 0], [1, 1], [1, 0])), {"drawing.shapes.0.points"}),
        (create(drawing=shapes([0, 0], [1.1, 0])), {"drawing.shapes.0.points.1.0"}),
        (create(drawing=shapes([0, 0], [0, -0.1])), {"drawing.shapes.0.points.1.1"}),
        (create(drawing=shapes([0, 0], [0, 0, 0])), {"drawing.shapes.0.points.1"}),
        (create(drawing={"shapes": [line(extra=1)]}), {"drawing.shapes.0.extra"}),
        (create(drawing={"shapes": [line()] * 51}), {"drawing.shapes"}),
        (create(atMs=-5, text="", drawing={"shapes": [line(colour="blue")]}),
         {"atMs", "text", "drawing.shapes.0.colour"}),
    ],
)  # fmt: skip
def test_every_bad_field_is_named(body, fields):
    assert refused_fields(CommentCreate, body) == fields


def test_a_drawing_of_ten_thousand_points_is_refused_naming_the_shape():
    freehand = line(kind="freehand", points=[[i / 10_000, 0.5] for i in range(10_000)])
    assert refused_fields(CommentCreate, create(drawing={"shapes": [freehand]})) == {
        "drawing.shapes.0.points"
    }


def test_a_drawing_is_bounded_in_points_in_all():
    full = line(kind="freehand", points=[[0.5, 0.5]] * 500)
    assert parse(CommentCreate, create(drawing={"shapes": [full] * (MAX_POINTS // 500)}))
    over = [full] * (MAX_POINTS // 500) + [line()]
    assert refused_fields(CommentCreate, create(drawing={"shapes": over})) == {"drawing.shapes"}


def test_an_update_sends_something_and_may_remove_the_drawing():
    assert refused_fields(CommentUpdate, {}) == {"body"}
    assert refused_fields(CommentUpdate, {"replyTo": "x"}) == {"replyTo"}
    assert refused_fields(CommentUpdate, {"atMs": -1, "text": ""}) == {"atMs", "text"}
    removed = parse(CommentUpdate, {"drawing": None})
    assert removed.drawing is None
    assert "drawing" in removed.model_fields_set
    assert parse(CommentUpdate, {"text": " new "}).text == "new"


def test_resolve_defaults_to_resolved():
    assert parse(CommentResolve, {}).resolved is True
    assert parse(CommentResolve, {"resolved": False}).resolved is False
    assert refused_fields(CommentResolve, {"resolved": "yes"}) == {"resolved"}


def test_a_drawing_is_stored_without_nested_arrays_and_read_back_as_sent():
    # Firestore cannot store an array inside an array: points are stored as {x, y} maps.
    drawing = parse(CommentCreate, create(drawing={"shapes": [line(width=3)]})).drawing
    assert drawing is not None
    stored = drawing_to_store(drawing)
    assert stored == {
        "shapes": [
            {
                "kind": "line",
                "points": [{"x": 0.1, "y": 0.2}, {"x": 0.5, "y": 0.5}],
                "colour": "#ff0000",
                "width": 3,
            }
        ]
    }
    assert not any(isinstance(p, list) for s in stored["shapes"] for p in s["points"])
    assert drawing_from_store(stored) == drawing
    record = CommentRecord.model_validate(
        {"sessionId": "s", "commentId": "c", "atMs": 0, "text": "t", "drawing": stored}
    )
    assert record.drawing == stored
