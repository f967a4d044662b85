"""A session's video review and the compare page (issue 24), in headless Chromium through the
Hosting emulator, with real clips uploaded through the API and analysed by the emulators'
analyzer: the coach opens a completed session's review, the video plays and seeks (the position
slider, a frame step, a click on the chart), the chart's playhead follows the video, clicking a
comment moves the video to its moment, a new comment at the playhead appears on the athlete's
open page without a reload (two browser contexts); the compare page plays two clips together
with an offset and charts both. check_screen on each screen at 390 and 1280 px."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from devtools.emulators import api
from devtools.videos import clip, person_clip
from tests.browser.app import check_screen
from tests.uploads import analysed, linked, new_session, ok, upload

FPS = 25


def analysed_clip(coach, athlete, data: bytes) -> str:
    """A session of the coach with the athlete, its video uploaded and analysed (completed)."""
    session_id = new_session(coach, athlete)
    upload(coach, session_id, data)
    session = analysed(coach, session_id)
    assert session["analysisStatus"] == "completed", session
    return session_id


def video_time(page: Page, index: int = 0) -> float:
    return page.evaluate(f"document.querySelectorAll('video')[{index}].currentTime")


def wait_loaded(page: Page, count: int = 1) -> None:
    page.wait_for_function(
        "n => { const v = [...document.querySelectorAll('video')];"
        " return v.length === n && v.every(e => e.readyState >= 2 && e.duration > 0); }",
        arg=count,
    )


def wait_time(page: Page, seconds: float, index: int = 0, within: float = 0.06) -> None:
    page.wait_for_function(
        "([i, t, d]) => Math.abs(document.querySelectorAll('video')[i].currentTime - t) <= d",
        arg=[index, seconds, within],
    )


def playhead_x(page: Page) -> float:
    """Where the chart's playhead line is, px from the plot's left edge."""
    transform = page.locator("[data-playhead]").first.evaluate("e => e.style.transform")
    found = re.search(r"translateX\((-?[\d.]+)px\)", transform)
    assert found, transform
    return float(found.group(1))


def test_the_coach_reviews_and_the_athlete_sees_the_comment_live(app, make_user, viewport):
    coach, athlete = linked(make_user)
    data, _offsets = person_clip(seconds=3, fps=FPS)
    session_id = analysed_clip(coach, athlete, data)
    # A comment with a drawing, made by the coach through the API before the page opens.
    arrow = {"kind": "arrow", "points": [[0.2, 0.2], [0.5, 0.5]], "colour": "#ffd60a"}
    ok(
        api(
            "POST",
            f"/api/sessions/{session_id}/comments",
            coach,
            json={"atMs": 2000, "text": "Arms up here", "drawing": {"shapes": [arrow]}},
        ),
        201,
    )

    page = app.sign_in(coach, f"/sessions/{session_id}", viewport=viewport)
    page.get_by_role("link", name="Review the video").click()
    page.get_by_role("heading", level=1, name="Review: Vault").wait_for()
    wait_loaded(page)
    controls = page.get_by_role("group", name="Video controls")
    readout = page.get_by_role("figure", name="The analysis over the video's time")
    expect(readout).to_contain_text("Change between frames")

    # Plays, and the chart's playhead follows.
    start = playhead_x(page)
    controls.get_by_role("button", name="Play").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 0.6")
    controls.get_by_role("button", name="Pause").click()
    assert playhead_x(page) > start + 5

    # Seeks with the position slider; a frame on with ".", back with ",".
    controls.get_by_label("Position in the video").fill("1.2")
    wait_time(page, 1.2)
    expect(readout).to_contain_text("At 0:01.2")
    at_seek = playhead_x(page)
    page.keyboard.press(".")
    wait_time(page, 1.26, within=0.021)  # the middle of frame 31 at 25 fps
    page.keyboard.press(",")
    page.keyboard.press(",")
    wait_time(page, 1.18, within=0.021)

    # A click on the chart seeks the video there (uPlot's plot area holds the playhead line).
    plot = page.locator("[data-playhead]").first.locator("xpath=..")
    size = plot.bounding_box()
    assert size
    plot.click(position={"x": size["width"] * 0.8, "y": size["height"] / 2})
    page.wait_for_function("() => document.querySelector('video').currentTime > 2.0")
    assert playhead_x(page) > at_seek + 20

    # A comment's moment is a button: the video goes there; its drawing is over the frame.
    comments = page.get_by_role("list", name="Comments by time")
    comments.get_by_role("button", name="Go to 0:02.0").click()
    wait_time(page, 2.0, within=0.01)
    expect(page.get_by_role("article", name="Comment at 0:02.0")).to_contain_text("Arms up here")

    # The athlete has the review open in another browser.
    other = app.sign_in(athlete, f"/sessions/{session_id}/review", viewport=viewport)
    other.get_by_role("heading", level=1, name="Review: Vault").wait_for()
    expect(other.get_by_text("Arms up here")).to_be_visible()

    # The coach comments at the playhead (1.0 s); the athlete's page shows it, no reload.
    controls.get_by_label("Position in the video").fill("1")
    wait_time(page, 1.0)
    form = page.get_by_role("form", name="New comment")
    # A circle drawn on the paused frame goes with the comment.
    form.get_by_role("button", name="Draw on the frame").click()
    page.get_by_role("radio", name="Circle").check()
    video = page.get_by_label("Video of Vault", exact=False)
    video.scroll_into_view_if_needed()
    box = video.bounding_box()
    assert box
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0] + 30, centre[1] + 10, steps=4)
    page.mouse.up()
    expect(form.get_by_text("With your drawing (1 shape).")).to_be_visible()
    form.get_by_label("Comment").fill("Knees in at the landing.\nWatch the left one.")
    form.get_by_role("button", name="Comment at 0:01").click()
    expect(form.get_by_label("Comment")).to_have_value("")
    live = other.get_by_role("article", name="Comment at 0:01.0")
    expect(live).to_contain_text("Knees in at the landing.")
    expect(live).to_contain_text("Watch the left one.")
    expect(live).to_contain_text("With a drawing")
    # In time order: 0:01.0 before 0:02.0, on both pages.
    moments = other.get_by_role("list", name="Comments by time").get_by_role(
        "button", name=re.compile("^Go to")
    )
    expect(moments).to_have_text(["0:01.0", "0:02.0"])
    # The athlete goes to the coach's new comment.
    other.get_by_role("button", name="Go to 0:01.0").click()
    wait_time(other, 1.0, within=0.01)

    check_screen(page, "review-coach")
    check_screen(other, "review-athlete")


def test_the_coach_compares_two_clips(app, make_user, viewport):
    coach, athlete = linked(make_user)
    first = analysed_clip(coach, athlete, clip(seconds=3, fps=FPS))
    second = analysed_clip(coach, athlete, clip(seconds=2, fps=FPS, width=256, height=144))

    page = app.sign_in(coach, f"/sessions/{first}/review", viewport=viewport)
    page.get_by_role("heading", level=1, name="Review: Vault").wait_for()
    compare = page.get_by_role("form", name="Compare with another session")
    compare.get_by_label("Another session of").select_option(second)
    compare.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(rf"/compare\?a={first}&b={second}"))
    page.get_by_role("heading", level=1, name="Compare two videos").wait_for()
    wait_loaded(page, 2)
    expect(page.get_by_role("figure", name="Both sessions on one time line")).to_be_visible()

    # Played together, paused together.
    controls = page.get_by_role("group", name="Controls of both videos")
    controls.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('video')].every(v => v.currentTime > 0.5)"
    )
    controls.get_by_role("button", name="Pause").click()
    page.wait_for_function("() => [...document.querySelectorAll('video')].every(v => v.paused)")
    assert abs(video_time(page, 0) - video_time(page, 1)) < 0.2

    # B half a second later: at 1.6 s on A's time, B is at 1.1 s.
    page.get_by_label("Offset of B (ms)").fill("500")
    page.wait_for_url(re.compile(r"offsetMs=500"))
    controls.get_by_label("Position in the video").fill("1.6")
    wait_time(page, 1.6, index=0)
    wait_time(page, 1.1, index=1)
    # One frame later with "."; both move.
    page.keyboard.press(".")
    page.wait_for_function(
        "() => [...document.querySelectorAll('video')]"
        ".every((v, i) => v.currentTime > [1.6, 1.1][i])"
    )
    check_screen(page, "review-compare")
