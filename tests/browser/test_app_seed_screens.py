"""The seeds' screens of issue 26 in headless Chromium through the Hosting emulator, one journey
per persona: a coach reads the statistics of all their sessions and of one athlete (risk
distribution said in words when none was recorded, sessions by event and by type) and filters
their sessions by type and event; an admin verifies a completion code (a valid one, an unknown
one) and reads the download log. Each screen goes through check_screen (axe-core, no horizontal
scroll, no console errors) at a phone's and a desktop's size.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from devtools.emulators import api
from tests.browser.app import allow_errors, check_screen
from tests.browser.test_app_admin import iso, planned, team
from tests.uploads import ok, upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def shown_after_reload(page, locator, within: float = 30) -> None:
    """Statistics are counted by triggers, a moment after the write: reload until they show."""
    deadline = time.monotonic() + within
    while True:
        try:
            locator.wait_for(timeout=3_000)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            page.reload()


def test_a_coach_reads_statistics_and_filters_sessions(app, viewport):
    _admin, coach, athlete = team()
    planned(coach, athlete, "Sprint", hours_from_now=-3)
    start = datetime.now(UTC) + timedelta(hours=5)
    body = {
        "athleteId": athlete.uid,
        "event": "High jump",
        "sessionType": "Training",
        "scheduledStart": iso(start),
        "scheduledEnd": iso(start + timedelta(hours=1)),
    }
    ok(api("POST", "/api/sessions", coach, json=body), 201)

    page = app.sign_in(coach, "/statistics", viewport=viewport)
    page.get_by_role("heading", name="Statistics", level=1).wait_for()
    events = page.get_by_role("region", name="Sessions by event")
    shown_after_reload(page, events.get_by_text("2 sessions over 2 events.", exact=False))
    # No analysis estimated a risk: said plainly, and nothing drawn.
    risk = page.get_by_role("region", name="Risk distribution")
    risk.get_by_text("No risk levels were recorded", exact=False).wait_for()
    assert risk.get_by_role("table").count() == 0
    events.get_by_text("Show as a table").click()
    table = events.get_by_role("table", name="Sessions by event")
    table.get_by_role("row", name=re.compile("High jump 1")).wait_for()
    table.get_by_role("row", name=re.compile("Sprint 1")).wait_for()
    check_screen(page, "seed-coach-statistics")

    page.get_by_label("Athlete").select_option(athlete.uid)
    page.get_by_role("heading", name="This athlete's sessions").wait_for()
    assert f"athlete={athlete.uid}" in page.url
    types = page.get_by_role("region", name="Sessions by type")
    types.get_by_text("Show as a table").click()
    types.get_by_role("row", name=re.compile("Evaluation 1")).wait_for()

    page.get_by_role("link", name="See these sessions").click()
    page.get_by_role("heading", name="Sessions", level=1).wait_for()
    sessions = page.get_by_role("list", name="Your sessions")
    sessions.get_by_role("link", name=re.compile("^Sprint")).wait_for()
    page.get_by_label("Type", exact=True).select_option("Training")
    sessions.get_by_role("link", name=re.compile("^High jump")).wait_for()
    assert sessions.get_by_role("link", name=re.compile("^Sprint")).count() == 0
    assert "type=Training" in page.url
    assert f"athlete={athlete.uid}" in page.url
    page.get_by_label("Event", exact=True).select_option("Sprint")
    page.get_by_text("No session matches these filters.").wait_for()
    check_screen(page, "seed-coach-sessions-filtered")
    page.get_by_role("button", name="Clear filters").click()
    sessions.get_by_role("link", name=re.compile("^Sprint")).wait_for()


def test_an_admin_verifies_codes_and_reads_the_download_log(app, viewport):
    admin, coach, athlete = team()
    session_id = planned(coach, athlete, "Batch 26 lab", hours_from_now=-2)
    began = datetime.now(UTC) - timedelta(hours=2)
    times = {"actualStart": iso(began), "actualEnd": iso(began + timedelta(hours=1))}
    ok(
        api(
            "POST",
            f"/api/sessions/{session_id}/complete",
            coach,
            json=times | {"completionCode": "B26-DONE"},
        )
    )
    # The athlete named themself in their profile (the welcome set-up does): the log names them.
    ok(api("PUT", "/api/users/me", athlete, json={"displayName": "Ari Athlete"}))
    upload(coach, session_id, PDF, name="batch 26 slides.pdf", kind="attachment")
    # The athlete is shown the session's files: the API records the link it hands out.
    deadline = time.monotonic() + 30
    while not ok(api("GET", f"/api/sessions/{session_id}/attachments", athlete))["attachments"]:
        assert time.monotonic() < deadline, "the attachment was never registered"
        time.sleep(0.5)

    page = app.sign_in(admin, "/completed", viewport=viewport)
    form = page.get_by_role("form", name="Verify a completion code")
    form.get_by_label("Completion code").fill("b26-done")
    form.get_by_role("button", name="Verify").click()
    verdict = page.get_by_text("B26-DONE is valid.", exact=False)
    verdict.wait_for()
    page.get_by_role("link", name="Batch 26 lab", exact=True).wait_for()
    check_screen(page, "seed-admin-verify-code")

    allow_errors(page, r"status of 404")
    form.get_by_label("Completion code").fill("NO-SUCH-CODE")
    form.get_by_role("button", name="Verify").click()
    page.get_by_text("No session was completed with the code NO-SUCH-CODE.").wait_for()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Downloads").click()
    page.get_by_role("heading", name="Downloads", level=1).wait_for()
    log = page.get_by_role("list", name="Downloads")
    entry = log.get_by_role("listitem").filter(has_text="batch 26 slides.pdf").first
    entry.wait_for()
    entry.get_by_text("Ari Athlete").wait_for()
    check_screen(page, "seed-admin-downloads")

    # A day long before: nothing then.
    page.get_by_label("To", exact=True).fill("2020-01-01")
    page.get_by_text("No download matches these filters.").wait_for()
    page.get_by_role("button", name="Clear filters").click()
    entry.wait_for()
