"""What an operation is, and running one the same way for REST and for callables."""

from __future__ import annotations

import inspect
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Concatenate, Generic, Literal, ParamSpec, TypeVar, overload

from pydantic import BaseModel

from sessionbase.errors import (
    FieldError,
    Internal,
    InvalidArgument,
    SessionbaseError,
    Unavailable,
    invalid_fields,
)
from sessionbase.handlers import logs
from sessionbase.models.validation import parse
from sessionbase.services.context import Context
from sessionbase.store.audit import Scope
from sessionbase.store.client import firestore_client
from sessionbase.store.storage import default_objects
from sessionbase.store.work import Store

if TYPE_CHECKING:
    from sessionbase.handlers.auth import SignIn
    from sessionbase.models.base import Output

log = logging.getLogger(__name__)
Method = Literal["GET", "POST", "PUT", "DELETE"]
_PATH_ID = re.compile(r"<(\w+)>")

Ids = ParamSpec("Ids")  # the keyword ids a path carries, as its services take them
In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound="Output")


@dataclass(frozen=True)
class Path(Generic[Ids]):
    """A REST path (a werkzeug rule) and the keyword ids its services take.

    ``ids`` is a signature, not a function to call: ``def session_ids(*, session_id: str)`` says
    that a service of ``/api/sessions/<sessionId>`` takes ``session_id``, and mypy holds every
    service of the path to it. tests/unit/handlers/test_operations.py checks that the names are
    the template's, in snake case.
    """

    template: str
    ids: Callable[Ids, None]

    @property
    def names(self) -> tuple[str, ...]:
        """The ids the template names, in order (``sessionId``, ``noteId``)."""
        return tuple(_PATH_ID.findall(self.template))


@dataclass(frozen=True, kw_only=True)
class Input(Generic[In]):
    """Where an operation's input comes from and which model validates it.

    The models are given as functions returning them (``lambda: models.sessions.SessionUpdate``),
    so that they are imported when the operation first runs, not when the table is (cold start).
    """

    source: Literal["body", "query"]
    candidates: Callable[[], tuple[type[BaseModel], ...]]
    # Which of the candidates a given body is meant for (the first, for a single model).
    choose: Callable[[], Callable[[Any], type[In]]]

    @property
    def models(self) -> tuple[type[BaseModel], ...]:
        """The input models, in the order the entry names them."""
        return self.candidates()

    def parse(self, data: Any) -> In:
        """The validated input; every bad field is reported at once."""
        return parse(self.choose()(data), data)


def body(model: Callable[[], type[In]]) -> Input[In]:
    """Input from the JSON body (a callable's data), validated by ``model()``."""
    return Input(source="body", candidates=lambda: (model(),), choose=lambda: lambda _: model())


def bodies(
    models: Callable[[], tuple[type[BaseModel], ...]],
    *,
    choose: Callable[[], Callable[[Any], type[In]]],
) -> Input[In]:
    """Input from the JSON body, one of several ``models``; ``choose`` says which one a body is."""
    return Input(source="body", candidates=models, choose=choose)


def query(model: Callable[[], type[In]]) -> Input[In]:
    """Input from the query string (a callable's data), validated by ``model()``."""
    return Input(source="query", candidates=lambda: (model(),), choose=lambda: lambda _: model())


@dataclass(frozen=True, kw_only=True)
class Operation(Generic[Out]):
    """One API operation: its callable name, its REST route, its input, and the service it runs.

    Made by ``operation()``, which types the entry: the service takes a ``Context``, the input
    model (if any) and the path's ids, and returns an ``Output``. ``service`` returns the service
    function (``lambda: services.sessions.get_session``), imported when the operation first runs
    (``run``), so routing needs only names and paths. ``path`` is a werkzeug rule; each ``<id>``
    in it is passed to ``run`` as a keyword argument in snake case; callables take those ids
    from their data.
    """

    name: str
    method: Method
    path: str
    path_ids: tuple[str, ...]
    service: Callable[[], Callable[..., Out]]
    who: str  # who may call it, for the API reference; domain/policy.py decides
    input: Input[Any] | None = None
    status: int = 200
    # Takes an idempotency key (REST ``Idempotency-Key``, callable ``requestId``): a create, or
    # another operation that would write twice if sent twice (docs/decisions.md).
    keyed: bool = False
    # The rate limit its uses count against (``domain/limits.py``), if any.
    limit: str | None = None

    @property
    def run(self) -> Callable[..., Out]:
        """The service function (imported on first use)."""
        return self.service()

    @property
    def summary(self) -> str:
        """The first line of the service's docstring."""
        return (inspect.getdoc(self.run) or "").splitlines()[0]


@overload
def operation(
    *,
    name: str,
    method: Method,
    path: Path[Ids],
    input: Input[In],
    service: Callable[[], Callable[Concatenate[Context, In, Ids], Out]],
    who: str,
    status: int = 200,
    keyed: bool | None = None,
    limit: str | None = None,
) -> Operation[Out]: ...


@overload
def operation(
    *,
    name: str,
    method: Method,
    path: Path[Ids],
    input: None = None,
    service: Callable[[], Callable[Concatenate[Context, Ids], Out]],
    who: str,
    status: int = 200,
    keyed: bool | None = None,
    limit: str | None = None,
) -> Operation[Out]: ...


def operation(
    *,
    name: str,
    method: Method,
    path: Path[Any],
    input: Input[Any] | None = None,
    service: Callable[[], Callable[..., Out]],
    who: str,
    status: int = 200,
    keyed: bool | None = None,
    limit: str | None = None,
) -> Operation[Out]:
    """An entry of the operation table; mypy checks that ``service`` fits the path and input.

    ``keyed`` (default: a create, status 201) says that the operation takes an idempotency key;
    ``limit`` names the rate limit its uses count against (``domain/limits.py``).
    """
    return Operation(
        name=name,
        method=method,
        path=path.template,
        path_ids=path.names,
        service=service,
        who=who,
        input=input,
        status=status,
        keyed=status == 201 if keyed is None else keyed,
        limit=limit,
    )


def snake_case(name: str) -> str:
    """``sessionId`` -> ``session_id``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class RetryKey:
    """An idempotency key as a transport received it: the value (None: none was sent) and the
    name it came under (``Idempotency-Key``, ``requestId``), which its errors name."""

    value: Any
    field: str


@dataclass(frozen=True)
class Answer:
    """An operation's answer: the status and JSON body, and whether it repeats a first answer."""

    status: int
    body: Any
    replayed: bool = False


def execute(
    operation: Operation[Any],
    *,
    authenticate: Callable[[], SignIn],
    read_input: Callable[[], Any],
    ids: dict[str, str],
    origin: str | None = None,
    key: RetryKey | None = None,
    trace: str | None = None,
    transport: str = "rest",
) -> Answer:
    """Authenticate, then read and validate the input, run the service, answer its JSON.

    With a ``key`` on a keyed operation, the request runs once: a repeat within a day answers
    the first answer and writes nothing (``services/idempotency.py``). Its writes are audited
    as the operation, by the caller (``store/audit.py``; ``trace``: the platform's trace id),
    and it prints one log line (``handlers/logs.py``). Raises only ``SessionbaseError``:
    anything else is logged with its stack and becomes ``Internal``, whose body says nothing
    about it.
    """
    started, seen = time.perf_counter(), logs.Seen()

    def line(status: int, outcome: str) -> None:
        seconds = time.perf_counter() - started
        logs.request(
            operation=operation.name,
            transport=transport,
            seen=seen,
            status=status,
            outcome=outcome,
            seconds=seconds,
            trace=trace,
        )

    try:
        answer = _execute(operation, authenticate, read_input, ids, origin, key, trace, seen)
    except SessionbaseError as error:
        line(error.status, error.code)
        raise
    line(answer.status, "replayed" if answer.replayed else "ok")
    return answer


def _execute(
    operation: Operation[Any],
    authenticate: Callable[[], SignIn],
    read_input: Callable[[], Any],
    ids: dict[str, str],
    origin: str | None,
    key: RetryKey | None,
    trace: str | None,
    seen: logs.Seen,
) -> Answer:
    """``execute``'s work; ``seen`` learns the caller and the request id as they are known."""
    from sessionbase.store.standing import RoleChanged

    try:
        sign_in = authenticate()
        seen.uid, seen.role = sign_in.caller.uid, str(sign_in.caller.role)
        try:
            args, key_value, data = _parsed(operation, read_input, key)
        except SessionbaseError:
            sign_in.checked()  # a caller whose sign-in no longer counts learns nothing: 401
            raise
        request = _Request(operation, args, ids, data, origin, key, key_value, trace)
        try:
            return _attempt(request, sign_in, seen)
        except RoleChanged as changed:
            # The token's role is not the one recorded (changed since it was issued); nothing
            # was written or answered: run again as the recorded role, once.
            return _attempt(request, sign_in.as_role(changed.role), seen)
    except SessionbaseError:
        raise
    except Exception as error:
        if transient(error):
            log.warning("%s: a backend service failed: %r", operation.name, error)
            raise Unavailable() from None
        log.exception("unhandled error in %s", operation.name)
        raise Internal() from None


@dataclass(frozen=True)
class _Request:
    """One request to an operation, its input read and valid."""

    operation: Operation[Any]
    args: list[Any]
    ids: dict[str, str]
    data: Any
    origin: str | None
    key: RetryKey | None
    key_value: str | None
    trace: str | None


def _parsed(
    operation: Operation[Any], read_input: Callable[[], Any], key: RetryKey | None
) -> tuple[list[Any], str | None, Any]:
    """The operation's input, read and valid, and the retry key's value (each bad field named,
    the key's too)."""
    key_value: str | None = None
    key_errors: list[FieldError] = []
    if operation.keyed and key is not None:
        # Loaded by keyed requests only (cold start: no service before a request runs one).
        from sessionbase.services import idempotency

        key_value, key_errors = idempotency.checked_key(key.value, key.field)
    data = None if operation.input is None else read_input()
    try:
        args = [] if operation.input is None else [operation.input.parse(data)]
    except InvalidArgument as error:
        if key_errors and error.errors:
            raise invalid_fields([*key_errors, *error.errors]) from None
        raise
    if key_errors:
        raise invalid_fields(key_errors)
    return args, key_value, data


def _attempt(request: _Request, sign_in: SignIn, seen: logs.Seen) -> Answer:
    """Run the operation for this caller; the caller's standing is checked with its first read
    and at the latest before it answers (``store/standing.py``)."""
    operation, caller = request.operation, sign_in.caller
    seen.uid, seen.role = caller.uid, str(caller.role)
    now = datetime.now(UTC)
    scope = Scope.request(operation.name, caller, now, request.trace)
    seen.request_id = scope.entry_id if scope is not None else None
    ctx = Context(
        caller=caller,
        store=Store(firestore_client(), audit=scope, gate=sign_in.gate),
        now=now,
        objects=default_objects(),
        origin=request.origin,
    )
    try:
        return _run(request, ctx)
    except SessionbaseError:
        # An answer decided on the token's role before any read (or a failure): the caller's
        # standing decides first (401, or the operation again as their recorded role).
        ctx.store.settle()
        raise


def _run(request: _Request, ctx: Context) -> Answer:
    operation, caller, now = request.operation, ctx.caller, ctx.now
    kwargs = {snake_case(name): value for name, value in request.ids.items()}
    if operation.limit is not None:
        from sessionbase.services import limits

        limits.check(ctx.store, caller.uid, operation.limit, now)

    def run() -> Any:
        answer = operation.run(ctx, *request.args, **kwargs).to_json()
        if operation.limit is not None:  # counted once it succeeded (a replay runs nothing)
            limits.spend(ctx.store, caller.uid, operation.limit, now)
        ctx.store.settle()  # whatever it read, nothing is answered before the check
        return answer

    if request.key is None or request.key_value is None:
        return Answer(operation.status, run())
    from sessionbase.services import idempotency

    fingerprint = idempotency.fingerprint(request.ids, request.data)
    status, body, replayed = idempotency.once(
        ctx,
        operation=operation.name,
        status=operation.status,
        field=request.key.field,
        key=request.key_value,
        request=fingerprint,
        run=run,
    )
    ctx.store.settle()  # a replayed answer too
    return Answer(status, body, replayed)


def trace_of(headers: Any) -> str | None:
    """The trace id a request carries (Cloud Run's ``X-Cloud-Trace-Context``, W3C's
    ``traceparent``), or None; kept in the audit entry beside our own request id."""
    cloud = headers.get("X-Cloud-Trace-Context") or ""
    if cloud:
        return str(cloud).split("/", 1)[0][:64] or None
    parent = str(headers.get("traceparent") or "").split("-")
    return parent[1][:64] if len(parent) == 4 and parent[1] else None


def transient(error: Exception) -> bool:
    """Whether a Google API error says the service failed for a while (a call cancelled or timed
    out, the service unavailable, a retry budget spent), not that the request or code is wrong."""
    from google.api_core import exceptions

    passing = (
        exceptions.Cancelled,
        exceptions.ServiceUnavailable,
        exceptions.DeadlineExceeded,
        exceptions.RetryError,
    )
    return isinstance(error, passing)


def ids_from_data(operation: Operation[Any], data: Any) -> tuple[Any, dict[str, str]]:
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
