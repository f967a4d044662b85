"""The athlete's screens of the web app in headless Chromium through the Hosting emulator: Home
(the next sessions in the person's time zone, the statistics with their chart), Practice (the
practice seed's start / answer / end, to the score and the streak) and Profile, each through
check_screen (axe-core, no horizontal scroll, no console errors) on a phone and a desktop.
Everything a screen shows was made through the API (or, for a profile's time zone, which no
endpoint writes yet, in the profile document), never invented by the test.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import expect

from devtools.emulators import FIRESTORE, OWNER, PROJECT, api
from tests.browser.app import check_screen
from tests.uploads import linked, ok


def exercise(coach, prompt: str, *answers: str) -> str:
    body = {"prompt": prompt, "answers": list(answers)}
    return ok(api("POST", "/api/exercises", coach, json=body), 201)["exercise_id"]


def set_time_zone(user, zone: str) -> None:
    """The profile's time zone (users/{uid}.timezone): no endpoint writes it yet, so the test
    writes that one field as the emulator's owner (the other fields of the profile stay)."""
    url = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents/users/{user.uid}"
    body = {"fields": {"timezone": {"stringValue": zone}}}
    reply = requests.patch(
        url, json=body, headers=OWNER, params={"updateMask.fieldPaths": "timezone"}, timeout=30
    )
    reply.raise_for_status()


def said_when(start: dt.datetime, zone: str) -> re.Pattern[str]:
    """How the app says a start in the coming week (format.ts's formatWhen, en-US): "Tomorrow,
    2:30 PM", "Tuesday, 2:30 PM" (Chromium puts a narrow no-break space before PM: any space)."""
    local = start.astimezone(ZoneInfo(zone))
    days = (local.date() - dt.datetime.now(ZoneInfo(zone)).date()).days
    assert 1 <= days < 7, "the test's session must start in the coming week"
    day = "Tomorrow" if days == 1 else local.strftime("%A")
    clock = local.strftime("%I:%M").lstrip("0")
    return re.compile(rf"{day}, {clock}\s{local.strftime('%p')}")


# ---- Practice, to the score; Home's statistics after it ------------------------------------


def test_practice_to_the_score_and_the_statistics_after_it(app, make_user, viewport):
    coach, athlete = linked(make_user)
    exercise(coach, "7 x 8", "56")
    exercise(coach, "'coffee' in Spanish", "café")
    page = app.sign_in(athlete, "/home", viewport=viewport)
    page.get_by_role("heading", name="Home").wait_for()
    page.get_by_role("link", name="Start practice").click()
    page.get_by_role("heading", name="Practice").wait_for()
    page.get_by_text("2 exercises, one at a time").wait_for()
    check_screen(page, "athlete-practice-start")

    page.get_by_role("button", name="Start practice").click()
    page.get_by_text("Exercise 1 of 2").wait_for()
    # An empty answer is refused beside its field; nothing is sent.
    page.get_by_role("button", name="Check answer").click()
    page.get_by_text("Write your answer first.").wait_for()
    page.get_by_label("Your answer").fill("56")
    check_screen(page, "athlete-practice-exercise")
    page.get_by_role("button", name="Check answer").click()
    page.get_by_role("status").filter(has_text="Right!").wait_for()
    check_screen(page, "athlete-practice-right")
    page.get_by_role("button", name="Next exercise").click()

    page.get_by_text("Exercise 2 of 2").wait_for()
    page.get_by_label("Your answer").fill("cafe")  # accents count (docs/api.md)
    page.get_by_role("button", name="Check answer").click()
    page.get_by_role("status").filter(has_text="Not quite. The answer: café").wait_for()
    page.get_by_role("button", name="See my score").click()

    page.get_by_role("heading", name="Your score").wait_for()
    # The score itself (the statistics below it may say "Average score 50 %" as soon as counted).
    page.get_by_role("paragraph").filter(has_text=re.compile(r"^50 %$")).wait_for()
    page.get_by_text(re.compile(r"^1 of 2 right, in ")).wait_for()
    # The streak follows the practice just ended (the statistics are counted by a trigger).
    figure = page.locator("dl div").filter(has_text="Current streak")
    figure.get_by_text("1 day").wait_for()
    check_screen(page, "athlete-practice-score")

    stats = ok(api("GET", "/api/sessions/stats", athlete))["stats"]
    assert (stats["completedSessions"], stats["averageScore"], stats["currentStreak"]) == (1, 50, 1)

    page.get_by_role("link", name="Back to Home").click()
    page.get_by_role("heading", name="Your progress").wait_for()
    progress = page.get_by_role("region", name="Your progress")
    figures = progress.locator("dl div")
    figures.filter(has_text="Sessions completed").get_by_text("1", exact=True).wait_for()
    figures.filter(has_text="Average score").get_by_text("50 %").wait_for()
    page.get_by_text("In the last 14 days: 1 session on 1 day, 1 completed.").wait_for()
    page.get_by_text("Show as a table").click()
    assert page.get_by_role("table").get_by_role("row").count() == 15  # a header, 14 days
    check_screen(page, "athlete-home-statistics")


def test_a_practice_left_open_continues_after_a_reload(app, make_user):
    coach, athlete = linked(make_user)
    exercise(coach, "2 + 2", "4")
    exercise(coach, "3 + 3", "6")
    page = app.sign_in(athlete, "/practice", viewport="phone")
    page.get_by_role("button", name="Start practice").click()
    page.get_by_label("Your answer").fill("4")
    page.get_by_role("button", name="Check answer").click()
    page.get_by_role("status").filter(has_text="Right!").wait_for()
    page.reload()
    # The same session, at the next exercise: the answer given is not asked (or counted) again.
    page.get_by_text("Exercise 2 of 2 · 1 right so far").wait_for()
    page.get_by_text("3 + 3").wait_for()
    page.get_by_role("button", name="Finish now").click()
    page.get_by_text("100 %", exact=True).wait_for()
    page.get_by_text(re.compile(r"^1 of 1 right")).wait_for()
    sessions = ok(api("GET", "/api/sessions", athlete, params={"sessionType": "Practice"}))
    assert [s["itemCount"] for s in sessions["sessions"]] == [1]


# ---- Home: the next sessions, in the person's time zone --------------------------------------


def test_home_shows_the_next_session_at_its_local_time(app, make_user, viewport):
    coach, athlete = linked(make_user)
    browser_zone = "Asia/Tokyo"
    today = dt.datetime.now(ZoneInfo(browser_zone)).date()
    start = dt.datetime.combine(
        today + dt.timedelta(days=2), dt.time(14, 30), tzinfo=ZoneInfo(browser_zone)
    )
    body = {
        "athleteId": athlete.uid,
        "event": "Beam",
        "sessionType": "Training",
        "status": "scheduled",
        "scheduledStart": start.isoformat(),
        "scheduledEnd": (start + dt.timedelta(minutes=90)).isoformat(),
    }
    session_id = ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"]

    context = app.context(viewport, timezone_id=browser_zone, locale="en-US")
    page = app.sign_in(athlete, "/home", page=context.new_page())
    coming = page.get_by_role("list", name="Your next sessions")
    row = coming.get_by_role("link", name=re.compile("Beam"))
    row.wait_for()
    # The browser's zone until the profile has one: 14:30 in Tokyo.
    expect(row).to_contain_text(said_when(start, browser_zone))
    expect(row).to_contain_text("1 h 30 min")
    check_screen(page, "athlete-home")

    # With a time zone on the profile, the same session is said in it, wherever the browser is.
    set_time_zone(athlete, "America/New_York")
    expect(row).to_contain_text(said_when(start, "America/New_York"))
    row.click()
    page.wait_for_url(re.compile(f"/sessions/{session_id}$"))
    page.get_by_role("heading", name="Beam").wait_for()


def test_home_with_nothing_yet(app, viewport):
    page, _ = app.sign_in_as("athlete", "/home", viewport=viewport)
    page.get_by_text("Nothing planned in the next two weeks.").wait_for()
    page.get_by_text("No sessions in the last 14 days.").wait_for()
    check_screen(page, "athlete-home-empty")
    page.get_by_role("link", name="Start practice").click()
    page.get_by_text("No exercises yet.").wait_for()
    check_screen(page, "athlete-practice-none")


# ---- Profile -----------------------------------------------------------------------------------


def test_the_profile_says_who_and_which_time_zone(app, make_user, viewport):
    athlete = make_user()
    page = app.sign_in(athlete, "/profile", viewport=viewport)
    page.get_by_role("heading", name="Profile").wait_for()
    about = page.get_by_role("region", name="About you")
    about.get_by_text(athlete.email).wait_for()
    about.get_by_text("Athlete", exact=True).wait_for()
    page.get_by_text("Your statistics count days in UTC until a time zone is set").wait_for()
    check_screen(page, "athlete-profile")
    # The profile is followed live: a time zone set elsewhere shows without a reload.
    set_time_zone(athlete, "Europe/Paris")
    about.get_by_text(re.compile(r"^Europe/Paris")).wait_for()
    page.get_by_text(re.compile("your statistics count days .* in it")).wait_for()
    check_screen(page, "athlete-profile-zone")
