"""The one domain error hierarchy: each error names its code and HTTP status, once.

``code`` is a value of the SDK's ``https_fn.FunctionsErrorCode`` (the callable transport raises
``HttpsError(FunctionsErrorCode(code), ...)``) and ``status`` is the HTTP status the SDK gives that
code (the REST transport answers with it); a unit test checks the two agree with the SDK.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class FieldError:
    """One bad field of a request: where it is and what is wrong with it."""

    field: str
    message: str


class SessionbaseError(Exception):
    """Base of every error a client may see; ``code`` is the contract's error code."""

    code = "internal"
    status = 500
    retry_after: int | None = None  # seconds a client should wait before retrying (REST header)

    def __init__(self, detail: str, *, errors: tuple[FieldError, ...] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors

    def to_json(self) -> dict[str, Any]:
        """The error body of DESIGN.md §4: ``detail``, ``code`` and, for bad input, ``errors``."""
        body: dict[str, Any] = {"detail": self.detail, "code": self.code}
        if self.errors:
            body["errors"] = [{"field": e.field, "message": e.message} for e in self.errors]
        return body


class InvalidArgument(SessionbaseError):
    """The request is malformed or a field is invalid."""

    code = "invalid-argument"
    status = 400


class Unauthenticated(SessionbaseError):
    """No valid ID token."""

    code = "unauthenticated"
    status = 401


class PermissionDenied(SessionbaseError):
    """The caller is known but may not do this (never used to hide existence: see NotFound)."""

    code = "permission-denied"
    status = 403


class NotFound(SessionbaseError):
    """The thing does not exist, or the caller may not know that it does."""

    code = "not-found"
    status = 404


class AlreadyExists(SessionbaseError):
    """A create collided with an existing record."""

    code = "already-exists"
    status = 409


class FailedPrecondition(SessionbaseError):
    """The request is valid but the record's state does not allow it."""

    code = "failed-precondition"
    status = 400


class Aborted(SessionbaseError):
    """Concurrent changes kept winning; retry (REST: after the `Retry-After` seconds)."""

    code = "aborted"
    status = 409
    retry_after = 1


class ResourceExhausted(SessionbaseError):
    """A quota or rate limit was hit."""

    code = "resource-exhausted"
    status = 429

    def __init__(self, detail: str, *, retry_after: int | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class Unavailable(SessionbaseError):
    """A backend service failed for a while (Firestore, Storage); nothing we know of is wrong
    with the request: retry it (REST: after the ``Retry-After`` seconds). Whether a change was
    applied is unknown, so a client retries what is safe to repeat: reads, PUT and DELETE, and
    creates that carry an idempotency key."""

    code = "unavailable"
    status = 503
    retry_after = 1

    def __init__(self) -> None:
        super().__init__("The service is briefly unavailable; retry.")


class Internal(SessionbaseError):
    """A bug: its details are logged, never sent (the body is always the same)."""

    def __init__(self) -> None:
        super().__init__("Internal error.")


def invalid_fields(errors: list[FieldError] | tuple[FieldError, ...]) -> InvalidArgument:
    """An InvalidArgument whose sentence names every bad field."""
    names = ", ".join(dict.fromkeys(e.field for e in errors))
    return InvalidArgument(f"Invalid request: check {names}.", errors=tuple(errors))
