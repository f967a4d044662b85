"""The OpenAPI 3.1 document: valid, every operation of the table in it, as the table says."""

from __future__ import annotations

import subprocess
import sys

from openapi_spec_validator import validate

from sessionbase.handlers.openapi import document, openapi_path, returns
from sessionbase.handlers.operations import OPERATIONS


def test_the_document_is_valid_openapi_3_1() -> None:
    spec = document()
    validate(spec)  # raises, naming the first fault
    assert spec["openapi"] == "3.1.0"


def test_every_operation_is_in_it_with_its_input_and_answer() -> None:
    paths = document()["paths"]
    for op in OPERATIONS:
        entry = paths[openapi_path(op.path)][op.method.lower()]
        assert entry["operationId"] == op.name
        answer = entry["responses"][str(op.status)]["content"]["application/json"]["schema"]
        refs = [answer] if "$ref" in answer else answer["oneOf"]
        assert [r["$ref"].rsplit("/", 1)[1] for r in refs] == [m.__name__ for m in returns(op)]
        names = [p["name"] for p in entry.get("parameters", []) if p["in"] == "path"]
        assert names == list(op.path_ids)
        if op.input is not None and op.input.source == "body":
            assert "requestBody" in entry
        assert ("Idempotency-Key" in {p["name"] for p in entry.get("parameters", [])}) == op.keyed
    assert paths["/api/health"]["get"]["security"] == []


def test_the_yoga_shape_is_a_documented_parameter() -> None:
    entry = document()["paths"]["/api/sessions/{sessionId}"]["get"]
    shape = next(p for p in entry["parameters"] if p["name"] == "shape")
    assert shape["in"] == "query"
    assert not shape["required"]
    answers = entry["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"]
    assert {a["$ref"] for a in answers} == {
        "#/components/schemas/SessionDetail",
        "#/components/schemas/YogaSession",
    }


def test_importing_the_rest_function_does_not_build_it() -> None:
    """Cold start: the document (every model and service) is built on its first request."""
    code = (
        "import sys, sessionbase.handlers.rest\n"
        "print('sessionbase.handlers.openapi' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
