"""Callable functions (``httpsCallable``), one per operation, each returning its REST twin's JSON.

Ids a REST path carries (``sessionId``, ``invitationId``) come inside the callable's data.
"""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from sessionbase.errors import SessionbaseError
from sessionbase.handlers.auth import caller_from_callable
from sessionbase.handlers.dispatch import Operation, execute, ids_from_data
from sessionbase.handlers.operations import OPERATIONS


def _callable(operation: Operation[Any]) -> Any:
    """The callable function of ``operation``, deployed under ``operation.name``."""

    def handler(req: https_fn.CallableRequest[Any]) -> Any:
        try:
            caller = caller_from_callable(req.auth)
            data, ids = ids_from_data(operation, req.data)
            return execute(
                operation,
                authenticate=lambda: caller,
                read_input=lambda: data,
                ids=ids,
                origin=req.raw_request.headers.get("Origin"),
            )
        except SessionbaseError as error:
            code = https_fn.FunctionsErrorCode(error.code)
            raise https_fn.HttpsError(code, error.detail, error.to_json()) from None

    handler.__name__ = handler.__qualname__ = operation.name  # the deployed function id
    # Not summarised: the summary would import the service (handlers/operations.py).
    handler.__doc__ = f"Callable twin of {operation.method} {operation.path}."
    return https_fn.on_call()(handler)


CALLABLES: dict[str, Any] = {op.name: _callable(op) for op in OPERATIONS}
