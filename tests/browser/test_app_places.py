"""Every screen has its own URL: opened directly (a deep link, through the sign-in) it shows that
screen, and a reload keeps the person there. One test per role walks all of its screens, the
navigation's and the ones reached from them."""

from __future__ import annotations

import re

import pytest

from devtools.emulators import api
from tests.browser.app import check_screen
from tests.uploads import linked, ok

SCREENS = {
    "athlete": [
        ("/home", "Home"),
        ("/sessions", "Sessions"),
        ("/classes", "Classes"),
        ("/profile", "Profile"),
        ("/practice", "Practice"),
    ],
    "coach": [
        ("/athletes", "Athletes"),
        ("/sessions", "Sessions"),
        ("/sessions/new", "New session"),
        ("/classes", "Classes"),
        ("/invitations", "Invitations"),
    ],
    "admin": [
        ("/upcoming", "Upcoming"),
        ("/completed", "Completed"),
        ("/history", "History"),
        ("/users", "Users"),
    ],
}


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def heading(page, name: str) -> None:
    page.get_by_role("heading", level=1, name=name, exact=True).wait_for()


@pytest.mark.parametrize("role", sorted(SCREENS))
def test_each_screen_opens_by_its_url_and_stays_there_on_reload(app, make_user, role):
    (first, first_title), *rest = SCREENS[role]
    page = app.sign_in(make_user(role), first, viewport="phone")
    for path, title in [(first, first_title), *rest]:
        if path != first:
            page.goto(app.url(path))
        heading(page, title)
        page.reload()
        heading(page, title)
        assert path_of(page) == path
    check_screen(page, f"places-{role}-last")


def test_a_session_and_a_group_open_by_their_urls_and_stay_there_on_reload(app, make_user):
    coach, athlete = linked(make_user)
    body = {"athleteId": athlete.uid, "event": "Pommel horse", "sessionType": "Training"}
    session_id = ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"]
    group = ok(api("POST", "/api/groups", coach, json={"name": "Juniors", "kind": "team"}), 201)
    page = app.sign_in(coach, f"/sessions/{session_id}", viewport="phone")
    for path, title in [(f"/sessions/{session_id}", "Pommel horse"),
                        (f"/classes/{group['groupId']}", "Juniors")]:  # fmt: skip
        page.goto(app.url(path))
        heading(page, title)
        page.reload()
        heading(page, title)
        assert path_of(page) == path
