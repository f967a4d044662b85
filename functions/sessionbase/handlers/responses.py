"""JSON responses of the HTTP functions, and the one mapping of a domain error to a response."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flask import Response

from sessionbase.errors import SessionbaseError


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    """``body`` as JSON with ``status``."""
    return Response(
        json.dumps(body), status=status, content_type="application/json", headers=headers
    )


def error_response(error: SessionbaseError) -> Response:
    """The error's status and body (DESIGN.md §4), with ``Retry-After`` when it says when to
    retry (contention: 409 ``aborted``)."""
    retry = error.retry_after
    headers = {"Retry-After": str(retry)} if retry is not None else None
    return json_response(error.status, error.to_json(), headers)


def method_not_allowed(method: str, path: str, allowed: Iterable[str] | None) -> Response:
    """405 for a known path asked with another method, with ``Allow`` (the API's error body)."""
    methods = ", ".join(sorted(allowed or ()))
    body = {
        "detail": f"{method} is not allowed on {path}; use {methods}.",
        "code": "invalid-argument",
    }
    return json_response(405, body, {"Allow": methods})
