"""Faculty and admin screens in headless Chromium through the Hosting emulator: an admin completes
an upcoming session with a code and a note (a code already used is refused at its field), it
moves from Upcoming to Completed and into History; cancels one; attaches, downloads and deletes
a file; changes someone's role; and nobody else opens these screens. Each screen goes through
check_screen (axe-core, no horizontal scroll, no console errors) at a phone's and a desktop's size.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import requests

from devtools import emulators
from devtools.emulators import api, document, field
from tests.browser.app import allow_errors, check_screen
from tests.uploads import ok

# Chromium logs every 4xx the page receives; the tests that provoke one say which.
CONFLICT = r"status of 409"


def person(role: str, name: str) -> emulators.User:
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.com"
    return emulators.sign_up(
        email, "password123", role=None if role == "athlete" else role, name=name
    )


def team() -> tuple[emulators.User, emulators.User, emulators.User]:
    """An admin, and a coach linked to an athlete, all with names."""
    admin = person("admin", "Fay Faculty")
    coach = person("coach", "Cal Coach")
    athlete = person("athlete", "Ari Athlete")
    invitation = ok(
        api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}), 201
    )
    ok(api("POST", f"/api/invitations/{invitation['invitationId']}/accept", athlete))
    return admin, coach, athlete


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def planned(coach, athlete, event: str, *, hours_from_now: float) -> str:
    start = datetime.now(UTC) + timedelta(hours=hours_from_now)
    body = {
        "athleteId": athlete.uid,
        "athleteName": "Ari Athlete",
        "event": event,
        "sessionType": "Evaluation",
        "scheduledStart": iso(start),
        "scheduledEnd": iso(start + timedelta(hours=1)),
    }
    return ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"]


def test_an_admin_completes_an_upcoming_session_with_a_code_and_a_note(app, viewport):
    admin, coach, athlete = team()
    session_id = planned(coach, athlete, "Batch 7 lab", hours_from_now=-2)
    planned(coach, athlete, "Batch 8 lab", hours_from_now=30)
    # A code is unique across the project: this one is taken by another session.
    other = planned(coach, athlete, "Batch 6 lab", hours_from_now=-30)
    started = datetime.now(UTC) - timedelta(hours=30)
    taken = {"actualStart": iso(started), "actualEnd": iso(started + timedelta(hours=1))}
    ok(
        api(
            "POST",
            f"/api/sessions/{other}/complete",
            admin,
            json={**taken, "completionCode": "B6-DONE"},
        )
    )

    page = app.sign_in(admin, "/upcoming", viewport=viewport)
    page.get_by_role("heading", name="Upcoming").wait_for()
    overdue = page.get_by_role("list", name="Overdue sessions")
    row = overdue.get_by_role("link", name=re.compile("^Batch 7 lab"))
    row.wait_for()
    assert "Ari Athlete with Cal Coach" in row.inner_text()
    upcoming = page.get_by_role("list", name="Upcoming sessions")
    upcoming.get_by_role("link", name=re.compile("^Batch 8 lab")).wait_for()
    assert page.get_by_role("link", name=re.compile("^Batch 6 lab")).count() == 0
    check_screen(page, "admin-upcoming")

    page.get_by_role("link", name="Complete Batch 7 lab").click()
    form = page.get_by_role("form", name="Complete session")
    form.wait_for()
    assert page.url.endswith(f"/sessions/{session_id}#complete")
    # The actual times start as the scheduled ones, in the person's zone.
    assert form.get_by_label("Actual start").input_value()
    check_screen(page, "admin-complete-form")

    allow_errors(page, CONFLICT)
    code = form.get_by_label("Completion code (optional)")
    code.fill("b6-done")
    form.get_by_label("Session notes (optional)").fill("Covered topics 1-3; quiz next time.")
    form.get_by_role("button", name="Complete session").click()
    form.get_by_text("already", exact=False).wait_for()
    assert code.get_attribute("aria-invalid") == "true"
    assert document(f"sessions/{session_id}") is not None
    assert field(document(f"sessions/{session_id}"), "status") == "scheduled"
    check_screen(page, "admin-complete-error")

    code.fill("BATCH-007-LAB")
    assert code.get_attribute("aria-invalid") is None  # the error left with the change
    form.get_by_role("button", name="Complete session").click()
    completion = page.get_by_role("region", name="Completion")
    completion.get_by_text("BATCH-007-LAB").wait_for()
    page.get_by_text("Covered topics 1-3; quiz next time.").wait_for()
    assert field(document(f"sessions/{session_id}"), "status") == "completed"

    notes = page.get_by_role("form", name="Add a note")
    notes.get_by_label("New note").fill("Great participation today!")
    notes.get_by_label("Kind").select_option("achievement")
    notes.get_by_role("button", name="Add note").click()
    listed = page.get_by_role("list", name="Notes")
    listed.get_by_text("Great participation today!").wait_for()
    assert "Achievement" in listed.inner_text()
    assert "Fay Faculty" in listed.inner_text()
    check_screen(page, "admin-completed-session")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Completed").click()
    done = page.get_by_role("list", name="Completed sessions")
    done_row = done.get_by_role("link", name=re.compile("^Batch 7 lab"))
    done_row.wait_for()
    assert "Code BATCH-007-LAB" in done_row.inner_text()
    assert "1 h" in done_row.inner_text()
    # Completions across staff: the one made earlier through the API is listed too.
    done.get_by_role("link", name=re.compile("^Batch 6 lab")).wait_for()
    assert "Code B6-DONE" in done.inner_text()
    check_screen(page, "admin-completed")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Upcoming").click()
    page.get_by_role("link", name=re.compile("^Batch 8 lab")).wait_for()
    assert page.get_by_role("link", name=re.compile("^Batch 7 lab")).count() == 0

    # The note is there for the athlete too, by its author's name.
    athlete_page = app.sign_in(athlete, f"/sessions/{session_id}", viewport=viewport)
    athlete_page.get_by_role("list", name="Notes").get_by_text(
        "Great participation today!"
    ).wait_for()
    assert athlete_page.get_by_role("button", name="Complete session").count() == 0


def test_history_holds_the_past_with_filters_that_fit_a_phone(app, viewport):
    admin, coach, athlete = team()
    done = planned(coach, athlete, "Finished lab", hours_from_now=-5)
    start = datetime.now(UTC) - timedelta(hours=5)
    times = {"actualStart": iso(start), "actualEnd": iso(start + timedelta(minutes=50))}
    ok(api("POST", f"/api/sessions/{done}/complete", coach, json=times))
    planned(coach, athlete, "Missed lab", hours_from_now=-26)
    planned(coach, athlete, "Future lab", hours_from_now=26)
    called_off = planned(coach, athlete, "Called-off lab", hours_from_now=3)

    page = app.sign_in(admin, f"/sessions/{called_off}", viewport=viewport)
    page.get_by_role("button", name="Cancel session").click()
    cancel = page.get_by_role("form", name="Cancel session")
    cancel.get_by_label("Reason (optional)").fill("Room unavailable")
    cancel.get_by_role("button", name="Cancel the session").click()
    page.get_by_role("region", name="Cancelled").get_by_text("Room unavailable").wait_for()
    assert field(document(f"sessions/{called_off}"), "status") == "cancelled"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    past = page.get_by_role("list", name="Past sessions")
    for event in ("Finished lab", "Missed lab", "Called-off lab"):
        past.get_by_role("link", name=re.compile(f"^{event}")).wait_for()
    assert past.get_by_role("link", name=re.compile("^Future lab")).count() == 0
    assert "Missed" in past.get_by_role("link", name=re.compile("^Missed lab")).inner_text()
    check_screen(page, "admin-history")

    page.get_by_label("State").select_option("cancelled")
    page.wait_for_url(re.compile(r"status=cancelled"))
    past.get_by_role("link", name=re.compile("^Finished lab")).wait_for(state="detached")
    row = past.get_by_role("link", name=re.compile("^Called-off lab"))
    assert "Room unavailable" in row.inner_text()
    page.reload()  # the filters live in the URL
    assert page.get_by_label("State").input_value() == "cancelled"
    page.get_by_role("list", name="Past sessions").get_by_role(
        "link", name=re.compile("^Called-off lab")
    ).wait_for()
    assert page.get_by_role("link", name=re.compile("^Missed lab")).count() == 0
    check_screen(page, "admin-history-filtered")


def test_an_admin_attaches_downloads_and_deletes_a_file(app):
    admin, coach, athlete = team()
    session_id = planned(coach, athlete, "Slides lab", hours_from_now=-1)
    page = app.sign_in(admin, f"/sessions/{session_id}", viewport="phone")
    upload = page.get_by_role("form", name="Upload an attachment")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    upload.get_by_label("File to attach").set_input_files(
        {"name": "week-1 slides.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    upload.get_by_role("button", name="Attach file").click()
    listed = page.get_by_role("list", name="Attachments")
    listed.get_by_text("week-1 slides.pdf").wait_for(timeout=60_000)
    check_screen(page, "admin-attachment")
    link = listed.get_by_role("link", name="Download week-1 slides.pdf")
    href = link.get_attribute("href") or ""
    # The API signs the URL (15 minutes); the bytes behind it are the file's.
    assert href.startswith("http"), href
    assert requests.get(href, timeout=30).content == pdf

    # A file the API does not take is refused before any request, at its field.
    upload.get_by_label("File to attach").set_input_files(
        {"name": "tool.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ\x90\x00"}
    )
    upload.get_by_role("button", name="Attach file").click()
    upload.get_by_text("cannot be attached", exact=False).wait_for()

    listed.get_by_role("button", name="Delete week-1 slides.pdf").click()
    page.get_by_role("form", name="Delete week-1 slides.pdf").get_by_role(
        "button", name="Delete file"
    ).click()
    page.get_by_text("No files attached yet.").wait_for()
    assert ok(api("GET", f"/api/sessions/{session_id}/attachments", admin))["attachments"] == []


def test_an_admin_changes_a_role_from_the_users_screen(app, viewport):
    admin, coach, _ = team()
    page = app.sign_in(admin, "/users", viewport=viewport)
    people = page.get_by_role("list", name="Users")
    people.get_by_text("Cal Coach").wait_for()
    # The admin's own role is changed by another admin only.
    assert page.get_by_role("form", name="Role of Fay Faculty").count() == 0
    check_screen(page, "admin-users")

    form = page.get_by_role("form", name="Role of Cal Coach")
    form.get_by_label("Role").select_option("athlete")
    form.get_by_role("button", name="Change role").click()
    form.get_by_text("Cal Coach is now athlete", exact=False).wait_for()
    profile = document(f"users/{coach.uid}")
    assert profile is not None
    assert field(profile, "role") == "athlete"
    # The coach's earlier sign-in no longer works: the change applies at once.
    assert api("GET", "/api/sessions", coach).status_code == 401


def test_nobody_but_an_admin_opens_the_faculty_screens(app, make_user):
    coach = make_user("coach")
    page = app.sign_in(coach, "/upcoming", viewport="phone")
    page.get_by_role("heading", name="Not available").wait_for()
    assert page.get_by_role("list", name="Upcoming sessions").count() == 0
    for path in ("/completed", "/history", "/users"):
        page.goto(app.url(path))
        page.get_by_role("heading", name="Not available").wait_for()
    athlete_page = app.sign_in(make_user(), "/users", viewport="phone")
    athlete_page.get_by_role("heading", name="Not available").wait_for()
    check_screen(athlete_page, "athlete-users-refused")
