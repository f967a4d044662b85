"""docs/api.md's reference sections, generated from the operation table and the models.

    python -m devtools.api_reference          rewrite the generated sections of docs/api.md
    python -m devtools.api_reference --check  exit 1 if they differ from the code

tests/unit/devtools/test_api_reference.py runs the check, so the reference cannot drift from the
code. Hand-written prose lives outside the ``<!-- generated: NAME -->`` ... ``<!-- end -->``
markers.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from devtools.generated import write_or_check
from sessionbase import errors
from sessionbase.handlers.dispatch import Operation
from sessionbase.handlers.operations import OPERATIONS

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
SECTION = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end -->)", re.S)


def render_errors() -> str:
    """The error codes: one row per domain error class."""
    rows = ["| code | HTTP | meaning |", "|---|---|---|"]
    for cls in vars(errors).values():
        if (
            isinstance(cls, type)
            and issubclass(cls, errors.SessionbaseError)
            and cls.__doc__
            and cls is not errors.SessionbaseError
        ):
            doc = (cls.__doc__ or "").strip().splitlines()[0]
            rows.append(f"| `{cls.code}` | {cls.status} | {doc} |")
    rows.append(
        "| `invalid-argument` | 405 | REST only: a known path with another method "
        "(`Allow` lists the methods) |"
    )
    return "\n".join(rows) + "\n"


def _returns(operation: Operation) -> tuple[type[BaseModel], ...]:
    """The models the operation answers with (a union, as ``?shape=yoga``: each)."""
    from sessionbase.handlers.openapi import returns

    return returns(operation)


def models_used() -> list[type[BaseModel]]:
    """Every input and output model the operations name, in table order, each once."""
    found: dict[str, type[BaseModel]] = {}
    for operation in OPERATIONS:
        for model in (*(operation.input.models if operation.input else ()), *_returns(operation)):
            found.setdefault(model.__name__, model)
    return list(found.values())


def render_operations() -> str:
    """One row per operation: REST route, callable, success status, who, input, output."""
    rows = [
        "| REST | callable | who | input | success |",
        "|---|---|---|---|---|",
    ]
    for op in OPERATIONS:
        path = re.sub(r"<(\w+)>", r"{\1}", op.path)
        given, where = "—", ""
        if op.input:
            given = " or ".join(f"[{m.__name__}](#{m.__name__.lower()})" for m in op.input.models)
            where = f" ({op.input.source})"
        if op.keyed:  # docs/api.md, "Idempotency keys"
            where += "; [key](#idempotency-keys)"
        if op.limit:  # docs/api.md, "Rate limits"
            where += f"; [limit](#rate-limits) `{op.limit}`"
        out = " or ".join(f"[{m.__name__}](#{m.__name__.lower()})" for m in _returns(op))
        rows.append(
            f"| `{op.method} {path}` | `{op.name}` | {op.who} | {given}{where} "
            f"| {op.status} {out} |"
        )
    return "\n".join(rows) + "\n"


def _type(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = defs[name]
        if "enum" in target:
            return " \\| ".join(f"`{v}`" for v in target["enum"])
        return f"[{name}](#{name.lower()})"
    if "anyOf" in schema:
        return " \\| ".join(_type(option, defs) for option in schema["anyOf"])
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    kind = schema.get("type")
    if kind == "array" and "prefixItems" in schema:  # a tuple: [seconds, value]
        return "[" + ", ".join(_type(item, defs) for item in schema["prefixItems"]) + "]"
    if kind == "array":
        return f"list of {_type(schema.get('items', {}), defs)}"
    if kind == "object":
        values = schema.get("additionalProperties")
        return f"map of {_type(values, defs)}" if isinstance(values, dict) else "object"
    if kind == "string" and schema.get("format"):
        return f"string ({schema['format']})"
    return str(kind or "date or date-time")


_LIMITS = {
    "minimum": "≥ {}",
    "maximum": "≤ {}",
    "exclusiveMinimum": "> {}",
    "minLength": "length ≥ {}",
    "maxLength": "length ≤ {}",
    "maxItems": "≤ {} items",
    "maxProperties": "≤ {} entries",
}


def _limits(schema: dict[str, Any]) -> str:
    parts = [text.format(schema[key]) for key, text in _LIMITS.items() if key in schema]
    for option in schema.get("anyOf", []):
        parts += [text.format(option[key]) for key, text in _LIMITS.items() if key in option]
    return ", ".join(parts)


def _fields(schema: dict[str, Any], defs: dict[str, Any], mode: str) -> str:
    """A model's fields: name, type, whether required (else its default, for input), limits."""
    required = set(schema.get("required", []))
    doc = (schema.get("description") or "").strip().splitlines()[0]
    lines = [f"### {schema['title']}", "", doc, ""]
    lines += ["| field | type | required | limits |", "|---|---|---|---|"]
    for name, field in schema.get("properties", {}).items():
        if name in required:
            need = "yes"
        elif mode == "validation":
            need = f"default `{json.dumps(field['default'])}`" if "default" in field else "no"
        else:
            need = ""  # absent when the stored record does not have it
        lines.append(f"| `{name}` | {_type(field, defs)} | {need} | {_limits(field)} |")
    return "\n".join(lines) + "\n"


def render_models() -> str:
    """Every model the operations use, then the models nested in them, each once."""
    inputs = {model for op in OPERATIONS if op.input for model in op.input.models}
    blocks: dict[str, str] = {}
    for model in models_used():
        mode = "validation" if model in inputs else "serialization"
        schema = model.model_json_schema(mode=mode)  # type: ignore[arg-type]
        defs = schema.get("$defs", {})
        blocks.setdefault(model.__name__, _fields(schema, defs, mode))
        for name, nested in defs.items():
            if "properties" in nested:
                blocks.setdefault(name, _fields(nested, defs, mode))
    return "\n".join(blocks.values())


RENDERERS = {"errors": render_errors, "operations": render_operations, "models": render_models}


def rendered(text: str) -> str:
    """``text`` with every generated section replaced by what the code says now."""
    return SECTION.sub(lambda m: m.group(1) + RENDERERS[m.group(2)]() + m.group(4), text)


def main() -> int:
    """Rewrite docs/api.md, or with ``--check`` report whether it is current."""
    return write_or_check(
        DOC,
        rendered(DOC.read_text()),
        check="--check" in sys.argv,
        command="python -m devtools.api_reference",
    )


if __name__ == "__main__":
    raise SystemExit(main())
