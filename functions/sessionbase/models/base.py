"""The base classes every model derives from: Input, Record, Output, and Part for their pieces."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationError


class Input(BaseModel):
    """What a client sends: strict about unknown fields and about JSON types, immutable once
    validated.

    Strict: a JSON string is not a number or a boolean, a number is not a boolean, a date is a
    date (``models/validation.parse`` validates the body as JSON, where an enum's value is
    taken). Query strings are text: their models use the lax types of ``models/fields.py``
    (``QueryInt``, ``QueryBool``, ``DateOrTime``), which parse the text as their type.
    """

    # defer_build: validators are built on first use, not at import (cold start).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, strict=True)


class Record(BaseModel):
    """A stored document: fields this code does not know are ignored, enums stored as strings."""

    model_config = ConfigDict(
        extra="ignore",
        frozen=True,
        defer_build=True,
        populate_by_name=True,
        use_enum_values=True,
    )

    @classmethod
    def salvage(cls, data: object) -> tuple[Self | None, list[str]]:
        """The record a document holds, whatever its shape, and the fields it could not read.

        For readers that must not fail on a document written around the API (triggers, the
        reconcile): a field of the wrong type is read as absent (its default), junk fields are
        named; None when even that does not validate (a required field unreadable, not a map).
        """
        if not isinstance(data, dict):
            return None, ["(document)"]
        fields: dict[str, Any] = dict(data)
        dropped: list[str] = []
        while True:
            try:
                return cls.model_validate(fields), dropped
            except ValidationError as error:
                bad = {str(e["loc"][0]) for e in error.errors() if e["loc"]} & fields.keys()
                if not bad:
                    return None, [*dropped, *sorted(str(e["loc"][:1]) for e in error.errors())]
                dropped += sorted(bad)
                fields = {key: value for key, value in fields.items() if key not in bad}

    def document(self) -> dict[str, Any]:
        """The fields to write: every field that was set (an explicit None is stored as null)."""
        return self.model_dump(mode="python", by_alias=True, exclude_unset=True)

    def fields(self, names: set[str] | frozenset[str]) -> dict[str, Any]:
        """The stored form of just these fields (for a partial update)."""
        return self.model_dump(mode="python", by_alias=True, include=set(names))

    def changed(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied and counted as set (so ``document()`` writes them)."""
        return self.model_validate({**self.model_dump(exclude_unset=True), **changes})


class Output(BaseModel):
    """What a client reads; see the package docstring for how it is serialised."""

    model_config = ConfigDict(frozen=True, defer_build=True, use_enum_values=True)

    def to_json(self) -> Any:
        """The JSON value of this response: only the fields that were set."""
        return self.model_dump(mode="json", exclude_unset=True)


class Part(BaseModel):
    """A piece of other models, with no role of its own: the fields several roles share
    (``XFields``, mixed into a Record and an Output) or an object nested in them."""

    model_config = ConfigDict(defer_build=True)
