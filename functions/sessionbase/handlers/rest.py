"""The REST API: one HTTPS function ``api`` serving ``/api/**`` through the Hosting rewrite."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from firebase_functions import https_fn

from sessionbase.errors import FieldError, InvalidArgument, NotFound, SessionbaseError
from sessionbase.handlers.auth import caller_from_authorization
from sessionbase.handlers.routing import Router
from sessionbase.models.identity import Caller
from sessionbase.services import sessions
from sessionbase.store.client import firestore_client

MAX_BODY_BYTES = 8 * 1024 * 1024
log = logging.getLogger(__name__)
router = Router()


@dataclass(kw_only=True)
class RestCall:
    """What an endpoint needs from a request: the caller, path parameters, query and body."""

    request: https_fn.Request
    caller: Caller | None
    path: dict[str, str] = field(default_factory=dict)

    @property
    def user(self) -> Caller:
        """The authenticated caller (every non-public route has one)."""
        assert self.caller is not None
        return self.caller

    @property
    def query(self) -> dict[str, str]:
        """Query parameters, first value of each."""
        return self.request.args.to_dict(flat=True)

    def json(self) -> Any:
        """The parsed JSON body; refuses other content types, oversize and malformed bodies."""
        return read_json_body(self.request)


def read_json_body(request: https_fn.Request) -> Any:
    """The request's JSON body, or an InvalidArgument naming what is wrong with it."""
    if request.mimetype != "application/json":
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
        return json.loads(raw)
    except ValueError:
        raise InvalidArgument(
            "The body is not valid JSON.",
            errors=(FieldError(field="body", message="not valid JSON"),),
        ) from None


def _too_large() -> InvalidArgument:
    return InvalidArgument(
        "The request body is too large.",
        errors=(FieldError(field="body", message=f"larger than {MAX_BODY_BYTES} bytes"),),
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _respond(status: int, body: Any) -> https_fn.Response:
    return https_fn.Response(json.dumps(body), status=status, content_type="application/json")


def dispatch(request: https_fn.Request) -> https_fn.Response:
    """Route, authenticate, run the endpoint, and map every error to the JSON error body."""
    try:
        found = router.match(request.method, request.path)
        if found is None:
            raise NotFound(f"No such endpoint: {request.method} {request.path}.")
        route, path = found
        caller = (
            None
            if route.public
            else caller_from_authorization(request.headers.get("Authorization"))
        )
        status, body = route.endpoint(RestCall(request=request, caller=caller, path=path))
        return _respond(status, body)
    except SessionbaseError as error:
        return _respond(error.status, error.to_json())
    except Exception:
        log.exception("unhandled error in %s %s", request.method, request.path)
        return _respond(500, {"detail": "Internal error.", "code": "internal"})


@https_fn.on_request()
def api(request: https_fn.Request) -> https_fn.Response:
    """REST entry point for ``/api/**`` (DESIGN.md §4)."""
    return dispatch(request)


# Literal paths are registered before templated ones: ``/api/sessions/stats`` is not a session id.


@router.route("POST", "/api/sessions")
def post_session(call: RestCall) -> tuple[int, dict]:
    """Create a session (athlete body or the yoga seed's body)."""
    body = call.json()
    return 201, sessions.create_session(
        db=firestore_client(), caller=call.user, body=body, now=_now()
    )


@router.route("GET", "/api/sessions")
def get_sessions(call: RestCall) -> tuple[int, dict]:
    """List sessions, newest first, with a cursor."""
    return 200, sessions.list_sessions(db=firestore_client(), caller=call.user, params=call.query)


@router.route("GET", "/api/sessions/{session_id}")
def get_session(call: RestCall) -> tuple[int, dict]:
    """One session."""
    return 200, sessions.get_session(
        db=firestore_client(), caller=call.user, session_id=call.path["session_id"]
    )
