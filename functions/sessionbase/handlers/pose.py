"""The pose endpoints: one HTTPS function ``pose_api``, deployed from the pose codebase
(``functions_pose/``, firebase.json), which Hosting sends ``/api/poses/**``, ``/api/analyze*``,
``/api/batch-analyze`` and ``/api/enhanced-pose-info`` to (docs/decisions.md, "The pose codebase").

It runs in its own venv (mediapipe needs protobuf < 5), so it imports nothing of the API's
operation table, models or store: its routes are its own. The catalogue answers come from the
domain (``domain.pose.catalogue``) and the photo limits from ``pose_model``, whose module loads no
model (mediapipe is imported inside its functions). Errors map to the API's body (DESIGN.md §4).

The photo endpoints (``POST /api/analyze/<pose_name>``, ``/api/analyze-pose``,
``/api/batch-analyze``) take ``multipart/form-data`` and are for signed-in callers: the ID token
is verified as the API does (``handlers.auth``, which imports no pydantic). In that order: the
caller (401), the pose name (404 naming the supported ones, before the body is read), then the
body, read with a byte cap (``MAX_BODY_BYTES``). They write nothing anywhere.

- ``analyze``: exactly one field ``file`` (JPEG, PNG or WebP) and nothing else; the answer is
  ``yoga.assess`` as ``{pose_name, accuracy, feedback, improvements, angles, landmarks}``
  (``landmarks``: the 33 points ``{x, y, visibility}``, normalised to the upright photo).
- ``analyze-pose``: the same photo, the pose recognised (``yoga.recognise``): the best pose with
  its assessment, or ``pose_name: null`` and ``accuracy: null`` when none reaches
  ``yoga.RECOGNISED`` or too little of the person is seen to score any (the feedback says
  which; the angles seen and the landmarks are still given). ``analyze`` of a named pose refuses
  such a photo instead (400 naming ``file``): an accuracy from a few joints would overstate.
- ``batch-analyze``: ``file`` one to ``BATCH_MAX`` times; ``pose_name`` absent (each photo's pose
  is recognised), once (that pose for every photo) or once per file (in the same order). The
  answer is ``{results: [...]}`` in the files' order, each with ``file`` (its index) and either
  the analysis or ``error``, the error body a single analyze would have answered: a bad photo
  does not sink the others. A wrong request (no files, too many, an unknown pose) is refused whole.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from firebase_functions import https_fn, options
from flask import Request, Response
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound as NoRoute
from werkzeug.formparser import FormDataParser
from werkzeug.routing import Map, Rule

from sessionbase import pose_model, settings
from sessionbase.domain.pose import catalogue, yoga
from sessionbase.domain.pose.landmarks import Frame
from sessionbase.errors import (
    FieldError,
    Internal,
    InvalidArgument,
    NotFound,
    SessionbaseError,
)
from sessionbase.handlers.auth import caller_from_request
from sessionbase.handlers.responses import error_response, json_response, method_not_allowed

log = logging.getLogger(__name__)

ROUTES = Map(
    [
        Rule("/api/poses", methods=["GET"], endpoint="listPoses"),
        Rule("/api/poses/<pose_name>/info", methods=["GET"], endpoint="getPoseInfo"),
        Rule("/api/enhanced-pose-info", methods=["GET"], endpoint="getPoseModelInfo"),
        Rule("/api/analyze/<pose_name>", methods=["POST"], endpoint="analyzePose"),
        Rule("/api/analyze-pose", methods=["POST"], endpoint="recognisePose"),
        Rule("/api/batch-analyze", methods=["POST"], endpoint="batchAnalyze"),
    ],
    merge_slashes=False,
)
BATCH_MAX = 10  # photos in one POST /api/batch-analyze
# A request body is read up to this many bytes, then refused: one photo and its multipart framing;
# a batch is bounded by Cloud Run's own 32 MiB request limit, not BATCH_MAX × one photo.
FRAMING_BYTES = 64 * 1024
MAX_BODY_BYTES = pose_model.MAX_PHOTO_BYTES + FRAMING_BYTES
MAX_BATCH_BODY_BYTES = 32 * 1024 * 1024
FIELD = pose_model.FIELD
POSE_FIELD = "pose_name"
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
CORS_METHODS = ["GET", "POST"]


def dispatch(request: Request) -> Response:
    """Route the request to its endpoint and map every error to the JSON error body."""
    path = request.path.rstrip("/") or "/"
    try:
        endpoint, ids = ROUTES.bind("api").match(path, method=request.method)
        if endpoint in PHOTO_ENDPOINTS:
            return json_response(200, _photo_endpoint(request, endpoint, ids))
        return json_response(200, ENDPOINTS[endpoint](**ids))
    except NoRoute:
        # "pose endpoint": which function answered a rewritten path is then visible to a client.
        detail = f"No such pose endpoint: {request.method} {request.path}."
        return error_response(NotFound(detail))
    except MethodNotAllowed as error:
        return method_not_allowed(request.method, request.path, error.valid_methods)
    except SessionbaseError as error:
        return error_response(error)
    except Exception:
        log.exception("unhandled error in pose_api: %s %s", request.method, request.path)
        return error_response(Internal())


# --- the photo endpoints --------------------------------------------------------------------


def _photo_endpoint(request: Request, endpoint: str, ids: Mapping[str, Any]) -> dict[str, Any]:
    """A photo endpoint for a signed-in caller (who they are is not kept), within the rate
    limit ``poses``: each photo analysed counts one."""
    from sessionbase.services import limits
    from sessionbase.store.client import firestore_client
    from sessionbase.store.work import Store

    caller, now = caller_from_request(request), datetime.now(UTC)
    store = Store(firestore_client())  # writes only the (unaudited) rate-limit counter
    limits.check(store, caller.uid, "poses", now)
    answer = PHOTO_ENDPOINTS[endpoint](request, **ids)
    limits.spend(store, caller.uid, "poses", now, cost=max(1, len(answer.get("results", ()))))
    return answer


def analyze(request: Request, pose_name: str) -> dict[str, Any]:
    """``POST /api/analyze/<pose_name>``: one photo scored against that pose."""
    pose = yoga.supported(pose_name)
    (photo,), _ = _photos(request, MAX_BODY_BYTES, most=1)
    return _assessed(pose, _frame(photo))


def recognise(request: Request) -> dict[str, Any]:
    """``POST /api/analyze-pose``: the supported pose one photo matches best, if any."""
    (photo,), _ = _photos(request, MAX_BODY_BYTES, most=1)
    return _recognised(_frame(photo))


def batch(request: Request) -> dict[str, Any]:
    """``POST /api/batch-analyze``: up to ``BATCH_MAX`` photos, one answer each (module doc)."""
    photos, names = _photos(request, MAX_BATCH_BODY_BYTES, most=BATCH_MAX)
    if len(names) not in (0, 1, len(photos)):
        problem = f"give it once for every photo, once per photo ({len(photos)}), or not at all"
        raise _refused(POSE_FIELD, f"{len(names)} values of {POSE_FIELD}: {problem}.")
    poses = [yoga.supported(name) for name in names]  # an unknown pose: 404, nothing run
    chosen: list[yoga.Pose | None] = (
        list(poses) if len(poses) == len(photos) else [poses[0] if poses else None] * len(photos)
    )
    results: list[dict[str, Any]] = []
    for index, (photo, pose) in enumerate(zip(photos, chosen, strict=True)):
        try:
            frame = _frame(photo)
            answer = _recognised(frame) if pose is None else _assessed(pose, frame)
            results.append({"file": index, **answer})
        except SessionbaseError as error:
            results.append({"file": index, "error": error.to_json()})
    return {"results": results}


PHOTO_ENDPOINTS: dict[str, Callable[..., dict[str, Any]]] = {
    "analyzePose": analyze,
    "recognisePose": recognise,
    "batchAnalyze": batch,
}


def _photos(request: Request, cap: int, *, most: int) -> tuple[list[bytes], list[str]]:
    """The bytes of the ``file`` parts (1 to ``most``) and the ``pose_name`` values, the body
    read at most ``cap`` bytes; any other field, a part that is not an image, or no file:
    refused naming the field."""
    form, files = _form(request, cap)
    others = sorted(set(files) - {FIELD}) + sorted(set(form) - {POSE_FIELD})
    if others:
        raise _refused(others[0], f"Unexpected field {others[0]!r}: send the photo as 'file'.")
    parts = files.getlist(FIELD)
    if not parts:
        raise _refused(FIELD, "No photo: send it as a file in the field 'file'.")
    if len(parts) > most:
        raise _refused(FIELD, f"{len(parts)} photos sent; at most {most} in one request.")
    return [_read(part) for part in parts], form.getlist(POSE_FIELD)


def _form(request: Request, cap: int) -> tuple[MultiDict[str, str], MultiDict[str, FileStorage]]:
    """The multipart body's fields and files, parsed from at most ``cap`` bytes.

    The body is read here, a chunk at a time up to one byte past the cap (a chunked body
    declares no length), not by Flask with a ``max_content_length``: the Functions framework
    drains the body after the response, and a request-level cap makes that drain fail (500).
    """
    if request.mimetype != "multipart/form-data":
        raise _refused(FIELD, "Send the photo as multipart/form-data in the field 'file'.")
    too_large = _refused(FIELD, f"The request is larger than {cap // (1024 * 1024)} MB.")
    if request.content_length is not None and request.content_length > cap:
        raise too_large  # refused unread
    chunks, size = [], 0
    while size <= cap:
        chunk = request.stream.read(min(1024 * 1024, cap + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > cap:
        raise too_large
    body = b"".join(chunks)
    parser = FormDataParser(max_form_memory_size=FRAMING_BYTES)
    _, form, files = parser.parse(
        io.BytesIO(body), request.mimetype, len(body), request.mimetype_params
    )
    return form, files


def _read(part: FileStorage) -> bytes:
    """One part's bytes, if it is labelled as one of the photo formats (or not labelled)."""
    kind = part.mimetype
    if kind and kind != "application/octet-stream" and kind not in LIMITS.formats:
        raise _refused(FIELD, f"The file is {kind}; send a {pose_model.PHOTO_FORMATS_NAMED} photo.")
    return bytes(part.stream.read())


def _frame(photo: bytes) -> Frame:
    """The model's landmarks for the photo; refused (naming ``file``) when nobody is found."""
    return pose_model.photo_frame(photo).require()


def _assessed(pose: yoga.Pose, frame: Frame) -> dict[str, Any]:
    try:
        return _answer(yoga.assess(pose, frame), frame)
    except yoga.BodyNotVisible as error:
        raise _not_visible(error) from None


def _recognised(frame: Frame) -> dict[str, Any]:
    try:
        found = yoga.recognise(frame)
        why = f"none reached {yoga.RECOGNISED:.0f}% accuracy"
    except yoga.BodyNotVisible:  # a person, but too little of them to score any pose
        found = None
        why = "too little of the body is seen to score any of them"
    if found is not None:
        return _answer(found, frame)
    return {
        "pose_name": None,
        "accuracy": None,
        "feedback": [f"No supported pose recognised: {why}."],
        "improvements": [],
        "angles": {name: round(angle, 1) for name, angle in yoga.measure(frame).items()},
        "landmarks": _landmarks(frame),
    }


def _answer(assessment: yoga.Assessment, frame: Frame) -> dict[str, Any]:
    """The assessment in the shape the yoga session body accepts, with angles and landmarks."""
    return {
        "pose_name": assessment.pose,
        "accuracy": assessment.accuracy,
        "feedback": list(assessment.feedback),
        "improvements": list(assessment.improvements),
        "angles": assessment.angles,
        "landmarks": _landmarks(frame),
    }


def _landmarks(frame: Frame) -> list[dict[str, float]]:
    return [
        {"x": round(p.x, 4), "y": round(p.y, 4), "visibility": round(p.visibility, 3)}
        for p in frame.points
    ]


def _not_visible(error: yoga.BodyNotVisible) -> InvalidArgument:
    """Too little of the body in the photo: the photo's fault, so the error names ``file``."""
    detail = error.detail
    return _refused(FIELD, f"In the photo, {detail}.")


def _refused(field: str, message: str) -> InvalidArgument:
    return InvalidArgument(message, errors=(FieldError(field=field, message=message),))


@functools.cache
def _with_cors() -> Callable[[Request], Response]:
    """``dispatch`` behind CORS, for the origins configured when the first request arrives."""
    from flask_cors import cross_origin

    decorate: Callable[[Callable[..., Any]], Callable[..., Any]] = cross_origin(
        origins=settings.cors_origins(), methods=CORS_METHODS
    )
    return decorate(dispatch)


@https_fn.on_request(
    # Measured (docs/decisions.md, "The pose codebase"): 30 calls on 1280x720 photos peaked at
    # 276 MB, one 24 MP PNG at 427 MB; 1 GB also buys a larger CPU share for the model.
    memory=options.MemoryOption.GB_1,
    timeout_sec=60,  # a batch of 10 photos at the size limit takes seconds, not minutes
)
def pose_api(request: Request) -> Response:
    """Entry point of the pose endpoints (the Hosting rewrites above): the catalogue is public;
    the photo endpoints need a Firebase ID token."""
    return _with_cors()(request)
