"""domain/pose/measures.py: a clip's series of measures, their peaks, ranges of motion, left–right
asymmetry, the fraction of frames with a person and the view, and the documents stored."""

from __future__ import annotations

import json
import math

import pytest

from sessionbase.domain.pose import measures
from sessionbase.domain.pose.angles import MEASURES, View
from sessionbase.domain.pose.landmarks import Frame
from sessionbase.domain.pose.measures import Sample
from tests.unit.domain.poses import FRONT, SIDE, B, body, side_squat

LEFT_KNEE = [0, 30, 60, 90, 60, 30, 0]
RIGHT_KNEE = [0, 20, 40, 45, 40, 20, 0]


def squats() -> list[Sample]:
    """Seven side-view frames a tenth of a second apart (a squat, the left knee deeper), then
    two with nobody."""
    clip: list[Sample] = [
        (round(0.1 * i, 1), side_squat(left, right))
        for i, (left, right) in enumerate(zip(LEFT_KNEE, RIGHT_KNEE, strict=True))
    ]
    return [*clip, (0.7, None), (0.8, None)]


def leaning(degrees: float) -> Frame:
    """The side view, the shoulders turned about the hips by ``degrees`` to the image's right."""
    turn = math.radians(degrees)
    x, y = 0.51 + 0.3 * math.sin(turn), 0.5 - 0.3 * math.cos(turn)
    return body(SIDE, left_shoulder=(x - 0.01, y), right_shoulder=(x + 0.01, y))


def test_peaks_ranges_and_asymmetry_of_a_squat():
    summary = measures.summarise(measures.pose_series(squats()))
    left, right = summary.measures["leftKneeFlexion"], summary.measures["rightKneeFlexion"]
    assert left.peak == pytest.approx(90)
    assert left.peak_time == 0.3
    assert left.range_of_motion == pytest.approx(90)
    assert left.samples == 7
    assert right.peak == pytest.approx(45)
    assert right.range_of_motion == pytest.approx(45)
    assert summary.asymmetry["kneeFlexion"] == pytest.approx(45)
    assert summary.asymmetry["hipFlexion"] == pytest.approx(0, abs=1e-4)
    assert summary.frames == 9
    assert summary.person_fraction == pytest.approx(7 / 9)
    assert summary.view is View.SIDE
    assert summary.views == {View.SIDE: 7}
    # A side view: no FPPA, so no peak and no asymmetry for it.
    assert summary.measures["leftKneeFppa"] == measures.MeasureSummary(
        peak=None, peak_time=None, range_of_motion=None, samples=0
    )
    assert summary.asymmetry["kneeFppa"] is None


def test_asymmetry_is_the_same_whichever_side_goes_deeper():
    swapped = [
        (0.1 * i, side_squat(left, right))
        for i, (left, right) in enumerate(zip(RIGHT_KNEE, LEFT_KNEE, strict=True))
    ]
    summary = measures.summarise(measures.pose_series(swapped))
    assert summary.measures["rightKneeFlexion"].peak == pytest.approx(90)
    assert summary.asymmetry["kneeFlexion"] == pytest.approx(45)


def test_the_series_keeps_every_frame_in_order_with_nothing_where_nobody_was():
    series = measures.pose_series(squats())
    assert series.times == (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
    assert series.views == (*[View.SIDE] * 7, None, None)
    assert list(series.values) == list(MEASURES)
    knee = series.values["leftKneeFlexion"]
    assert [round(value or 0, 6) for value in knee[:7]] == LEFT_KNEE
    assert knee[7:] == (None, None)


def test_a_peak_is_the_first_of_equal_highest_values():
    clip = [(t, side_squat(angle)) for t, angle in [(0.0, 0), (0.5, 90), (1.0, 90), (1.5, 10)]]
    summary = measures.summarise(measures.pose_series(clip))
    assert summary.measures["leftKneeFlexion"].peak_time == 0.5


def test_frames_where_a_landmark_is_unseen_are_left_out_of_that_measure_only():
    clip: list[Sample] = [
        (0.0, side_squat(20)),
        (1.0, body(SIDE, left_ankle=(0.9, 0.7), unseen=(B.LEFT_KNEE,))),
        (2.0, side_squat(50)),
    ]
    summary = measures.summarise(measures.pose_series(clip))
    knee = summary.measures["leftKneeFlexion"]
    assert (knee.samples, knee.peak, knee.peak_time) == (2, pytest.approx(50), 2.0)
    assert knee.range_of_motion == pytest.approx(30)
    assert summary.measures["rightKneeFlexion"].samples == 3
    assert summary.person_fraction == 1


def test_the_trunk_leans_peak_is_the_lean_furthest_from_upright_with_its_sign():
    clip: list[Sample] = [(float(t), leaning(lean)) for t, lean in enumerate([10, -30, 20])]
    lean = measures.summarise(measures.pose_series(clip)).measures["trunkLean"]
    assert lean.peak == pytest.approx(-30)
    assert lean.peak_time == 1.0
    assert lean.range_of_motion == pytest.approx(50)


def test_fppa_peaks_at_the_most_valgus_frame_of_a_frontal_clip():
    inward = [0.0, 0.01, 0.03, 0.02, -0.01]  # the left knee's move toward the midline
    clip: list[Sample] = [
        (0.2 * i, body(FRONT, left_knee=(0.55 - step, 0.75))) for i, step in enumerate(inward)
    ]
    summary = measures.summarise(measures.pose_series(clip))
    fppa = summary.measures["leftKneeFppa"]
    assert fppa.peak == pytest.approx(2 * math.degrees(math.atan2(0.03, 0.2)))
    assert fppa.peak_time == pytest.approx(0.4)
    assert fppa.range_of_motion == pytest.approx(
        2 * math.degrees(math.atan2(0.03, 0.2)) + 2 * math.degrees(math.atan2(0.01, 0.2))
    )
    assert summary.measures["rightKneeFppa"].peak == pytest.approx(0, abs=1e-4)
    assert summary.asymmetry["kneeFppa"] == pytest.approx(fppa.peak, abs=1e-4)
    assert summary.view is View.FRONTAL


def test_the_view_is_the_majority_and_a_tie_is_unknown():
    front, side = body(FRONT), body(SIDE)
    mostly_front = [(0.0, front), (0.1, side), (0.2, front), (0.3, None), (0.4, None)]
    assert measures.summarise(measures.pose_series(mostly_front)).view is View.FRONTAL
    tie = [(0.0, front), (0.1, side)]
    assert measures.summarise(measures.pose_series(tie)).view is View.UNKNOWN


def test_a_clip_without_frames_or_without_a_person_measures_nothing():
    for clip in ([], [(0.0, None), (0.5, None)]):
        summary = measures.summarise(measures.pose_series(clip))
        assert summary.frames == len(clip)
        assert summary.person_fraction == (0 if clip else None)
        assert summary.view is View.UNKNOWN
        assert all(found.peak is None for found in summary.measures.values())
        assert all(value is None for value in summary.asymmetry.values())


def test_samples_out_of_time_order_are_refused():
    with pytest.raises(ValueError, match="time order"):
        measures.pose_series([(1.0, None), (0.5, None)])


def test_the_documents_are_json_with_the_stored_names_and_rounded_figures():
    series = measures.pose_series(squats())
    summary = measures.summarise(series)
    document = summary.to_document()
    assert json.loads(json.dumps(document)) == document
    assert document["frames"] == 9
    assert document["personFraction"] == 0.778
    assert document["view"] == "side"
    assert document["views"] == {"frontal": 0, "side": 7, "unknown": 0}
    assert document["measures"]["leftKneeFlexion"] == {
        "peak": 90.0,
        "peakTime": 0.3,
        "rangeOfMotion": 90.0,
        "samples": 7,
    }
    assert document["asymmetry"]["kneeFlexion"] == 45.0
    assert set(document["asymmetry"]) == {
        "kneeFlexion",
        "hipFlexion",
        "elbowFlexion",
        "shoulderAbduction",
        "kneeFppa",
    }
    stored = series.to_document()
    assert json.loads(json.dumps(stored)) == stored
    assert stored["times"][-1] == 0.8
    assert stored["views"] == [*["side"] * 7, None, None]
    assert stored["measures"]["rightKneeFlexion"][:4] == [0.0, 20.0, 40.0, 45.0]
    assert stored["measures"]["leftKneeFppa"] == [None] * 9
    # Each frame's person and landmarks: [x, y, visibility] for all 33, null without a person.
    assert stored["person"] == [*[True] * 7, False, False]
    assert stored["landmarks"][7:] == [None, None]
    first = series.frames[0]
    assert first is not None
    assert len(stored["landmarks"][0]) == 33
    assert stored["landmarks"][0][0] == [
        round(first.points[0].x, 4),
        round(first.points[0].y, 4),
        round(first.points[0].visibility, 2),
    ]


def test_how_a_clip_was_measured_is_stored_first():
    coverage = measures.ClipCoverage(
        model="m", sample_rate=15.0, measured_seconds=9.93333, complete=False
    )
    assert coverage.to_document() == {
        "model": "m",
        "sampleRate": 15.0,
        "measuredSeconds": 9.933,
        "complete": False,
    }
