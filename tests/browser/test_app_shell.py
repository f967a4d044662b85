"""The web app's foundation in headless Chromium through the Hosting emulator: every screen of the
shell (sign-in, sign-up, reset, sessions, a session, not found, not available) at a phone's and
a desktop's size through check_screen (axe-core, no horizontal scroll, no console errors), then
what a person relies on: deep links, reload, back, honest sign-in errors, the offline notice, the
icons and manifest, the cookie and the security headers, and the first screen's timings.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from devtools.emulators import IDENTITY, OWNER, PROJECT, api
from tests.browser.app import (
    DESKTOP,
    allow_errors,
    check_screen,
    fill_sign_in,
    settle,
    sign_out,
    watch_of,
)
from tests.uploads import linked, ok

WRONG = "The e-mail or the password is not right. Check both, or reset your password."
# What the Auth emulator's refusals look like in the console (Chromium logs each 4xx).
AUTH_400 = r"status of 400 .*identitytoolkit"


def session_for(coach, athlete, event: str = "Vault") -> str:
    body = {"athleteId": athlete.uid, "event": event, "sessionType": "Training"}
    return ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"]


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


# ---- every screen, at both sizes -----------------------------------------------------------


def test_the_signed_out_screens(app, viewport):
    page = app.open("/", viewport=viewport)
    page.get_by_role("heading", name="Sign in").wait_for()
    assert path_of(page) == "/sign-in"
    check_screen(page, "sign-in")
    page.get_by_role("link", name="New to Sessionbase? Create an account").click()
    page.get_by_role("heading", name="Create an account").wait_for()
    check_screen(page, "sign-up")
    page.go_back()
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
    check_screen(page, "reset-password")
    # An address with no account is answered as one with an account: nobody learns who has one.
    allow_errors(page, AUTH_400)
    page.get_by_label("E-mail").fill("nobody-here@example.com")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("nobody-here@example.com").wait_for()
    check_screen(page, "reset-password-sent")


def test_the_sessions_list_and_a_session(app, make_user, viewport):
    coach, athlete = linked(make_user)
    session_id = session_for(coach, athlete, "Vault")
    page = app.sign_in(athlete, "/sessions", viewport=viewport)
    page.get_by_role("heading", name="Sessions").wait_for()
    listed = page.get_by_role("list", name="Your sessions")
    entry = listed.get_by_role("link", name=re.compile("Vault"))
    entry.wait_for()
    check_screen(page, "athlete-sessions")
    entry.click()
    page.get_by_role("heading", name="Vault").wait_for()
    assert path_of(page) == f"/sessions/{session_id}"
    check_screen(page, "athlete-session")
    coach_page = app.sign_in(coach, f"/sessions/{session_id}", viewport=viewport)
    coach_page.get_by_role("button", name="Archive session").wait_for()
    check_screen(coach_page, "coach-session")


def test_an_empty_list_not_found_and_another_roles_screen(app, viewport):
    page, _ = app.sign_in_as("athlete", "/sessions", viewport=viewport)
    page.get_by_text("No sessions yet.", exact=False).wait_for()
    check_screen(page, "athlete-sessions-empty")
    page.goto(app.url("/no/such/page"))
    page.get_by_role("heading", name="Page not found").wait_for()
    check_screen(page, "not-found")
    # An admin's screen, opened by URL: refused in words, nothing of it shown.
    page.goto(app.url("/users"))
    page.get_by_role("heading", name="Not available").wait_for()
    check_screen(page, "not-available")


# ---- places: deep link, reload, back ---------------------------------------------------------


def test_a_deep_link_survives_the_sign_in_and_a_reload(app, make_user):
    coach, athlete = linked(make_user)
    session_id = session_for(coach, athlete, "Rings")
    page = app.open(f"/sessions/{session_id}")
    page.get_by_role("heading", name="Sign in").wait_for()
    assert path_of(page) == f"/sign-in?next=%2Fsessions%2F{session_id}"
    fill_sign_in(page, athlete)
    page.get_by_role("heading", name="Rings").wait_for()
    assert path_of(page) == f"/sessions/{session_id}"
    page.reload()
    page.get_by_role("heading", name="Rings").wait_for()
    assert path_of(page) == f"/sessions/{session_id}"
    # The back button returns to where the person was before, not through the sign-in.
    page.goto(app.url("/sessions"))
    page.get_by_role("link", name=re.compile("Rings")).click()
    page.get_by_role("heading", name="Rings").wait_for()
    page.go_back()
    page.get_by_role("heading", name="Sessions").wait_for()
    assert path_of(page) == "/sessions"
    page.go_forward()
    page.get_by_role("heading", name="Rings").wait_for()


def test_a_signed_in_person_is_sent_home_from_the_sign_in_page_and_signs_out(app, make_user):
    coach = make_user("coach")
    page = app.sign_in(coach)
    page.wait_for_url(re.compile(r"/athletes$"))  # a coach's home
    page.goto(app.url("/sign-in"))
    page.wait_for_url(re.compile(r"/athletes$"))
    sign_out(page)
    page.get_by_role("heading", name="Sign in").wait_for()
    assert path_of(page) == "/sign-in"  # an explicit sign-out forgets the last page
    assert [c for c in page.context.cookies() if c["name"] == "__session"] == []


# ---- sign-in errors ----------------------------------------------------------------------------


def test_sign_in_errors_are_words_that_do_not_tell_whether_an_account_exists(app, make_user):
    athlete = make_user()
    page = app.open("/sign-in", viewport="phone")
    allow_errors(page, AUTH_400)
    form = page.get_by_role("form", name="Sign in")
    form.get_by_role("button", name="Sign in").click()
    form.get_by_text("Enter your e-mail address.").wait_for()
    form.get_by_text("Enter your password.").wait_for()
    assert form.get_by_label("E-mail").get_attribute("aria-invalid") == "true"
    check_screen(page, "sign-in-empty")
    # Typing clears that field's error.
    form.get_by_label("E-mail").fill(athlete.email)
    form.get_by_text("Enter your e-mail address.").wait_for(state="detached")
    disabled = make_user()
    requests.post(
        f"{IDENTITY}/projects/{PROJECT}/accounts:update",
        json={"localId": disabled.uid, "disableUser": True},
        headers=OWNER,
        timeout=10,
    ).raise_for_status()
    said = {}
    cases = (
        ("wrong password", athlete.email, "not-the-password"),
        ("no account", "no-one@example.com", "not-the-password"),
        ("disabled, right password", disabled.email, disabled.password),
    )
    for case, email, password in cases:
        form.get_by_label("E-mail").fill(email)
        form.get_by_label("Password").fill(password)
        form.get_by_role("button", name="Sign in").click()
        form.get_by_text(WRONG).wait_for()
        said[case] = form.get_by_role("group").inner_text()
        form.get_by_label("Password").fill("")  # a change clears the form-wide error
        form.get_by_text(WRONG).wait_for(state="detached")
    # One sentence for both: the page does not tell whether that e-mail has an account.
    assert said["wrong password"] == said["no account"] == said["disabled, right password"]
    form.get_by_label("Password").fill("not-the-password")
    form.get_by_role("button", name="Sign in").click()
    form.get_by_text(WRONG).wait_for()
    check_screen(page, "sign-in-wrong")


# ---- the connection ----------------------------------------------------------------------------


def test_going_offline_shows_a_notice_that_leaves_when_the_connection_returns(app, make_user):
    page = app.sign_in(make_user(), "/sessions", viewport="phone")
    page.get_by_role("heading", name="Sessions").wait_for()
    settle(page)
    # Expected while offline: Firestore says so in the console, and its connection test loads
    # an image from www.google.com, which the Content-Security-Policy refuses.
    allow_errors(
        page,
        r"(?i)firestore|ERR_INTERNET_DISCONNECTED|Failed to fetch",
        r"Loading the image 'https://www\.google\.com/images/cleardot\.gif",
    )
    page.context.set_offline(True)
    notice = page.get_by_text("You are offline.", exact=False)
    notice.wait_for()
    check_screen(page, "offline", settled=False)
    page.context.set_offline(False)
    notice.wait_for(state="detached")


# ---- what Hosting serves -------------------------------------------------------------------


def test_the_icons_and_the_manifest_are_served(app):
    page = app.open("/sign-in")
    page.get_by_role("heading", name="Sign in").wait_for()
    failed: list[str] = []
    links = "link[rel~='icon'], link[rel='apple-touch-icon'], link[rel='manifest']"
    for link in page.locator(links).all():
        href = link.get_attribute("href") or ""
        reply = page.request.get(app.url(href))
        if not reply.ok or reply.headers["content-type"].startswith("text/html"):
            failed.append(f"{href}: {reply.status} {reply.headers['content-type']}")
    manifest = page.request.get(app.url("/manifest.webmanifest"))
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["name"]
    assert body["start_url"]
    for icon in body["icons"]:
        reply = page.request.get(app.url(icon["src"]))
        if not reply.ok or not reply.headers["content-type"].startswith("image/"):
            failed.append(f"manifest icon {icon['src']}: {reply.status}")
    assert failed == []
    # A browser asks for /favicon.ico on its own: it is there.
    favicon = page.request.get(app.url("/favicon.ico"))
    assert favicon.ok
    assert favicon.headers["content-type"].startswith("image/")


def test_hosting_serves_the_app_at_every_path_with_the_right_caching(app):
    page = app.open("/sign-in")
    page.get_by_role("heading", name="Sign in").wait_for()
    shell = page.request.get(app.url("/sessions/some-id"))
    assert shell.ok
    assert shell.headers["content-type"].startswith("text/html")
    assert shell.headers["cache-control"] == "no-cache"
    assert "content-security-policy" in shell.headers
    assert page.request.get(app.url("/")).headers["cache-control"] == "no-cache"
    script = page.locator("script[type='module']").get_attribute("src") or ""
    assert script.startswith("/assets/")
    asset = page.request.get(app.url(script))
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-type"].startswith(("application/javascript", "text/javascript"))
    # The API is not the app: an unknown API path is the API's 404, in JSON.
    missing = page.request.get(app.url("/api/no-such-thing"))
    assert missing.status == 404
    assert missing.headers["content-type"].startswith("application/json")


def test_on_the_emulators_the_cookie_is_strict_and_the_demo_accounts_are_named(app, make_user):
    page = app.open("/sign-in")
    page.locator("[data-demo]").wait_for()  # shown on the emulators only
    app.sign_in(make_user(), page=page)
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "__session"]
    assert (cookie["sameSite"], cookie["secure"]) == ("Strict", False)  # plain http on 127.0.0.1


def test_a_deployed_origin_gets_the_security_headers_and_no_demo_accounts(app, make_user):
    """The built app served as from a deployed site (https, not the emulators' host): Hosting's
    headers hold, the sign-in page names no demo account, and the app signs in and reads
    Firestore under that policy, at Google's own origins (which the test hands on to the
    emulators: the browser applies connect-src before any route sees the request)."""
    from devtools.emulators import AUTH, FIRESTORE, PROJECT

    site = "https://sessionbase.example"
    seen: dict[str, dict[str, str]] = {}
    called: list[str] = []

    def served(route) -> None:
        path = route.request.url[len(site) :]
        if path.startswith("/__/firebase/init.json"):  # the deployed project's web config
            route.fulfill(json={"projectId": PROJECT, "apiKey": "fake-api-key"})
            return
        reply = route.fetch(url=app.url(path))
        seen[path] = reply.headers
        route.fulfill(response=reply)

    def google(route) -> None:
        host, rest = route.request.url.split("://", 1)[1].split("/", 1)
        called.append(host)
        if host == "firestore.googleapis.com":
            route.fulfill(response=route.fetch(url=f"{FIRESTORE}/{rest}"))
        else:  # the Auth emulator serves identitytoolkit and securetoken under their names
            route.fulfill(response=route.fetch(url=f"{AUTH}/{host}/{rest}"))

    context = app.context(DESKTOP)
    context.route(f"{site}/**", served)
    context.route(re.compile(r"^https://[a-z]+\.googleapis\.com/"), google)
    page = context.new_page()
    page.goto(f"{site}/sessions")  # a deep link: the SPA rewrite, under the same headers
    page.get_by_label("Password").wait_for()  # the module script ran under script-src 'self'
    assert page.url == f"{site}/sign-in?next=%2Fsessions"
    assert page.locator("[data-demo]").count() == 0
    assert "sessionbase-demo" not in page.content()
    check_screen(page, "deployed-sign-in")
    fill_sign_in(page, make_user())
    page.get_by_text("No sessions yet.", exact=False).wait_for()  # a Firestore listener's answer
    check_screen(page, "deployed-sessions")  # nothing refused on the way
    assert {"identitytoolkit.googleapis.com", "firestore.googleapis.com"} <= set(called)
    headers = seen["/sessions"]
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in headers["content-security-policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    for origin in (  # what the Firebase SDK calls when deployed: Auth, its tokens, Firestore
        "https://identitytoolkit.googleapis.com",
        "https://securetoken.googleapis.com",
        "https://firestore.googleapis.com",
    ):
        assert origin in policy["connect-src"].split()
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "DENY"
    # The listener's long poll is still being routed: let it go and close the page before the
    # context closes, or its route callback fails in whatever test runs next. A request the
    # listener makes in between goes nowhere (this machine reaches no Google host).
    allow_errors(page, r"googleapis\.com")
    context.unroute_all(behavior="ignoreErrors")
    page.close()


# ---- live data and other people's data ---------------------------------------------------------


def test_an_athlete_sees_a_new_session_arrive_live_and_its_changes(app, make_user):
    coach, athlete = linked(make_user)
    page = app.sign_in(athlete, "/sessions", viewport="desktop")
    page.get_by_text("No sessions yet.", exact=False).wait_for()
    # The coach creates a session: the athlete's listener shows it without a reload.
    session_id = session_for(coach, athlete, "Vault")
    entry = page.get_by_role("link", name=re.compile("Vault"))
    entry.wait_for()
    assert entry.get_attribute("href") == f"/sessions/{session_id}"
    entry.click()
    page.get_by_role("heading", name="Vault").wait_for()
    # Another person changes it: the open detail follows.
    ok(api("PUT", f"/api/sessions/{session_id}", coach, json={"event": "Floor"}))
    page.get_by_role("heading", name="Floor").wait_for()


def test_an_athlete_never_sees_another_athletes_session_even_by_url(app, make_user):
    coach, athlete = linked(make_user)
    other = make_user()
    session_id = session_for(coach, athlete, "Private vault")
    page = app.sign_in(other, f"/sessions/{session_id}", viewport="phone")
    page.get_by_role("heading", name="Session not found").wait_for()
    assert "Private vault" not in page.content()
    check_screen(page, "session-not-found")


def test_a_coach_archives_a_session_and_the_athletes_list_follows(app, make_user):
    coach, athlete = linked(make_user)
    session_id = session_for(coach, athlete, "Old vault")
    athlete_page = app.sign_in(athlete, "/sessions")
    athlete_entry = athlete_page.get_by_role("link", name=re.compile("Old vault"))
    athlete_entry.wait_for()
    coach_page = app.sign_in(coach, f"/sessions/{session_id}")
    coach_page.get_by_role("button", name="Archive session").click()
    coach_page.get_by_text("Archived: read-only until it is restored.").wait_for()
    athlete_entry.wait_for(state="detached")  # the athlete's live list drops it
    coach_page.get_by_role("button", name="Restore session").click()
    coach_page.get_by_role("button", name="Archive session").wait_for()
    athlete_entry.wait_for()  # and takes it back
    athlete_entry.click()
    athlete_page.get_by_role("heading", name="Old vault").wait_for()
    assert athlete_page.get_by_role("button", name="Archive session").count() == 0


# ---- the harness itself ------------------------------------------------------------------------


def test_check_screen_fails_on_what_it_checks(app):
    """A check that cannot fail is no check: each kind of fault, planted, fails check_screen."""
    page = app.open("/sign-in", viewport="phone")
    page.get_by_role("heading", name="Sign in").wait_for()
    check_screen(page, "harness-clean")
    plants = {
        "axe critical: image-alt": "document.body.append(Object.assign("
        "document.createElement('img'), {src: '/icon.svg', width: 10}))",
        "horizontal scroll": "document.body.append(Object.assign(document.createElement('div'),"
        " {style: 'width: 2000px; height: 1px'}))",
        "console: planted": "console.error('planted')",
        "page error: Error: thrown": "setTimeout(() => { throw new Error('thrown'); })",
    }
    for expected, plant in plants.items():
        page.reload()
        page.get_by_role("heading", name="Sign in").wait_for()
        page.evaluate(plant)
        page.wait_for_timeout(100)
        with pytest.raises(AssertionError, match=re.escape(expected)):
            check_screen(page, "harness-planted")
    # An inline script is refused by the Content-Security-Policy, and that is an error too.
    page.reload()
    page.get_by_role("heading", name="Sign in").wait_for()
    page.evaluate(
        "document.body.append(Object.assign(document.createElement('script'),"
        " {textContent: 'window.ran = 1'}))"
    )
    page.wait_for_timeout(100)
    assert page.evaluate("window.ran") is None
    with pytest.raises(AssertionError, match="Content Security Policy"):
        check_screen(page, "harness-planted")
    assert watch_of(page).unreported() == []


# ---- timings -----------------------------------------------------------------------------------

# Each <h1> as it appears, timed from the navigation's start (performance.now()).
HEADINGS = """
window.__headings = [];
new MutationObserver(() => {
  const h = document.querySelector("h1");
  const text = h ? h.textContent.trim() : "";
  const last = window.__headings[window.__headings.length - 1];
  if (text && (!last || last.text !== text)) window.__headings.push({ text, t: performance.now() });
}).observe(document, { subtree: true, childList: true, characterData: true });
"""
TIMINGS = """(heading) => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const seen = window.__headings.find((h) => h.text === heading);
  const scripts = performance.getEntriesByType("resource")
    .filter((r) => r.initiatorType === "script" || r.name.endsWith(".js"));
  return {
    fcp: fcp ? fcp.startTime : null,
    dcl: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd,
    heading: seen ? seen.t : null,
    scripts: scripts.length,
    transferred: scripts.reduce((sum, r) => sum + (r.transferSize || 0), 0),
  };
}"""


def timed(page, url: str, heading: str) -> dict[str, Any]:
    page.goto(url)
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    page.wait_for_load_state("load")
    figures: dict[str, Any] = page.evaluate(TIMINGS, heading)
    return figures


def test_the_first_screens_timings(app, make_user, perf):
    """First contentful paint and a time-to-interactive proxy (DOMContentLoaded; the screen's
    heading drawn), through Hosting on the emulators: printed, asserted only for sanity."""
    athlete = make_user()
    context = app.context("phone")
    context.add_init_script(HEADINGS)
    rows = []
    page = context.new_page()
    rows.append(("signed out, cold cache (/ → Sign in)", timed(page, app.url("/"), "Sign in")))
    app.sign_in(athlete, page=page)
    page.wait_for_url(re.compile(r"/home$"))
    home = page.get_by_role("heading", level=1).inner_text()
    page.close()
    page = context.new_page()
    rows.append((f"signed in, warm cache (/ → {home})", timed(page, app.url("/"), home)))
    context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.close()
    page = context.new_page()
    rows.append((f"signed in, cold cache (/ → {home})", timed(page, app.url("/"), home)))
    for label, f in rows:
        perf(
            f"{label}: first contentful paint {f['fcp']:.0f} ms,"
            f" DOMContentLoaded {f['dcl']:.0f} ms, heading drawn {f['heading']:.0f} ms,"
            f" load {f['load']:.0f} ms;"
            f" {f['scripts']} scripts, {f['transferred'] / 1024:.0f} kB transferred"
        )
        assert 0 < f["fcp"] < 10_000
        assert 0 < f["dcl"] <= f["heading"] < 20_000
