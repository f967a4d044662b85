"""domain/pose/yoga.py: the 11 templates, the accuracy function, feedback, sides, recognition.

Frames are stick figures built from joint angles (``figure``): the trunk upright, each limb
placed by rotating its segments by the interior angle wanted, so each joint's angle can be set
without moving another's.
"""

from __future__ import annotations

import math
import re

import pytest

from sessionbase.domain.pose import yoga
from sessionbase.domain.pose.joints import JOINTS
from sessionbase.domain.pose.landmarks import Body, Frame, Point
from sessionbase.errors import InvalidArgument, NotFound
from sessionbase.models.sessions import PoseIn

SEED_KEYS = [
    "chair",
    "mountain",
    "tree",
    "downdog",
    "goddess",
    "lord",
    "lowlung",
    "side_plank",
    "staff",
    "t_pose",
    "warrior2",
]
NEUTRAL = {"Knee": 180.0, "Hip": 180.0, "Shoulder": 10.0, "Elbow": 180.0}
LIMBS = {  # part → (root, middle, end) for one side
    "leg": ("HIP", "KNEE", "ANKLE"),
    "arm": ("SHOULDER", "ELBOW", "WRIST"),
}


def _rotate(v: tuple[float, float], degrees: float) -> tuple[float, float]:
    """``v`` turned by ``degrees`` (image coordinates, y down; + turns up toward outward)."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (v[0] * c - v[1] * s, v[0] * s + v[1] * c)


def _add(p: tuple[float, float], v: tuple[float, float], length: float) -> tuple[float, float]:
    return (p[0] + v[0] * length, p[1] + v[1] * length)


def figure(angles: dict[str, float], *, hide: tuple[Body, ...] = ()) -> Frame:
    """A frontal stick figure with these interior angles (others straight, arms down), turned
    about the mid-hip by the ``trunk`` angle (0°: upright).

    The person's left is on the image's right (+x). For one side, in "outward = +x" coordinates:
    the thigh is the hip→shoulder direction turned by the hip angle, the shin the knee→hip
    direction turned back by the knee angle; the arm likewise from shoulder→hip and the elbow.
    The right side is the same built with x mirrored.
    """
    turn = math.radians(angles.get("trunk", 0.0))
    points: dict[Body, Point] = {}
    for side, sign in (("LEFT", 1.0), ("RIGHT", -1.0)):
        name = side.lower()

        def angle(part: str, name: str = name) -> float:
            return angles.get(f"{name}{part}", NEUTRAL[part])

        hip, shoulder = (0.05, 0.0), (0.05, -0.25)  # outward x, y relative to the mid-hip
        up, down = (0.0, -1.0), (0.0, 1.0)
        thigh = _rotate(up, angle("Hip"))
        knee = _add(hip, thigh, 0.12)
        shin = _rotate((-thigh[0], -thigh[1]), -angle("Knee"))
        ankle = _add(knee, shin, 0.12)
        upper = _rotate(down, -angle("Shoulder"))
        elbow = _add(shoulder, upper, 0.08)
        forearm = _rotate((-upper[0], -upper[1]), angle("Elbow"))
        wrist = _add(elbow, forearm, 0.08)
        for part, (x, y) in {
            "HIP": hip,
            "KNEE": knee,
            "ANKLE": ankle,
            "SHOULDER": shoulder,
            "ELBOW": elbow,
            "WRIST": wrist,
        }.items():
            body = Body[f"{side}_{part}"]
            x, y = sign * x, y
            x, y = x * math.cos(turn) - y * math.sin(turn), x * math.sin(turn) + y * math.cos(turn)
            points[body] = Point(0.5 + x, 0.6 + y, 0.0 if body in hide else 1.0)
    return Frame.of(points)


def mirrored(frame: Frame) -> Frame:
    """The frame of the mirrored image: x flipped, the person's left and right swapped."""

    def other(part: Body) -> Body:
        name = part.name
        if name.startswith("LEFT_"):
            return Body["RIGHT_" + name.removeprefix("LEFT_")]
        if name.startswith("RIGHT_"):
            return Body["LEFT_" + name.removeprefix("RIGHT_")]
        return part

    return Frame.of(
        {other(p): Point(1 - frame[p].x, frame[p].y, frame[p].visibility) for p in Body}
    )


def template(pose: yoga.Pose) -> dict[str, float]:
    """A pose's target angles as ``figure`` takes them (the leading limb on the left)."""
    return {target.joint: target.angle for target in pose.targets}


def expected(pose: yoga.Pose, off_by: dict[str, float]) -> float:
    """The module doc's accuracy, written out again: 1 within tolerance, 0 at tolerance + 45°."""
    scores = []
    for target in pose.targets:
        beyond = max(0.0, abs(off_by.get(target.joint, 0.0)) - target.tolerance)
        scores.append(max(0.0, 1 - beyond / 45))
    return round(100 * sum(scores) / len(scores), 1)


def test_the_supported_poses_are_the_seeds_eleven_with_names_and_templates_on_known_joints():
    assert list(yoga.POSES) == SEED_KEYS
    for pose in yoga.POSES.values():
        assert re.fullmatch(r"[a-z0-9_]+", pose.key)
        assert pose.name
        assert pose.description
        assert pose.watch
        joints = [target.joint for target in pose.targets]
        assert len(set(joints)) == len(joints)
        assert set(joints) <= {*JOINTS, yoga.TRUNK}
        assert yoga.TRUNK in joints
        for target in pose.targets:
            assert 0 <= target.angle <= 180
            assert 0 < target.tolerance < 30
        # An asymmetric pose names a role on both sides of each joint it treats unevenly.
        assert (pose.lead is not None) == any(target.role for target in pose.targets)


def test_an_unknown_pose_is_not_found_naming_the_supported_ones():
    with pytest.raises(NotFound) as raised:
        yoga.supported("headstand")
    assert "headstand" in raised.value.detail
    assert "warrior2" in raised.value.detail
    assert yoga.supported("tree") is yoga.POSES["tree"]


def test_the_figure_has_the_angles_it_was_built_with():
    angles = {"leftKnee": 90, "rightKnee": 135, "leftHip": 95, "rightHip": 140}
    angles |= {"leftShoulder": 90, "rightShoulder": 170, "leftElbow": 90, "rightElbow": 45}
    angles |= {"trunk": 65}
    measured = yoga.measure(figure(angles))
    assert measured == pytest.approx(angles, abs=1e-6)


@pytest.mark.parametrize("key", SEED_KEYS)
def test_a_frame_built_to_a_template_scores_100_and_is_recognised_as_that_pose(key):
    pose = yoga.POSES[key]
    frame = figure(template(pose))

    result = yoga.assess(pose, frame)

    assert result.accuracy == 100
    assert result.improvements == ()
    assert result.side == ("left" if pose.lead else None)
    assert len(result.checks) == len(pose.targets)
    assert result.unseen == ()
    recognised = yoga.recognise(frame)
    assert recognised is not None
    assert recognised.pose == key
    assert recognised.accuracy == 100


def test_the_front_knee_30_degrees_too_straight_costs_the_documented_amount():
    pose = yoga.POSES["warrior2"]  # front knee 90° ± 15°; eight joints and the trunk
    angles = template(pose) | {"leftKnee": 120}

    result = yoga.assess(pose, figure(angles))

    # 30° off with a tolerance of 15°: 15° beyond it, a score of 1 − 15/45 = ⅔ for that joint.
    assert result.accuracy == round(100 * (8 + 2 / 3) / 9, 1) == 96.3
    assert result.side == "left"
    assert result.improvements == ("Bend your front knee about 30° more.",)
    assert not any("front knee" in line.lower() for line in result.feedback)
    assert "Back knee on target: 180° (aim 180° ± 10°)." in result.feedback


def test_a_bent_back_knee_is_told_to_straighten():
    pose = yoga.POSES["warrior2"]  # back knee 180° ± 10°
    result = yoga.assess(pose, figure(template(pose) | {"rightKnee": 160}))
    assert (
        result.accuracy == expected(pose, {"rightKnee": -20}) == round(100 * (8 + 35 / 45) / 9, 1)
    )
    assert result.improvements == ("Straighten your back knee about 20°.",)


@pytest.mark.parametrize(
    ("key", "target"),
    [(pose.key, target) for pose in yoga.POSES.values() for target in pose.targets],
    ids=lambda value: value if isinstance(value, str) else value.joint,
)
def test_any_joint_30_degrees_off_lowers_accuracy_as_documented_and_says_which_way(key, target):
    pose = yoga.POSES[key]
    off = 30.0 if target.angle + 30 <= 180 else -30.0
    angles = template(pose) | {target.joint: target.angle + off}

    result = yoga.assess(pose, figure(angles))

    assert result.accuracy == pytest.approx(expected(pose, {target.joint: off}), abs=0.05)
    assert result.accuracy < 100
    assert len(result.improvements) == 1
    (improvement,) = result.improvements
    assert "about 30°" in improvement
    opens = off > 0
    if target.joint == yoga.TRUNK:
        assert improvement.endswith("closer to upright." if opens else "further from upright.")
        return
    part = target.joint.removeprefix("left").removeprefix("right")
    name = "arm" if part == "Shoulder" else part.lower()
    side = target.role or ("left" if target.joint.startswith("left") else "right")
    assert f"your {side} {name}" in improvement
    verbs = {
        "Shoulder": ("Lower", "Raise"),
        "Hip": (
            "Fold about 30° more",
            "Fold about 30° less" if target.angle < 170 else "Straighten",
        ),
        "Knee": ("Bend", "Bend" if target.angle < 170 else "Straighten"),
        "Elbow": ("Bend", "Bend" if target.angle < 170 else "Straighten"),
    }[part]
    assert improvement.startswith(verbs[0] if opens else verbs[1])
    if part in ("Knee", "Elbow") and target.angle < 170:
        assert improvement.endswith("more." if opens else "less.")


@pytest.mark.parametrize("key", SEED_KEYS)
def test_a_mirrored_frame_scores_the_same_and_an_asymmetric_pose_takes_the_other_side(key):
    pose = yoga.POSES[key]
    # One joint on the left 30° off, so that the two sides differ even in a symmetric pose.
    elbow = "leftElbow" if "leftElbow" in template(pose) else "leftShoulder"
    first = template(pose)[elbow]
    frame = figure(template(pose) | {elbow: first - 30 if first >= 30 else first + 30})

    as_taken = yoga.assess(pose, frame)
    in_mirror = yoga.assess(pose, mirrored(frame))

    assert in_mirror.accuracy == as_taken.accuracy < 100
    if pose.lead is None:
        assert as_taken.side is in_mirror.side is None
        assert as_taken.improvements != in_mirror.improvements
        assert in_mirror.improvements == tuple(
            line.replace("left", "right") for line in as_taken.improvements
        )
    else:
        assert (as_taken.side, in_mirror.side) == ("left", "right")
        assert in_mirror.feedback[0] == as_taken.feedback[0].replace("left", "right")
    assert {yoga._mirror(j): a for j, a in as_taken.angles.items()} == in_mirror.angles


def test_the_side_taken_is_said_in_the_feedback():
    pose = yoga.POSES["warrior2"]
    result = yoga.assess(pose, mirrored(figure(template(pose))))
    assert result.side == "right"
    assert result.accuracy == 100
    assert result.feedback[0] == "Measured with your right leg as the front leg."
    assert "Front knee on target: 90° (aim 90° ± 15°)." in result.feedback


def test_too_few_joints_seen_is_refused_with_the_reason():
    pose = yoga.POSES["mountain"]  # eight joints and the trunk: seven needed
    arms = (Body.LEFT_ELBOW, Body.RIGHT_ELBOW)  # hides both elbows and both shoulders

    with pytest.raises(yoga.BodyNotVisible) as raised:
        yoga.assess(pose, figure(template(pose), hide=arms))

    assert isinstance(raised.value, InvalidArgument)
    assert raised.value.detail == (
        "not enough of the body visible for Mountain Pose: 5 of 9 joints seen, 7 needed "
        "(not seen: left arm, right arm, left elbow, right elbow)"
    )
    with pytest.raises(yoga.BodyNotVisible, match="not enough of the body visible"):
        yoga.recognise(figure({}, hide=arms + (Body.LEFT_KNEE, Body.RIGHT_KNEE)))


def test_a_few_joints_unseen_are_left_out_of_the_accuracy_and_named():
    pose = yoga.POSES["mountain"]
    wrists = (Body.LEFT_WRIST, Body.RIGHT_WRIST)  # hides the elbows only: seven of nine seen
    angles = template(pose) | {"leftKnee": 150}  # 30° off, tolerance 10°: scores 1 − 20/45

    result = yoga.assess(pose, figure(angles, hide=wrists))

    assert result.unseen == ("left elbow", "right elbow")
    assert set(result.angles) == {*JOINTS, yoga.TRUNK} - {"leftElbow", "rightElbow"}
    assert result.accuracy == round(100 * (6 + 25 / 45) / 7, 1)
    assert result.feedback[-1] == "Not seen, so not scored: left elbow, right elbow."


def test_a_frame_like_no_supported_pose_is_not_recognised():
    crouch = {"leftKnee": 30, "rightKnee": 30, "leftHip": 30, "rightHip": 30}
    arms = {"leftShoulder": 135, "rightShoulder": 135, "leftElbow": 30, "rightElbow": 30}
    frame = figure(crouch | arms)
    best = max(yoga.assess(pose, frame).accuracy for pose in yoga.POSES.values())
    assert best < yoga.RECOGNISED
    assert yoga.recognise(frame) is None


def test_the_result_fits_the_yoga_session_body():
    pose = yoga.POSES["lord"]
    crooked = {joint: max(0.0, angle - 60) for joint, angle in template(pose).items()}
    result = yoga.assess(pose, figure(crooked, hide=(Body.RIGHT_WRIST,)))

    body = PoseIn.model_validate(
        {
            "pose_name": result.pose_name,
            "accuracy": result.accuracy,
            "feedback": list(result.feedback),
            "improvements": list(result.improvements),
        }
    )
    assert body.improvements == list(result.improvements)
    assert len(body.improvements) >= 4
    assert body.feedback == list(result.feedback)
    assert 0 <= body.accuracy < 100
