"""The REST API: one HTTPS function ``api`` serving ``/api/**`` through the Hosting rewrite."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Literal

from firebase_functions import https_fn, options

from sessionbase.config import cors_origins
from sessionbase.errors import FieldError, InvalidArgument, NotFound, SessionbaseError
from sessionbase.handlers import operations as ops
from sessionbase.handlers.auth import caller_from_authorization
from sessionbase.handlers.routing import Router

MAX_BODY_BYTES = 8 * 1024 * 1024
log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Endpoint:
    """What a route runs: the operation, its success status, and where its data comes from."""

    operation: ops.Operation
    status: int = 200
    data: Literal["body", "query", "none"] = "none"


router: Router[Endpoint] = Router()


def _add(method: str, template: str, operation: ops.Operation, **options: Any) -> None:
    router.add(method, template, Endpoint(operation=operation, **options))


# Literal paths first: ``/api/sessions/stats`` is not a session id.
_add("POST", "/api/sessions/create-with-athlete", ops.create_with_athlete, status=201, data="body")
_add("POST", "/api/sessions/link-backend", ops.link_backend_session, data="body")
_add("GET", "/api/sessions/stats", ops.session_stats, data="query")
_add("POST", "/api/sessions", ops.create_session, status=201, data="body")
_add("GET", "/api/sessions", ops.list_sessions, data="query")
_add("GET", "/api/sessions/{sessionId}", ops.get_session)
_add("PUT", "/api/sessions/{sessionId}", ops.update_session, data="body")
_add("DELETE", "/api/sessions/{sessionId}", ops.delete_session)
_add("POST", "/api/invitations", ops.create_invitation, status=201, data="body")
_add("GET", "/api/invitations", ops.list_invitations, data="query")
_add("POST", "/api/invitations/{invitationId}/accept", ops.accept_invitation)
_add("POST", "/api/invitations/{invitationId}/revoke", ops.revoke_invitation)


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


def _respond(status: int, body: Any) -> https_fn.Response:
    return https_fn.Response(json.dumps(body), status=status, content_type="application/json")


def dispatch(request: https_fn.Request) -> https_fn.Response:
    """Route, authenticate, run the operation, and map every error to the JSON error body."""
    try:
        found = router.match(request.method, request.path)
        if found is None:
            raise NotFound(f"No such endpoint: {request.method} {request.path}.")
        route, path = found
        caller = caller_from_authorization(request.headers.get("Authorization"))
        endpoint = route.target
        data = {
            "body": lambda: read_json_body(request),
            "query": lambda: request.args.to_dict(flat=True),
            "none": lambda: None,
        }[endpoint.data]()
        result = endpoint.operation(caller, ops.OperationRequest(data=data, path=path))
        return _respond(endpoint.status, result)
    except SessionbaseError as error:
        return _respond(error.status, error.to_json())
    except Exception:
        log.exception("unhandled error in %s %s", request.method, request.path)
        return _respond(500, {"detail": "Internal error.", "code": "internal"})


@https_fn.on_request(
    cors=options.CorsOptions(
        cors_origins=cors_origins(), cors_methods=["get", "post", "put", "delete"]
    )
)
def api(request: https_fn.Request) -> https_fn.Response:
    """REST entry point for ``/api/**`` (DESIGN.md §4)."""
    return dispatch(request)
