"""Callable functions (``httpsCallable``), one per operation, each returning its REST twin's JSON.

Ids a REST path carries (``sessionId``, ``invitationId``) come inside the callable's data, and so
does a keyed operation's idempotency key, ``requestId`` (REST: the ``Idempotency-Key`` header).

The SDK reads the HTTP body before our handler runs, and answers a body it cannot parse (not
JSON, too deep, an integer of 5,000 digits, a JSON value that is not an object) with 500
``INTERNAL``. Each callable is therefore the SDK's function behind ``_refusing_malformed``, which
answers those bodies 400 ``INVALID_ARGUMENT`` in the callable protocol's error format first and
hands every other request to the SDK; the SDK's endpoint metadata (``__firebase_endpoint__``, by
which deploy and the emulator find the function) is carried over.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from firebase_functions import https_fn
from flask import Request, Response

from sessionbase import settings
from sessionbase.errors import FieldError, InvalidArgument, SessionbaseError
from sessionbase.handlers.auth import sign_in_from_callable
from sessionbase.handlers.dispatch import Operation, RetryKey, execute, ids_from_data, trace_of
from sessionbase.handlers.operations import OPERATIONS

REQUEST_ID = "requestId"


def _split_key(operation: Operation[Any], data: Any) -> tuple[Any, RetryKey | None]:
    """A keyed operation's data without its ``requestId``, and the key."""
    if not operation.keyed or not isinstance(data, dict) or REQUEST_ID not in data:
        return data, None
    rest = {name: value for name, value in data.items() if name != REQUEST_ID}
    return rest, RetryKey(data[REQUEST_ID], REQUEST_ID)


def _callable(operation: Operation[Any]) -> Any:
    """The callable function of ``operation``, deployed under ``operation.name``."""

    def handler(req: https_fn.CallableRequest[Any]) -> Any:
        try:
            sign_in = sign_in_from_callable(req.auth)
            data, key = _split_key(operation, req.data)
            data, ids = ids_from_data(operation, data)
            return execute(
                operation,
                authenticate=lambda: sign_in,
                read_input=lambda: data,
                ids=ids,
                origin=req.raw_request.headers.get("Origin"),
                key=key,
                trace=trace_of(req.raw_request.headers),
                transport="callable",
            ).body
        except SessionbaseError as error:
            code = https_fn.FunctionsErrorCode(error.code)
            raise https_fn.HttpsError(code, error.detail, error.to_json()) from None

    handler.__name__ = handler.__qualname__ = operation.name  # the deployed function id
    # Not summarised: the summary would import the service (handlers/operations.py).
    handler.__doc__ = f"Callable twin of {operation.method} {operation.path}."
    # App Check (a deploy-time choice, SESSIONBASE_ENFORCE_APP_CHECK): docs/decisions.md.
    enforce = settings.enforce_app_check()
    return _refusing_malformed(https_fn.on_call(enforce_app_check=enforce)(handler))


def malformed_body(request: Request) -> InvalidArgument | None:
    """Why the SDK could not read this callable request's body, or None if it can.

    It parses the body as the SDK does (``request.json``: the same ``json.loads`` of the same
    bytes), so a body that passes here cannot fail there. A request that is not a JSON POST is
    left to the SDK, which answers it 400 itself.
    """
    mimetype = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if request.method != "POST" or mimetype != "application/json":
        return None
    try:
        body = json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):  # not JSON, not UTF-8, too deep, too many digits
        return InvalidArgument(
            "The body is not valid JSON.",
            errors=(FieldError(field="body", message="not valid JSON"),),
        )
    if not isinstance(body, dict):
        return InvalidArgument(
            'The body must be a JSON object: {"data": ...}.',
            errors=(FieldError(field="body", message="expected an object"),),
        )
    return None


def _refusing_malformed(sdk_function: Callable[..., Any]) -> Any:
    """``sdk_function`` (an ``on_call`` function: typed by the SDK as the handler it wraps, it
    takes the HTTP request), answering malformed bodies 400 itself.

    ``functools.wraps`` carries the SDK's attributes over (``__firebase_endpoint__``, the name),
    so deploy, the emulator and ``main`` see the same function as before.
    """

    @functools.wraps(sdk_function)
    def guarded(request: Request) -> Response:
        refusal = malformed_body(request)
        if refusal is None:
            answer: Response = sdk_function(request)
            return answer
        return _refused()(refusal)

    return guarded


@functools.cache
def _refused() -> Callable[[InvalidArgument], Response]:
    """The callable protocol's error answer, with the CORS headers the SDK's own answers carry
    (``on_call`` allows every origin)."""
    from flask_cors import cross_origin

    def answer(error: InvalidArgument) -> Response:
        wire = {"status": "INVALID_ARGUMENT", "message": error.detail, "details": error.to_json()}
        body = {"error": wire}
        return Response(json.dumps(body), status=400, content_type="application/json")

    decorate: Callable[[Callable[..., Response]], Callable[..., Response]] = cross_origin(
        methods="POST", origins="*"
    )
    return decorate(answer)


CALLABLES: dict[str, Any] = {op.name: _callable(op) for op in OPERATIONS}
