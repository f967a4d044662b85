"""Notifications in headless Chromium (issue 25): the header's bell counts the unread ones live,
the inbox (/notifications) lists them and marks them read, and the Profile page keeps the e-mail
and push choices per kind.

- A new person signs up, verifies (the Auth emulator's link), sets a name and time zone, finds the
  invitation a coach sent to their address before they had an account, and accepts it; the coach
  has the app open meanwhile in another browser context, and their bell goes from "all read" to
  "1 unread" without a reload; the coach opens the inbox, sees "accepted", opens it (read, and on
  to the invitations).
- A coach resends a pending invitation to an athlete who has an account: the athlete's bell counts
  the second "invites you" live; "Mark all as read" clears it; the athlete turns e-mail off for
  one kind on Profile and the profile keeps it.

Each screen through check_screen (axe-core, no horizontal scroll at 390 px, no console error).
"""

from __future__ import annotations

import re
import uuid

from devtools.emulators import api, sign_in, sign_up
from tests.browser.app import check_screen
from tests.browser.test_app_people import PASSWORD, named_coach, verification_link
from tests.uploads import ok

LIVE_MS = 30_000  # an event → the recipient's listener (the service writes after its commit)


def bell(page, words: str):
    """The header's bell, by its name: "Notifications, 1 unread", "Notifications, all read"."""
    return page.get_by_role("banner").get_by_role(
        "link", name=f"Notifications, {words}", exact=True
    )


def test_the_coachs_bell_counts_up_live_when_a_new_person_accepts(app, make_user, viewport):
    coach = named_coach(make_user, "Carla Coach")
    address = f"newcomer-{uuid.uuid4().hex[:8]}@example.com"
    ok(api("POST", "/api/invitations", coach, json={"athleteEmail": address}), 201)

    # The coach has the app open (their sent invitations), nothing unread yet.
    coach_page = app.sign_in(coach, "/invitations", viewport=viewport)
    bell(coach_page, "all read").wait_for()
    check_screen(coach_page, "notify-coach-bell-all-read")
    coach_page.evaluate("window.__notReloaded = true")

    # A new person: sign-up, the verification link, name and time zone.
    page = app.open("/sign-up", viewport=viewport, timezone_id="Europe/Lisbon")
    form = page.get_by_role("form", name="Create an account")
    form.get_by_label("E-mail").fill(address)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    mail = page.context.new_page()
    mail.goto(verification_link(address))
    mail.close()
    page.get_by_role("heading", name="Set up your profile").wait_for(timeout=30_000)
    setup = page.get_by_role("form", name="Your profile")
    setup.get_by_label("Your name").fill("Nia Newcomer")
    setup.get_by_label("Time zone").select_option("America/Toronto")
    setup.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/home$"))
    assert ok(api("GET", "/api/users/me", sign_in(address, PASSWORD)))["timezone"] == (
        "America/Toronto"
    )

    # The invitation sent before the account existed is in their inbox; they accept it.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Invitations 1 waiting"
    ).click()
    row = (
        page.get_by_role("list", name="Waiting for your answer")
        .get_by_role("listitem")
        .filter(has_text="Carla Coach")
    )
    row.get_by_role("button", name="Accept the invitation from Carla Coach").click()
    page.get_by_role("status").filter(has_text="Carla Coach is now your coach.").wait_for()

    # The coach's bell counts it, live: the same page, never reloaded.
    bell(coach_page, "1 unread").wait_for(timeout=LIVE_MS)
    assert coach_page.evaluate("window.__notReloaded === true")
    check_screen(coach_page, "notify-coach-bell-one-unread")

    # The inbox: the acceptance, unread, newest first; opening it marks it read.
    bell(coach_page, "1 unread").click()
    coach_page.get_by_role("heading", name="Notifications", exact=True).wait_for()
    inbox = coach_page.get_by_role("list", name="Your notifications")
    accepted = inbox.get_by_role("listitem").filter(has_text=re.compile("accepted", re.I))
    accepted.get_by_text("Unread", exact=True).wait_for()
    coach_page.get_by_text("1 unread.").wait_for()
    check_screen(coach_page, "notify-coach-inbox")
    accepted.get_by_role("link").click()
    coach_page.wait_for_url(re.compile(r"/invitations$"))
    bell(coach_page, "all read").wait_for(timeout=LIVE_MS)
    bell(coach_page, "all read").click()
    coach_page.get_by_text("All read.").wait_for()
    assert accepted.get_by_text("Unread", exact=True).count() == 0


def test_a_resent_invitation_rings_the_bell_and_mark_all_and_preferences_work(app, make_user):
    coach = named_coach(make_user, "Dana Coach")
    athlete = sign_up(f"athlete-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, name="Ola Athlete")
    ok(api("PUT", "/api/users/me", athlete, json={"timezone": "Asia/Tokyo"}))
    ok(api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}), 201)

    page = app.sign_in(athlete, "/home", viewport="phone")
    bell(page, "1 unread").wait_for(timeout=LIVE_MS)

    # The coach resends it from their list: the athlete is told again, live.
    coach_page = app.sign_in(coach, "/invitations", viewport="phone")
    sent = coach_page.get_by_role("list", name="Sent invitations")
    sent.get_by_role("button", name=f"Resend the invitation to {athlete.email}").click()
    coach_page.get_by_role("status").filter(has_text="Sent again: open until").wait_for()
    check_screen(coach_page, "notify-coach-resent")
    bell(page, "2 unread").wait_for(timeout=LIVE_MS)

    # The inbox: both unread; "Mark all as read" clears them and the bell.
    bell(page, "2 unread").click()
    page.get_by_text("2 unread.").wait_for()
    inbox = page.get_by_role("list", name="Your notifications")
    assert inbox.get_by_role("listitem").count() == 2
    check_screen(page, "notify-athlete-inbox")
    page.get_by_role("button", name="Mark all as read").click()
    page.get_by_text("All read.").wait_for(timeout=LIVE_MS)
    bell(page, "all read").wait_for(timeout=LIVE_MS)
    assert page.get_by_role("button", name="Mark all as read").count() == 0
    check_screen(page, "notify-athlete-inbox-read")

    # Preferences: e-mail off for invitations; in-app stays on (said in words).
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    settings = page.get_by_role("form", name="Notification settings")
    invites = settings.get_by_role("group", name="Someone invites you")
    assert invites.get_by_label("E-mail").is_checked()
    page.get_by_text("that is always on").wait_for()
    invites.get_by_label("E-mail").uncheck()
    check_screen(page, "notify-profile-settings")
    settings.get_by_role("button", name="Save notification settings").click()
    settings.get_by_role("status").filter(has_text="Saved.").wait_for()
    table = ok(api("GET", "/api/users/me", athlete))["notifications"]
    assert table["invitationReceived"] == {"email": False, "push": True}
    assert table["analysisCompleted"]["email"] is True
    page.reload()
    settings.get_by_role("group", name="Someone invites you").get_by_label("E-mail").wait_for()
    assert (
        not settings.get_by_role("group", name="Someone invites you")
        .get_by_label("E-mail")
        .is_checked()
    )
