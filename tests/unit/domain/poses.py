"""Hand-made bodies the pose tests start from: a person standing, seen from the front, from
behind and from the side, moved a landmark at a time."""

from __future__ import annotations

import math

from sessionbase.domain.pose.landmarks import Body, Frame, Point

B = Body

# Facing the camera: the person's left is the image's right (x > 0.5). Shoulders 0.2 apart,
# hips 0.1, torso 0.25 long: widths 0.8 and 0.4 of the torso, a frontal view.
FRONT: dict[Body, tuple[float, float]] = {
    B.NOSE: (0.50, 0.15),
    B.LEFT_SHOULDER: (0.60, 0.30),
    B.RIGHT_SHOULDER: (0.40, 0.30),
    B.LEFT_ELBOW: (0.62, 0.43),
    B.RIGHT_ELBOW: (0.38, 0.43),
    B.LEFT_WRIST: (0.63, 0.55),
    B.RIGHT_WRIST: (0.37, 0.55),
    B.LEFT_HIP: (0.55, 0.55),
    B.RIGHT_HIP: (0.45, 0.55),
    B.LEFT_KNEE: (0.55, 0.75),
    B.RIGHT_KNEE: (0.45, 0.75),
    B.LEFT_ANKLE: (0.55, 0.95),
    B.RIGHT_ANKLE: (0.45, 0.95),
}

# From behind: the person's left is the image's left.
BACK = {part: (1.0 - x, y) for part, (x, y) in FRONT.items()}

# From the side (facing the image's right): shoulders and hips 0.02 apart, torso 0.3 long.
SIDE: dict[Body, tuple[float, float]] = {
    B.NOSE: (0.56, 0.12),
    B.LEFT_SHOULDER: (0.50, 0.20),
    B.RIGHT_SHOULDER: (0.52, 0.20),
    B.LEFT_ELBOW: (0.50, 0.35),
    B.RIGHT_ELBOW: (0.52, 0.35),
    B.LEFT_WRIST: (0.50, 0.48),
    B.RIGHT_WRIST: (0.52, 0.48),
    B.LEFT_HIP: (0.50, 0.50),
    B.RIGHT_HIP: (0.52, 0.50),
    B.LEFT_KNEE: (0.50, 0.70),
    B.RIGHT_KNEE: (0.52, 0.70),
    B.LEFT_ANKLE: (0.50, 0.90),
    B.RIGHT_ANKLE: (0.52, 0.90),
}


def body(
    template: dict[Body, tuple[float, float]],
    *,
    aspect: float = 1.0,
    unseen: tuple[Body, ...] = (),
    **moved: tuple[float, float],
) -> Frame:
    """The template's landmarks, some ``moved`` (by lower-case name) or ``unseen``; the rest of
    the 33 are not seen."""
    points = dict(template) | {Body[name.upper()]: xy for name, xy in moved.items()}
    return Frame.of(
        {part: Point(x, y, 0.0 if part in unseen else 1.0) for part, (x, y) in points.items()},
        aspect=aspect,
    )


def bent(start: tuple[float, float], degrees: float, length: float = 0.2) -> tuple[float, float]:
    """The point ``length`` from ``start``, turned ``degrees`` from straight down toward +x."""
    angle = math.radians(degrees)
    return (start[0] + length * math.sin(angle), start[1] + length * math.cos(angle))


def side_squat(left_knee: float, right_knee: float = 0.0) -> Frame:
    """The side view with each knee flexed by these angles (the thighs stay vertical)."""
    return body(
        SIDE,
        left_ankle=bent(SIDE[B.LEFT_KNEE], left_knee),
        right_ankle=bent(SIDE[B.RIGHT_KNEE], right_knee),
    )
