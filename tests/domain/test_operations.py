"""The operation table: every entry is well formed, its names resolve, and its service takes
what dispatch passes.

Also: each domain error's HTTP status is the one the Firebase SDK gives its callable code, so
REST and callables report every error the same way.
"""

from __future__ import annotations

import inspect
import typing

import pytest
from firebase_functions import https_fn
from firebase_functions.https_fn import _error_code_map

from sessionbase import errors
from sessionbase.handlers.dispatch import MODELS, SERVICES, Operation, resolve, snake_case
from sessionbase.handlers.operations import OPERATIONS
from sessionbase.models.base import Input, Output
from sessionbase.services.context import Context

ERRORS = [
    cls
    for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.SessionbaseError)
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda cls: cls.__name__)
def test_each_error_status_is_the_sdks_status_for_its_code(error):
    code = https_fn.FunctionsErrorCode(error.code)
    assert _error_code_map[code].status == error.status


def test_names_and_routes_are_unique():
    assert len({op.name for op in OPERATIONS}) == len(OPERATIONS)
    assert len({(op.method, op.path) for op in OPERATIONS}) == len(OPERATIONS)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_every_name_the_entry_gives_resolves(operation: Operation):
    """Services and models are named, imported on first use: a misspelt name fails here, not in
    the first request that runs the operation."""
    assert inspect.isfunction(operation.run)
    if operation.input is None:
        return
    assert all(issubclass(model, Input) for model in operation.input.models)
    if operation.input.choose is not None:
        choose = resolve(MODELS, operation.input.choose)
        returned = typing.get_type_hints(choose)["return"]  # type[A] | type[B]
        chosen = {typing.get_args(option)[0] for option in typing.get_args(returned)}
        assert chosen == set(operation.input.models)


def test_a_misspelt_name_does_not_resolve():
    with pytest.raises(AttributeError):
        resolve(SERVICES, "sessions.get_sesion")
    with pytest.raises(ModuleNotFoundError):
        resolve(MODELS, "sesions.SessionUpdate")


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_the_service_takes_what_dispatch_passes(operation: Operation):
    """``run(ctx, [input], **ids)``: a Context, the validated input if any, ids in snake case."""
    signature = inspect.signature(operation.run)
    hints = typing.get_type_hints(operation.run)
    positional = [p for p in signature.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
    keyword = [p.name for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY]
    assert hints[positional[0].name] is Context
    if operation.input is None:
        assert len(positional) == 1
    else:
        assert len(positional) == 2
        accepted = typing.get_args(hints[positional[1].name]) or (hints[positional[1].name],)
        assert set(accepted) == set(operation.input.models)
    assert keyword == [snake_case(name) for name in operation.path_ids]
    assert issubclass(hints["return"], Output)
    assert operation.summary, "the service needs a docstring: it is the operation's summary"


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_inputs_come_from_where_the_method_puts_them(operation: Operation):
    if operation.input is not None:
        assert operation.input.source == ("query" if operation.method == "GET" else "body")


def test_snake_case():
    assert snake_case("sessionId") == "session_id"
    assert snake_case("invitationId") == "invitation_id"
