"""The REST adapter: authentication, routing and body errors, before any storage is touched."""

import json

import pytest

from sessionbase.handlers.rest import MAX_BODY_BYTES, dispatch
from tests.adapter.request_builder import build_request
from tests.tokens import unsigned_id_token


def send(method, path, token=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = dispatch(build_request(method, path, headers=headers, **kwargs))
    assert response.mimetype == "application/json"
    return response.status_code, json.loads(response.get_data())


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer garbage"},
        {"Authorization": f"Bearer {unsigned_id_token(expires_in=-600)}"},
        {"Authorization": f"Bearer {unsigned_id_token(claims={'aud': 'another-project'})}"},
    ],
)
def test_missing_or_bad_tokens_are_unauthenticated(headers):
    status, body = send("GET", "/api/sessions", headers=headers)
    assert (status, body["code"]) == (401, "unauthenticated")
    assert body["detail"]


def test_unknown_route_is_json_404():
    status, body = send("GET", "/api/no-such-thing")
    assert (status, body["code"]) == (404, "not-found")


def test_wrong_content_type_names_the_header():
    status, body = send(
        "POST",
        "/api/sessions",
        unsigned_id_token(),
        data="event=Vault",
        content_type="application/x-www-form-urlencoded",
    )
    assert status == 400
    assert body["errors"] == [{"field": "Content-Type", "message": "expected application/json"}]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ("[1, 2]", "body"),
        ("{not json", "body"),
        ('"text"', "body"),
        ("null", "body"),
        ("[" * 100_000, "body"),  # nesting deep enough to exhaust the parser's recursion
        ('{"durationSeconds": NaN}', "body"),  # Python's parser takes NaN; JSON has none
    ],
)
def test_body_must_be_a_json_object(data, field):
    status, body = send(
        "POST", "/api/sessions", unsigned_id_token(), data=data, content_type="application/json"
    )
    assert (status, body["code"]) == (400, "invalid-argument")
    assert [e["field"] for e in body["errors"]] == [field]


def test_bad_fields_are_named_before_anything_is_written():
    bad = {"sessionType": "Party", "durationSeconds": -1, "event": "x" * (2 * 1024 * 1024)}
    status, body = send("POST", "/api/sessions", unsigned_id_token(), json=bad)
    assert status == 400
    assert {e["field"] for e in body["errors"]} == {"sessionType", "durationSeconds", "event"}
    assert "sessionType" in body["detail"]


def test_oversized_body_is_refused():
    huge = json.dumps({"notes": "x" * (MAX_BODY_BYTES + 1)})
    status, body = send(
        "POST", "/api/sessions", unsigned_id_token(), data=huge, content_type="application/json"
    )
    assert status == 400
    assert body["errors"][0]["field"] == "body"


def test_contention_is_409_aborted_with_retry_after(monkeypatch):
    from sessionbase.errors import Aborted

    def contended(*_args, **_kwargs):
        raise Aborted("Too many concurrent changes to the same record; retry.")

    monkeypatch.setattr("sessionbase.store.work.run_transaction", contended)
    token = unsigned_id_token(claims={"role": "coach"})
    response = dispatch(
        build_request(
            "POST",
            "/api/invitations",
            headers={"Authorization": f"Bearer {token}"},
            json={"athleteEmail": "a@example.com"},
        )
    )
    assert response.status_code == 409
    assert json.loads(response.get_data())["code"] == "aborted"
    assert response.headers["Retry-After"] == "1"
