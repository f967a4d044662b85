"""The seeds' own browser code, unchanged, on the Hosting origin (issue 14).

tests/browser/seeds/ holds the seeds' code blocks byte for byte (checked against ../shared/seeds
when that folder is beside the checkout). Each runs in a page of the web app after a
person signed in through it: the app keeps the ``__session`` cookie fresh, which is how the
athlete seed's examples, which send no ``Authorization`` header, are signed in. What the seeds
leave to their reader is supplied around the code, never inside it: the variables the examples
use (``athleteId``, ``exercises``, ``userAnswer``, ``timeTaken``), the practice seed's
``localStorage.authToken``, and, in the create example, the coach's own id and e-mail in place
of the placeholders (the API refuses identity fields that are not the caller's).

Then a page of another site tries to use a valid cookie: it is refused and nothing is written.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from devtools.emulators import HOSTING, api
from tests.browser.app import allow_errors, shot
from tests.uploads import linked, ok

SNIPPETS = Path(__file__).resolve().parent / "seeds"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
# Which seed each copy comes from, and which of its code blocks (in order, among those matching).
COPIES = {
    "athlete-create-with-athlete.js": ("000_8cef93f3995d59f5.txt", "fetch(", 0),
    "athlete-sessions-by-athlete.js": ("000_8cef93f3995d59f5.txt", "fetch(", 1),
    "athlete-stats-by-athlete.js": ("000_8cef93f3995d59f5.txt", "fetch(", 2),
    "practice-session-manager.js": ("004_745ab1c4d4ad8305.txt", "class PracticeSessionManager", 0),
}
CODE_BLOCK = re.compile(r"```\w+\n(.*?)```", re.S)


def snippet(name: str) -> str:
    return (SNIPPETS / name).read_text()


def counted(coach, athlete, total: int) -> None:
    """Wait until the statistics trigger has counted ``total`` sessions for the athlete."""
    deadline = time.monotonic() + 30
    path = f"/api/sessions/stats?athleteId={athlete.uid}"
    while ok(api("GET", path, coach))["stats"]["totalSessions"] != total:
        assert time.monotonic() < deadline, "the statistics trigger did not count the session"
        time.sleep(0.3)


def run(page, prelude: str, code: str, result: str):
    """Run a seed's code as the page's own script would (an async module body)."""
    return page.evaluate(f"async () => {{\n{prelude}\n{code}\nreturn {result};\n}}")


@pytest.mark.parametrize("name", sorted(COPIES))
def test_the_copies_are_the_seeds_code_byte_for_byte(name):
    seed, marker, index = COPIES[name]
    if not SEEDS.is_dir():
        pytest.skip(f"the seeds are not beside this checkout ({SEEDS})")
    blocks = [b for b in CODE_BLOCK.findall((SEEDS / seed).read_text()) if marker in b]
    assert snippet(name) == blocks[index]


def test_the_athlete_seeds_examples_run_on_the_hosting_origin(make_user, app):
    coach, athlete = linked(make_user)
    earlier = {"athleteId": athlete.uid, "event": "Floor", "sessionType": "Training"}
    earlier_id = ok(api("POST", "/api/sessions", coach, json=earlier), 201)["sessionId"]
    page = app.sign_in(coach, viewport="desktop")
    # The example sends JSON.stringify(...) with no Content-Type (the browser says text/plain)
    # and no Authorization header: the app's __session cookie signs it in.
    create = (
        snippet("athlete-create-with-athlete.js")
        .replace("'coach_firebase_id'", json.dumps(coach.uid))
        .replace("'coach@example.com'", json.dumps(coach.email))
    )
    created = run(page, "", create, "{status: response.status, body: await response.json()}")
    assert created["status"] == 201, created
    session = ok(api("GET", f"/api/sessions/{created['body']['sessionId']}", coach))
    assert session["videoName"] == "athlete_vault.mp4"
    assert session["athleteEmail"] == "athlete@example.com"
    assert session["athleteId"] is None  # pending until that athlete accepts an invitation
    assert session["coachId"] == coach.uid
    prelude = f"const athleteId = {json.dumps(athlete.uid)};"
    sessions = run(page, prelude, snippet("athlete-sessions-by-athlete.js"), "sessions")
    assert [s["sessionId"] for s in sessions] == [earlier_id]
    counted(coach, athlete, 1)  # the statistics trigger runs after the create's answer
    stats = run(page, prelude, snippet("athlete-stats-by-athlete.js"), "stats")
    assert stats["totalSessions"] == 1
    assert stats["completedAnalyses"] == 0
    shot(page, "seed-athlete-examples")


def test_the_practice_seeds_session_manager_runs_on_the_hosting_origin(make_user, app):
    coach, athlete = make_user("coach"), make_user()
    exercises = [
        ok(api("POST", "/api/exercises", coach, json={"prompt": p, "answers": [a]}), 201)
        for p, a in (("2 + 2", "4"), ("8 / 2", "4"), ("2 + 3", "5"))
    ]
    page = app.open("/sign-in", viewport="desktop")
    logged: list[str] = []
    page.on("console", lambda message: logged.append(message.text))
    app.sign_in(athlete, page=page)
    # "Your authentication token retrieval logic": the ID token the app keeps in __session.
    page.evaluate(
        "localStorage.setItem('authToken', document.cookie.match(/__session=([^;]+)/)[1])"
    )
    ids = json.dumps([{"id": e["exercise_id"]} for e in exercises])
    prelude = f"const exercises = {ids}; const userAnswer = '4'; const timeTaken = 7;"
    summary = run(page, prelude, snippet("practice-session-manager.js"), "summary")
    started = [line for line in logged if line.startswith("Session ")]
    assert len(started) == 1
    assert re.fullmatch(r"Session \S+ started at \S+", started[0])
    answers = [line for line in logged if line.startswith("Answer ")]
    assert answers == ["Answer correct", "Answer correct", "Answer incorrect"]
    assert f"Final score: {summary['score_percentage']}%" in logged
    assert summary["score_percentage"] == 66.67
    assert summary["total_exercises"] == 3
    assert summary["correct_answers"] == 2
    assert f"Duration: {summary['duration_seconds']}s" in logged
    session_id = started[0].split()[1]
    assert summary["session_id"] == session_id
    shot(page, "seed-practice-manager")


@pytest.fixture
def other_site():
    """A page of another site: a real server on this machine, reached as ``localhost`` (another
    site than ``127.0.0.1``, where Hosting runs, and like it a local address, which Chromium lets
    pages fetch from). ``other_site(html)`` serves ``html`` and returns its URL."""
    served = {"html": b""}

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(served["html"])

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def serve(html: str) -> str:
        served["html"] = html.encode()
        return f"http://localhost:{server.server_address[1]}/attack.html"

    yield serve
    server.shutdown()


def test_a_page_of_another_site_cannot_use_a_valid_cookie(make_user, app, other_site):
    coach, athlete = linked(make_user)
    page = app.sign_in(coach, viewport="desktop")
    allow_errors(page, r"status of 40[13] .* @ http://127\.0\.0\.1:\d+/api/sessions$")  # refused
    # The app sets its cookie SameSite=Strict, so a browser keeps it from other sites. Here it is
    # re-set as a careless app might (SameSite=None; Secure): the browser then does send it, and
    # the API itself must refuse. 403 (not 401, "sign in first") shows that the cookie arrived.
    token = page.evaluate("document.cookie.match(/__session=([^;]+)/)[1]")
    page.context.add_cookies(
        [
            {
                "name": "__session",
                "value": token,
                "domain": "127.0.0.1",
                "path": "/",
                "sameSite": "None",
                "secure": True,
            }
        ]  # fmt: skip
    )
    forged = json.dumps({"athleteId": athlete.uid, "event": "Forged"})
    # A form can post JSON-looking text/plain: name + "=" + value is the whole body.
    attack = other_site(
        f"""<!doctype html><title>Win a prize</title>
        <form id="form" method="post" action="{HOSTING}/api/sessions" enctype="text/plain">
          <input type="hidden" name='{forged[:-1]}, "pad": "' value='"}}'>
        </form>"""
    )
    statuses: list[int] = []
    page.on(
        "response",
        lambda r: statuses.append(r.status) if r.url == f"{HOSTING}/api/sessions" else None,
    )
    page.goto(attack)
    # A no-cors fetch with the cookie, its JSON labelled text/plain (so no preflight).
    kind = page.evaluate(
        """([url, body]) => fetch(url, {method: 'POST', mode: 'no-cors', credentials: 'include',
             headers: {'Content-Type': 'text/plain'}, body}).then(reply => reply.type)""",
        [f"{HOSTING}/api/sessions", forged],
    )
    assert kind == "opaque"  # sent, and the page cannot read the answer
    # The form, posted across sites: a top-level navigation.
    with page.expect_navigation():
        page.evaluate("document.getElementById('form').submit()")
    fetched, posted = statuses
    # The fetch: Chromium keeps third-party cookies from another site's subresource requests
    # (401, no cookie arrived); a browser that sent it would meet the form's 403. Refused either
    # way: this half shows only that the browser's own defence holds. The form is the API's test.
    assert fetched in (401, 403)
    assert posted == 403
    assert "Cookie sign-in is accepted only from this site" in page.content()
    listed = ok(api("GET", f"/api/sessions?athleteId={athlete.uid}", coach))
    assert listed["sessions"] == []  # nothing was written
    shot(page, "cross-site-refused")
