"""The coach's screens in headless Chromium (the persona's jobs 1-3): invite an athlete, who
accepts; see them by name, their sessions, end the link after a confirmation; withdraw an
invitation; plan a session (a double-click makes one); upload a real video in chunks with
progress and see the analysis arrive, measured in words and units. Each screen through
check_screen (axe-core, no horizontal scroll, no console error: the upload's chunks must not log
"Refused to get unsafe header"), on a phone and a desktop.
"""

from __future__ import annotations

import re
import uuid

from devtools.emulators import api, sign_up
from devtools.videos import clip
from tests.browser.app import allow_errors, check_screen
from tests.uploads import ok

# A browser logs each 4xx answer it gets as a console error; the test provoking one says so.
API_400 = r"status of 400 .*@ .*/api/invitations"


def named_athlete(name: str):
    """An athlete with a name on their account (what sign-up in the app records)."""
    return sign_up(f"athlete-{uuid.uuid4().hex[:8]}@example.com", "password123", name=name)


def accept_as(athlete) -> str:
    """The athlete accepts their coach's invitation (through the API, as their app would)."""
    received = ok(api("GET", "/api/invitations", athlete))["invitations"]
    mine = [i for i in received if i.get("kind", "coach") == "coach" and i["status"] == "pending"]
    assert len(mine) == 1, received
    ok(api("POST", f"/api/invitations/{mine[0]['invitationId']}/accept", athlete))
    return mine[0]["invitationId"]


def linked_pair(make_user, name: str):
    coach, athlete = make_user("coach"), named_athlete(name)
    body = {"athleteEmail": athlete.email}
    ok(api("POST", "/api/invitations", coach, json=body), 201)
    accept_as(athlete)
    return coach, athlete


def test_a_coach_invites_an_athlete_who_accepts_and_ends_the_link(app, make_user, viewport):
    coach, athlete = make_user("coach"), named_athlete("Nia Runner")
    page = app.sign_in(coach, "/athletes", viewport=viewport)
    page.get_by_text("No athletes yet").wait_for()
    check_screen(page, "coach-athletes-empty")

    invite = page.get_by_role("form", name="Invite an athlete")
    address = invite.get_by_label("Athlete's e-mail")
    # A malformed address: the API names the field; the error goes as soon as the field changes.
    allow_errors(page, API_400)
    address.fill("not an address")
    invite.get_by_role("button", name="Send invitation").click()
    field_error = invite.locator("[aria-invalid='true']")
    field_error.wait_for()
    check_screen(page, "coach-invite-error")
    address.fill(athlete.email)
    assert field_error.count() == 0
    invite.get_by_role("button", name="Send invitation").click()
    sent = page.get_by_role("status").filter(has_text=f"Invitation sent to {athlete.email}")
    sent.wait_for()
    # Success reads as success, not in the error colour.
    colour = sent.evaluate("e => getComputedStyle(e).color")
    danger = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--color-danger')"
    )
    assert colour != danger.strip()
    assert address.input_value() == ""

    # Another invitation, withdrawn on the Invitations screen.
    stray = f"stray-{uuid.uuid4().hex[:6]}@example.com"
    address.fill(stray)
    invite.get_by_role("button", name="Send invitation").click()
    page.get_by_role("status").filter(has_text=f"Invitation sent to {stray}").wait_for()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invitations").click()
    sent_list = page.get_by_role("list", name="Sent invitations")
    row = sent_list.get_by_role("listitem").filter(has_text=athlete.email)
    row.get_by_text("Waiting for an answer", exact=True).wait_for()
    check_screen(page, "coach-invitations")
    sent_list.get_by_role("button", name=f"Withdraw the invitation to {stray}").click()
    stray_row = sent_list.get_by_role("listitem").filter(has_text=stray)
    stray_row.get_by_text("Withdrawn", exact=True).wait_for()
    assert stray_row.get_by_role("button", name=re.compile("Invite again")).is_visible()

    # The athlete accepts: the coach's list names them (not their address), live.
    accept_as(athlete)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Athletes").click()
    athletes = page.get_by_role("list", name="Your athletes")
    athletes.get_by_text("Nia Runner").wait_for()
    assert athlete.email not in athletes.inner_text()
    assert "No sessions yet" in athletes.inner_text()
    check_screen(page, "coach-athletes")

    # Their sessions: the list filtered to them.
    athletes.get_by_role("link", name="Sessions with Nia Runner").click()
    page.wait_for_url(re.compile(rf"/sessions\?athlete={athlete.uid}$"))
    page.get_by_role("heading", name="Sessions").wait_for()
    assert page.get_by_role("combobox", name="Athlete", exact=True).input_value() == athlete.uid
    page.get_by_text("No sessions yet").wait_for()
    page.go_back()

    # Ending the link asks first; "Keep the link" changes nothing.
    athletes.get_by_role("button", name="End link with Nia Runner").click()
    page.get_by_text("End the link with Nia Runner?").wait_for()
    check_screen(page, "coach-athletes-end-link")
    page.get_by_role("button", name="Keep the link").click()
    assert athletes.get_by_text("Nia Runner").is_visible()
    athletes.get_by_role("button", name="End link with Nia Runner").click()
    page.get_by_role("button", name="End the link").click()
    page.get_by_text("No athletes yet").wait_for()
    invitations = ok(api("GET", "/api/invitations", coach))["invitations"]
    ended = [i for i in invitations if i.get("athleteEmail") == athlete.email]
    assert [i["status"] for i in ended] == ["ended"]


def test_a_double_click_makes_one_session_and_its_video_is_analysed(app, make_user, viewport):
    coach, athlete = linked_pair(make_user, "Leo Jumper")
    event = f"Long jump {uuid.uuid4().hex[:6]}"
    page = app.sign_in(coach, "/sessions", viewport=viewport)
    page.get_by_role("link", name="New session").click()
    form = page.get_by_role("form", name="New session")
    form.get_by_role("combobox", name="Athlete", exact=True).select_option(label="Leo Jumper")
    form.get_by_label("Event").fill(event)
    form.get_by_label("Type").select_option(label="Video analysis")
    form.get_by_label("When").fill("2026-05-04T09:30")
    check_screen(page, "coach-new-session")
    form.get_by_role("button", name="Create session").dblclick()
    page.get_by_role("heading", name=event).wait_for()
    session_id = page.url.rsplit("/", 1)[1]

    mine = ok(api("GET", "/api/sessions", coach, params={"event": event, "limit": 100}))
    assert [s["sessionId"] for s in mine["sessions"]] == [session_id]
    made = mine["sessions"][0]
    assert (made["athleteId"], made["athleteName"], made["sessionType"]) == (
        athlete.uid,
        "Leo Jumper",
        "Analysis",
    )
    check_screen(page, "coach-session-new")

    # A real video of two chunks (1 MiB each but the last): each 308 is read without a console
    # error (check_screen fails on any), and the bar ends full.
    video = clip(textured=True, seconds=3, width=640, height=360)
    assert len(video) > 1024 * 1024
    upload = page.get_by_role("form", name="Upload a video")
    upload.get_by_label("Video file").set_input_files(
        {"name": "jump.mp4", "mimeType": "video/mp4", "buffer": video}
    )
    upload.get_by_role("button", name="Upload video").click()
    page.get_by_text("Uploaded jump.mp4.").wait_for()
    assert page.get_by_role("progressbar", name="Upload progress").get_attribute("value") == "100"

    # The analysis arrives through the session's listener, named in words with units.
    page.get_by_text("Analysed", exact=True).first.wait_for(timeout=120_000)
    measurements = page.get_by_role("definition").all_inner_texts()
    terms = page.get_by_role("term").all_inner_texts()
    assert "Average change between frames" in terms
    assert "Time with movement" in terms
    assert any(re.fullmatch(r"\d+(\.\d)? of 255 levels", text) for text in measurements)
    assert any(re.fullmatch(r"\d+ %", text) for text in measurements)
    body = page.locator("main").inner_text()
    for raw in ("motionEnergyMean", "activeTimeFraction", "framesDecoded"):
        assert raw not in body
    check_screen(page, "coach-session-analysed")
