"""handlers/exports.py, what functions/main.py exports: every function when discovering, one per
instance otherwise, and one deployed callable per operation."""

from __future__ import annotations

import pytest

from sessionbase.handlers.exports import HANDLERS, exported
from sessionbase.handlers.operations import OPERATIONS
from tests.unit.handlers.deployed import main
from tests.unit.handlers.instances import printed_by_instance


def test_main_exports_every_function_when_discovering_and_only_the_target_otherwise():
    names = {op.name for op in OPERATIONS} | set(HANDLERS)
    assert {
        name for name in vars(main) if hasattr(getattr(main, name), "__firebase_endpoint__")
    } == names
    for name in ("api", "createSession", "count_session_change"):
        assert list(exported(name)) == [name]


PROBE = """
import sys, main
names = sorted(k for k, v in vars(main).items() if hasattr(v, "__firebase_endpoint__"))
print("firebase_functions.firestore_fn" in sys.modules, names)
"""


@pytest.mark.parametrize(
    ("target", "printed"),
    [("api", "False ['api']"), ("count_session_change", "True ['count_session_change']")],
)
def test_a_function_instance_loads_only_its_own_handler(target, printed):
    assert printed_by_instance(PROBE, target) == printed


def test_every_operation_is_a_deployed_callable():
    for operation in OPERATIONS:
        function = getattr(main, operation.name)
        assert function.__name__ == operation.name
        assert hasattr(function, "__firebase_endpoint__")


def test_a_deployed_instance_told_to_use_an_emulator_refuses_to_start():
    import os
    import subprocess
    import sys

    from tests.unit.handlers.instances import FUNCTIONS

    environ = {
        k: v
        for k, v in os.environ.items()
        if k != "FUNCTIONS_EMULATOR" and not k.endswith("_EMULATOR_HOST")
    }
    environ.update(FUNCTION_TARGET="api", K_SERVICE="api", FIRESTORE_EMULATOR_HOST="127.0.0.1:8080")
    started = subprocess.run(
        [sys.executable, "-c", "import main"],
        cwd=FUNCTIONS,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0
    assert "must not use the emulators: unset FIRESTORE_EMULATOR_HOST" in started.stderr
