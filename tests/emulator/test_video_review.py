"""Video review, playback and the analysis as data (issue 24): a real clip uploaded and analysed,
then ``GET /api/sessions/{id}/video`` (a short-lived URL that answers ranged GETs),
``GET /api/sessions/{id}/analysis?points=N`` (the series downsampled, peaks kept) and
``GET /api/sessions/compare`` (two clips on one time grid), and their callables."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests

from devtools.emulators import api, bucket, call
from devtools.videos import clip, person_clip
from tests.uploads import analysed, linked, new_session, ok, upload

FPS = 25


@pytest.fixture(scope="module")
def long_clip() -> bytes:
    """4 s at 25 fps: 99 motion values, more than the 50 points asked for below."""
    return clip(seconds=4, fps=FPS)


@pytest.fixture(scope="module")
def short_clip() -> bytes:
    return clip(seconds=2, fps=FPS)


def analysed_session(coach, athlete, data: bytes, name="jump.mp4") -> tuple[str, dict]:
    session_id = new_session(coach, athlete)
    upload(coach, session_id, data, name=name)
    session = analysed(coach, session_id)
    assert session["analysisStatus"] == "completed", session
    return session_id, session


def motion_file(session: dict) -> list[float]:
    return json.loads(bucket().blob(session["analyticsFile"]).download_as_bytes())["motionEnergy"]


def refusal(reply, status: int) -> dict:
    assert reply.status_code == status, reply.text
    return reply.json()


def test_the_video_plays_for_its_readers_only_and_answers_ranged_gets(make_user, long_clip):
    coach, athlete = linked(make_user)
    other_coach = make_user("coach")
    session_id, session = analysed_session(coach, athlete, long_clip)

    before = datetime.now(UTC)
    for reader in (coach, athlete):
        video = ok(api("GET", f"/api/sessions/{session_id}/video", reader))
        assert set(video) == {
            "url",
            "expiresAt",
            "contentType",
            "durationSeconds",
            "width",
            "height",
            "posterUrl",
        }
        assert video["contentType"] == "video/mp4"
        assert video["durationSeconds"] == pytest.approx(4.0, abs=0.05)
        assert (video["width"], video["height"]) == (320, 180)
        expires = datetime.fromisoformat(video["expiresAt"])
        assert before + timedelta(minutes=14) < expires <= before + timedelta(minutes=16)
        assert "videoUrl" not in ok(api("GET", f"/api/sessions/{session_id}", reader))

    # A browser's <video> seeks with ranged GETs: 206 and exactly the bytes asked for.
    ranged = requests.get(video["url"], headers={"Range": "bytes=0-99"}, timeout=30)
    assert ranged.status_code == 206, ranged.text[:200]
    assert ranged.content == long_clip[:100]
    middle = requests.get(video["url"], headers={"Range": "bytes=1000-1499"}, timeout=30)
    assert (middle.status_code, middle.content) == (206, long_clip[1000:1500])

    # Another coach learns nothing: the same 404 as for a session that does not exist.
    hidden = refusal(api("GET", f"/api/sessions/{session_id}/video", other_coach), 404)
    missing = refusal(api("GET", "/api/sessions/doesNotExist123/video", other_coach), 404)
    assert hidden == missing
    hidden = refusal(api("GET", f"/api/sessions/{session_id}/analysis", other_coach), 404)
    assert hidden == refusal(api("GET", "/api/sessions/doesNotExist123/analysis", coach), 404)


def test_a_session_without_a_video_has_none_to_play_and_empty_series(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    none = refusal(api("GET", f"/api/sessions/{session_id}/video", athlete), 404)
    assert none["detail"] == "This session has no video."
    assert "errors" not in none or none["errors"] == []

    analysis = ok(api("GET", f"/api/sessions/{session_id}/analysis", athlete))
    assert analysis["series"] == {}
    assert analysis["landmarks"] is None
    assert analysis["assets"] == {"posterUrl": None, "thumbnails": None}
    assert analysis["summary"] == {"metrics": None, "pose": None}


def test_the_analysis_comes_downsampled_with_its_peaks_and_the_same_for_coach_and_athlete(
    make_user, long_clip
):
    coach, athlete = linked(make_user)
    session_id, session = analysed_session(coach, athlete, long_clip)
    raw = motion_file(session)
    assert len(raw) == 4 * FPS - 1

    by_coach = ok(api("GET", f"/api/sessions/{session_id}/analysis?points=50", coach))
    by_athlete = ok(api("GET", f"/api/sessions/{session_id}/analysis?points=50", athlete))
    assert by_coach.pop("expiresAt")
    assert by_athlete.pop("expiresAt")
    # URLs are signed per request; every figure is the same for both.
    assert by_coach["summary"] == by_athlete["summary"]
    assert by_coach["series"] == by_athlete["series"]
    assert (by_coach["sessionId"], by_coach["jobId"]) == (session_id, session["analysisJobId"])
    assert by_coach["analysisStatus"] == "completed"
    assert by_coach["summary"]["metrics"] == session["metrics"]

    assert "motionEnergy" in by_coach["series"]
    for name, points in by_coach["series"].items():
        assert len(points) <= 50, name
    motion = by_coach["series"]["motionEnergy"]
    values = [value for _, value in motion]
    assert max(values) == max(raw) == session["metrics"]["motionEnergyPeak"]
    assert min(values) == min(raw)
    peak = raw.index(max(raw))
    assert [round((peak + 1) / FPS, 4), max(raw)] in motion  # value i is at (i + 1) / frameRate
    if by_coach["landmarks"] is not None:
        assert len(by_coach["landmarks"]["frames"]) <= 50
        assert len(by_coach["landmarks"]["times"]) == len(by_coach["landmarks"]["frames"])

    # Asked for more points than there are, the whole series, in time order from the first value.
    whole = ok(api("GET", f"/api/sessions/{session_id}/analysis?points=5000", coach))
    assert whole["series"]["motionEnergy"] == [
        [round((i + 1) / FPS, 4), value] for i, value in enumerate(raw)
    ]

    for points in ("0", "1", "5001", "100000", "-3", "many"):
        bad = refusal(
            api("GET", f"/api/sessions/{session_id}/analysis?points={points}", coach), 400
        )
        assert [error["field"] for error in bad["errors"]] == ["points"], points


def test_two_clips_compare_on_one_grid_with_b_at_its_offset(make_user, long_clip, short_clip):
    coach, athlete = linked(make_user)
    a_id, a = analysed_session(coach, athlete, long_clip, name="first.mp4")
    b_id, b = analysed_session(coach, athlete, short_clip, name="second.mp4")
    raw_b = motion_file(b)

    query = f"a={a_id}&b={b_id}&offsetMs=500&points=60"
    compared = ok(api("GET", f"/api/sessions/compare?{query}", athlete))
    assert compared["offsetMs"] == 500
    assert (compared["a"]["sessionId"], compared["b"]["sessionId"]) == (a_id, b_id)
    assert compared["a"]["summary"]["metrics"] == a["metrics"]
    assert compared["b"]["summary"]["metrics"] == b["metrics"]
    for side in ("a", "b"):
        video = compared[side]["video"]
        assert video["url"]
        assert video["contentType"] == "video/mp4"

    times = compared["times"]
    assert 2 <= len(times) <= 60
    assert times[0] == 0.0
    assert times[-1] == pytest.approx(4.0, abs=0.05)  # a's end; b ends at 0.5 + 2 s
    pair = compared["series"]["motionEnergy"]
    assert len(pair["a"]) == len(pair["b"]) == len(times)
    # b's first value is 1/25 s into its clip, its last at its end: placed 0.5 s later on a's axis.
    for t, value in zip(times, pair["b"], strict=True):
        inside = 0.5 + 1 / FPS - 1e-6 <= t <= 0.5 + 2.0 + 1e-6
        if not inside:
            assert value is None, t
        if value is not None:
            assert min(raw_b) - 1e-6 <= value <= max(raw_b) + 1e-6
    assert any(value is not None for value in pair["b"])
    # a's motion runs from its first pair of frames (1/25 s) to its last (99/25 s).
    assert pair["a"][0] is None
    a_values = [v for t, v in zip(times, pair["a"], strict=True) if 0.04 <= t <= 3.96]
    assert None not in a_values
    assert len(a_values) >= len(times) - 2

    # A negative offset starts the grid before a.
    earlier = ok(api("GET", f"/api/sessions/compare?a={a_id}&b={b_id}&offsetMs=-1000", coach))
    assert earlier["times"][0] == -1.0


def test_compare_with_a_session_the_caller_may_not_read_is_404_as_for_a_missing_one(
    make_user, short_clip
):
    coach, athlete = linked(make_user)
    other_coach, other_athlete = linked(make_user)
    own, _ = analysed_session(coach, athlete, short_clip)
    foreign = new_session(other_coach, other_athlete)

    answers = [
        refusal(api("GET", f"/api/sessions/compare?a={own}&b={foreign}", coach), 404),
        refusal(api("GET", f"/api/sessions/compare?a={foreign}&b={own}", coach), 404),
        refusal(api("GET", f"/api/sessions/compare?a={own}&b=doesNotExist123", coach), 404),
    ]
    assert answers[0] == answers[1] == answers[2]
    assert own not in json.dumps(answers)
    assert foreign not in json.dumps(answers)

    bad = refusal(api("GET", f"/api/sessions/compare?a={own}&offsetMs=1.5&points=1", coach), 400)
    assert sorted(error["field"] for error in bad["errors"]) == ["b", "offsetMs", "points"]


def test_the_callables_answer_as_rest_does(make_user, short_clip):
    coach, athlete = linked(make_user)
    other_coach = make_user("coach")
    session_id, session = analysed_session(coach, athlete, short_clip)

    video = call("getSessionVideo", {"sessionId": session_id}, athlete).json()["result"]
    assert video["durationSeconds"] == session["metrics"]["durationSeconds"]
    assert requests.get(video["url"], headers={"Range": "bytes=0-9"}, timeout=30).status_code == 206
    hidden = call("getSessionVideo", {"sessionId": session_id}, other_coach).json()["error"]
    assert hidden["status"] == "NOT_FOUND"

    analysis = call("getSessionAnalysis", {"sessionId": session_id, "points": 10}, coach).json()
    rest = ok(api("GET", f"/api/sessions/{session_id}/analysis?points=10", coach))
    assert analysis["result"]["series"] == rest["series"]
    assert all(len(points) <= 10 for points in rest["series"].values())
    refused = call("getSessionAnalysis", {"sessionId": session_id, "points": 0}, coach).json()
    assert [e["field"] for e in refused["error"]["details"]["errors"]] == ["points"]

    compared = call(
        "compareSessions", {"a": session_id, "b": session_id, "offsetMs": -250}, coach
    ).json()["result"]
    assert compared["offsetMs"] == -250
    assert compared["times"][0] == -0.25


def test_a_person_clip_gives_its_pose_measures_and_keypoints_thinned(make_user):
    coach, athlete = linked(make_user)
    data, _ = person_clip(seconds=2, fps=30)
    session_id, session = analysed_session(coach, athlete, data, name="astronaut.mp4")
    pose = json.loads(bucket().blob(session["poseFile"]).download_as_bytes())

    analysis = ok(api("GET", f"/api/sessions/{session_id}/analysis?points=10", athlete))
    assert set(analysis["series"]) == {"motionEnergy", *pose["measures"]}
    for name, summary in session["pose"]["measures"].items():
        points = analysis["series"][name]
        assert len(points) <= 10, name
        measured = [v for v in pose["measures"][name] if v is not None]
        kept = [v for _, v in points if v is not None]
        if measured:  # the largest and smallest angles of the clip survive the thinning
            assert (max(kept), min(kept)) == (max(measured), min(measured)), name
            if name != "trunkLean":
                assert summary["peak"] == max(kept), name
    landmarks = analysis["landmarks"]
    assert len(landmarks["frames"]) == len(landmarks["times"]) == 10
    assert (landmarks["times"][0], landmarks["times"][-1]) == (pose["times"][0], pose["times"][-1])
    assert landmarks["frames"][0] == pose["landmarks"][0]
    assert all(frame is None or len(frame) == 33 for frame in landmarks["frames"])

    whole = api("GET", f"/api/sessions/{session_id}/analysis", athlete)
    print(f"\nGET .../analysis (points=500) of a 2 s person clip: {len(whole.content)} bytes")


def patch_session(session_id: str, fields: dict) -> None:
    """Change only these fields of a stored session, as the emulator's owner."""
    from devtools.emulators import FIRESTORE, OWNER, PROJECT
    from devtools.firestore_rest import encode_fields

    requests.patch(
        f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents/sessions/{session_id}",
        params=[("updateMask.fieldPaths", name) for name in fields],
        json={"fields": encode_fields(fields)},
        headers=OWNER,
        timeout=30,
    ).raise_for_status()


def test_only_the_current_jobs_assets_are_signed(make_user, short_clip):
    coach, athlete = linked(make_user)
    session_id, session = analysed_session(coach, athlete, short_clip)
    assets = session.get("analysisAssets") or {}
    video = ok(api("GET", f"/api/sessions/{session_id}/video", athlete))
    if assets.get("poster"):  # made by the analyzer: served, a JPEG
        poster = requests.get(video["posterUrl"], timeout=30)
        assert (poster.status_code, poster.content[:2]) == (200, b"\xff\xd8")
    else:
        assert video["posterUrl"] is None

    folder = f"analysis/{session_id}/{session['analysisJobId']}"
    strip = {"tileWidth": 160, "tileHeight": 90, "columns": 10, "count": 2, "times": [0.0, 1.0]}
    patch_session(
        session_id,
        {
            "analysisAssets": {
                "poster": {"path": "analysis/someoneElse/job/poster.jpg", "width": 640},
                "thumbnails": {"path": f"{folder}/thumbnails.jpg", "bytes": 10, **strip},
            }
        },
    )
    analysis = ok(api("GET", f"/api/sessions/{session_id}/analysis", athlete))
    assert analysis["assets"]["posterUrl"] is None  # not this job's: never signed
    thumbnails = analysis["assets"]["thumbnails"]
    assert "thumbnails.jpg" in thumbnails.pop("url")
    assert thumbnails == strip
    assert ok(api("GET", f"/api/sessions/{session_id}/video", athlete))["posterUrl"] is None

    patch_session(session_id, {"analysisAssets": None})
    analysis = ok(api("GET", f"/api/sessions/{session_id}/analysis", athlete))
    assert analysis["assets"] == {"posterUrl": None, "thumbnails": None}
