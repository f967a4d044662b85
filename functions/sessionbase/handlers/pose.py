"""The pose endpoints: one HTTPS function ``pose_api``, deployed from the pose codebase
(``functions_pose/``, firebase.json), which Hosting sends ``/api/poses/**``, ``/api/analyze*``,
``/api/batch-analyze`` and ``/api/enhanced-pose-info`` to (docs/decisions.md, "The pose codebase").

It runs in its own venv (mediapipe needs protobuf < 5), so it imports nothing of the API's
operation table, models or store: its routes are its own. The catalogue answers come from the
domain (``domain.pose.catalogue``) and the photo limits from ``pose_model``, whose module loads no
model (mediapipe is imported inside its functions). Errors map to the API's body (DESIGN.md §4).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from firebase_functions import https_fn
from flask import Request, Response
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound as NoRoute
from werkzeug.routing import Map, Rule

from sessionbase import pose_model, settings
from sessionbase.domain.pose import catalogue
from sessionbase.errors import NotFound, SessionbaseError
from sessionbase.handlers.responses import error_response, json_response

ROUTES = Map(
    [
        Rule("/api/poses", methods=["GET"], endpoint="listPoses"),
        Rule("/api/poses/<pose_name>/info", methods=["GET"], endpoint="getPoseInfo"),
        Rule("/api/enhanced-pose-info", methods=["GET"], endpoint="getPoseModelInfo"),
    ],
    merge_slashes=False,
)
BATCH_MAX = 10  # photos in one POST /api/batch-analyze
LIMITS = catalogue.Limits(
    formats=tuple(f"image/{name.lower()}" for name in pose_model.PHOTO_FORMATS),
    max_bytes=pose_model.MAX_PHOTO_BYTES,
    max_pixels=pose_model.MAX_PHOTO_PIXELS,
    min_side=pose_model.MIN_PHOTO_SIDE,
    batch_max=BATCH_MAX,
)
ENDPOINTS: dict[str, Callable[..., dict[str, Any]]] = {
    "listPoses": lambda: catalogue.poses(),
    "getPoseInfo": lambda pose_name: catalogue.pose_info(pose_name),
    "getPoseModelInfo": lambda: catalogue.enhanced_info(LIMITS),
}
CORS_METHODS = ["GET"]


def dispatch(request: Request) -> Response:
    """Route the request to its endpoint and map every error to the JSON error body."""
    path = request.path.rstrip("/") or "/"
    try:
        endpoint, ids = ROUTES.bind("api").match(path, method=request.method)
        return json_response(200, ENDPOINTS[endpoint](**ids))
    except NoRoute:
        # "pose endpoint": which function answered a rewritten path is then visible to a client.
        detail = f"No such pose endpoint: {request.method} {request.path}."
        return error_response(NotFound(detail))
    except MethodNotAllowed as error:
        allowed = ", ".join(sorted(error.valid_methods or ()))
        body = {
            "detail": f"{request.method} is not allowed on {request.path}; use {allowed}.",
            "code": "invalid-argument",
        }
        return json_response(405, body, {"Allow": allowed})
    except SessionbaseError as error:
        return error_response(error)


@functools.cache
def _with_cors() -> Callable[[Request], Response]:
    """``dispatch`` behind CORS, for the origins configured when the first request arrives."""
    from flask_cors import cross_origin

    decorate: Callable[[Callable[..., Any]], Callable[..., Any]] = cross_origin(
        origins=settings.cors_origins(), methods=CORS_METHODS
    )
    return decorate(dispatch)


@https_fn.on_request()
def pose_api(request: Request) -> Response:
    """Entry point of the pose endpoints (the Hosting rewrites above); public, no token."""
    return _with_cors()(request)
