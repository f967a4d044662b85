"""handlers/operations.py, the operation table: every entry is well formed, its references resolve,
and its service takes what dispatch passes (mypy checks the same statically: handlers/dispatch.py,
``operation``); an instance imports a service and its models only when its operation runs.
"""

from __future__ import annotations

import inspect
import json
import typing

import pytest

from sessionbase.handlers import operations
from sessionbase.handlers.dispatch import Operation, snake_case
from sessionbase.handlers.operations import OPERATIONS
from sessionbase.models.base import Input, Output
from sessionbase.services.context import Context
from tests.unit.handlers.instances import printed_by_instance


def test_names_and_routes_are_unique():
    assert len({op.name for op in OPERATIONS}) == len(OPERATIONS)
    assert len({(op.method, op.path) for op in OPERATIONS}) == len(OPERATIONS)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_every_reference_the_entry_gives_resolves(operation: Operation):
    """Services and models are reached lazily: one that does not import fails here, not in the
    first request that runs the operation."""
    assert inspect.isfunction(operation.run)
    if operation.input is None:
        return
    assert all(issubclass(model, Input) for model in operation.input.models)
    if len(operation.input.models) > 1:  # the chooser picks among exactly these
        returned = typing.get_type_hints(operation.input.choose())["return"]  # type[A] | type[B]
        chosen = {typing.get_args(option)[0] for option in typing.get_args(returned)}
        assert chosen == set(operation.input.models)


@pytest.mark.parametrize(
    "ids", [v for k, v in vars(operations).items() if k.endswith("_ids")], ids=lambda f: f.__name__
)
def test_each_path_signature_names_its_ids_in_snake_case(ids):
    """A path's ``ids`` signature is what mypy holds services to; the entries that use it give
    templates naming exactly those ids."""
    names = [p.name for p in inspect.signature(ids).parameters.values()]
    assert all(p.kind is p.KEYWORD_ONLY for p in inspect.signature(ids).parameters.values())
    users = [op for op in OPERATIONS if [snake_case(n) for n in op.path_ids] == names]
    assert users, f"{ids.__name__} is used by no operation"


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
    returned = typing.get_args(hints["return"]) or (hints["return"],)  # a union: each
    assert all(issubclass(model, Output) for model in returned)
    assert operation.summary, "the service needs a docstring: it is the operation's summary"


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_inputs_come_from_where_the_method_puts_them(operation: Operation):
    if operation.input is not None:
        assert operation.input.source == ("query" if operation.method == "GET" else "body")


LAZY_PROBE = """
import json, sys, main
from sessionbase.handlers.operations import OPERATIONS

def ours():
    prefixes = ("sessionbase.services.", "sessionbase.models.")
    return [m for m in sys.modules if m.startswith(prefixes)]

print(json.dumps(ours()))
next(op for op in OPERATIONS if op.name == "submitAnswer").run
print(json.dumps(ours()))
"""


@pytest.mark.parametrize("target", ["api", "submitAnswer"])
def test_an_instance_imports_a_service_and_its_models_only_when_its_operation_runs(target):
    lines = printed_by_instance(LAZY_PROBE, target).splitlines()
    at_import, after_one = (json.loads(line) for line in lines)
    services = sorted(m for m in at_import if m.startswith("sessionbase.services."))
    assert services == ["sessionbase.services.context"]  # what every request receives
    assert "sessionbase.models.sessions" not in at_import
    added = set(after_one) - set(at_import)
    assert {"sessionbase.services.practice", "sessionbase.models.practice"} <= added
    assert "sessionbase.services.groups" not in added


def test_every_create_and_every_post_that_would_write_twice_takes_an_idempotency_key():
    keyed = {operation.name for operation in OPERATIONS if operation.keyed}
    creates = {operation.name for operation in OPERATIONS if operation.status == 201}
    assert creates <= keyed
    # Not creates by status, but each call makes a new session or export (docs/decisions.md).
    assert keyed - creates == {"startPracticeSession", "submitAnswer", "exportMyData"}
    assert all(operation.method == "POST" for operation in OPERATIONS if operation.keyed)
