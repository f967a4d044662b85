"""Callable adapters: the SDK's wire format, our error codes and field details."""

import json

from flask import Flask

from sessionbase.handlers.callables import CALLABLES
from tests.adapter.request_builder import build_request
from tests.tokens import unsigned_id_token

create_session, list_sessions = CALLABLES["createSession"], CALLABLES["listSessions"]


def invoke(function, data, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = build_request("POST", "/", json={"data": data}, headers=headers)
    app = Flask(__name__)
    with app.test_request_context("/", method="POST", json={"data": data}, headers=headers):
        response = function(request)
    return response.status_code, json.loads(response.get_data())


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
