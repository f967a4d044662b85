"""A real clip of a person through the whole pipeline: upload -> the pose codebase's analysis task
(PyAV + the pose model in one decode) -> the session's ``pose`` block and ``pose.json``.

The clip is scikit-image's astronaut (a real photo, public domain) sliding across a 640x360
frame (devtools/videos.py ``person_clip``). She is photographed waist-up, so what the model says
of her legs is its guess: this tests what the pipeline stores and that it agrees with itself and
with the person's known movement, not leg angles (those are tested on hand-made landmarks).
"""

from __future__ import annotations

import json

import pytest

from devtools.emulators import bucket
from devtools.videos import person_clip
from tests.uploads import analysed, linked, new_session, upload

MEASURES = {
    f"{side}{name}"
    for side in ("left", "right")
    for name in ("KneeFlexion", "HipFlexion", "ElbowFlexion", "ShoulderAbduction", "KneeFppa")
} | {"trunkLean"}


@pytest.fixture(scope="module")
def person() -> tuple[bytes, list[int]]:
    return person_clip(seconds=2, fps=30)


def test_a_clip_of_a_person_gets_a_pose_block_and_its_series(make_user, person):
    data, offsets = person
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    upload(coach, session_id, data, name="astronaut.mp4")
    result = analysed(athlete, session_id)
    assert result["analysisStatus"] == "completed", result
    assert result["metrics"]["framesDecoded"] == 60  # motion energy stays
    pose = result["pose"]
    assert pose["model"] == "MediaPipe Pose (BlazePose GHUM, full), mediapipe 0.10.14"
    assert (pose["sampleRate"], pose["complete"]) == (15.0, True)
    assert pose["frames"] == 30  # 2 s at 30 fps, sampled at 15 a second
    assert pose["personFraction"] == 1.0
    assert pose["measuredSeconds"] == pytest.approx(1.933, abs=0.001)
    assert set(pose["measures"]) == MEASURES
    assert set(pose["asymmetry"]) == {
        "kneeFlexion",
        "hipFlexion",
        "elbowFlexion",
        "shoulderAbduction",
        "kneeFppa",
    }
    assert sum(pose["views"].values()) == 30
    # No invented scores: the built-in analyzer sets none of them.
    assert not {"motionIQ", "aclRisk", "riskLevel"} & set(result)

    assert result["poseFile"] == result["analyticsFile"].replace("motion.json", "pose.json")
    series = json.loads(bucket().blob(result["poseFile"]).download_as_bytes())
    assert (series["sessionId"], series["video"]["path"]) == (session_id, result["videoPath"])
    assert series["times"] == [round(k / 15, 3) for k in range(30)]
    assert len(series["landmarks"]) == 30
    # The summary is the series' own: each peak is its series' largest value (trunk lean: the
    # furthest from upright), at its first time.
    for name, summary in pose["measures"].items():
        values = [v for v in series["measures"][name] if v is not None]
        assert summary["samples"] == len(values), name
        if values:
            peak = max(values, key=abs) if name == "trunkLean" else max(values)
            assert summary["peak"] == pytest.approx(peak, abs=0.051), name
            when = series["times"][series["measures"][name].index(summary["peak"])]
            assert summary["peakTime"] == when, name

    # The keypoints follow her: her nose moves right by the photo's own offset (640x360 frame).
    nose = [frame[0] for frame in series["landmarks"]]
    moved = (nose[-1][0] - nose[0][0]) * 640
    assert moved == pytest.approx(offsets[58] - offsets[0], abs=25)
