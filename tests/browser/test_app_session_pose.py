"""A session's body angles (the analysis's ``pose`` block, issue 23) on its page, in headless
Chromium through the Hosting emulator: the measures in words with units ("Left knee valgus (FPPA)",
"Peak 14° at 2.4 s"), the left–right differences, how the clip was filmed, and what the figures
are, for its coach and its athlete, on a phone and a desktop, through check_screen.

The pose block is written with the Admin SDK, as the analyzer writes it: this checks the display;
the emulator test of the analyzer checks that a real clip gives such a block.
"""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from devtools.emulators import api, sign_up
from tests.browser.app import check_screen
from tests.uploads import ok

MODEL = "MediaPipe Pose (BlazePose GHUM, full), mediapipe 0.10.14"
NONE = {"peak": None, "peakTime": None, "rangeOfMotion": None, "samples": 0}


def measure(peak: float, peak_time: float, range_of_motion: float, samples: int = 140) -> dict:
    return {
        "peak": peak,
        "peakTime": peak_time,
        "rangeOfMotion": range_of_motion,
        "samples": samples,
    }


# A drop jump filmed from the front: the left knee caves in more than the right.
LANDING = {
    "model": MODEL,
    "sampleRate": 15.0,
    "complete": True,
    "measuredSeconds": 9.933,
    "frames": 150,
    "personFraction": 0.987,
    "view": "frontal",
    "views": {"frontal": 140, "side": 0, "unknown": 8},
    "measures": {
        "leftKneeFlexion": measure(92.4, 2.4, 85.1),
        "rightKneeFlexion": measure(86.2, 2.467, 80.3),
        "leftHipFlexion": measure(71.0, 2.4, 60.2),
        "rightHipFlexion": measure(69.6, 2.4, 58.9),
        "leftElbowFlexion": NONE,
        "rightElbowFlexion": NONE,
        "leftShoulderAbduction": measure(35.4, 1.2, 20.0),
        "rightShoulderAbduction": measure(33.1, 1.2, 19.7),
        "leftKneeFppa": measure(14.3, 2.4, 17.6, 120),
        "rightKneeFppa": measure(6.1, 2.533, 9.0, 120),
        "trunkLean": measure(-8.6, 2.6, 12.4),
    },
    "asymmetry": {
        "kneeFlexion": 6.2,
        "hipFlexion": 1.4,
        "elbowFlexion": None,
        "shoulderAbduction": 2.3,
        "kneeFppa": 8.2,
    },
}

# A squat filmed from the side, whose pose time ran out at 6.2 s: no knee valgus there.
SIDE = {
    **LANDING,
    "complete": False,
    "measuredSeconds": 6.2,
    "frames": 94,
    "personFraction": 1.0,
    "view": "side",
    "views": {"frontal": 0, "side": 90, "unknown": 4},
    "measures": {
        **LANDING["measures"],
        "leftKneeFppa": NONE,
        "rightKneeFppa": NONE,
        "trunkLean": measure(21.7, 3.1, 24.0),
    },
    "asymmetry": {**LANDING["asymmetry"], "kneeFppa": None},
}


def analysed_session(pose: dict) -> tuple:
    """A coach, their linked athlete and a video-analysis session of theirs, analysed with ``pose``
    (written with the Admin SDK, as the analyzer writes a session's analysis)."""
    from sessionbase.store.client import firestore_client

    coach = sign_up(f"coach-{uuid.uuid4().hex[:8]}@example.com", "password123", role="coach")
    athlete = sign_up(
        f"athlete-{uuid.uuid4().hex[:8]}@example.com", "password123", name="Ada Lander"
    )
    ok(api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}), 201)
    received = ok(api("GET", "/api/invitations", athlete))["invitations"]
    ok(api("POST", f"/api/invitations/{received[0]['invitationId']}/accept", athlete))
    event = f"Drop jump {uuid.uuid4().hex[:6]}"
    body = {"athleteId": athlete.uid, "event": event, "sessionType": "Analysis"}
    session_id = ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"]
    firestore_client().collection("sessions").document(session_id).update(
        {
            "analysisStatus": "completed",
            "analysisProgress": 100,
            "metrics": {
                "durationSeconds": 10.0,
                "frameRate": 30.0,
                "framesDecoded": 300,
                "motionEnergyMean": 12.4,
                "activeTimeFraction": 0.71,
            },
            "pose": pose,
            "poseFile": f"analysis/{session_id}/job-1/pose.json",
        }
    )
    return coach, athlete, session_id, event


def rows(region) -> dict[str, str]:
    """The body angles as term → definition, in the order shown."""
    terms = region.get_by_role("term").all_inner_texts()
    values = region.get_by_role("definition").all_inner_texts()
    assert len(terms) == len(values)
    return dict(zip(terms, values, strict=True))


def test_the_coach_reads_the_body_angles_in_words(app, viewport):
    coach, _athlete, session_id, event = analysed_session(LANDING)
    page = app.sign_in(coach, f"/sessions/{session_id}", viewport=viewport)
    page.get_by_role("heading", level=1, name=event).wait_for()
    angles = page.get_by_role("region", name="Body angles")
    expect(angles.get_by_role("heading", level=3, name="Body angles")).to_be_visible()
    expect(angles.get_by_role("term").first).to_have_text("Left knee valgus (FPPA)")
    expect(angles.get_by_role("definition").first).to_have_text(
        "Peak 14° at 2.4 s, range of motion 18°"
    )
    said = rows(angles)
    assert list(said)[:4] == [
        "Left knee valgus (FPPA)",
        "Right knee valgus (FPPA)",
        "Left knee flexion",
        "Right knee flexion",
    ]
    assert said["Right knee valgus (FPPA)"] == "Peak 6° at 2.5 s, range of motion 9°"
    assert said["Left knee flexion"] == "Peak 92° at 2.4 s, range of motion 85°"
    assert said["Trunk lean"] == (
        "Peak -9° at 2.6 s (leaning to the image's left), range of motion 12°"
    )
    # The left–right differences of the peaks, under a heading of their own.
    expect(angles.get_by_role("heading", level=4, name="Left–right differences")).to_be_visible()
    assert said["Knee valgus (FPPA)"] == "8° between the left and right peaks"
    assert said["Knee flexion"] == "6° between the left and right peaks"
    assert "Left elbow flexion" not in said
    assert "Elbow flexion" not in said
    expect(
        angles.get_by_text("Could not be measured: left and right elbow flexion.")
    ).to_be_visible()
    expect(
        angles.get_by_text(
            "Filmed from the front or back. Person seen in 99 % of 150 frames. "
            "Measured at up to 15 frames a second."
        )
    ).to_be_visible()
    expect(angles.get_by_text("not a diagnosis", exact=False)).to_be_visible()
    expect(
        angles.get_by_text("measured only in frames filmed from the front or back", exact=False)
    ).to_be_visible()
    # The motion energy stays, beside the body angles.
    expect(page.get_by_role("term").filter(has_text="Time with movement")).to_have_count(1)
    text = page.locator("main").inner_text()
    for raw in ("leftKneeFppa", "personFraction", "trunkLean", "rangeOfMotion", "frontal"):
        assert raw not in text
    check_screen(page, "session-pose-coach")


def test_the_athlete_reads_a_side_view_measured_in_part(app, viewport):
    _coach, athlete, session_id, event = analysed_session(SIDE)
    page = app.sign_in(athlete, f"/sessions/{session_id}", viewport=viewport)
    page.get_by_role("heading", level=1, name=event).wait_for()
    angles = page.get_by_role("region", name="Body angles")
    expect(angles.get_by_role("status")).to_have_text(
        "The body angles cover only the first 6.2 s of the video: "
        "the time allowed for measuring them ran out."
    )
    expect(angles.get_by_text("Filmed from the side.", exact=False)).to_be_visible()
    said = rows(angles)
    assert list(said)[0] == "Left knee flexion"
    assert not any("valgus" in term for term in said)
    assert said["Trunk lean"] == (
        "Peak 22° at 3.1 s (leaning to the image's right), range of motion 24°"
    )
    expect(
        angles.get_by_text(
            "Could not be measured: left and right knee valgus (FPPA), "
            "left and right elbow flexion."
        )
    ).to_be_visible()
    check_screen(page, "session-pose-athlete-side")
    if viewport == "phone":
        # The narrowest phone the app is made for: still no horizontal scroll (check_screen).
        page.set_viewport_size({"width": 360, "height": 740})
        check_screen(page, "session-pose-athlete-side")
