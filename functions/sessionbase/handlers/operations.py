"""Every API operation once, as ``operation(caller, request) -> JSON``: REST and callables share it.

A request carries the ids a REST path names (``path``) and the body or query (``data``). Callables
pass the ids inside their data, so ``from_callable`` splits them out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sessionbase.errors import FieldError, InvalidArgument
from sessionbase.models.identity import Caller
from sessionbase.services import invitations, sessions
from sessionbase.store.client import firestore_client


@dataclass(frozen=True, kw_only=True)
class OperationRequest:
    """The transport-neutral input of an operation."""

    data: Any = None
    path: dict[str, str] = field(default_factory=dict)


Operation = Callable[[Caller, OperationRequest], Any]


def from_callable(data: Any, *ids: str) -> OperationRequest:
    """Split ``ids`` (e.g. ``sessionId``) out of a callable's data; the rest is the body."""
    if not ids:
        return OperationRequest(data={} if data is None else data)
    if not isinstance(data, dict):
        raise InvalidArgument(
            "The data must be an object.",
            errors=(FieldError(field="data", message="expected an object"),),
        )
    missing = [name for name in ids if not isinstance(data.get(name), str) or not data[name]]
    if missing:
        raise InvalidArgument(
            "Name the record: " + ", ".join(missing) + ".",
            errors=tuple(FieldError(field=name, message="field required") for name in missing),
        )
    rest = {k: v for k, v in data.items() if k not in ids}
    return OperationRequest(data=rest, path={name: data[name] for name in ids})


def _now() -> datetime:
    return datetime.now(UTC)


def _bucket_name() -> str:
    from sessionbase.store.storage import bucket_name

    return bucket_name()


def create_session(caller: Caller, req: OperationRequest) -> dict:
    """``POST /api/sessions`` / ``createSession``."""
    return sessions.create_session(db=firestore_client(), caller=caller, body=req.data, now=_now())


def list_sessions(caller: Caller, req: OperationRequest) -> dict:
    """``GET /api/sessions`` / ``listSessions``."""
    return sessions.list_sessions(db=firestore_client(), caller=caller, params=req.data)


def get_session(caller: Caller, req: OperationRequest) -> dict:
    """``GET /api/sessions/{id}`` / ``getSession``."""
    return sessions.get_session(
        db=firestore_client(), caller=caller, session_id=req.path["sessionId"]
    )


def update_session(caller: Caller, req: OperationRequest) -> dict:
    """``PUT /api/sessions/{id}`` / ``updateSession``."""
    return sessions.update_session(
        db=firestore_client(),
        caller=caller,
        session_id=req.path["sessionId"],
        body=req.data,
        now=_now(),
    )


def delete_session(caller: Caller, req: OperationRequest) -> dict:
    """``DELETE /api/sessions/{id}`` / ``deleteSession``."""
    from sessionbase.store.storage import default_bucket

    return sessions.delete_session(
        db=firestore_client(),
        caller=caller,
        session_id=req.path["sessionId"],
        bucket=default_bucket(),
    )


def session_stats(caller: Caller, req: OperationRequest) -> dict:
    """``GET /api/sessions/stats`` / ``getSessionStats``."""
    return sessions.session_stats(db=firestore_client(), caller=caller, params=req.data)


def create_with_athlete(caller: Caller, req: OperationRequest) -> dict:
    """``POST /api/sessions/create-with-athlete`` / ``createSessionWithAthlete``."""
    return sessions.create_with_athlete(
        db=firestore_client(), caller=caller, body=req.data, now=_now(), bucket=_bucket_name()
    )


def link_backend_session(caller: Caller, req: OperationRequest) -> dict:
    """``POST /api/sessions/link-backend`` / ``linkBackendSession``."""
    return sessions.link_backend_session(
        db=firestore_client(), caller=caller, body=req.data, now=_now()
    )


def create_invitation(caller: Caller, req: OperationRequest) -> dict:
    """``POST /api/invitations`` / ``createInvitation``."""
    return invitations.invite(db=firestore_client(), caller=caller, body=req.data, now=_now())


def list_invitations(caller: Caller, req: OperationRequest) -> dict:
    """``GET /api/invitations`` / ``listInvitations``."""
    return invitations.list_mine(db=firestore_client(), caller=caller, now=_now())


def accept_invitation(caller: Caller, req: OperationRequest) -> dict:
    """``POST /api/invitations/{id}/accept`` / ``acceptInvitation``."""
    return invitations.accept(
        db=firestore_client(), caller=caller, invitation_id=req.path["invitationId"], now=_now()
    )


def revoke_invitation(caller: Caller, req: OperationRequest) -> dict:
    """``POST /api/invitations/{id}/revoke`` / ``revokeInvitation``."""
    return invitations.revoke(
        db=firestore_client(), caller=caller, invitation_id=req.path["invitationId"], now=_now()
    )
