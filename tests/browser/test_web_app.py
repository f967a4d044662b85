"""The reference web app in headless Chromium, against the emulators, as people use it.

Each flow saves a screenshot under test-results/browser/; one is also checked as a picture
(the colours a person sees), not only through the DOM.
"""

from __future__ import annotations

import base64

from devtools.emulators import api, documents
from devtools.videos import clip
from tests.browser.pages import shot, sign_in
from tests.uploads import linked, ok

BADGE = (0xE8, 0xEE, 0xFB)  # app.css: .badge background
ACCENT = (0x1F, 0x5F, 0xBF)  # app.css: --accent (buttons)


def colour_share(page, png: bytes, colour: tuple[int, int, int]) -> float:
    """The share of a screenshot's pixels within a few levels of ``colour``, decoded by the
    browser itself (a canvas), so the test looks at the picture, not at the DOM."""
    data = base64.b64encode(png).decode()
    return page.evaluate(
        """async ([data, colour]) => {
          const image = new Image();
          image.src = `data:image/png;base64,${data}`;
          await image.decode();
          const canvas = new OffscreenCanvas(image.width, image.height);
          const context = canvas.getContext("2d");
          context.drawImage(image, 0, 0);
          const pixels = context.getImageData(0, 0, image.width, image.height).data;
          let near = 0;
          for (let i = 0; i < pixels.length; i += 4) {
            if (Math.abs(pixels[i] - colour[0]) <= 6 && Math.abs(pixels[i + 1] - colour[1]) <= 6
                && Math.abs(pixels[i + 2] - colour[2]) <= 6) near += 1;
          }
          return near / (pixels.length / 4);
        }""",
        [data, list(colour)],
    )


def test_an_athlete_sees_a_new_session_arrive_live_and_opens_it(make_user, open_app):
    coach, athlete = linked(make_user)
    page = open_app()
    page.get_by_role("button", name="Sign in").wait_for()  # the app has started
    signed_out = shot(page, "sign-in")
    assert colour_share(page, signed_out, ACCENT) > 0.001  # the Sign in button is visible
    sign_in(page, athlete)
    page.get_by_text("No sessions yet.").wait_for()
    # The coach creates a session: the athlete's listener shows it without a reload.
    body = {"athleteId": athlete.uid, "event": "Vault", "sessionType": "Training"}
    session_id = ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"]
    entry = page.locator(f"a[data-session='{session_id}']")
    entry.wait_for()
    assert "Vault" in entry.inner_text()
    listed = shot(page, "athlete-sessions")
    assert colour_share(page, listed, BADGE) > 0.0005  # its status badge is drawn
    entry.click()
    page.locator("[data-field='status']").get_by_text("scheduled").wait_for()
    assert page.locator("h2").first.inner_text() == "Vault"
    shot(page, "athlete-session-detail")
    # Another person changes it: the open detail follows.
    ok(api("PUT", f"/api/sessions/{session_id}", coach, json={"event": "Floor"}))
    page.get_by_role("heading", name="Floor").wait_for()


def test_an_athlete_never_sees_another_athletes_session_even_by_url(make_user, open_app):
    coach, athlete = linked(make_user)
    other = make_user()
    body = {"athleteId": athlete.uid, "event": "Private vault"}
    session_id = ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"]
    page = open_app()
    sign_in(page, other)
    page.get_by_text("No sessions yet.").wait_for()
    page.evaluate(f"location.hash = '#/sessions/{session_id}'")
    page.get_by_role("alert").get_by_text("Session not found.").wait_for()
    assert "Private vault" not in page.content()
    shot(page, "other-athlete-by-url")


def test_a_coach_sees_the_apis_errors_next_to_the_field_then_invites_and_creates(
    make_user, open_app
):
    coach, athlete = make_user("coach"), make_user()
    page = open_app(viewport={"width": 390, "height": 844})  # a phone
    sign_in(page, coach)
    invite = page.locator("form[data-form='invite']")
    invite.get_by_label("Athlete's e-mail").fill("not-an-address")
    invite.get_by_role("button", name="Send invitation").click()
    error = invite.locator("[data-error-for='athleteEmail']")
    error.get_by_text("not a valid e-mail address").wait_for()
    assert invite.get_by_label("Athlete's e-mail").get_attribute("aria-invalid") == "true"
    shot(page, "coach-invite-error", full_page=True)
    invite.get_by_label("Athlete's e-mail").fill(athlete.email)
    invite.get_by_role("button", name="Send invitation").click()
    invite.get_by_text("Invitation sent.").wait_for()
    create = page.locator("form[data-form='create']")
    create.get_by_label("Athlete's e-mail").fill(athlete.email)
    create.get_by_label("Event").fill("Beam")
    create.get_by_role("button", name="Create session").click()
    page.locator("ul.sessions a", has_text="Beam").wait_for()  # the coach's own list, live
    shot(page, "coach-created", full_page=True)
    # Keyboard only: tab from the page top reaches the session and opens it with Enter.
    page.keyboard.press("Tab")
    for _ in range(12):
        if page.evaluate("document.activeElement.dataset.session !== undefined"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator("[data-field='status']").wait_for()


def test_a_double_click_on_create_session_makes_one_session(make_user, open_app):
    coach, athlete = make_user("coach"), make_user()
    page = open_app()
    sign_in(page, coach)
    keys, answers = [], []

    def creates(request) -> bool:
        return request.method == "POST" and request.url.endswith("/api/sessions")

    page.on("request", lambda r: creates(r) and keys.append(r.headers.get("idempotency-key")))
    page.on("response", lambda reply: creates(reply.request) and answers.append(reply))
    create = page.locator("form[data-form='create']")
    create.get_by_label("Athlete's e-mail").fill(athlete.email)
    create.get_by_label("Event").fill("Rings")
    create.get_by_role("button", name="Create session").dblclick()
    page.locator("ul.sessions a", has_text="Rings").first.wait_for()
    for _ in range(100):  # until both clicks are answered
        if len(answers) == 2:
            break
        page.wait_for_timeout(100)
    assert len(documents("sessions")) == 1
    assert len(keys) == 2  # the page sent both clicks...
    assert keys[0] is not None
    assert keys[0] == keys[1]  # ...as one request, which the server ran once
    assert [reply.status for reply in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    page.wait_for_timeout(500)  # a second session would be in the live list by now
    assert page.locator("ul.sessions a", has_text="Rings").count() == 1


def test_an_athlete_practices_and_sees_the_score(make_user, open_app):
    coach, athlete = make_user("coach"), make_user()
    for prompt, answer in (("'to speak', subjunctive", "hable"), ("7 x 8", "56")):
        ok(api("POST", "/api/exercises", coach, json={"prompt": prompt, "answers": [answer]}), 201)
    page = open_app()
    sign_in(page, athlete)
    page.get_by_role("button", name="Start practice").click()
    page.get_by_label("'to speak', subjunctive").fill("Hable ")
    page.locator("form", has=page.get_by_label("'to speak', subjunctive")).get_by_role(
        "button", name="Answer"
    ).click()
    page.get_by_text("Right.").wait_for()
    page.get_by_label("7 x 8").fill("54")
    page.locator("form", has=page.get_by_label("7 x 8")).get_by_role(
        "button", name="Answer"
    ).click()
    page.get_by_text("Not quite: 56.").wait_for()
    shot(page, "practice-answers", full_page=True)
    page.get_by_role("button", name="End practice").click()
    summary = page.locator("[data-practice='summary']")
    summary.wait_for()
    assert summary.inner_text().startswith("Score: 50% (1 of 2 right")
    # The statistics dashboard follows: the stats trigger counts the ended practice, the
    # listener on athleteStats/{uid} tells the page to ask the API for the figures again.
    completed = page.locator("[data-figure='completedSessions'] dd")
    completed.get_by_text("1", exact=True).wait_for()
    assert page.locator("[data-figure='totalSessions'] dd").inner_text() == "1"
    assert page.locator("[data-figure='averageScore'] dd").inner_text() == "50"
    assert page.locator("[data-figure='sessionsThisWeek'] dd").inner_text() == "1"
    shot(page, "practice-score")


def test_a_coach_uploads_a_video_with_a_progress_bar_and_watches_the_analysis_complete(
    make_user, open_app
):
    coach, athlete = linked(make_user)
    body = {"athleteId": athlete.uid, "event": "Rings", "sessionType": "Analysis"}
    session_id = ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"]
    page = open_app()
    sign_in(page, coach)
    page.evaluate(f"location.hash = '#/sessions/{session_id}'")
    form = page.locator("form[data-form='video']")
    chooser = form.get_by_label("Video file")
    # A file that is not a video: the API's answer, beside the file input; nothing is sent.
    chooser.set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a video"}]
    )
    form.get_by_role("button", name="Upload").click()
    form.locator("[data-error-for='contentType']").get_by_text("expected a video/* type").wait_for()
    # A real 3 MB H.264 video, sent in 1 MiB chunks: the bar follows the bytes.
    video = clip(seconds=6, width=640, height=360, textured=True)
    page.evaluate(
        """() => {
          window.progressSeen = [];
          const bar = document.querySelector("form[data-form='video'] progress");
          new MutationObserver(() => window.progressSeen.push(bar.value))
            .observe(bar, {attributes: true, attributeFilter: ["value"]});
        }"""
    )
    # The connection drops during the second chunk, once: the app sends that chunk again.
    sent: list[str] = []
    answered: list[int] = []
    cut = {"done": False}

    def storage(route) -> None:
        request = route.request
        if request.method != "PUT":
            route.continue_()
            return
        sent.append(request.headers["content-range"])
        if sent[-1].startswith("bytes 1048576-") and not cut["done"]:
            cut["done"] = True
            route.abort("connectionreset")
            return
        route.continue_()

    page.route("**/upload/storage/v1/**", storage)
    page.on(
        "response",
        lambda r: answered.append(r.status) if r.request.method == "PUT" else None,
    )
    chooser.set_input_files(files=[{"name": "rings.mp4", "mimeType": "video/mp4", "buffer": video}])
    form.get_by_role("button", name="Upload").click()
    form.get_by_text("Uploaded: the analysis starts on its own.").wait_for()
    assert form.locator("[data-error-for='contentType']").inner_text() == ""
    size = len(video)
    assert sent == [
        f"bytes 0-1048575/{size}",
        f"bytes 1048576-2097151/{size}",  # cut off
        f"bytes 1048576-2097151/{size}",
        f"bytes 2097152-{size - 1}/{size}",
    ]
    assert answered[0] == 308
    assert answered[1] == 308
    assert answered[2] in (200, 201)
    seen = page.evaluate("window.progressSeen")
    assert seen[-1] == 100
    assert len(set(seen)) >= 3
    shot(page, "coach-video-uploaded", full_page=True)
    # The finalize trigger and the analysis task run; the session's listener shows the end.
    page.locator("[data-field='analysisStatus']").get_by_text("completed").wait_for(timeout=60_000)
    assert page.locator("[data-metric='framesDecoded']").inner_text() == "150"
    assert page.locator("[data-metric='durationSeconds']").inner_text() == "6"
    stored = ok(api("GET", f"/api/sessions/{session_id}", coach))
    assert stored["fileSize"] == len(video)
    assert stored["analysisProgress"] == 100
    shown = page.locator("[data-metric='motionEnergyMean']").inner_text()
    assert float(shown) == stored["metrics"]["motionEnergyMean"]
    assert "null" not in page.locator("main").inner_text()
    shot(page, "coach-analysis-completed", full_page=True)


def test_a_live_class_owner_and_member_see_each_other_live(make_user, open_app):
    coach, member, absentee = make_user("coach"), make_user(), make_user()
    group = ok(api("POST", "/api/groups", coach, json={"name": "Morning class"}), 201)["groupId"]
    for person in (member, absentee):  # invited by the coach, accepted by each person
        invited = ok(
            api("POST", f"/api/groups/{group}/members", coach, json={"email": person.email}), 201
        )
        ok(api("POST", f"/api/invitations/{invited['invitationId']}/accept", person))
    owner_page, member_page = open_app(), open_app(viewport={"width": 390, "height": 844})
    sign_in(owner_page, coach)
    sign_in(member_page, member)
    owner_card = owner_page.locator(f"[data-group='{group}']")
    member_card = member_page.locator(f"[data-group='{group}']")
    member_card.get_by_role("heading", name="Morning class").wait_for()
    member_page.locator(f"[data-group='{group}'][data-live='listening']").wait_for()
    # The group's listener has answered: nothing is live, and a member cannot start a class.
    assert member_card.get_by_role("button", name="Check in").count() == 0
    assert not member_card.get_by_role("button", name="Start class").is_visible()
    # The owner starts the class: the member's page shows it without a reload.
    owner_card.get_by_role("button", name="Start class").click()
    owner_card.get_by_text("Class in progress: 0 checked in.").wait_for()
    member_card.get_by_role("button", name="Check in").click()
    member_card.get_by_text("You are checked in (present).").wait_for()
    # The owner's count and roster follow the check-in made in the other browser.
    owner_card.get_by_text("Class in progress: 1 checked in.").wait_for()
    roster = owner_card.get_by_role("list", name="Roster")
    roster.locator(f"[data-member='{member.uid}']").get_by_text("present").wait_for()
    assert "not checked in" in roster.locator(f"[data-member='{absentee.uid}']").inner_text()
    member_card.get_by_text("Class in progress: 1 checked in.").wait_for()
    shot(owner_page, "live-class-owner", full_page=True)
    shot(member_page, "live-class-member", full_page=True)
    # The owner ends it: both pages show the final statistics.
    owner_card.get_by_role("button", name="End class").click()
    final = "Class ended: 1 present, 1 absent, 2 in all."
    owner_card.get_by_text(final).wait_for()
    member_card.get_by_text(final).wait_for()
    assert roster.locator(f"[data-member='{absentee.uid}']").inner_text().endswith("absent")
    owner_card.get_by_role("button", name="Start class").wait_for()  # a new one may start
    stored = ok(api("GET", f"/api/groups/{group}/active-sessions", coach))
    assert stored["activeSessions"] == []
    shot(owner_page, "live-class-ended-owner", full_page=True)
    shot(member_page, "live-class-ended-member", full_page=True)


def test_a_coach_archives_a_session_out_of_the_live_lists_and_restores_it(make_user, open_app):
    coach, athlete = linked(make_user)
    body = {"athleteId": athlete.uid, "event": "Old vault", "sessionType": "Training"}
    session_id = ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"]
    coach_page, athlete_page = open_app(), open_app()
    sign_in(coach_page, coach)
    sign_in(athlete_page, athlete)
    athlete_entry = athlete_page.locator(f"a[data-session='{session_id}']")
    athlete_entry.wait_for()
    coach_page.locator(f"a[data-session='{session_id}']").click()
    coach_page.get_by_role("button", name="Archive session").click()
    coach_page.locator("[data-field='archived']").wait_for()  # the detail follows, read-only
    assert coach_page.get_by_role("button", name="Upload").count() == 0
    athlete_entry.wait_for(state="detached")  # the athlete's live list drops it
    athlete_page.get_by_text("No sessions yet.").wait_for()
    shot(coach_page, "coach-archived-session")
    coach_page.get_by_role("button", name="Restore session").click()
    coach_page.get_by_role("button", name="Archive session").wait_for()
    athlete_entry.wait_for()  # and takes it back
    # An athlete sees no archive control on their own session.
    athlete_entry.click()
    athlete_page.locator("[data-field='status']").wait_for()
    assert athlete_page.get_by_role("button", name="Archive session").count() == 0


def test_a_deployed_origin_gets_the_security_headers_and_no_demo_accounts(chromium, backend):
    """The built app served as from a deployed site (https, not the emulators' host): Hosting's
    headers hold and the app runs under them, and the sign-in page names no demo account."""
    from devtools.emulators import HOSTING, PROJECT

    site = "https://sessionbase.example"
    seen: dict[str, dict[str, str]] = {}

    def served(route) -> None:
        path = route.request.url[len(site) :]
        if path.startswith("/__/firebase/init.json"):  # the deployed project's web config
            route.fulfill(json={"projectId": PROJECT, "apiKey": "fake-api-key"})
            return
        reply = route.fetch(url=f"{HOSTING}{path}")
        seen[path] = reply.headers
        route.fulfill(response=reply)

    context = chromium.new_context()
    refused: list[str] = []
    try:
        context.route(f"{site}/**", served)
        page = context.new_page()
        page.on(
            "console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None
        )
        page.goto(f"{site}/")
        page.get_by_label("Password").wait_for()  # the module script ran under script-src 'self'
        assert page.locator("[data-demo]").count() == 0
        assert "sessionbase-demo" not in page.content()
        shot(page, "deployed-sign-in")
    finally:
        context.close()
    headers = seen["/"]
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in headers["content-security-policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "https://firestore.googleapis.com" in policy["connect-src"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert refused == []


def test_on_the_emulators_the_cookie_is_strict_and_the_demo_accounts_are_named(make_user, open_app):
    page = open_app()
    page.locator("[data-demo]").wait_for()  # shown once the app has started, on the emulators
    sign_in(page, make_user())
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "__session"]
    assert (cookie["sameSite"], cookie["secure"]) == ("Strict", False)  # plain http on 127.0.0.1
