"""Turning pydantic validation errors into field errors the client can act on."""

from __future__ import annotations

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
        found.append(FieldError(field=location, message=message))
    return found


def parse(model: type[M], data: Any) -> M:
    """Validate ``data`` (a JSON object) as ``model``; every bad field is reported at once."""
    if not isinstance(data, dict):
        raise InvalidArgument(
            "The request body must be a JSON object.",
            errors=(FieldError(field="body", message="expected a JSON object"),),
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid_fields(field_errors(error)) from None
