"""``functions/main.py``, the module ``firebase deploy`` loads, imported from its file.

It is not part of the installed ``sessionbase`` package (it is the deployed folder's entry
point), so tests take it from where it deploys from rather than from ``sys.path``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

MAIN = Path(__file__).resolve().parents[3] / "functions" / "main.py"


def _load() -> ModuleType:
    if "main" in sys.modules:
        return sys.modules["main"]
    spec = importlib.util.spec_from_file_location("main", MAIN)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["main"] = module
    spec.loader.exec_module(module)
    return module


main = _load()
