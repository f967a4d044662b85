"""The 33 body landmarks a pose model reports (MediaPipe Pose's topology), and a frame of them.

Coordinates are normalised to the image: ``x`` from the left edge (0) to the right (1), ``y`` from
the top (0) to the bottom (1); ``visibility`` is the model's confidence (0–1) that the point is
visible. "Left" and "right" are the person's own sides, not the image's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum


class Body(IntEnum):
    """Landmark indices, in the model's order."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


LANDMARKS = len(Body)

# A point counts as seen at this visibility or above; a measure needs all of its points seen.
VISIBLE = 0.5


@dataclass(frozen=True, slots=True)
class Point:
    """One landmark: normalised image coordinates and the model's visibility."""

    x: float
    y: float
    visibility: float = 1.0


@dataclass(frozen=True, slots=True)
class Frame:
    """The landmarks of one person in one image (or one video frame), indexed by ``Body``.

    ``aspect`` is the image's width ÷ height: normalised x and y are scaled by different
    lengths, so angles are taken in pixels' proportions (x × aspect, y).
    """

    points: tuple[Point, ...]
    aspect: float = 1.0

    def __post_init__(self) -> None:
        if len(self.points) != LANDMARKS:
            raise ValueError(f"a frame has {LANDMARKS} landmarks, not {len(self.points)}")
        if not self.aspect > 0:
            raise ValueError("the aspect ratio must be positive")

    def __getitem__(self, part: Body) -> Point:
        return self.points[part]

    def seen(self, *parts: Body) -> bool:
        """Whether every one of these landmarks is visible enough to measure with."""
        return all(self.points[part].visibility >= VISIBLE for part in parts)

    def xy(self, part: Body) -> tuple[float, float]:
        """The landmark in the image's proportions (x scaled by the aspect ratio)."""
        point = self.points[part]
        return (point.x * self.aspect, point.y)

    @classmethod
    def of(cls, points: Sequence[Point] | Mapping[Body, Point], *, aspect: float = 1.0) -> Frame:
        """A frame from all 33 points in order, or from some of them by name (the rest unseen)."""
        if isinstance(points, Mapping):
            unseen = Point(0.0, 0.0, 0.0)
            return cls(tuple(points.get(part, unseen) for part in Body), aspect)
        return cls(tuple(points), aspect)
