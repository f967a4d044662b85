"""What an operation is, and running one the same way for REST and for callables."""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from sessionbase.errors import FieldError, Internal, InvalidArgument, SessionbaseError
from sessionbase.models.validation import parse
from sessionbase.services.context import Context
from sessionbase.store.client import firestore_client
from sessionbase.store.storage import default_objects

if TYPE_CHECKING:
    from sessionbase.models.base import Output
    from sessionbase.models.identity import Caller

log = logging.getLogger(__name__)
Method = Literal["GET", "POST", "PUT", "DELETE"]
_PATH_ID = re.compile(r"<(\w+)>")
SERVICES = "sessionbase.services"
MODELS = "sessionbase.models"


@functools.cache
def resolve(package: str, name: str) -> Any:
    """``name`` (``"module.attribute"``) in ``package``, imported on first use, then cached.

    The operation table names its services and models this way, so that an instance imports
    only what its requests run, not every service and model (cold start).
    """
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(f"{package}.{module}"), attribute)


class Auth(StrEnum):
    """How an operation's caller is established."""

    USER = "user"  # a Firebase ID token: Bearer header (REST) or the SDK's callable auth


@dataclass(frozen=True, kw_only=True)
class Input:
    """Where an operation's input comes from and which model validates it.

    Models are named in ``sessionbase.models`` (``"sessions.SessionUpdate"``); ``models`` imports
    them.
    """

    source: Literal["body", "query"]
    model_names: tuple[str, ...]
    # For an operation with several bodies: the function (in sessionbase.models) that says which
    # model a given body is meant for.
    choose: str | None = None

    @property
    def models(self) -> tuple[type[BaseModel], ...]:
        """The input models, in the order the entry names them."""
        return tuple(resolve(MODELS, name) for name in self.model_names)

    def parse(self, data: Any) -> BaseModel:
        """The validated input; every bad field is reported at once."""
        model: type[BaseModel] = (
            resolve(MODELS, self.choose)(data) if self.choose else self.models[0]
        )
        return parse(model, data)


def body(*models: str, choose: str | None = None) -> Input:
    """Input from the JSON body (a callable's data): model names in ``sessionbase.models``."""
    return Input(source="body", model_names=models, choose=choose)


def query(model: str) -> Input:
    """Input from the query string (a callable's data): a model name in ``sessionbase.models``."""
    return Input(source="query", model_names=(model,))


@dataclass(frozen=True, kw_only=True)
class Operation:
    """One API operation: its callable name, its REST route, its input, and the service it runs.

    ``service`` names a function in ``sessionbase.services`` (``"sessions.get_session"``); it is
    imported when the operation first runs (``run``), so routing needs only names and paths.
    ``path`` is a werkzeug rule; each ``<id>`` in it is passed to ``run`` as a keyword argument
    in snake case (``<sessionId>`` -> ``session_id``); callables take those ids from their data.
    ``run(ctx, input?, **ids)`` returns an ``Output`` model.
    """

    name: str
    method: Method
    path: str
    service: str
    who: str  # who may call it, for the API reference; domain/policy.py decides
    input: Input | None = None
    status: int = 200
    auth: Auth = Auth.USER

    @property
    def run(self) -> Callable[..., Output]:
        """The service function (imported on first use)."""
        function: Callable[..., Output] = resolve(SERVICES, self.service)
        return function

    @property
    def path_ids(self) -> tuple[str, ...]:
        """The ids the path names, in order (``sessionId``, ``invitationId``)."""
        return tuple(_PATH_ID.findall(self.path))

    @property
    def summary(self) -> str:
        """The first line of the service's docstring."""
        return (inspect.getdoc(self.run) or "").splitlines()[0]


def snake_case(name: str) -> str:
    """``sessionId`` -> ``session_id``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def execute(
    operation: Operation,
    *,
    authenticate: Callable[[], Caller],
    read_input: Callable[[], Any],
    ids: dict[str, str],
    origin: str | None = None,
) -> Any:
    """Authenticate, then read and validate the input, run the service, return its JSON.

    Raises only ``SessionbaseError``: anything else is logged with its stack and becomes
    ``Internal``, whose body says nothing about the cause.
    """
    try:
        caller = authenticate()
        args = [] if operation.input is None else [operation.input.parse(read_input())]
        ctx = Context(
            caller=caller,
            db=firestore_client(),
            now=datetime.now(UTC),
            objects=default_objects(),
            origin=origin,
        )
        kwargs = {snake_case(name): value for name, value in ids.items()}
        return operation.run(ctx, *args, **kwargs).to_json()
    except SessionbaseError:
        raise
    except Exception:
        log.exception("unhandled error in %s", operation.name)
        raise Internal() from None


def ids_from_data(operation: Operation, data: Any) -> tuple[Any, dict[str, str]]:
    """Split a callable's data into the rest (its input) and the ids its REST path would carry."""
    names = operation.path_ids
    if not names:
        return ({} if data is None else data), {}
    if not isinstance(data, dict):
        raise InvalidArgument(
            "The data must be an object.",
            errors=(FieldError(field="data", message="expected an object"),),
        )
    missing = [name for name in names if not isinstance(data.get(name), str) or not data[name]]
    if missing:
        raise InvalidArgument(
            "Name the record: " + ", ".join(missing) + ".",
            errors=tuple(FieldError(field=name, message="field required") for name in missing),
        )
    rest = {k: v for k, v in data.items() if k not in names}
    return rest, {name: data[name] for name in names}
