"""The REST API's unauthenticated GETs outside the operation table: health and the OpenAPI document.

``GET /api/health`` tells a load balancer (or an uptime check) whether this instance can serve:
one read of an internal document with a bounded wait, remembered for ``REMEMBER_SECONDS`` so that
frequent probes cost at most one Firestore read per instance per interval; 200 ``ok`` or 503
``unavailable``, and nothing about anyone's data. ``GET /api/openapi.json`` is the document of
``handlers/openapi.py``, built on its first request (docs/decisions.md, "OpenAPI, health and the
yoga shapes").
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Request, Response

from sessionbase.handlers.responses import json_response

# The longest a probe waits for Firestore, and how long its answer is reused by this instance.
CHECK_SECONDS = 2.0
REMEMBER_SECONDS = 10.0
# The document read: internal (_meta, no client access); it need not exist.
HEALTH_DOCUMENT = ("_meta", "health")
NO_STORE = {"Cache-Control": "no-store"}

_last: tuple[float, str] | None = None
_lock = threading.Lock()
_checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")


def _firestore_answers() -> None:
    from sessionbase.store.client import firestore_client

    collection, document = HEALTH_DOCUMENT
    ref = firestore_client().collection(collection).document(document)
    ref.get(retry=None, timeout=CHECK_SECONDS)


def firestore_state(check: Callable[[], None] = _firestore_answers) -> str:
    """``ok`` when Firestore answered a read within ``CHECK_SECONDS`` (remembered for
    ``REMEMBER_SECONDS``), else ``unavailable``."""
    global _last
    with _lock:
        now = time.monotonic()
        if _last is not None and now - _last[0] < REMEMBER_SECONDS:
            return _last[1]
        try:
            _checker.submit(check).result(timeout=CHECK_SECONDS)
            state = "ok"
        except Exception:  # late (TimeoutError) or failed: either way not serving
            state = "unavailable"
        _last = (time.monotonic(), state)
        return state


def health(_: Request) -> Response:
    """``GET /api/health``: 200 when this instance and Firestore answer, else 503."""
    firestore = firestore_state()
    body: dict[str, Any] = {
        "status": firestore,
        "checks": {"firestore": firestore},
        "revision": os.environ.get("K_REVISION"),
    }
    return json_response(200 if firestore == "ok" else 503, body, NO_STORE)


def openapi(_: Request) -> Response:
    """``GET /api/openapi.json``: the OpenAPI 3.1 document of this API."""
    from sessionbase.handlers.openapi import document

    return json_response(200, document(), {"Cache-Control": "public, max-age=300"})


ROUTES: dict[str, Callable[[Request], Response]] = {
    "/api/health": health,
    "/api/openapi.json": openapi,
}
