"""handlers/callables.py: the SDK's wire format, our error codes and field details; the caller is
checked before the data."""

from __future__ import annotations

import pytest

from sessionbase.handlers.callables import CALLABLES
from tests.tokens import unsigned_id_token
from tests.unit.handlers.deployed import main
from tests.unit.handlers.request_builder import invoke, invoke_raw

create_session, list_sessions = CALLABLES["createSession"], CALLABLES["listSessions"]


def test_no_token_is_unauthenticated():
    status, body = invoke(list_sessions, {})
    assert status == 401
    assert body["error"]["status"] == "UNAUTHENTICATED"


def test_bad_data_names_each_field():
    status, body = invoke(
        create_session, {"sessionType": "Party", "fileSize": -3}, unsigned_id_token()
    )
    assert status == 400
    assert body["error"]["status"] == "INVALID_ARGUMENT"
    fields = {e["field"] for e in body["error"]["details"]["errors"]}
    assert fields == {"sessionType", "fileSize"}


def test_expired_token_is_unauthenticated():
    status, body = invoke(list_sessions, {}, unsigned_id_token(expires_in=-60))
    assert status == 401
    assert body["error"]["status"] == "UNAUTHENTICATED"


def test_non_object_data_is_refused():
    status, body = invoke(create_session, ["a"], unsigned_id_token())
    assert status == 400
    assert body["error"]["details"]["errors"][0]["field"] == "body"


def test_a_callable_checks_the_caller_before_the_data():
    status, body = invoke(main.getSession, "not an object")
    assert (status, body["error"]["status"]) == (401, "UNAUTHENTICATED")
    status, body = invoke(main.getSession, {}, unsigned_id_token())
    assert status == 400
    assert body["error"]["details"]["errors"] == [
        {"field": "sessionId", "message": "field required"}
    ]


# ---- bodies the SDK cannot read: 400 in the callable protocol's format, not 500 --------------


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"",
        b"[" * 10_000 + b"]" * 10_000,  # deeper than the parser's recursion
        b'{"data": ' + b"9" * 5_000 + b"}",  # more digits than Python converts
        b"\xff\xfe{",  # not UTF-8
        b"5",  # JSON, but not an object (the SDK's `"data" in 5` raises)
        b'"data"',  # a string that contains "data"
    ],
    ids=["unclosed", "empty", "deep", "digits", "not-utf8", "number", "string"],
)
def test_a_body_the_sdk_cannot_read_is_400_invalid_argument(body):
    status, reply = invoke_raw(list_sessions, body, unsigned_id_token())
    assert status == 400
    assert reply["error"]["status"] == "INVALID_ARGUMENT"
    assert reply["error"]["message"]
    assert reply["error"]["details"]["errors"][0]["field"] == "body"


def test_the_sdks_own_refusals_still_answer():
    status, reply = invoke_raw(list_sessions, b'{"no": "data"}', unsigned_id_token())
    assert (status, reply["error"]["status"]) == (400, "INVALID_ARGUMENT")


def test_the_guarded_callable_keeps_the_sdks_endpoint():
    for name, function in CALLABLES.items():
        endpoint = function.__firebase_endpoint__
        assert endpoint.entryPoint == name
        assert endpoint.callableTrigger is not None
        assert function.__name__ == name


# ---- requestId: a keyed operation's idempotency key ----------------------------------------


@pytest.mark.parametrize("request_id", [5, "", "two words", "x" * 256])
def test_a_bad_request_id_is_named(request_id):
    data = {"athleteEmail": "a@example.com", "requestId": request_id}
    status, body = invoke(create_session, data, unsigned_id_token())
    assert (status, body["error"]["status"]) == (400, "INVALID_ARGUMENT")
    assert [e["field"] for e in body["error"]["details"]["errors"]] == ["requestId"]


def test_request_id_is_a_field_of_keyed_operations_only():
    # listSessions takes no key: requestId is an unknown field of its query.
    status, body = invoke(list_sessions, {"requestId": "k1"}, unsigned_id_token())
    assert status == 400
    assert [e["field"] for e in body["error"]["details"]["errors"]] == ["requestId"]


def test_data_nested_deeper_than_firestore_stores_is_400_naming_body():
    """700 levels parse as JSON but once exhausted the recursion of the checks: a 500."""
    deep = b"[" * 700 + b"]" * 700
    status, reply = invoke_raw(
        create_session, b'{"data": {"notes": ' + deep + b"}}", unsigned_id_token()
    )
    assert (status, reply["error"]["status"]) == (400, "INVALID_ARGUMENT")
    assert reply["error"]["details"]["errors"][0]["field"] == "body"


def test_app_check_is_required_when_the_deployment_enforces_it(monkeypatch):
    """SESSIONBASE_ENFORCE_APP_CHECK: a callable built with it refuses a request without an
    App Check token before anything else (the same request reaches validation without it)."""
    from sessionbase.handlers.callables import _callable
    from sessionbase.handlers.operations import OPERATIONS

    operation = next(op for op in OPERATIONS if op.name == "createSession")
    data = {"sessionType": "Party"}
    monkeypatch.setenv("SESSIONBASE_ENFORCE_APP_CHECK", "true")
    status, body = invoke(_callable(operation), data, unsigned_id_token())
    assert (status, body["error"]["status"]) == (401, "UNAUTHENTICATED")
    monkeypatch.setenv("SESSIONBASE_ENFORCE_APP_CHECK", "false")
    status, body = invoke(_callable(operation), data, unsigned_id_token())
    assert (status, body["error"]["status"]) == (400, "INVALID_ARGUMENT")
