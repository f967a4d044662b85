"""Sign-in by the ``__session`` cookie, Firebase Hosting's way (issue 14), over HTTP through the
Hosting emulator with the headers a browser sends: same-origin pages are served, other sites
are refused before anything runs, and a page's JSON labelled text/plain is read as JSON."""

from __future__ import annotations

import json
import time

import requests

from devtools.emulators import FUNCTIONS, HOSTING, IDENTITY, OWNER, PROJECT, REGION, api, documents
from tests.uploads import linked, ok

EVIL = "https://evil.example"


def cookie(user) -> dict[str, str]:
    return {"Cookie": f"__session={user.id_token}"}


def same_origin(method: str = "POST") -> dict[str, str]:
    """What Chromium sends with a fetch from a page of the site itself."""
    headers = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}
    if method != "GET":
        headers["Origin"] = HOSTING
    return headers


def browser(method: str, path: str, headers: dict[str, str], **kwargs):
    return requests.request(method, f"{HOSTING}{path}", headers=headers, timeout=60, **kwargs)


def test_a_page_of_the_site_is_signed_in_by_its_cookie(make_user):
    coach, athlete = linked(make_user)
    listed = browser("GET", "/api/sessions", {**cookie(coach), **same_origin("GET")})
    assert listed.status_code == 200, listed.text
    # The athlete seed's create-with-athlete example: JSON.stringify(...) and no Content-Type,
    # so the browser labels it text/plain.
    body = {"videoName": "vault.mp4", "athleteEmail": athlete.email, "athleteName": "A",
            "event": "Vault", "sessionType": "Analysis"}  # fmt: skip
    created = browser(
        "POST",
        "/api/sessions/create-with-athlete",
        {**cookie(coach), **same_origin(), "Content-Type": "text/plain;charset=UTF-8"},
        data=json.dumps(body),
    )
    assert created.status_code == 201, created.text
    session_id = created.json()["sessionId"]
    mine = browser(
        "GET", f"/api/sessions?athleteId={athlete.uid}", {**cookie(athlete), **same_origin("GET")}
    )
    assert [s["sessionId"] for s in mine.json()["sessions"]] == [session_id]
    # A plain GET with no browser signals at all (curl) may read with the cookie.
    assert browser("GET", "/api/sessions", cookie(coach)).status_code == 200


def test_other_sites_cannot_use_the_cookie(make_user):
    coach, athlete = linked(make_user)
    body = json.dumps({"athleteId": athlete.uid, "event": "Forged"})
    attempts = {
        "form from another site": {"Origin": EVIL, "Sec-Fetch-Site": "cross-site",
                                   "Content-Type": "text/plain"},
        "fetch from another site": {"Origin": EVIL, "Content-Type": "application/json"},
        "a sibling site": {"Origin": HOSTING, "Sec-Fetch-Site": "same-site",
                           "Content-Type": "application/json"},
        "no browser signals": {"Content-Type": "application/json"},
    }  # fmt: skip
    for name, headers in attempts.items():
        reply = browser("POST", "/api/sessions", {**cookie(coach), **headers}, data=body)
        assert (reply.status_code, reply.json()["code"]) == (403, "permission-denied"), name
    read = browser(
        "GET", "/api/sessions", {**cookie(coach), "Origin": EVIL, "Sec-Fetch-Site": "cross-site"}
    )
    assert read.status_code == 403
    # Not through Hosting (no forwarded site): the cookie is not a credential there.
    direct = requests.get(
        f"{FUNCTIONS}/{PROJECT}/{REGION}/api/api/sessions", headers=cookie(coach), timeout=30
    )
    assert direct.status_code == 403
    assert documents("sessions") == []


def test_bearer_wins_and_the_cookie_is_checked_like_a_token(make_user):
    first, second = make_user("coach"), make_user("coach")
    both = {**cookie(second), **same_origin("GET"), "Authorization": f"Bearer {first.id_token}"}
    made = ok(api("POST", "/api/groups", first, json={"name": "Mine", "kind": "course"}), 201)
    groups = browser("GET", "/api/groups", both).json()["groups"]
    assert [g["groupId"] for g in groups] == [made["groupId"]]  # the Bearer's user
    assert (
        browser(
            "GET", "/api/sessions", {"Cookie": "__session=garbage", **same_origin("GET")}
        ).status_code
        == 401
    )
    time.sleep(1.1)
    requests.post(
        f"{IDENTITY}/projects/{PROJECT}/accounts:update",
        json={"localId": second.uid, "validSince": str(int(time.time()))},
        headers=OWNER,
        timeout=10,
    ).raise_for_status()
    revoked = browser("GET", "/api/sessions", {**cookie(second), **same_origin("GET")})
    assert revoked.status_code == 401


def test_text_plain_json_is_only_for_the_sites_own_pages(make_user):
    coach, athlete = linked(make_user)
    body = json.dumps({"athleteId": athlete.uid})
    bearer = {"Authorization": f"Bearer {coach.id_token}", "Content-Type": "text/plain"}
    other = browser("POST", "/api/sessions", {**bearer, "Origin": EVIL}, data=body)
    assert [e["field"] for e in other.json()["errors"]] == ["Content-Type"]
    own = browser("POST", "/api/sessions", {**bearer, **same_origin()}, data=body)
    assert own.status_code == 201, own.text


def test_credentials_are_never_allowed_cross_origin(make_user):
    preflight = browser(
        "OPTIONS",
        "/api/sessions",
        {"Origin": EVIL, "Access-Control-Request-Method": "POST",
         "Access-Control-Request-Headers": "content-type"},
    )  # fmt: skip
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    reply = browser("GET", "/api/sessions", {**cookie(make_user()), "Origin": EVIL})
    assert "Access-Control-Allow-Credentials" not in reply.headers
