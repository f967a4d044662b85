"""First slice over the real stack: create, read, list over REST (Hosting rewrite) and callables."""

import time

import pytest
import requests

from devtools.emulators import FUNCTIONS, PROJECT, REGION, api, call, documents
from devtools.examples import YOGA_SESSION
from tests.tokens import unsigned_id_token


def test_create_read_list_over_rest(make_user):
    athlete = make_user()
    created = api(
        "POST", "/api/sessions", athlete, json={"event": "Vault", "sessionType": "Training"}
    )
    assert created.status_code == 201, created.text
    session_id = created.json()["sessionId"]

    got = api("GET", f"/api/sessions/{session_id}", athlete)
    assert got.status_code == 200, got.text
    session = got.json()
    assert session["sessionId"] == session_id
    assert (session["event"], session["athleteId"], session["athleteEmail"]) == (
        "Vault",
        athlete.uid,
        athlete.email,
    )
    assert session["createdAt"].endswith("Z")

    listed = api("GET", "/api/sessions", athlete).json()
    assert [s["sessionId"] for s in listed["sessions"]] == [session_id]
    assert listed["nextCursor"] is None


def test_callables_return_what_rest_returns(make_user):
    athlete = make_user()
    created = call("createSession", {"event": "Beam"}, athlete)
    assert created.status_code == 200, created.text
    session_id = created.json()["result"]["sessionId"]

    by_callable = call("getSession", {"sessionId": session_id}, athlete).json()["result"]
    by_rest = api("GET", f"/api/sessions/{session_id}", athlete).json()
    assert by_callable == by_rest

    listed_callable = call("listSessions", {}, athlete).json()["result"]
    listed_rest = api("GET", "/api/sessions", athlete).json()
    assert listed_callable == listed_rest


def test_someone_else_gets_404_and_sees_nothing(make_user):
    owner, stranger, stranger_coach = make_user(), make_user(), make_user("coach")
    session_id = api("POST", "/api/sessions", owner, json={"event": "Floor"}).json()["sessionId"]
    for user in (stranger, stranger_coach):
        got = api("GET", f"/api/sessions/{session_id}", user)
        assert (got.status_code, got.json()["code"]) == (404, "not-found")
        assert "Floor" not in got.text
        assert api("GET", "/api/sessions", user).json()["sessions"] == []
        denied = call("getSession", {"sessionId": session_id}, user)
        assert denied.json()["error"]["status"] == "NOT_FOUND"
    missing = api("GET", "/api/sessions/does-not-exist", stranger)
    assert missing.json() == got.json()  # a hidden session and a missing one look the same


def test_pagination_walks_every_session_once_newest_first(make_user):
    athlete = make_user()
    made = [
        api("POST", "/api/sessions", athlete, json={"event": f"E{i}"}).json()["sessionId"]
        for i in range(7)
    ]
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = api("GET", f"/api/sessions{query}", athlete).json()
        seen += [s["sessionId"] for s in page["sessions"]]
        pages += 1
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == list(reversed(made))
    assert pages == 3


def call_with_header(name: str, data, header: dict[str, str]):
    """A callable invoked with exactly these headers (the SDK sends the ID token this way)."""
    return requests.post(
        f"{FUNCTIONS}/{PROJECT}/{REGION}/{name}",
        json={"data": data},
        headers={"Content-Type": "application/json", **header},
        timeout=60,
    )


def test_expired_and_garbage_tokens_are_401(make_user):
    user = make_user()
    now = int(time.time())
    # The user's own claims, only expired (issued two hours ago, expired one hour ago): the
    # Auth emulator's tokens are unsigned, so the expiry is all that makes it wrong.
    expired = unsigned_id_token(
        user.uid, project=PROJECT, email=user.email, issued_at=now - 7200, expires_in=-3600
    )
    # The control: the same token, not expired, is accepted, so it is the expiry that is refused.
    # It is issued now: a sign-in dated before the account existed counts as revoked.
    token = unsigned_id_token(
        user.uid, project=PROJECT, email=user.email, issued_at=int(time.time())
    )
    fresh = {"Authorization": f"Bearer {token}"}
    assert api("GET", "/api/sessions", headers=fresh).status_code == 200
    assert call_with_header("listSessions", {}, fresh).status_code == 200
    for header in ({}, {"Authorization": "Bearer garbage"}, {"Authorization": f"Bearer {expired}"}):
        reply = api("GET", "/api/sessions", headers=header)
        assert (reply.status_code, reply.json()["code"]) == (401, "unauthenticated"), header
        by_callable = call_with_header("listSessions", {}, header)
        assert by_callable.status_code == 401, (header, by_callable.text)
        assert by_callable.json()["error"]["status"] == "UNAUTHENTICATED", header


BAD_BODIES = [
    ({"sessionType": "Party"}, {"sessionType"}),
    ({"durationSeconds": -60}, {"durationSeconds"}),
    ({"duration": -5, "poses": []}, {"duration"}),
    ({"notes": "x" * (2 * 1024 * 1024)}, {"notes"}),
    ({"event": "Vault", "unknownField": True}, {"unknownField"}),
]


@pytest.mark.parametrize(("body", "fields"), BAD_BODIES)
def test_bad_input_names_the_field_and_writes_nothing(make_user, body, fields):
    user = make_user()
    reply = api("POST", "/api/sessions", user, json=body)
    assert (reply.status_code, reply.json()["code"]) == (400, "invalid-argument")
    assert {e["field"] for e in reply.json()["errors"]} == fields
    for field in fields:
        assert field in reply.json()["detail"]
    by_callable = call("createSession", body, user).json()["error"]
    assert by_callable["status"] == "INVALID_ARGUMENT"
    assert {e["field"] for e in by_callable["details"]["errors"]} == fields
    assert documents("sessions") == []


@pytest.mark.parametrize(
    ("data", "content_type", "field"),
    [
        ("[1,2,3]", "application/json", "body"),
        ('"a string"', "application/json", "body"),
        ("event=Vault", "application/x-www-form-urlencoded", "Content-Type"),
        ('{"event": "Vault"}', "text/plain", "Content-Type"),
    ],
)
def test_malformed_requests_write_nothing(make_user, data, content_type, field):
    user = make_user()
    reply = api("POST", "/api/sessions", user, data=data, headers={"Content-Type": content_type})
    assert reply.status_code == 400
    assert [e["field"] for e in reply.json()["errors"]] == [field]
    assert documents("sessions") == []


@pytest.mark.parametrize(
    "query", ["?limit=0", "?limit=101", "?limit=ten", "?cursor=forged", "?x=1"]
)
def test_bad_list_parameters(make_user, query):
    reply = api("GET", f"/api/sessions{query}", make_user())
    assert (reply.status_code, reply.json()["code"]) == (400, "invalid-argument")


def test_unknown_route_is_json_404(make_user):
    reply = api("GET", "/api/definitely/not/here", make_user())
    assert reply.status_code == 404
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json()["code"] == "not-found"


@pytest.mark.parametrize(
    ("data", "content_type", "field_name"),
    [
        (b"athleteId=a", "application/x-www-form-urlencoded", "Content-Type"),
        (b'{"sessionType": "Training",', "application/json", "body"),
        (b'{"score": NaN}', "application/json", "body"),
        (b" " * (9 * 1024 * 1024), "application/json", "body"),
    ],
    ids=["form", "cut-json", "nan", "too-large"],
)
def test_bodies_that_are_not_json_are_refused_by_name(make_user, data, content_type, field_name):
    reply = api(
        "POST", "/api/sessions", make_user(), data=data, headers={"Content-Type": content_type}
    )
    assert (reply.status_code, reply.json()["code"]) == (400, "invalid-argument")
    assert [error["field"] for error in reply.json()["errors"]] == [field_name]


def test_a_method_a_route_does_not_take_is_405_with_allow(make_user):
    reply = api("PATCH", "/api/sessions", make_user())
    assert (reply.status_code, reply.json()["code"]) == (405, "invalid-argument")
    assert reply.headers["Allow"] == "GET, HEAD, POST"


def test_yoga_body_makes_a_completed_practice_session(make_user):
    athlete = make_user()
    body = YOGA_SESSION
    session_id = api("POST", "/api/sessions", athlete, json=body).json()["sessionId"]
    session = api("GET", f"/api/sessions/{session_id}", athlete).json()
    assert (session["status"], session["sessionType"], session["durationSeconds"]) == (
        "completed",
        "Practice",
        1500,
    )
    assert session["avgAccuracy"] == 92.5
    items = documents(f"sessions/{session_id}/items")
    assert [i["fields"]["name"]["stringValue"] for i in items] == ["Mountain Pose"]
    # An average the poses contradict is refused, naming it, and nothing is written.
    before = len(api("GET", "/api/sessions", athlete).json()["sessions"])
    wrong = api("POST", "/api/sessions", athlete, json={**body, "avg_accuracy": 60})
    assert (wrong.status_code, [e["field"] for e in wrong.json()["errors"]]) == (
        400,
        ["avg_accuracy"],
    )
    assert len(api("GET", "/api/sessions", athlete).json()["sessions"]) == before


def test_a_browser_on_another_origin_can_call_the_api(make_user):
    """A dev server (say Vite on :5173) calls the API cross-origin: preflight, then the request."""
    origin = "http://localhost:5173"
    preflight = api(
        "OPTIONS",
        "/api/sessions",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert preflight.status_code in (200, 204)
    assert preflight.headers["Access-Control-Allow-Origin"] in ("*", origin)
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"].upper()
    allowed_headers = preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed_headers
    reply = api("GET", "/api/sessions", make_user(), headers={"Origin": origin})
    assert reply.status_code == 200
    assert reply.headers["Access-Control-Allow-Origin"] in ("*", origin)
    refused = api("GET", "/api/sessions", headers={"Origin": origin})
    assert refused.status_code == 401
    assert refused.headers["Access-Control-Allow-Origin"] in ("*", origin)  # the app can read why
