"""Angles between body segments, in degrees, from one frame's landmarks.

``joint_angle(a, b, c)`` is the angle at ``b`` between the segments to ``a`` and to ``c``: 180°
for a straight line, 90° for a right angle. Measures built on it return None when a landmark
they need is not seen (``Frame.seen``): a figure is given only for what the model saw.

The measures of a frame (``MEASURES``, named as stored), all 2-D, in the image plane:

- ``knee_flexion``, ``hip_flexion``, ``elbow_flexion``: 180° − the joint's interior angle, so a
  straight limb is 0° and a right angle 90°. Unsigned: the image cannot tell flexion from
  hyperextension (a leg behind the body reads as hip flexion too);
- ``shoulder_abduction``: the angle between the trunk line shoulder→hip and the upper arm
  shoulder→elbow: 0° with the arm along the trunk, 90° horizontal, 180° overhead. In a side view
  the same angle is the arm's elevation forward or back (flexion);
- ``trunk_lean``: the line hip midpoint → shoulder midpoint against the image vertical: 0°
  upright, positive when the shoulders are to the image's right of the hips (clockwise as seen),
  negative to its left, ±180° upside down;
- ``knee_fppa``: the knee's frontal-plane projection angle, signed, positive for valgus
  (see there); only in a frontal ``view``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum

from sessionbase.domain.pose.joints import JOINTS, Joint
from sessionbase.domain.pose.landmarks import Body, Frame

Vector = tuple[float, float]


def joint_angle(a: Vector, b: Vector, c: Vector) -> float | None:
    """The angle at ``b`` between b→a and b→c, 0–180°; None when a segment has no length."""
    ux, uy = a[0] - b[0], a[1] - b[1]
    vx, vy = c[0] - b[0], c[1] - b[1]
    lengths = math.hypot(ux, uy) * math.hypot(vx, vy)
    if lengths == 0:
        return None
    cosine = max(-1.0, min(1.0, (ux * vx + uy * vy) / lengths))
    return math.degrees(math.acos(cosine))


def angle_at(frame: Frame, a: Body, b: Body, c: Body) -> float | None:
    """``joint_angle`` of three landmarks of a frame, or None if one is not seen."""
    if not frame.seen(a, b, c):
        return None
    return joint_angle(frame.xy(a), frame.xy(b), frame.xy(c))


class Side(StrEnum):
    """A side of the body: the person's own, not the image's."""

    LEFT = "left"
    RIGHT = "right"


class View(StrEnum):
    """Where the camera sees the person from (``view``)."""

    FRONTAL = "frontal"  # from the front or the back
    SIDE = "side"
    UNKNOWN = "unknown"  # in between, or the shoulders and hips are not all seen


# ``view``'s thresholds: shoulder and hip widths as fractions of the torso's length (shoulder
# midpoint to hip midpoint). Facing the camera, adult proportions give about 0.9 for the
# shoulders and 0.45 for the hip joints; turning by θ about the vertical scales both by cos θ and
# leaves the torso's length. Frontal: both at least 2/3 of that (turned less than ~48°); side:
# both at most 1/3 (turned more than ~70°); anything else is unknown.
FRONTAL_SHOULDERS, FRONTAL_HIPS = 0.6, 0.3
SIDE_SHOULDERS, SIDE_HIPS = 0.3, 0.15

_HIPS = {Side.LEFT: Body.LEFT_HIP, Side.RIGHT: Body.RIGHT_HIP}
_TRUNK = (Body.LEFT_SHOULDER, Body.RIGHT_SHOULDER, Body.LEFT_HIP, Body.RIGHT_HIP)


def flexion(frame: Frame, joint: Joint) -> float | None:
    """180° − the interior angle at the joint: 0° for a straight limb, 90° for a right angle."""
    interior = angle_at(frame, *joint)
    return None if interior is None else 180.0 - interior


def knee_flexion(frame: Frame, side: Side) -> float | None:
    """Knee flexion: the shank against the thigh's line (hip, knee, ankle)."""
    return flexion(frame, JOINTS[f"{side}Knee"])


def hip_flexion(frame: Frame, side: Side) -> float | None:
    """Hip flexion: the thigh against the trunk's line (shoulder, hip, knee)."""
    return flexion(frame, JOINTS[f"{side}Hip"])


def elbow_flexion(frame: Frame, side: Side) -> float | None:
    """Elbow flexion: the forearm against the upper arm's line (shoulder, elbow, wrist)."""
    return flexion(frame, JOINTS[f"{side}Elbow"])


def shoulder_abduction(frame: Frame, side: Side) -> float | None:
    """The angle between shoulder→hip and shoulder→elbow: 0° arm down, 90° out, 180° up."""
    return angle_at(frame, *JOINTS[f"{side}Shoulder"])


def _midpoint(frame: Frame, a: Body, b: Body) -> tuple[float, float]:
    (ax, ay), (bx, by) = frame.xy(a), frame.xy(b)
    return ((ax + bx) / 2, (ay + by) / 2)


def trunk_lean(frame: Frame) -> float | None:
    """Hip midpoint → shoulder midpoint against the image vertical, −180° to 180°.

    Positive when the shoulders are to the image's right of the hips, negative to its left; None
    unless both shoulders and both hips are seen, or when the two midpoints coincide.
    """
    if not frame.seen(*_TRUNK):
        return None
    sx, sy = _midpoint(frame, Body.LEFT_SHOULDER, Body.RIGHT_SHOULDER)
    hx, hy = _midpoint(frame, Body.LEFT_HIP, Body.RIGHT_HIP)
    if (sx, sy) == (hx, hy):
        return None
    # The image's y grows downwards: "up" is −y.
    return math.degrees(math.atan2(sx - hx, hy - sy))


def widths(frame: Frame) -> tuple[float, float] | None:
    """Shoulder width and hip width, each ÷ the torso's length; None unless all four are seen."""
    if not frame.seen(*_TRUNK):
        return None
    sx, sy = _midpoint(frame, Body.LEFT_SHOULDER, Body.RIGHT_SHOULDER)
    hx, hy = _midpoint(frame, Body.LEFT_HIP, Body.RIGHT_HIP)
    torso = math.hypot(sx - hx, sy - hy)
    if torso == 0:
        return None
    shoulders = math.dist(frame.xy(Body.LEFT_SHOULDER), frame.xy(Body.RIGHT_SHOULDER))
    hips = math.dist(frame.xy(Body.LEFT_HIP), frame.xy(Body.RIGHT_HIP))
    return (shoulders / torso, hips / torso)


def view(frame: Frame) -> View:
    """Frontal, side or unknown, from the shoulder and hip widths (``FRONTAL_*``, ``SIDE_*``)."""
    found = widths(frame)
    if found is None:
        return View.UNKNOWN
    shoulders, hips = found
    if shoulders >= FRONTAL_SHOULDERS and hips >= FRONTAL_HIPS:
        return View.FRONTAL
    if shoulders <= SIDE_SHOULDERS and hips <= SIDE_HIPS:
        return View.SIDE
    return View.UNKNOWN


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """The z of (a − o) × (b − o): its sign says on which side of the line o→a ``b`` lies."""
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def knee_fppa(frame: Frame, side: Side) -> float | None:
    """The knee's 2-D frontal-plane projection angle (FPPA), signed, in a frontal view only.

    The angle between the thigh (hip→knee) and the shank (knee→ankle) in the image: 0° when
    they are aligned; positive when the knee lies medial of the hip–ankle line (toward the
    body's midline: valgus), negative lateral of it (varus), the same on either leg. This is the
    2-D FPPA of Willson & Davis (2008, J Orthop Sports Phys Ther 38(10):606–615) and Munro,
    Herrington & Carolan (2012, J Sport Rehabil 21(1):7–11), with the model's hip landmark for
    their thigh marker (ASIS or mid-thigh) and its ankle landmark for the malleoli's midpoint.
    Medial is the side of the other hip, so a view from behind reads the same as from the front.
    None unless ``view(frame)`` is frontal and the leg and both hips are seen.
    """
    hip, knee, ankle = JOINTS[f"{side}Knee"]
    other = _HIPS[Side.RIGHT if side is Side.LEFT else Side.LEFT]
    if view(frame) is not View.FRONTAL or not frame.seen(hip, knee, ankle, other):
        return None
    deviation = flexion(frame, (hip, knee, ankle))
    h, a = frame.xy(hip), frame.xy(ankle)
    toward_knee = _cross(h, a, frame.xy(knee))
    toward_midline = _cross(h, a, frame.xy(other))
    if deviation is None or toward_midline == 0:
        return None  # no leg, or the other hip on the leg's line: no medial side to tell
    return deviation if toward_knee * toward_midline >= 0 else -deviation


_PER_SIDE: dict[str, Callable[[Frame, Side], float | None]] = {
    "KneeFlexion": knee_flexion,
    "HipFlexion": hip_flexion,
    "ElbowFlexion": elbow_flexion,
    "ShoulderAbduction": shoulder_abduction,
    "KneeFppa": knee_fppa,
}


def _on(side: Side, of: Callable[[Frame, Side], float | None]) -> Callable[[Frame], float | None]:
    def measured(frame: Frame) -> float | None:
        return of(frame, side)

    return measured


MEASURES: dict[str, Callable[[Frame], float | None]] = {
    **{f"{side}{name}": _on(side, of) for name, of in _PER_SIDE.items() for side in Side},
    "trunkLean": trunk_lean,
}
"""Every measure of a frame by its stored name (``leftKneeFlexion`` … ``trunkLean``)."""


def measure(frame: Frame) -> dict[str, float | None]:
    """All ``MEASURES`` of one frame, in degrees, None for those not measurable in it."""
    return {name: of(frame) for name, of in MEASURES.items()}
