"""The yoga seed's 11 poses, each with a template of joint angles, and how a frame is scored
against one (issue 23: ``/api/poses``, ``/api/analyze/{pose_name}``, ``/api/analyze-pose``).

The poses and their keys are the yoga seed's own (``chair``, ``mountain`` … ``warrior2``; its
README's table, ``lowlung`` spelt as there). A template gives, per joint of ``joints.JOINTS``, the
interior angle (180° = straight) a teacher would cue and a tolerance. **The targets are
instruction-based, not clinical norms**: they are read off the common cues of yoga teaching
("front knee over the ankle, thigh parallel to the floor" → front knee 90°; "back leg straight" →
180°; "arms at shoulder height" → shoulder 90°), rounded to 5°, with wider tolerances where
teachers accept variants (how deep a chair, how high the arms in tree). Each template also
gives the trunk's angle from upright (``TRUNK``), since the joints alone cannot tell a T-pose
from a side plank or a mountain from a lying figure. The targets describe a 2-D picture taken
from the side the pose is usually shown from, and ignore what 2-D keypoints cannot see (hip
rotation, weight over the feet, breath). Tree asks for the arms overhead, the full form; hands
at the heart score low on the arms.

Scoring (``assess``), from the signed deviation ``off = measured − target`` of each template
joint seen:

- a joint scores 1 within its tolerance, then falls linearly to 0 at ``tolerance + 45°``:
  ``score = max(0, 1 − max(0, |off| − tolerance) / 45)``;
- ``accuracy = 100 × mean(score)`` over the template's joints seen, to one decimal;
- a joint needs its three landmarks seen (``Frame.seen``); if fewer than ``MIN_SEEN`` (¾, rounded
  up) of the template's joints are seen, the frame is refused (``BodyNotVisible``): an accuracy
  from a few joints would overstate what was checked. The joints not seen are named in the
  feedback and in ``Assessment.unseen``.

Asymmetric poses (a front leg, a standing leg, a supporting arm) are written with the leading
limb on the person's left; a frame is scored both ways (left and right swapped) and the better
one is kept, and ``Assessment.side`` says which side led. Feedback (what is within tolerance) and
improvements (what is not, with the direction and about how many degrees, to the nearest 5°) are
generated from the same deviations; nothing is canned per pose. Every string fits the yoga
session body (``models.sessions.PoseIn``: one line, at most 200 characters, at most 50 items).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from sessionbase.domain.pose.angles import angle_at, joint_angle
from sessionbase.domain.pose.joints import JOINTS
from sessionbase.domain.pose.landmarks import Body, Frame
from sessionbase.errors import InvalidArgument, NotFound

Side = Literal["left", "right"]

FALLOFF = 45.0  # degrees beyond the tolerance at which a joint scores 0
MIN_SEEN = 0.75  # share of a template's joints that must be seen to score it
RECOGNISED = 70.0  # the least accuracy at which ``recognise`` names a pose
STRAIGHT = 170.0  # a target at or above this is "straight": "straighten", not "bend less"
STEP = 5  # degrees in improvements are rounded to this
# The trunk's angle from upright, mid-hip → mid-shoulder against the image's vertical: 0° standing
# or sitting tall, 90° lying on the side, 180° upside down. Joint angles alone cannot tell a
# T-pose from a side plank (the same body, turned): the trunk's bearing can.
TRUNK = "trunk"


class BodyNotVisible(InvalidArgument):
    """Too little of the body was seen to score a pose (the photo, not the request, is short)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """One joint of a template: its angle and tolerance, in degrees.

    ``joint`` is a ``JOINTS`` key (as for the leading limb on the left) or ``TRUNK``; ``role``
    names the joint in an asymmetric pose ("front" → "front knee") whichever side it is on.
    """

    joint: str
    angle: float
    tolerance: float
    role: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Pose:
    """A supported pose: the seed's key, its names, a description, its template, what to watch.

    ``lead`` is set for an asymmetric pose: the limb and role the template puts on the left
    (``("leg", "front")``); the frame is then scored with either side leading.
    """

    key: str
    name: str
    sanskrit_name: str | None
    description: str
    targets: tuple[Target, ...]
    watch: tuple[str, ...]
    lead: tuple[str, str] | None = None


def _both(part: str, angle: float, tolerance: float) -> tuple[Target, Target]:
    return (
        Target(joint=f"left{part}", angle=angle, tolerance=tolerance),
        Target(joint=f"right{part}", angle=angle, tolerance=tolerance),
    )


def _pair(
    part: str, lead: tuple[str, float, float], other: tuple[str, float, float]
) -> tuple[Target, Target]:
    return (
        Target(joint=f"left{part}", role=lead[0], angle=lead[1], tolerance=lead[2]),
        Target(joint=f"right{part}", role=other[0], angle=other[1], tolerance=other[2]),
    )


_POSES = (
    Pose(
        key="chair",
        name="Chair Pose",
        sanskrit_name="Utkatasana",
        description="A standing squat with the arms overhead; strengthens the legs and core.",
        targets=(
            Target(joint=TRUNK, angle=30, tolerance=15),
            *_both("Knee", 100, 20),
            *_both("Hip", 90, 20),
            *_both("Shoulder", 170, 20),
            *_both("Elbow", 180, 15),
        ),
        watch=(
            "Sit back as if onto a chair, thighs toward parallel to the floor.",
            "Keep the knees over the ankles, not past the toes.",
            "Reach the arms up in line with the trunk, elbows straight.",
        ),
    ),
    Pose(
        key="mountain",
        name="Mountain Pose",
        sanskrit_name="Tadasana",
        description="Standing tall with the feet together and the arms at the sides.",
        targets=(
            Target(joint=TRUNK, angle=0, tolerance=10),
            *_both("Knee", 180, 10),
            *_both("Hip", 180, 10),
            *_both("Shoulder", 10, 15),
            *_both("Elbow", 180, 15),
        ),
        watch=(
            "Stand tall: knees and hips straight, the trunk over the hips.",
            "Let the arms hang by the sides, elbows long.",
            "Spread the weight evenly over both feet.",
        ),
    ),
    Pose(
        key="tree",
        name="Tree Pose",
        sanskrit_name="Vrksasana",
        description="Balancing on one leg with the other foot against the standing thigh.",
        targets=(
            Target(joint=TRUNK, angle=0, tolerance=10),
            *_pair("Knee", ("standing", 180, 10), ("raised", 45, 20)),
            *_pair("Hip", ("standing", 175, 10), ("raised", 125, 25)),
            *_both("Shoulder", 165, 25),
        ),
        watch=(
            "Keep the standing leg straight and the hips level.",
            "Open the raised knee out to the side, the foot on the inner thigh, not the knee.",
            "Reach the arms overhead.",
        ),
        lead=("leg", "standing"),
    ),
    Pose(
        key="downdog",
        name="Downward-Facing Dog",
        sanskrit_name="Adho Mukha Svanasana",
        description="An inverted V on the hands and feet; stretches the back of the body.",
        targets=(
            Target(joint=TRUNK, angle=135, tolerance=20),
            *_both("Knee", 180, 15),
            *_both("Hip", 75, 20),
            *_both("Shoulder", 170, 20),
            *_both("Elbow", 180, 15),
        ),
        watch=(
            "Lift the hips up and back into an inverted V.",
            "Straighten the legs as far as they allow, heels toward the floor.",
            "Arms straight and in line with the trunk.",
        ),
    ),
    Pose(
        key="goddess",
        name="Goddess Pose",
        sanskrit_name="Utkata Konasana",
        description="A wide squat with the knees out and the arms bent up; opens the hips.",
        targets=(
            Target(joint=TRUNK, angle=0, tolerance=10),
            *_both("Knee", 100, 20),
            *_both("Hip", 100, 20),
            *_both("Shoulder", 90, 20),
            *_both("Elbow", 90, 20),
        ),
        watch=(
            "Sink the hips toward knee height, knees tracking over the toes.",
            "Keep the trunk upright.",
            "Upper arms at shoulder height, forearms up: elbows at right angles.",
        ),
    ),
    Pose(
        key="lord",
        name="Lord of the Dance",
        sanskrit_name="Natarajasana",
        description="Balancing on one leg, holding the other foot behind and reaching forward.",
        targets=(
            Target(joint=TRUNK, angle=50, tolerance=25),
            *_pair("Knee", ("standing", 180, 10), ("lifted", 70, 25)),
            *_pair("Hip", ("standing", 130, 25), ("lifted", 150, 25)),
            *_pair("Shoulder", ("reaching", 150, 25), ("holding", 60, 25)),
            *_pair("Elbow", ("reaching", 180, 20), ("holding", 180, 20)),
        ),
        watch=(
            "Keep the standing leg straight.",
            "Kick the lifted foot back into the hand as the chest tips forward.",
            "Reach the free arm forward and up, elbows straight.",
        ),
        lead=("leg", "standing"),
    ),
    Pose(
        key="lowlung",
        name="Low Lunge",
        sanskrit_name="Anjaneyasana",
        description="A lunge with the back knee on the floor and the arms overhead.",
        targets=(
            Target(joint=TRUNK, angle=10, tolerance=15),
            *_pair("Knee", ("front", 90, 15), ("back", 120, 25)),
            *_pair("Hip", ("front", 90, 20), ("back", 155, 20)),
            *_both("Shoulder", 170, 20),
            *_both("Elbow", 180, 15),
        ),
        watch=(
            "Front knee over the front ankle, bent to about a right angle.",
            "Sink the hips forward to open the front of the back hip.",
            "Reach the arms up in line with the trunk.",
        ),
        lead=("leg", "front"),
    ),
    Pose(
        key="side_plank",
        name="Side Plank",
        sanskrit_name="Vasisthasana",
        description="Balancing on one hand and the side of one foot, the body in one line.",
        targets=(
            Target(joint=TRUNK, angle=65, tolerance=15),
            *_both("Knee", 180, 10),
            *_both("Hip", 180, 15),
            *_pair("Shoulder", ("supporting", 70, 20), ("top", 110, 25)),
            *_pair("Elbow", ("supporting", 180, 15), ("top", 180, 15)),
        ),
        watch=(
            "Body in one straight line from the heels to the head; do not let the hips sag.",
            "Supporting hand under the shoulder, arm straight.",
            "Top arm reaching up, in line with the supporting arm.",
        ),
        lead=("arm", "supporting"),
    ),
    Pose(
        key="staff",
        name="Staff Pose",
        sanskrit_name="Dandasana",
        description="Sitting upright with the legs straight out in front.",
        targets=(
            Target(joint=TRUNK, angle=0, tolerance=10),
            *_both("Knee", 180, 10),
            *_both("Hip", 90, 15),
            *_both("Shoulder", 10, 15),
            *_both("Elbow", 180, 15),
        ),
        watch=(
            "Sit tall, the trunk upright over the hips.",
            "Legs straight, thighs pressing down.",
            "Hands by the hips, arms straight.",
        ),
    ),
    Pose(
        key="t_pose",
        name="T-Pose",
        sanskrit_name=None,  # not a traditional asana
        description="Standing tall with the arms straight out to the sides at shoulder height.",
        targets=(
            Target(joint=TRUNK, angle=0, tolerance=10),
            *_both("Knee", 180, 10),
            *_both("Hip", 180, 10),
            *_both("Shoulder", 90, 15),
            *_both("Elbow", 180, 15),
        ),
        watch=(
            "Stand tall, legs straight.",
            "Arms straight out at shoulder height, level with each other.",
        ),
    ),
    Pose(
        key="warrior2",
        name="Warrior II",
        sanskrit_name="Virabhadrasana II",
        description="A wide stance, the front knee bent and the arms out over the legs.",
        targets=(
            Target(joint=TRUNK, angle=0, tolerance=10),
            *_pair("Knee", ("front", 90, 15), ("back", 180, 10)),
            *_pair("Hip", ("front", 95, 20), ("back", 140, 20)),
            *_both("Shoulder", 90, 15),
            *_both("Elbow", 180, 15),
        ),
        watch=(
            "Bend the front knee to about a right angle, over the ankle.",
            "Keep the back leg straight.",
            "Arms out at shoulder height, straight, over the legs.",
        ),
        lead=("leg", "front"),
    ),
)

POSES: dict[str, Pose] = {pose.key: pose for pose in _POSES}


def supported(key: str) -> Pose:
    """The pose with this key; NotFound naming the supported ones otherwise."""
    try:
        return POSES[key]
    except KeyError:
        raise NotFound(f"pose {key!r} is not supported; supported: {', '.join(POSES)}") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """One template joint as measured: ``off`` is measured − target (+ = more open)."""

    joint: str
    label: str
    target: float
    tolerance: float
    measured: float

    @property
    def off(self) -> float:
        """The signed deviation, degrees: positive when the joint is more open than the target."""
        return self.measured - self.target

    @property
    def beyond(self) -> float:
        """How far outside the tolerance, degrees (0 within it)."""
        return max(0.0, abs(self.off) - self.tolerance)

    @property
    def score(self) -> float:
        """1 within tolerance, falling linearly to 0 at tolerance + ``FALLOFF``."""
        return max(0.0, 1.0 - self.beyond / FALLOFF)


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    """A frame scored against one pose, in the shape the yoga session body accepts."""

    pose: str
    pose_name: str
    accuracy: float
    side: Side | None
    angles: dict[str, float]
    checks: tuple[Check, ...]
    unseen: tuple[str, ...]
    feedback: tuple[str, ...]
    improvements: tuple[str, ...]


def measure(frame: Frame) -> dict[str, float]:
    """The interior angle of each joint of ``JOINTS`` seen, and the trunk's from upright (°)."""
    angles: dict[str, float] = {}
    for name, (a, b, c) in JOINTS.items():
        angle = angle_at(frame, a, b, c)
        if angle is not None:
            angles[name] = angle
    trunk = _trunk(frame)
    if trunk is not None:
        angles[TRUNK] = trunk
    return angles


def _trunk(frame: Frame) -> float | None:
    """``TRUNK``: the angle at the mid-hip between the mid-shoulder and a point straight above."""
    shoulders, hips = (Body.LEFT_SHOULDER, Body.RIGHT_SHOULDER), (Body.LEFT_HIP, Body.RIGHT_HIP)
    if not frame.seen(*shoulders, *hips):
        return None
    shoulder = _middle(frame.xy(shoulders[0]), frame.xy(shoulders[1]))
    hip = _middle(frame.xy(hips[0]), frame.xy(hips[1]))
    return joint_angle(shoulder, hip, (hip[0], hip[1] - 1.0))  # y grows downward


def _middle(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def assess(pose: Pose, frame: Frame) -> Assessment:
    """How well ``frame`` matches ``pose``: accuracy, feedback and improvements (module doc).

    Raises ``BodyNotVisible`` when fewer than ``MIN_SEEN`` of the template's joints are seen.
    """
    angles = measure(frame)
    sides: tuple[Side | None, ...] = ("left", "right") if pose.lead else (None,)
    # Both orientations see the same joints (they swap sides), so one refusal covers both.
    scored = [_score(pose, angles, side) for side in sides]
    return max(scored, key=lambda assessment: assessment.accuracy)


def recognise(frame: Frame) -> Assessment | None:
    """The supported pose ``frame`` matches best, or None if none reaches ``RECOGNISED``.

    Poses whose joints are not seen enough are skipped; if that is every pose, ``BodyNotVisible``.
    """
    found: list[Assessment] = []
    for pose in POSES.values():
        try:
            found.append(assess(pose, frame))
        except BodyNotVisible:
            continue
    if not found:
        raise BodyNotVisible("not enough of the body visible to recognise a pose")
    best = max(found, key=lambda assessment: assessment.accuracy)
    return best if best.accuracy >= RECOGNISED else None


def _score(pose: Pose, angles: dict[str, float], side: Side | None) -> Assessment:
    checks: list[Check] = []
    unseen: list[str] = []
    for target in pose.targets:
        joint = _mirror(target.joint) if side == "right" else target.joint
        label = _label(joint, target.role)
        if joint in angles:
            checks.append(
                Check(
                    joint=joint,
                    label=label,
                    target=target.angle,
                    tolerance=target.tolerance,
                    measured=angles[joint],
                )
            )
        else:
            unseen.append(label)
    needed = math.ceil(MIN_SEEN * len(pose.targets))
    if len(checks) < needed:
        raise BodyNotVisible(
            f"not enough of the body visible for {pose.name}: {len(checks)} of "
            f"{len(pose.targets)} joints seen, {needed} needed (not seen: {', '.join(unseen)})"
        )
    accuracy = round(100 * sum(check.score for check in checks) / len(checks), 1)
    feedback = [
        f"{check.label.capitalize()} on target: {check.measured:.0f}°"
        f"{' from upright' if check.joint == TRUNK else ''} "
        f"(aim {check.target:.0f}° ± {check.tolerance:.0f}°)."
        for check in checks
        if check.beyond == 0
    ]
    if pose.lead is not None and side is not None:
        limb, role = pose.lead
        feedback.insert(0, f"Measured with your {side} {limb} as the {role} {limb}.")
    if unseen:
        feedback.append(f"Not seen, so not scored: {', '.join(unseen)}.")
    off_most_first = sorted((c for c in checks if c.beyond > 0), key=lambda c: -c.beyond)
    return Assessment(
        pose=pose.key,
        pose_name=pose.name,
        accuracy=accuracy,
        side=side,
        angles={name: round(angle, 1) for name, angle in angles.items()},
        checks=tuple(checks),
        unseen=tuple(unseen),
        feedback=tuple(feedback),
        improvements=tuple(_improvement(check) for check in off_most_first),
    )


def _mirror(joint: str) -> str:
    """The same joint on the other side: ``leftKnee`` ↔ ``rightKnee`` (the trunk is itself)."""
    if joint == TRUNK:
        return joint
    if joint.startswith("left"):
        return "right" + joint.removeprefix("left")
    return "left" + joint.removeprefix("right")


def _part(joint: str) -> str:
    """``leftKnee`` → ``knee``."""
    return joint.removeprefix("left").removeprefix("right").lower()


def _label(joint: str, role: str | None) -> str:
    """What the joint is called to the person: "left knee", "front knee", "top arm", "trunk"."""
    if joint == TRUNK:
        return joint
    part = _part(joint)
    noun = "arm" if part == "shoulder" else part
    side = role or ("left" if joint.startswith("left") else "right")
    return f"{side} {noun}"


def _improvement(check: Check) -> str:
    """One correction toward the target, in the direction of the signed deviation."""
    degrees = max(STEP, STEP * round(abs(check.off) / STEP))
    more_open = check.off > 0
    part = _part(check.joint)
    if part == TRUNK:
        if more_open:
            return f"Bring your trunk about {degrees}° closer to upright."
        return f"Tilt your trunk about {degrees}° further from upright."
    if part == "shoulder":
        verb = "Lower" if more_open else "Raise"
        return f"{verb} your {check.label} about {degrees}°."
    if part == "hip":
        if more_open:
            return f"Fold about {degrees}° more at your {check.label}."
        if check.target >= STRAIGHT:
            return f"Straighten your {check.label} about {degrees}°."
        return f"Fold about {degrees}° less at your {check.label}."
    if more_open:
        return f"Bend your {check.label} about {degrees}° more."
    if check.target >= STRAIGHT:
        return f"Straighten your {check.label} about {degrees}°."
    return f"Bend your {check.label} about {degrees}° less."
