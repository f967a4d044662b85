"""Timestamped comments on a session's video, with drawings (``sessions/{id}/comments/{cid}``).

A drawing's points are ``[x, y]`` pairs in the frame's coordinates (0..1 across and down) in the
API; Firestore cannot hold an array inside an array, so the stored document (what a listener
reads) holds each point as ``{x, y}`` (docs/decisions.md, "Video review: comments").
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sessionbase.models.base import Input, Output, Part, Record
from sessionbase.models.fields import Id

# Bounds of one comment (docs/decisions.md): a drawing stays well inside a Firestore document.
MAX_TEXT = 2000
MAX_SHAPES = 50
MAX_POINTS = 2000  # in all the shapes of one drawing
MAX_FREEHAND_POINTS = 500
# A comment's time: no video is longer than a day (the check against the video is the domain's).
MAX_AT_MS = 24 * 3600 * 1000
COMMENTS_PER_SESSION = 500

ShapeKind = Literal["line", "arrow", "circle", "freehand"]
# How many points each kind has: (at least, at most).
POINTS_OF: dict[str, tuple[int, int]] = {
    "line": (2, 2),
    "arrow": (2, 2),
    "circle": (2, 2),  # the centre, then a point on the rim
    "freehand": (2, MAX_FREEHAND_POINTS),
}


def _text(value: str) -> str:
    """One string: trimmed (``StringConstraints``), its line breaks kept as ``\\n``."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


CommentText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    AfterValidator(_text),
]
AtMs = Annotated[int, Field(ge=0, le=MAX_AT_MS, description="milliseconds into the video")]
Coordinate = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$"), AfterValidator(str.lower)]


class Shape(Input):
    """One shape of a drawing: its kind, its points (``[x, y]``, 0..1 of the frame), colour."""

    kind: ShapeKind
    points: list[tuple[Coordinate, Coordinate]] = Field(
        description="line, arrow: 2 (from, to); circle: 2 (centre, a point on the rim); "
        f"freehand: 2-{MAX_FREEHAND_POINTS}"
    )
    colour: Colour = Field(description="#rrggbb")
    width: int | None = Field(default=None, ge=1, le=20)

    @field_validator("points")
    @classmethod
    def _as_many_as_the_kind_has(
        cls, points: list[tuple[float, float]], info: ValidationInfo
    ) -> list[tuple[float, float]]:
        least, most = POINTS_OF.get(info.data.get("kind", "freehand"), POINTS_OF["freehand"])
        if not least <= len(points) <= most:
            kind = info.data.get("kind", "a shape")
            wanted = str(least) if least == most else f"{least}-{most}"
            raise ValueError(f"{kind}: {wanted} points, not {len(points)}")
        return points


class Drawing(Input):
    """Shapes drawn over the frame at the comment's time."""

    shapes: list[Shape] = Field(min_length=1, max_length=MAX_SHAPES)

    @field_validator("shapes")
    @classmethod
    def _bounded_points(cls, shapes: list[Shape]) -> list[Shape]:
        total = sum(len(shape.points) for shape in shapes)
        if total > MAX_POINTS:
            raise ValueError(f"at most {MAX_POINTS} points in all the shapes, not {total}")
        return shapes


def drawing_to_store(drawing: Drawing) -> dict[str, Any]:
    """A drawing as stored: each point a ``{x, y}`` map (no array inside an array)."""
    shapes = []
    for shape in drawing.shapes:
        stored = shape.model_dump(exclude_none=True)
        stored["points"] = [{"x": x, "y": y} for x, y in shape.points]
        shapes.append(stored)
    return {"shapes": shapes}


def drawing_from_store(stored: dict[str, Any]) -> Drawing:
    """A stored drawing as the API shows it (points as ``[x, y]``)."""
    shapes = [
        {**shape, "points": [(point["x"], point["y"]) for point in shape.get("points", [])]}
        for shape in stored.get("shapes", [])
    ]
    # Stored by this code: built as it was validated on the way in, not validated again.
    return Drawing.model_construct(shapes=[Shape.model_construct(**shape) for shape in shapes])


class CommentCreate(Input):
    """Body of ``POST /api/sessions/{id}/comments``."""

    atMs: AtMs
    text: CommentText
    drawing: Drawing | None = None
    replyTo: Id | None = Field(default=None, description="a top-level comment of this session")


class CommentUpdate(Input):
    """Body of ``PUT /api/sessions/{id}/comments/{commentId}``; ``drawing: null`` removes it.

    At least one field; only what is sent changes."""

    text: CommentText | None = None
    drawing: Drawing | None = None
    atMs: AtMs | None = None

    @model_validator(mode="after")
    def _something(self) -> CommentUpdate:
        if not self.model_fields_set:
            raise ValueError("send text, drawing or atMs")
        return self


class CommentResolve(Input):
    """Body of ``POST /api/sessions/{id}/comments/{commentId}/resolve``."""

    resolved: bool = True


class CommentFields(Part):
    """The fields of a comment that its document and the API share."""

    commentId: str
    sessionId: str
    atMs: int
    text: str
    replyTo: str | None = None
    authorId: str | None = None
    authorName: str | None = None
    createdAt: dt.datetime | None = None
    editedAt: dt.datetime | None = None
    resolved: bool = False
    resolvedBy: str | None = None
    resolvedAt: dt.datetime | None = None
    # The session's analysisJobId when the comment was made: the video it is about.
    videoJobId: str | None = None


class CommentRecord(CommentFields, Record):
    """``sessions/{id}/comments/{commentId}`` as stored (``drawing``: see ``drawing_to_store``)."""

    drawing: dict[str, Any] | None = None


class CommentPublic(CommentFields, Output):
    """A comment as the API answers it."""

    drawing: Drawing | None = None
    earlierVideo: bool = Field(
        description="true when the comment was made on a video since replaced (its videoJobId "
        "is not the session's analysisJobId)"
    )

    @classmethod
    def of(cls, record: CommentRecord, *, earlier_video: bool) -> CommentPublic:
        """The comment as a client reads it."""
        fields = record.model_dump(exclude={"drawing"})
        drawing = None if record.drawing is None else drawing_from_store(record.drawing)
        return cls.model_validate({**fields, "drawing": drawing, "earlierVideo": earlier_video})


class CommentCreated(Output):
    """``POST /api/sessions/{id}/comments``: the new comment's id."""

    commentId: str


class CommentList(Output):
    """``GET /api/sessions/{id}/comments``: by ``atMs``, then ``createdAt``."""

    comments: list[CommentPublic]


class CommentDeleted(Output):
    """``DELETE /api/sessions/{id}/comments/{commentId}``: the comment and its replies."""

    commentId: str
    deleted: bool
    deletedReplies: int
