"""handlers/callables.py: the SDK's wire format, our error codes and field details; the caller is
checked before the data."""

from __future__ import annotations

from sessionbase.handlers.callables import CALLABLES
from tests.tokens import unsigned_id_token
from tests.unit.handlers.deployed import main
from tests.unit.handlers.request_builder import invoke

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
