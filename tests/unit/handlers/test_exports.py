"""handlers/exports.py, what functions/main.py exports: every function when discovering, one per
instance otherwise, and one deployed callable per operation."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sessionbase import settings
from sessionbase.handlers.exports import (
    HANDLERS,
    POSE_HANDLERS,
    WITH_A_BACKEND,
    exported,
    exported_pose,
)
from sessionbase.handlers.operations import OPERATIONS
from tests.unit.handlers.deployed import main
from tests.unit.handlers.instances import FUNCTIONS, POSE, printed_by_instance, python_of


def test_main_exports_every_function_when_discovering_and_only_the_target_otherwise():
    names = {op.name for op in OPERATIONS} | set(HANDLERS)
    if not settings.analysis_backend_configured():  # the callback comes with a backend only
        names -= WITH_A_BACKEND
    assert {
        name for name in vars(main) if hasattr(getattr(main, name), "__firebase_endpoint__")
    } == names
    for name in ("api", "createSession", "count_session_change"):
        assert list(exported(name)) == [name]
    # The pose codebase's (functions_pose/main.py) are none of the API's.
    assert not set(POSE_HANDLERS) & names
    assert list(exported_pose(None)) == ["pose_api", "analyzeSession"]
    assert list(exported_pose("analyzeSession")) == ["analyzeSession"]


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


def _start(target: str, **settings_: str) -> subprocess.CompletedProcess[str]:
    """Start a deployed instance of ``target`` (``import main``, in its codebase) with these
    settings."""
    codebase = POSE if target in POSE_HANDLERS else FUNCTIONS
    deployed = {
        k: v
        for k, v in os.environ.items()
        if k != "FUNCTIONS_EMULATOR" and not k.endswith("_EMULATOR_HOST")
    }
    environ = {**deployed, "FUNCTION_TARGET": target, "K_SERVICE": target, **settings_}
    return subprocess.run(
        [python_of(codebase), "-c", "import main"],
        cwd=codebase,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


BACKEND_URL = "https://backend.example/analyze"


@pytest.mark.parametrize(
    ("target", "key", "said"),
    [
        ("analysis_callback", "", "SESSIONBASE_ANALYSIS_SECRET is not set"),
        ("analyzeSession", "changeme", "SESSIONBASE_ANALYSIS_SECRET: the current key is 8 "),
        ("analysis_callback", "ab" * 20, "SESSIONBASE_ANALYSIS_SECRET: the current key repeats"),
    ],
)
def test_an_instance_holding_a_weak_backend_key_refuses_to_start(target, key, said):
    """Issue 21 (10): the backend's functions started, signed and accepted callbacks with any
    key. A deployed revision that cannot start fails its deploy, the reason in its log."""
    started = _start(
        target, SESSIONBASE_ANALYSIS_BACKEND_URL=BACKEND_URL, SESSIONBASE_ANALYSIS_SECRET=key
    )
    assert started.returncode != 0
    assert "InvalidConfiguration" in started.stderr
    assert said in started.stderr


def test_an_instance_starts_with_a_strong_key_or_without_a_backend():
    strong = "Zr4qP9xW2mK7vL1nB8cT5yH3jD6gF0sA"
    started = _start(
        "analyzeSession",
        SESSIONBASE_ANALYSIS_BACKEND_URL=BACKEND_URL,
        SESSIONBASE_ANALYSIS_SECRET=strong,
    )
    assert started.returncode == 0, started.stderr
    # The built-in analyzer needs no key: a weak one left in the environment is not used.
    started = _start(
        "analyzeSession", SESSIONBASE_ANALYSIS_BACKEND_URL="", SESSIONBASE_ANALYSIS_SECRET="x"
    )
    assert started.returncode == 0, started.stderr
