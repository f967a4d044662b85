"""Callable functions (``httpsCallable``): each returns the same JSON as its REST twin."""

from __future__ import annotations

import logging
from typing import Any

from firebase_functions import https_fn

from sessionbase.errors import SessionbaseError
from sessionbase.handlers import operations as ops
from sessionbase.handlers.auth import caller_from_callable

log = logging.getLogger(__name__)
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


def _callable(name: str, operation: ops.Operation, *ids: str) -> Any:
    """Declare the callable ``name`` running ``operation``; ``ids`` are taken from its data."""

    def handler(req: https_fn.CallableRequest) -> Any:
        try:
            caller = caller_from_callable(req.auth)
            return operation(caller, ops.from_callable(req.data, *ids))
        except SessionbaseError as error:
            raise https_fn.HttpsError(_CODES[error.code], error.detail, error.to_json()) from None
        except Exception:
            log.exception("unhandled error in callable %s", name)
            body = {"detail": "Internal error.", "code": "internal"}
            raise https_fn.HttpsError(_CODES["internal"], body["detail"], body) from None

    handler.__name__ = handler.__qualname__ = name  # the deployed function id
    handler.__doc__ = f"Callable twin of the REST operation {operation.__name__}."
    return https_fn.on_call()(handler)


createSession = _callable("createSession", ops.create_session)
listSessions = _callable("listSessions", ops.list_sessions)
getSession = _callable("getSession", ops.get_session, "sessionId")
updateSession = _callable("updateSession", ops.update_session, "sessionId")
deleteSession = _callable("deleteSession", ops.delete_session, "sessionId")
getSessionStats = _callable("getSessionStats", ops.session_stats)
createSessionWithAthlete = _callable("createSessionWithAthlete", ops.create_with_athlete)
linkBackendSession = _callable("linkBackendSession", ops.link_backend_session)
createInvitation = _callable("createInvitation", ops.create_invitation)
listInvitations = _callable("listInvitations", ops.list_invitations)
acceptInvitation = _callable("acceptInvitation", ops.accept_invitation, "invitationId")
revokeInvitation = _callable("revokeInvitation", ops.revoke_invitation, "invitationId")
