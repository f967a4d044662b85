"""Requests for the handler tests, built as the Functions framework hands them to a handler.

Test modules import this as ``tests.unit.handlers.request_builder``, never ``from conftest
import``: several tiers have a conftest.py, and a bare ``conftest`` is whichever of them was
loaded first.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.test import EnvironBuilder


def build_request(method: str, path: str, **kwargs: Any):
    """A flask Request as the Functions framework hands it to a handler."""
    from flask import Request

    return Request(EnvironBuilder(method=method, path=path, **kwargs).get_environ())


def invoke(function: Any, data: Any, token: str | None = None) -> tuple[int, Any]:
    """Call a callable function as the Firebase SDK does: its status and its JSON reply."""
    from flask import Flask

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = build_request("POST", "/", json={"data": data}, headers=headers)
    with Flask(__name__).test_request_context(
        "/", method="POST", json={"data": data}, headers=headers
    ):
        response = function(request)
    return response.status_code, json.loads(response.get_data())


def invoke_raw(function: Any, body: bytes | str, token: str | None = None) -> tuple[int, Any]:
    """Call a callable function with ``body`` as its HTTP body, exactly as given (hand-made
    requests: not JSON, not an object), labelled JSON: its status and its JSON reply."""
    from flask import Flask

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    kwargs: dict[str, Any] = {"data": body, "content_type": "application/json", "headers": headers}
    request = build_request("POST", "/", **kwargs)
    with Flask(__name__).test_request_context("/", method="POST", **kwargs):
        response = function(request)
    return response.status_code, json.loads(response.get_data())
