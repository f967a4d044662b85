"""What a model refuses: the fields ``parse`` names when a body does not validate."""

from __future__ import annotations

from typing import Any

import pytest

from sessionbase.errors import InvalidArgument
from sessionbase.models.validation import parse


def refused_fields(model: Any, body: Any) -> set[str]:
    """The fields named when ``body`` is parsed as ``model`` (it must be refused)."""
    with pytest.raises(InvalidArgument) as caught:
        parse(model, body)
    return {e.field for e in caught.value.errors}
