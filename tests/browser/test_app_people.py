"""People in headless Chromium (issue 25): a new person signs up, verifies their address (the link
the Auth emulator recorded, read from its out-of-band codes), sets their name and time zone, finds
their coach's invitation in the inbox and accepts it, and the coach's list says "Accepted"; an
athlete declines one (the coach's list says "Declined") and changes their time zone on Profile.
Each screen through check_screen (axe-core, no horizontal scroll, no console error), on a phone
and a desktop.
"""

from __future__ import annotations

import re
import uuid

import requests

from devtools.emulators import AUTH, IDENTITY, OWNER, PROJECT, api, sign_in, sign_up
from tests.browser.app import check_screen
from tests.uploads import ok

PASSWORD = "a-good-password"


def named_coach(make_user, name: str):
    coach = make_user("coach")
    ok(api("PUT", "/api/users/me", coach, json={"displayName": name}))
    return coach


def verification_link(address: str) -> str:
    """The link of the verification e-mail sent to ``address`` (the Auth emulator keeps them)."""
    codes = requests.get(f"{AUTH}/emulator/v1/projects/{PROJECT}/oobCodes", timeout=10).json()
    links = [
        code["oobLink"]
        for code in codes["oobCodes"]
        if code["email"] == address and code["requestType"] == "VERIFY_EMAIL"
    ]
    assert links, f"no verification e-mail to {address}: {codes}"
    return links[-1]


def test_a_new_person_signs_up_verifies_sets_a_zone_and_accepts_an_invitation(
    app, make_user, viewport
):
    coach = named_coach(make_user, "Carla Coach")
    address = f"newcomer-{uuid.uuid4().hex[:8]}@example.com"
    ok(api("POST", "/api/invitations", coach, json={"athleteEmail": address}), 201)

    page = app.open("/sign-in", viewport=viewport, timezone_id="Europe/Lisbon")
    page.get_by_role("link", name="New to Sessionbase? Create an account").click()
    form = page.get_by_role("form", name="Create an account")
    form.get_by_label("E-mail").fill(address)
    form.get_by_label("Password").fill(PASSWORD)
    check_screen(page, "people-sign-up")
    form.get_by_role("button", name="Create account").click()

    # Check your e-mail: the link went out; opening it (elsewhere) is noticed without a click.
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    page.get_by_text(f"Link sent to {address}.").wait_for()
    check_screen(page, "people-check-email")
    assert re.search(r"/welcome\?next=", page.url)
    mail = page.context.new_page()
    mail.goto(verification_link(address))
    mail.close()

    # The profile set-up: the zone guessed from the device, another one chosen.
    page.get_by_role("heading", name="Set up your profile").wait_for(timeout=30_000)
    setup = page.get_by_role("form", name="Your profile")
    zone = setup.get_by_label("Time zone")
    assert zone.input_value() == "Europe/Lisbon"
    page.get_by_text("Guessed from this device: Europe/Lisbon").wait_for()
    check_screen(page, "people-set-up")
    setup.get_by_role("button", name="Save and continue").click()
    setup.get_by_text("Enter your name.").wait_for()  # a name is needed
    setup.get_by_label("Your name").fill("Nia Newcomer")
    zone.select_option("America/Toronto")
    setup.get_by_role("button", name="Save and continue").click()

    # Home, with the invitation waiting in the navigation.
    page.wait_for_url(re.compile(r"/home$"))
    nav = page.get_by_role("navigation", name="Main")
    invitations = nav.get_by_role("link", name="Invitations 1 waiting")
    invitations.wait_for()
    check_screen(page, "people-home-invited")
    if viewport == "phone":  # five entries and a count still fit one line on a small phone
        page.set_viewport_size({"width": 360, "height": 780})
        check_screen(page, "people-home-invited")
        page.set_viewport_size({"width": 390, "height": 844})
    athlete = sign_in(address, PASSWORD)
    profile = ok(api("GET", "/api/users/me", athlete))
    assert (profile["displayName"], profile["timezone"]) == ("Nia Newcomer", "America/Toronto")

    invitations.click()
    page.get_by_role("heading", name="Invitations", exact=True).wait_for()
    waiting = page.get_by_role("list", name="Waiting for your answer")
    row = waiting.get_by_role("listitem").filter(has_text="Carla Coach")
    row.get_by_text("invites you to be coached by them").wait_for()
    check_screen(page, "people-inbox")
    row.get_by_role("button", name="Accept the invitation from Carla Coach").click()
    page.get_by_role("status").filter(has_text="Carla Coach is now your coach.").wait_for()
    page.get_by_text("No invitations waiting.").wait_for()
    nav.get_by_role("link", name="Invitations", exact=True).wait_for()  # no count left
    check_screen(page, "people-inbox-accepted")

    # The coach's list says so.
    coach_page = app.sign_in(coach, "/invitations", viewport=viewport)
    sent = coach_page.get_by_role("list", name="Sent invitations")
    sent.get_by_role("listitem").filter(has_text="Accepted").wait_for()
    check_screen(coach_page, "people-coach-accepted")


def test_an_athlete_declines_an_invitation_and_changes_their_time_zone(app, make_user, viewport):
    coach = named_coach(make_user, "Dana Coach")
    athlete = sign_up(f"athlete-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, name="Ola Athlete")
    ok(api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}), 201)

    page = app.sign_in(athlete, "/invitations", viewport=viewport)
    row = page.get_by_role("listitem").filter(has_text="Dana Coach")
    row.get_by_role("button", name="Decline the invitation from Dana Coach").click()
    row.get_by_text("Decline the invitation from Dana Coach? They will see").wait_for()
    check_screen(page, "people-inbox-decline-confirm")
    row.get_by_role("button", name="Yes, decline").click()
    page.get_by_role("status").filter(has_text="You declined Dana Coach's invitation.").wait_for()

    coach_page = app.sign_in(coach, "/invitations", viewport=viewport)
    sent = coach_page.get_by_role("list", name="Sent invitations")
    sent.get_by_role("listitem").filter(has_text=athlete.email).get_by_text(
        "Declined", exact=True
    ).wait_for()
    check_screen(coach_page, "people-coach-declined")

    # Profile: name and zone are the person's to change; the statistics follow the zone.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    page.get_by_role("button", name="Change name or time zone").click()
    form = page.get_by_role("form", name="Change your profile")
    assert form.get_by_label("Your name").input_value() == "Ola Athlete"
    form.get_by_label("Time zone").select_option("Asia/Tokyo")
    check_screen(page, "people-profile-edit")
    form.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(
        has_text="Your statistics are being counted again in Asia/Tokyo"
    ).wait_for()
    about = page.get_by_role("region", name="About you")
    about.get_by_text(re.compile(r"^Asia/Tokyo")).wait_for()
    check_screen(page, "people-profile-saved")
    assert ok(api("GET", "/api/users/me", athlete))["timezone"] == "Asia/Tokyo"


def test_an_unverified_athlete_verifies_and_then_sees_the_invitation(app, make_user):
    coach = named_coach(make_user, "Eli Coach")
    person = sign_up(f"unverified-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, verified=False)
    ok(api("POST", "/api/invitations", coach, json={"athleteEmail": person.email}), 201)
    page = app.sign_in(person, "/invitations", viewport="phone")
    card = page.get_by_role("region", name="Verify your e-mail address")
    card.wait_for()
    page.get_by_text("No invitations waiting.").wait_for()
    check_screen(page, "people-inbox-unverified")
    card.get_by_role("button", name="I have verified it").click()
    card.get_by_text("Not verified yet.").wait_for()
    # The link opened elsewhere (as the emulator's link would): the same button now finds it.
    requests.post(
        f"{IDENTITY}/projects/{PROJECT}/accounts:update",
        json={"localId": person.uid, "emailVerified": True},
        headers=OWNER,
        timeout=10,
    ).raise_for_status()
    card.get_by_role("button", name="I have verified it").click()
    page.get_by_role("listitem").filter(has_text="Eli Coach").wait_for()
    assert card.count() == 0
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Invitations 1 waiting").wait_for()
    check_screen(page, "people-inbox-verified")
