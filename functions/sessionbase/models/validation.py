"""Turning pydantic validation errors into field errors the client can act on."""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sessionbase.errors import FieldError, InvalidArgument, invalid_fields

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "extra_forbidden": "unknown field",
    "missing": "field required",
}


def field_errors(error: ValidationError) -> list[FieldError]:
    """One FieldError per pydantic error, named by its dotted location."""
    found = []
    for item in error.errors(include_url=False, include_input=False):
        location = ".".join(str(part) for part in item["loc"]) or "body"
        message = _MESSAGES.get(item["type"], item["msg"])
        if item["type"] in ("value_error", "assertion_error"):
            # Our validators' own sentences, without pydantic's "Value error, " in front.
            message = str(item.get("ctx", {}).get("error", message)) or message
        found.append(FieldError(field=location, message=message))
    return found


# Firestore stores 64-bit integers: a bigger one would be stored as a float, or fail.
_INT64 = range(-(2**63), 2**63)
# Tab, line feed and carriage return are text; every other control character (C0, DEL, C1) is
# refused, and so are lone surrogates (JSON can carry them; Firestore cannot store them).
_UNSTORABLE_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# Firestore stores maps and arrays at most 20 levels deep; the body (the document) is the first.
MAX_DEPTH = 20


def too_deep(data: Any, limit: int = MAX_DEPTH) -> bool:
    """True when ``data`` nests objects or arrays more than ``limit`` levels deep (the outermost
    counts as one). Iterative, and it stops at the first level too many: a body thousands of
    levels deep costs no more than one ``limit`` deep, and no recursion can run out."""
    level: list[Any] = [data]
    for _ in range(limit):
        level = [
            child
            for value in level
            if isinstance(value, (dict, list))
            for child in (value.values() if isinstance(value, dict) else value)
        ]
        if not level:
            return False
    return any(isinstance(value, (dict, list)) for value in level)


def refuse_too_deep(data: Any) -> None:
    """Refuse a body nested deeper than Firestore stores, before anything walks it."""
    if too_deep(data):
        raise InvalidArgument(
            f"The body is nested more than {MAX_DEPTH} levels deep.",
            errors=(FieldError(field="body", message=f"nested deeper than {MAX_DEPTH} levels"),),
        )


def unstorable(data: Any, path: str = "") -> list[FieldError]:
    """Values no field may hold, wherever they are: control characters, lone surrogates,
    integers outside int64. Named by their dotted path."""
    if isinstance(data, dict):
        return [
            error
            for key, value in data.items()
            for error in unstorable(value, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(data, list):
        return [
            error
            for index, value in enumerate(data)
            for error in unstorable(value, f"{path}.{index}" if path else str(index))
        ]
    if isinstance(data, str) and _UNSTORABLE_CHARACTER.search(data):
        return [FieldError(field=path or "body", message="contains a control character")]
    if isinstance(data, int) and not isinstance(data, bool) and data not in _INT64:
        return [FieldError(field=path or "body", message="outside the 64-bit integer range")]
    return []


def parse(model: type[M], data: Any) -> M:
    """Validate ``data`` (a JSON object) as ``model``; every bad field is reported at once."""
    if not isinstance(data, dict):
        raise InvalidArgument(
            "The request body must be a JSON object.",
            errors=(FieldError(field="body", message="expected a JSON object"),),
        )
    refuse_too_deep(data)
    if found := unstorable(data):
        raise invalid_fields(found)
    try:
        # As JSON: strict types (models/base.py Input) then take an enum's or a date's text.
        return model.model_validate_json(json.dumps(data))
    except ValidationError as error:
        raise invalid_fields(field_errors(error)) from None
