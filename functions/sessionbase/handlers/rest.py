"""The REST API: one HTTPS function ``api`` serving ``/api/**`` through the Hosting rewrite.

Routes come from the operation table through werkzeug's routing: fixed paths win over ids
(``/api/sessions/stats`` is not a session), and a known path with another method is 405 with
``Allow``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from firebase_functions import https_fn
from flask import Request, Response
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound as NoRoute
from werkzeug.routing import Map, Rule

from sessionbase import settings
from sessionbase.errors import FieldError, InvalidArgument, NotFound, SessionbaseError
from sessionbase.handlers import faculty, meta
from sessionbase.handlers.auth import same_origin, sign_in_from_request
from sessionbase.handlers.dispatch import Operation, RetryKey, execute, trace_of
from sessionbase.handlers.operations import OPERATIONS
from sessionbase.handlers.responses import error_response, json_response, method_not_allowed

MAX_BODY_BYTES = 8 * 1024 * 1024
# The header of a create's idempotency key (the IETF draft's and Stripe's name), and the one that
# marks an answer as the repeat of a first one.
IDEMPOTENCY_KEY = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
ROUTES = Map(
    [Rule(op.path, methods=[op.method], endpoint=op.name) for op in OPERATIONS],
    merge_slashes=False,
)
_BY_NAME = {op.name: op for op in OPERATIONS}
CORS_METHODS = sorted({op.method for op in OPERATIONS})


def route(method: str, path: str) -> tuple[Operation[Any], dict[str, str]]:
    """The operation for this request and the ids its path carries.

    Raises NotFound for an unknown path and werkzeug's MethodNotAllowed (with the valid methods)
    for a known path with another method.
    """
    trimmed = path.rstrip("/") or "/"
    try:
        name, ids = ROUTES.bind("api").match(trimmed, method=method)
    except NoRoute:
        raise NotFound(f"No such endpoint: {method} {path}.") from None
    return _BY_NAME[name], dict(ids)


def read_json_body(request: Request) -> Any:
    """The request's JSON body, or an InvalidArgument naming what is wrong with it.

    No body at all reads as ``{}``, so an operation whose fields are all optional (starting a
    group session) can be called with a bare POST; a missing required field is then named.
    """
    if not request.content_length and not request.get_data(cache=True):
        return {}
    # A page of this site may send JSON labelled text/plain (fetch's default for a string body);
    # from another origin, JSON must say so, which makes the browser ask first (a preflight).
    plain_json = request.mimetype == "text/plain" and same_origin(request)
    if request.mimetype != "application/json" and not plain_json:
        raise InvalidArgument(
            "Send the body as JSON with 'Content-Type: application/json'.",
            errors=(FieldError(field="Content-Type", message="expected application/json"),),
        )
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise _too_large()
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:
        raise _too_large()
    try:
        return json.loads(raw, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        raise InvalidArgument(
            "The body is not valid JSON.",
            errors=(FieldError(field="body", message="not valid JSON"),),
        ) from None


def _no_constants(name: str) -> None:
    """NaN and Infinity are not JSON (Python's parser accepts them); refuse them."""
    raise ValueError(f"{name} is not valid JSON")


def _too_large() -> InvalidArgument:
    return InvalidArgument(
        "The request body is too large.",
        errors=(FieldError(field="body", message=f"larger than {MAX_BODY_BYTES} bytes"),),
    )


def _input(operation: Operation[Any], request: Request) -> Any:
    if operation.input is not None and operation.input.source == "query":
        return request.args.to_dict(flat=True)
    return read_json_body(request)


def dispatch(request: Request) -> Response:
    """Route, authenticate, run the operation, and map every error to the JSON error body."""
    if faculty.handles(request.path):  # the faculty seed's api/session_completion.php
        return faculty.handle(request)
    # No sign-in: GET /api/health and GET /api/openapi.json (handlers/meta.py).
    unauthenticated = meta.ROUTES.get(request.path.rstrip("/"))
    if unauthenticated is not None:
        if request.method not in ("GET", "HEAD"):
            return method_not_allowed(request.method, request.path, ["GET"])
        return unauthenticated(request)
    try:
        operation, ids = route(request.method, request.path)
        answer = execute(
            operation,
            authenticate=lambda: sign_in_from_request(request),
            read_input=lambda: _input(operation, request),
            ids=ids,
            origin=request.headers.get("Origin"),
            key=RetryKey(request.headers.get(IDEMPOTENCY_KEY), IDEMPOTENCY_KEY),
            trace=trace_of(request.headers),
        )
        headers = {REPLAYED: "true"} if answer.replayed else None
        return json_response(answer.status, answer.body, headers)
    except MethodNotAllowed as error:
        return method_not_allowed(request.method, request.path, error.valid_methods)
    except SessionbaseError as error:
        return error_response(error)


@functools.cache
def _with_cors() -> Callable[[Request], Response]:
    """``dispatch`` behind CORS, for the origins configured when the first request arrives."""
    from flask_cors import cross_origin

    decorate: Callable[[Callable[..., Any]], Callable[..., Any]] = cross_origin(
        origins=settings.cors_origins(), methods=CORS_METHODS, expose_headers=[REPLAYED]
    )
    return decorate(dispatch)


@https_fn.on_request()
def api(request: Request) -> Response:
    """REST entry point for ``/api/**`` (DESIGN.md §4)."""
    return _with_cors()(request)
