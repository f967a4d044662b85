"""Issue 27's screens in headless Chromium through the Hosting emulator, on a phone: a person
downloads their data (the job is followed until done, the link fetches a ZIP), a coach downloads
an athlete's sessions as CSV, an admin opens the audit trail of a session from its page, and a
person deletes their account (a typed confirmation, then signed out; signing in again fails).
Each new screen goes through check_screen (axe-core, no horizontal scroll, no console errors) at
a phone's and a desktop's size.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import requests
from playwright.sync_api import expect

from devtools import emulators
from devtools.emulators import api
from tests.browser.app import allow_errors, check_screen
from tests.uploads import ok

# The export and deletion tasks run in the Cloud Tasks emulator: a few seconds.
TASK_MS = 60_000


def person(role: str, name: str) -> emulators.User:
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.com"
    return emulators.sign_up(
        email, "password123", role=None if role == "athlete" else role, name=name
    )


def linked() -> tuple[emulators.User, emulators.User, str]:
    """A coach linked to an athlete, and a session of theirs (created now)."""
    coach = person("coach", "Cal Coach")
    athlete = person("athlete", "Ari Athlete")
    invitation = ok(
        api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}), 201
    )
    ok(api("POST", f"/api/invitations/{invitation['invitationId']}/accept", athlete))
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    body = {
        "athleteId": athlete.uid,
        "event": "=HYPERLINK(1) sprint",  # a formula-looking name: neutralised in the CSV
        "sessionType": "Evaluation",
        "scheduledStart": start.isoformat().replace("+00:00", "Z"),
        "scheduledEnd": (start + timedelta(hours=1)).isoformat().replace("+00:00", "Z"),
    }
    session_id = ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"]
    return coach, athlete, session_id


def test_a_person_downloads_their_data(app, viewport):
    athlete = person("athlete", "Dee Data")
    page = app.sign_in(athlete, "/profile", viewport=viewport)
    section = page.get_by_role("region", name="Download my data")
    section.get_by_role("button", name="Make a copy of my data").click()
    # Followed every few seconds until the task has built it.
    ready = section.get_by_role("button", name="Download the ZIP file")
    ready.wait_for(timeout=TASK_MS)
    check_screen(page, "privacy-profile")
    with page.expect_download() as download:
        ready.click()  # a fresh signed URL, then the file
    with open(download.value.path(), "rb") as file:
        assert file.read(4) == b"PK\x03\x04"
    assert download.value.suggested_filename.endswith(".zip")


def test_a_coach_downloads_an_athletes_sessions_as_csv(app, viewport):
    coach, _athlete, _session = linked()
    page = app.sign_in(coach, "/athletes", viewport=viewport)
    reports = page.get_by_role("region", name="Reports")
    reports.get_by_label("Whose sessions").select_option(label="Ari Athlete")
    reports.get_by_role("button", name="Sessions (CSV)").click()
    link = reports.get_by_role("link", name="Download sessions")
    link.wait_for()
    assert "1 session" in reports.inner_text()
    check_screen(page, "privacy-coach-reports")
    data = requests.get(link.get_attribute("href") or "", timeout=10).content
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")  # a byte order mark: spreadsheets read the names right
    header, row = text[1:].splitlines()[:2]
    assert header.startswith("Session ID,Date (UTC),Athlete,")
    assert "'=HYPERLINK(1) sprint" in row


def test_an_admin_reads_a_sessions_audit_trail(app, viewport):
    admin = person("admin", "Fay Faculty")
    _coach, _athlete, session_id = linked()
    page = app.sign_in(admin, f"/sessions/{session_id}", viewport=viewport)
    page.get_by_role("link", name="Who changed this session (audit trail)").click()
    page.get_by_role("heading", name="Audit trail").wait_for()
    assert page.get_by_label("Record", exact=True).input_value() == f"sessions/{session_id}"
    entries = page.get_by_role("list", name="Audit entries")
    entry = entries.get_by_role("listitem").filter(has_text="Create session")
    # The name comes from the coach's profile, read by a listener after the entry shows (the
    # account id until then): wait for it.
    expect(entry).to_contain_text("Cal Coach (coach)")
    check_screen(page, "privacy-audit")
    # The session's link in the entry opens the session.
    entry.get_by_role("link", name=f"sessions/{session_id}").first.click()
    page.wait_for_url(f"**/sessions/{session_id}")


def test_a_person_deletes_their_account(app, viewport):
    athlete = person("athlete", "Gus Gone")
    page = app.sign_in(athlete, "/profile", viewport=viewport)
    page.get_by_role("button", name="Delete my account…").click()
    dialog = page.get_by_role("dialog", name="Delete your account?")
    confirm = dialog.get_by_role("button", name="Delete my account")
    assert confirm.is_disabled()
    dialog.get_by_label("Type DELETE or your e-mail address to confirm").fill("delete")
    assert confirm.is_disabled()  # DELETE in capitals, or the address
    dialog.get_by_label("Type DELETE or your e-mail address to confirm").fill(athlete.email.upper())
    check_screen(page, "privacy-delete-dialog")
    confirm.click()
    page.get_by_role("heading", name="Your account is being deleted").wait_for()
    check_screen(page, "privacy-account-deleted")
    # The deletion's first step disables the account (a task): then signing in fails.
    deadline = time.monotonic() + TASK_MS / 1000
    while time.monotonic() < deadline:
        try:
            emulators.sign_in(athlete.email, athlete.password)
        except requests.HTTPError:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the account can still sign in")
    allow_errors(page, r"status of 400")  # Auth refuses the sign-in
    page.goto(app.url("/sign-in"))
    form = page.get_by_role("form", name="Sign in")
    form.get_by_label("E-mail").fill(athlete.email)
    form.get_by_label("Password").fill(athlete.password)
    form.get_by_role("button", name="Sign in").click()
    page.get_by_text("The e-mail or the password is not right").wait_for()
    assert page.get_by_role("heading", name="Sign in").is_visible()
