"""Run code as a deployed function instance would start: a fresh interpreter in a codebase's
folder (``functions/``, or ``functions_pose/`` with its own venv) with ``FUNCTION_TARGET`` set,
so ``import main`` loads only that function's handler."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FUNCTIONS = ROOT / "functions"
POSE = ROOT / "functions_pose"


def python_of(codebase: Path) -> str:
    """The interpreter a codebase runs in here: the pose codebase has its own venv (the model's
    protobuf 4); the API's runs in the test process's (the same pins as functions/venv)."""
    return str(POSE / "venv" / "bin" / "python") if codebase == POSE else sys.executable


def printed_by_instance(code: str, target: str, codebase: Path = FUNCTIONS) -> str:
    """What ``code`` prints (stripped) in a fresh interpreter started as instance ``target``."""
    done = subprocess.run(
        [python_of(codebase), "-c", code],
        cwd=codebase,
        env={**os.environ, "FUNCTION_TARGET": target},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def printed_when_discovered(code: str, environ: dict[str, str], codebase: Path = FUNCTIONS) -> str:
    """What ``code`` prints in a fresh interpreter loading the functions as ``firebase deploy``
    discovers them (no ``FUNCTION_TARGET``), with ``environ`` added (functions/.env)."""
    base = {k: v for k, v in os.environ.items() if k != "FUNCTION_TARGET"}
    done = subprocess.run(
        [python_of(codebase), "-c", code],
        cwd=codebase,
        env={**base, **environ},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()
