"""The OpenAPI 3.1 document of the REST API, generated from the operation table and the models.

``GET /api/openapi.json`` serves it (``handlers/meta.py``); Swagger UI at ``/api/docs`` (Hosting)
renders it; app/src/api/openapi.d.ts is generated from it (``python -m devtools.openapi``). It
is built on the first request that asks for it, not at import: building imports every model and
service, which the REST function's cold start must not pay (docs/decisions.md, "OpenAPI, health
and the yoga shapes"). Each operation's response is its service's return annotation; its
parameters and body are its input models' JSON Schema (pydantic), under ``components.schemas``.
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from typing import Any

from pydantic import BaseModel

from sessionbase import errors
from sessionbase.handlers.dispatch import Operation
from sessionbase.handlers.operations import OPERATIONS

OPENAPI_VERSION = "3.1.0"
# The version of the API this document describes (info.version): raised with a breaking change.
API_VERSION = "1.0.0"
REF = "#/components/schemas/{model}"
_PATH_ID = re.compile(r"<(\w+)>")


def returns(operation: Operation[Any]) -> tuple[type[BaseModel], ...]:
    """The models an operation answers with: its service's return annotation (a union: each)."""
    returned = typing.get_type_hints(operation.run)["return"]
    members = typing.get_args(returned) if typing.get_origin(returned) is not None else ()
    return tuple(members) if members else (returned,)


def openapi_path(template: str) -> str:
    """``/api/sessions/<sessionId>`` -> ``/api/sessions/{sessionId}``."""
    return _PATH_ID.sub(r"{\1}", template)


def _doc(model: type[BaseModel]) -> str:
    return (inspect.getdoc(model) or model.__name__).splitlines()[0]


def _one_of(models: tuple[type[BaseModel], ...]) -> dict[str, Any]:
    refs = [{"$ref": REF.format(model=model.__name__)} for model in models]
    return refs[0] if len(refs) == 1 else {"oneOf": refs}


def _error_schema() -> dict[str, Any]:
    codes = sorted(
        {
            cls.code
            for cls in vars(errors).values()
            if isinstance(cls, type) and issubclass(cls, errors.SessionbaseError)
        }
    )
    return {
        "type": "object",
        "title": "Error",
        "description": "Every error (DESIGN.md §4): `errors` names each bad field.",
        "required": ["detail", "code"],
        "properties": {
            "detail": {"type": "string", "description": "a human sentence"},
            "code": {"type": "string", "enum": codes},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "message"],
                    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    }


def _health_schema() -> dict[str, Any]:
    state = {"type": "string", "enum": ["ok", "unavailable"]}
    return {
        "type": "object",
        "title": "Health",
        "description": "GET /api/health: whether this instance can serve requests.",
        "required": ["status", "checks"],
        "properties": {
            "status": state,
            "checks": {
                "type": "object",
                "required": ["firestore"],
                "properties": {"firestore": state},
            },
            "revision": {
                "type": ["string", "null"],
                "description": "the deployed revision (Cloud Run's K_REVISION); null locally",
            },
        },
    }


def _schemas() -> dict[str, Any]:
    """Every model the operations name, in one ``components.schemas`` (pydantic's $defs)."""
    from pydantic.json_schema import models_json_schema

    wanted: dict[tuple[str, str], tuple[type[BaseModel], Any]] = {}
    for op in OPERATIONS:
        for model in op.input.models if op.input else ():
            wanted.setdefault((model.__name__, "validation"), (model, "validation"))
        for model in returns(op):
            wanted.setdefault((model.__name__, "serialization"), (model, "serialization"))
    _, top = models_json_schema(list(wanted.values()), ref_template=REF)
    schemas: dict[str, Any] = dict(top.get("$defs", {}))
    schemas["Error"] = _error_schema()
    schemas["Health"] = _health_schema()
    return schemas


def _parameters(op: Operation[Any], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in op.path_ids
    ]
    if op.input is not None and op.input.source == "query":
        for model in op.input.models:
            schema = schemas[model.__name__]
            required = set(schema.get("required", []))
            for name, field in schema.get("properties", {}).items():
                parameter = {"name": name, "in": "query", "required": name in required}
                if field.get("description"):
                    parameter["description"] = field["description"]
                parameter["schema"] = {k: v for k, v in field.items() if k != "description"}
                found.append(parameter)
    if op.keyed:
        found.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "a repeat within 24 h answers the first answer (docs/api.md)",
                "schema": {"type": "string", "maxLength": 255},
            }
        )
    return found


def _operation(op: Operation[Any], schemas: dict[str, Any]) -> dict[str, Any]:
    outputs = returns(op)
    entry: dict[str, Any] = {
        "operationId": op.name,
        "summary": op.summary,
        "description": f"Who: {op.who}. Also the callable `{op.name}`.",
        "tags": [op.path.split("/")[2]],
    }
    parameters = _parameters(op, schemas)
    if parameters:
        entry["parameters"] = parameters
    if op.input is not None and op.input.source == "body":
        models = op.input.models
        entry["requestBody"] = {
            "required": any(schemas[m.__name__].get("required") for m in models),
            "content": {"application/json": {"schema": _one_of(models)}},
        }
    entry["responses"] = {
        str(op.status): {
            "description": " or ".join(_doc(model) for model in outputs),
            "content": {"application/json": {"schema": _one_of(outputs)}},
        },
        "default": {
            "description": 'An error (DESIGN.md §4; docs/api.md, "Errors")',
            "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}},
        },
    }
    return entry


def _unauthenticated(name: str, summary: str, responses: dict[str, Any]) -> dict[str, Any]:
    """A GET that needs no sign-in, outside the operation table (``handlers/meta.py``)."""
    return {
        "get": {
            "operationId": name,
            "summary": summary,
            "tags": ["meta"],
            "security": [],
            "responses": {
                status: {"description": text, "content": {"application/json": {"schema": schema}}}
                for status, (text, schema) in responses.items()
            },
        }
    }


@functools.cache
def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document (built once per instance)."""
    schemas = _schemas()
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(openapi_path(op.path), {})[op.method.lower()] = _operation(op, schemas)
    health = {"$ref": REF.format(model="Health")}
    paths["/api/health"] = _unauthenticated(
        "getHealth",
        "Whether this instance and Firestore answer (no sign-in; for a load balancer)",
        {"200": ("Serving", health), "503": ("Firestore does not answer", health)},
    )
    paths["/api/openapi.json"] = _unauthenticated(
        "getOpenApi", "This document (no sign-in)", {"200": ("OpenAPI 3.1", {"type": "object"})}
    )
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Sessionbase API",
            "version": API_VERSION,
            "description": (
                "The REST API under /api/** (docs/api.md). Every operation also exists as a "
                "callable function of the same name."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"sessionCookie": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "Firebase ID token",
                },
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "__session",
                    "description": "pages of the site itself only (README, the __session cookie)",
                },
            },
        },
    }
