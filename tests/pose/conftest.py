"""The pose tier: runs only in the pose codebase's venv (mediapipe 0.10.14, Pillow, PyAV), as
scripts/test.sh does; in any other venv (the API's dev venv) the folder is skipped, not an error."""

from __future__ import annotations

import importlib.util

_NEEDED = ("mediapipe", "PIL", "av", "numpy")
collect_ignore_glob = (
    ["test_*.py"] if any(importlib.util.find_spec(name) is None for name in _NEEDED) else []
)
