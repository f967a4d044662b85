"""Callable functions (``httpsCallable``): each returns the same JSON as its REST twin."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from firebase_functions import https_fn

from sessionbase.errors import SessionbaseError
from sessionbase.handlers.auth import caller_from_callable
from sessionbase.models.identity import Caller
from sessionbase.models.sessions import SessionRef
from sessionbase.models.validation import parse
from sessionbase.services import sessions
from sessionbase.store.client import firestore_client

_CODES = {
    "invalid-argument": https_fn.FunctionsErrorCode.INVALID_ARGUMENT,
    "unauthenticated": https_fn.FunctionsErrorCode.UNAUTHENTICATED,
    "permission-denied": https_fn.FunctionsErrorCode.PERMISSION_DENIED,
    "not-found": https_fn.FunctionsErrorCode.NOT_FOUND,
    "already-exists": https_fn.FunctionsErrorCode.ALREADY_EXISTS,
    "failed-precondition": https_fn.FunctionsErrorCode.FAILED_PRECONDITION,
    "resource-exhausted": https_fn.FunctionsErrorCode.RESOURCE_EXHAUSTED,
    "internal": https_fn.FunctionsErrorCode.INTERNAL,
}


def run_callable(req: https_fn.CallableRequest, operation: Callable[[Caller, Any], Any]) -> Any:
    """Authenticate, run ``operation(caller, data)``, map domain errors to HttpsError."""
    try:
        return operation(caller_from_callable(req.auth), req.data)
    except SessionbaseError as error:
        raise https_fn.HttpsError(_CODES[error.code], error.detail, error.to_json()) from None


@https_fn.on_call()
def createSession(req: https_fn.CallableRequest) -> Any:
    """Callable twin of ``POST /api/sessions``."""
    return run_callable(
        req,
        lambda caller, data: sessions.create_session(
            db=firestore_client(), caller=caller, body=data, now=datetime.now(UTC)
        ),
    )


@https_fn.on_call()
def getSession(req: https_fn.CallableRequest) -> Any:
    """Callable twin of ``GET /api/sessions/{id}``; data ``{sessionId}``."""
    return run_callable(
        req,
        lambda caller, data: sessions.get_session(
            db=firestore_client(), caller=caller, session_id=parse(SessionRef, data).sessionId
        ),
    )


@https_fn.on_call()
def listSessions(req: https_fn.CallableRequest) -> Any:
    """Callable twin of ``GET /api/sessions``; data is the query parameters."""
    return run_callable(
        req,
        lambda caller, data: sessions.list_sessions(
            db=firestore_client(), caller=caller, params=data if data is not None else {}
        ),
    )
