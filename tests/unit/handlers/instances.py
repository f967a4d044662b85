"""Run code as a deployed function instance would start: a fresh interpreter in functions/ with
``FUNCTION_TARGET`` set, so ``import main`` loads only that function's handler."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FUNCTIONS = Path(__file__).resolve().parents[3] / "functions"


def printed_by_instance(code: str, target: str) -> str:
    """What ``code`` prints (stripped) in a fresh interpreter started as instance ``target``."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=FUNCTIONS,
        env={**os.environ, "FUNCTION_TARGET": target},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def printed_when_discovered(code: str, environ: dict[str, str]) -> str:
    """What ``code`` prints in a fresh interpreter loading the functions as ``firebase deploy``
    discovers them (no ``FUNCTION_TARGET``), with ``environ`` added (functions/.env)."""
    base = {k: v for k, v in os.environ.items() if k != "FUNCTION_TARGET"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=FUNCTIONS,
        env={**base, **environ},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()
