"""domain/pose/angles.py: flexion, shoulder abduction, trunk lean, the view, and the knee's FPPA
on hand-made bodies; their invariance to where the person is in the image, and left and right
trading places in a mirror."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sessionbase.domain.pose import angles
from sessionbase.domain.pose.angles import Side, View
from sessionbase.domain.pose.landmarks import Body, Frame, Point
from tests.unit.domain.poses import BACK, FRONT, SIDE, B, body, side_squat

LEFT, RIGHT = Side.LEFT, Side.RIGHT
# Angles come from acos: near 0° and 180° they carry ~1e-6° of rounding.
TOLERANCE = 1e-4


def test_a_straight_limb_is_no_flexion_and_a_right_angle_is_90_degrees():
    straight = body(SIDE)
    for side in Side:
        assert angles.knee_flexion(straight, side) == pytest.approx(0, abs=TOLERANCE)
        assert angles.elbow_flexion(straight, side) == pytest.approx(0, abs=TOLERANCE)
        assert angles.hip_flexion(straight, side) == pytest.approx(0, abs=TOLERANCE)
    squat = side_squat(90, 45)
    assert angles.knee_flexion(squat, LEFT) == pytest.approx(90)
    assert angles.knee_flexion(squat, RIGHT) == pytest.approx(45)
    sitting = body(SIDE, left_knee=(0.70, 0.50), left_ankle=(0.70, 0.70))
    assert angles.hip_flexion(sitting, LEFT) == pytest.approx(90)
    assert angles.knee_flexion(sitting, LEFT) == pytest.approx(90)
    curl = body(SIDE, right_wrist=(0.52 + 0.13, 0.35))
    assert angles.elbow_flexion(curl, RIGHT) == pytest.approx(90)
    assert angles.elbow_flexion(curl, LEFT) == pytest.approx(0, abs=TOLERANCE)


def test_angles_are_taken_in_the_images_proportions_not_its_normalised_units():
    # In pixels the thigh runs down-right at 45° and the shank up-right at 45°: a right angle,
    # which the normalised x (÷ width) only shows once scaled back by the aspect ratio.
    aspect = 16 / 9
    moved = {
        "left_hip": (0.5, 0.3),
        "left_knee": (0.5 + 0.2 / aspect, 0.5),
        "left_ankle": (0.5 + 0.4 / aspect, 0.3),
    }
    assert angles.knee_flexion(body(SIDE, aspect=aspect, **moved), LEFT) == pytest.approx(90)
    assert angles.knee_flexion(body(SIDE, **moved), LEFT) != pytest.approx(90, abs=1)


def test_shoulder_abduction_is_the_arm_against_the_trunk():
    trunk = {"left_shoulder": (0.6, 0.3), "left_hip": (0.6, 0.6)}
    for elbow, expected in [
        ((0.6, 0.45), 0),
        ((0.8, 0.3), 90),
        ((0.6, 0.1), 180),
        ((0.75, 0.45), 45),
    ]:
        frame = body(FRONT, left_elbow=elbow, **trunk)
        assert angles.shoulder_abduction(frame, LEFT) == pytest.approx(expected, abs=TOLERANCE)


def test_trunk_lean_is_positive_toward_the_images_right():
    assert angles.trunk_lean(body(FRONT)) == pytest.approx(0)
    right = body(SIDE, left_shoulder=(0.8, 0.2), right_shoulder=(0.82, 0.2))  # 0.3 over, 0.3 up
    assert angles.trunk_lean(right) == pytest.approx(45)
    left = body(SIDE, left_shoulder=(0.2, 0.2), right_shoulder=(0.22, 0.2))
    assert angles.trunk_lean(left) == pytest.approx(-45)
    upside_down = body(SIDE, left_shoulder=(0.5, 0.8), right_shoulder=(0.52, 0.8))
    assert abs(angles.trunk_lean(upside_down) or 0) == pytest.approx(180)


def test_a_measure_needing_an_unseen_landmark_is_none():
    frame = body(FRONT, unseen=(B.LEFT_KNEE, B.RIGHT_HIP))
    assert angles.knee_flexion(frame, LEFT) is None
    assert angles.hip_flexion(frame, LEFT) is None
    assert angles.hip_flexion(frame, RIGHT) is None
    assert angles.knee_flexion(frame, RIGHT) is None
    assert angles.trunk_lean(frame) is None
    assert angles.view(frame) is View.UNKNOWN
    assert angles.knee_fppa(frame, RIGHT) is None
    assert angles.elbow_flexion(frame, LEFT) is not None


def test_the_view_follows_the_shoulder_and_hip_widths():
    assert angles.widths(body(FRONT)) == pytest.approx((0.8, 0.4))
    assert angles.view(body(FRONT)) is View.FRONTAL
    assert angles.view(body(BACK)) is View.FRONTAL
    assert angles.view(body(SIDE)) is View.SIDE
    # Turned half-way: shoulders 0.45 of the torso, neither frontal nor side.
    turned = body(FRONT, left_shoulder=(0.5563, 0.3), right_shoulder=(0.4437, 0.3))
    assert angles.view(turned) is View.UNKNOWN

    # Either side of the thresholds: frontal from 0.6 (shoulders) and 0.3 (hips) up.
    def widened(shoulders: float, hips: float) -> Frame:
        torso = 0.25
        return body(
            FRONT,
            left_shoulder=(0.5 + shoulders * torso / 2, 0.3),
            right_shoulder=(0.5 - shoulders * torso / 2, 0.3),
            left_hip=(0.5 + hips * torso / 2, 0.55),
            right_hip=(0.5 - hips * torso / 2, 0.55),
        )

    assert angles.widths(widened(0.601, 0.301)) == pytest.approx((0.601, 0.301))
    assert angles.view(widened(0.601, 0.301)) is View.FRONTAL
    assert angles.view(widened(0.599, 0.301)) is View.UNKNOWN
    assert angles.view(widened(0.601, 0.299)) is View.UNKNOWN
    # ... and side from 0.3 and 0.15 down.
    assert angles.view(widened(0.299, 0.149)) is View.SIDE
    assert angles.view(widened(0.301, 0.149)) is View.UNKNOWN
    assert angles.view(widened(0.299, 0.151)) is View.UNKNOWN


@pytest.mark.parametrize("template", [FRONT, BACK], ids=["from the front", "from behind"])
def test_fppa_is_positive_for_a_knee_toward_the_midline_on_either_leg(template):
    aligned = body(template)
    assert angles.knee_fppa(aligned, LEFT) == pytest.approx(0, abs=TOLERANCE)
    assert angles.knee_fppa(aligned, RIGHT) == pytest.approx(0, abs=TOLERANCE)
    # Each knee 0.03 toward the body's midline (x = 0.5), hip and ankle 0.2 above and below it.
    inward = 2 * math.degrees(math.atan2(0.03, 0.2))
    for side, knee in [(LEFT, B.LEFT_KNEE), (RIGHT, B.RIGHT_KNEE)]:
        x, y = template[knee]
        medial = x - 0.03 if x > 0.5 else x + 0.03
        lateral = x + 0.03 if x > 0.5 else x - 0.03
        valgus = body(template, **{knee.name.lower(): (medial, y)})
        varus = body(template, **{knee.name.lower(): (lateral, y)})
        assert angles.knee_fppa(valgus, side) == pytest.approx(inward)
        assert angles.knee_fppa(varus, side) == pytest.approx(-inward)
        assert angles.knee_flexion(valgus, side) == pytest.approx(inward)


def test_a_side_view_gives_no_fppa_though_the_knees_are_measured():
    squat = side_squat(60, 30)
    assert angles.view(squat) is View.SIDE
    assert angles.knee_fppa(squat, LEFT) is None
    assert angles.knee_fppa(squat, RIGHT) is None
    assert angles.knee_flexion(squat, LEFT) == pytest.approx(60)


def test_measure_names_every_measure_as_stored():
    measured = angles.measure(body(FRONT, left_knee=(0.52, 0.75)))
    assert list(measured) == [
        "leftKneeFlexion",
        "rightKneeFlexion",
        "leftHipFlexion",
        "rightHipFlexion",
        "leftElbowFlexion",
        "rightElbowFlexion",
        "leftShoulderAbduction",
        "rightShoulderAbduction",
        "leftKneeFppa",
        "rightKneeFppa",
        "trunkLean",
    ]
    assert measured["leftKneeFppa"] == pytest.approx(2 * math.degrees(math.atan2(0.03, 0.2)))
    assert measured["rightKneeFppa"] == pytest.approx(0, abs=TOLERANCE)
    assert measured["leftKneeFlexion"] == measured["leftKneeFppa"]


# --- Properties -----------------------------------------------------------------------------

THRESHOLDS = (
    angles.FRONTAL_SHOULDERS,
    angles.FRONTAL_HIPS,
    angles.SIDE_SHOULDERS,
    angles.SIDE_HIPS,
)


@st.composite
def frames(draw: st.DrawFn) -> Frame:
    """A body near one of the templates, each landmark jittered, a few not seen, any aspect."""
    template = draw(st.sampled_from([FRONT, BACK, SIDE]))
    jitter = st.floats(-0.04, 0.04)
    visibility = st.sampled_from([1.0, 1.0, 1.0, 0.2])
    points = {
        part: Point(x + draw(jitter), y + draw(jitter), draw(visibility))
        for part, (x, y) in template.items()
    }
    frame = Frame.of(points, aspect=draw(st.floats(0.4, 2.5)))
    # Off the view's thresholds, where rounding could tip a transformed copy the other way.
    found = angles.widths(frame)
    assume(found is None or all(abs(r - t) > 1e-6 for r in found for t in THRESHOLDS))
    return frame


def moved(frame: Frame, to: Callable[[float, float], tuple[float, float]], aspect: float) -> Frame:
    """The frame with every landmark's pixel position (x × aspect, y) moved by ``to``, on a
    canvas of this aspect."""
    points = []
    for point in frame.points:
        x, y = to(point.x * frame.aspect, point.y)
        points.append(Point(x / aspect, y, point.visibility))
    return Frame.of(points, aspect=aspect)


def mirrored(frame: Frame) -> Frame:
    """The frame flipped left to right (x → 1 − x), each left landmark now the right one."""

    def twin(part: Body) -> Body:
        name = part.name.replace("LEFT", "*").replace("RIGHT", "LEFT").replace("*", "RIGHT")
        return Body[name]

    return Frame.of(
        [
            Point(1 - frame[twin(part)].x, frame[twin(part)].y, frame[twin(part)].visibility)
            for part in Body
        ],
        aspect=frame.aspect,
    )


def assert_same(found: Frame, expected: Frame, *, but: str = "") -> None:
    """The same measures (``but`` one), the same widths, the same view."""
    measured = angles.measure(found)
    for name, value in angles.measure(expected).items():
        if name == but:
            continue
        if value is None:
            assert measured[name] is None, name
        else:
            assert measured[name] == pytest.approx(value, abs=TOLERANCE), name
    widths = angles.widths(expected)
    assert angles.widths(found) == (None if widths is None else pytest.approx(widths))
    assert angles.view(found) is angles.view(expected)


@given(frames(), st.floats(-0.5, 0.5), st.floats(-0.5, 0.5))
def test_every_measure_and_the_view_ignore_where_the_person_stands(frame, dx, dy):
    assert_same(moved(frame, lambda x, y: (x + dx, y + dy), frame.aspect), frame)


@given(frames(), st.floats(0.2, 5.0), st.floats(0.4, 2.5), st.floats(-0.5, 0.5))
def test_every_measure_and_the_view_ignore_the_persons_size_and_the_canvas(
    frame, scale, aspect, offset
):
    # Uniformly scaled in pixels, then put on a canvas of another width (padded or cropped).
    assert_same(moved(frame, lambda x, y: (x * scale + offset, y * scale), aspect), frame)


@given(frames(), st.floats(-30, 30))
def test_a_rotated_image_keeps_the_joint_angles_and_turns_the_trunk_lean(frame, degrees):
    turn = math.radians(degrees)
    cos, sin = math.cos(turn), math.sin(turn)
    rotated = moved(frame, lambda x, y: (x * cos - y * sin, x * sin + y * cos), frame.aspect)
    assert_same(rotated, frame, but="trunkLean")
    lean, turned = angles.trunk_lean(frame), angles.trunk_lean(rotated)
    if lean is None:
        assert turned is None
    else:
        assert turned is not None
        assert (turned - lean - degrees + 180) % 360 - 180 == pytest.approx(0, abs=TOLERANCE)


@given(frames())
def test_a_mirrored_frame_swaps_left_and_right_and_keeps_the_valgus_sign(frame):
    found, expected = angles.measure(mirrored(frame)), angles.measure(frame)
    for name, value in expected.items():
        twin = name.replace("left", "*").replace("right", "left").replace("*", "right")
        if name == "trunkLean":
            assert found[name] == (None if value is None else pytest.approx(-value, abs=TOLERANCE))
        elif value is None:
            assert found[twin] is None, twin
        else:
            assert found[twin] == pytest.approx(value, abs=TOLERANCE), twin
    widths = angles.widths(frame)
    assert angles.widths(mirrored(frame)) == (None if widths is None else pytest.approx(widths))
    assert angles.view(mirrored(frame)) is angles.view(frame)
