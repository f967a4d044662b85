"""Reading the Firestore emulator's rule-coverage report.

`GET /emulator/v1/projects/{id}:ruleCoverage` returns `{"rules": ..., "report": [node, ...]}`: one
tree per rule condition and per function body; every node is an expression with a
`sourcePosition` (1-based line and column, character offsets) and `values`, a list of
`{"value": <Firestore Value>, "count": n}`. Observed meaning of a value: `{"boolValue": ...}` etc.
is a result; `{"undefined": {}}` an evaluation error (a missing field, a failed get()); `{}` means
the node was reached but skipped by short-circuiting. A node never reached has no values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

ALLOW_RE = re.compile(r"\ballow\s+[a-z,\s]+:\s*if\s+")


@dataclass(frozen=True)
class Node:
    """One expression of the report, with what it evaluated to."""

    line: int
    column: int
    text: str
    results: dict[str, int]  # "true", "false", "error", "value", "skipped" -> count

    @property
    def evaluated(self) -> bool:
        """Reached and computed at least once (not only short-circuited)."""
        return any(self.results.get(k) for k in ("true", "false", "error", "value"))

    @property
    def is_boolean(self) -> bool:
        """Produced a boolean at least once."""
        return bool(self.results.get("true") or self.results.get("false"))


def _classify(value: dict[str, Any]) -> str:
    if not value:
        return "skipped"
    if "boolValue" in value:
        return "true" if value["boolValue"] else "false"
    if "undefined" in value:
        return "error"
    return "value"


def _walk(node: dict[str, Any], content: str) -> Iterator[Node]:
    pos = node["sourcePosition"]
    results: dict[str, int] = {}
    for entry in node.get("values", []):
        kind = _classify(entry.get("value", {}))
        results[kind] = results.get(kind, 0) + int(entry.get("count", 0))
    text = content[pos.get("currentOffset", 0) : pos.get("endOffset", 0) + 1]
    yield Node(line=pos["line"], column=pos["column"], text=" ".join(text.split()), results=results)
    for child in node.get("children", []):
        yield from _walk(child, content)


def report_nodes(coverage: dict[str, Any], content: str) -> list[Node]:
    """Every expression node of the report."""
    return [n for top in coverage.get("report", []) for n in _walk(top, content)]


def top_nodes(coverage: dict[str, Any], content: str) -> dict[tuple[int, int], Node]:
    """The root expression of each tree (an allow condition or a function body) by position."""
    return {
        (node.line, node.column): node
        for top in coverage.get("report", [])
        for node in [next(_walk(top, content))]
    }


def allow_conditions(content: str) -> list[tuple[int, int, str]]:
    """(line, column, source line) of the condition of every `allow ...: if` in the rules."""
    found = []
    for match in ALLOW_RE.finditer(content):
        start = match.end()
        line = content.count("\n", 0, start) + 1
        column = start - (content.rfind("\n", 0, start) + 1) + 1
        found.append((line, column, content.splitlines()[line - 1].strip()))
    return found
