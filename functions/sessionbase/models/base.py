"""The base classes every model derives from: Input, Record, Output, and Part for their pieces."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict


class Input(BaseModel):
    """What a client sends: strict about unknown fields, immutable once validated."""

    # defer_build: validators are built on first use, not at import (cold start).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Record(BaseModel):
    """A stored document: fields this code does not know are ignored, enums stored as strings."""

    model_config = ConfigDict(
        extra="ignore",
        frozen=True,
        defer_build=True,
        populate_by_name=True,
        use_enum_values=True,
    )

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
