"""Files rendered from the code (docs/api.md, docs/capacity.md, the app's API types): written, or
checked to be what a fresh render makes."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_or_check(path: Path, fresh: str, *, check: bool, command: str) -> int:
    """Write ``fresh`` to ``path``; with ``check``, write nothing and report whether the file
    holds it already (1, naming ``command`` to run, when it does not). The exit status."""
    if check:
        if not path.exists() or path.read_text() != fresh:
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            print(f"{shown} is out of date: run {command}")
            return 1
        return 0
    path.write_text(fresh)
    return 0
