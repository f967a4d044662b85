"""Check my pose (/practice/pose) in headless Chromium through the Hosting emulator: an athlete
reaches it from Home's practice card, picks a pose from GET /api/poses and chooses a photo; the
photo is the real one of tests/fixtures/pose (a man cut off at the knees), which
POST /api/analyze/{pose} refuses with 400 naming ``file``: the error shows at the photo field,
and the screen passes check_screen (axe-core, no horizontal scroll, only that 400 in the console)
on a phone and a desktop.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.app import allow_errors, check_screen

CAMERA = Path(__file__).resolve().parents[1] / "fixtures" / "pose" / "camera.jpg"


def test_a_photo_without_enough_body_is_refused_at_the_photo_field(app, viewport):
    page, _athlete = app.sign_in_as("athlete", "/home", viewport=viewport)
    page.get_by_role("link", name="Check a yoga pose").click()
    expect(page.get_by_role("heading", level=1, name="Check my pose")).to_be_visible()
    pose = page.get_by_label("Pose", exact=True)
    expect(pose.get_by_role("option", name="Tree Pose (Vrksasana)")).to_have_count(1)
    check_screen(page, "pose-start")

    page.get_by_label("Photo of you in the pose").set_input_files(str(CAMERA))
    expect(page.get_by_role("img", name="Your photo")).to_be_visible()
    pose.select_option(label="Tree Pose (Vrksasana)")
    allow_errors(page, r"status of 400")
    page.get_by_role("button", name="Check pose").click()

    photo = page.get_by_label("Photo of you in the pose")
    expect(photo).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("not enough of the body visible", exact=False)).to_be_visible()
    check_screen(page, "pose-refused")

    # Another photo: the error was about the old one, so it goes.
    again = {"name": "again.jpg", "mimeType": "image/jpeg", "buffer": CAMERA.read_bytes()}
    photo.set_input_files(again)
    expect(photo).not_to_have_attribute("aria-invalid", "true")
