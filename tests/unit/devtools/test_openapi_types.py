"""app/src/api/openapi.d.ts is what openapi-typescript makes of the current OpenAPI document."""

from __future__ import annotations

from devtools import openapi


def test_the_generated_types_are_current() -> None:
    # npm run typecheck then holds the app's types to them (app/src/api/openapi.check.ts).
    assert openapi.TYPES.read_text() == openapi.generated(), (
        "app/src/api/openapi.d.ts is out of date: run npm run api-types"
    )
