"""The architecture's rules that a reader cannot see from one file (docs/architecture.md): every
handler audits its writes, and no service does its own I/O."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "functions" / "sessionbase"


def calls(path: Path, name: str) -> list[ast.Call]:
    """Every call of ``name(...)`` (a plain name) in the module at ``path``."""
    tree = ast.parse(path.read_text())
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def test_every_store_a_handler_builds_has_an_audit_scope():
    """A Store without a scope audits nothing: each the handlers build names who it works for."""
    unscoped = [
        f"{path.name}:{call.lineno}"
        for path in sorted((PACKAGE / "handlers").glob("*.py"))
        for call in calls(path, "Store")
        if not any(keyword.arg == "audit" for keyword in call.keywords)
        and path.name != "pose.py"  # the photo endpoints write only rate-limit counters
    ]
    assert unscoped == []


def test_services_never_open_a_batch_or_commit():
    """Services write through the units of work (store/work.py), which audit each commit."""
    offenders = []
    for path in sorted((PACKAGE / "services").rglob("*.py")):
        text = path.read_text()
        for needle in (".batch()", ".commit(", "db.transaction(", "firestore_client()"):
            if needle in text:
                offenders.append(f"{path.relative_to(PACKAGE)}: {needle}")
    assert offenders == []
