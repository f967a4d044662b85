"""Transport rules: 405 with Allow, CORS from settings, one deployed callable per operation."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from test_callables import invoke

from sessionbase import settings
from sessionbase.handlers import rest
from sessionbase.handlers.operations import OPERATIONS
from tests.adapter.deployed import main
from tests.adapter.instances import printed_by_instance
from tests.adapter.request_builder import build_request
from tests.tokens import unsigned_id_token


def test_a_wrong_method_is_405_with_allow_before_authentication():
    response = rest.dispatch(build_request("PATCH", "/api/sessions"))
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    body = json.loads(response.get_data())
    assert body["code"] == "invalid-argument"
    assert "GET" in body["detail"]


@pytest.fixture
def deployed(monkeypatch):
    """As deployed: not under the emulator, CORS not configured."""
    monkeypatch.delenv("FUNCTIONS_EMULATOR", raising=False)
    monkeypatch.delenv("SESSIONBASE_CORS_ORIGINS", raising=False)
    rest._with_cors.cache_clear()
    yield monkeypatch
    rest._with_cors.cache_clear()


def test_deployed_without_configuration_only_hosting_origins(deployed):
    assert settings.cors_origins() == [
        "https://demo-sessionbase.web.app",
        "https://demo-sessionbase.firebaseapp.com",
    ]


def test_the_emulator_allows_any_origin(deployed):
    deployed.setenv("FUNCTIONS_EMULATOR", "true")
    assert settings.cors_origins() == "*"


def test_configured_origins_win(deployed):
    deployed.setenv("SESSIONBASE_CORS_ORIGINS", "https://app.example, https://admin.example")
    assert settings.cors_origins() == ["https://app.example", "https://admin.example"]
    deployed.setenv("SESSIONBASE_CORS_ORIGINS", "*")
    assert settings.cors_origins() == "*"


def preflight(origin: str):
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    with Flask(__name__).test_request_context("/api/sessions", method="OPTIONS", headers=headers):
        return rest.api(build_request("OPTIONS", "/api/sessions", headers=headers))


def test_a_preflight_from_a_foreign_origin_gets_no_grant_when_deployed(deployed):
    assert "Access-Control-Allow-Origin" not in preflight("https://evil.example").headers
    granted = preflight("https://demo-sessionbase.web.app").headers
    assert granted["Access-Control-Allow-Origin"] == "https://demo-sessionbase.web.app"


def test_main_exports_every_function_when_discovering_and_only_the_target_otherwise():
    from sessionbase.handlers.exports import HANDLERS, exported

    names = {op.name for op in OPERATIONS} | set(HANDLERS)
    assert {
        name for name in vars(main) if hasattr(getattr(main, name), "__firebase_endpoint__")
    } == names
    for name in ("api", "createSession", "count_session_change"):
        assert list(exported(name)) == [name]


PROBE = """
import sys, main
names = sorted(k for k, v in vars(main).items() if hasattr(v, "__firebase_endpoint__"))
print("firebase_functions.firestore_fn" in sys.modules, names)
"""


@pytest.mark.parametrize(
    ("target", "printed"),
    [("api", "False ['api']"), ("count_session_change", "True ['count_session_change']")],
)
def test_a_function_instance_loads_only_its_own_handler(target, printed):
    assert printed_by_instance(PROBE, target) == printed


LAZY_PROBE = """
import json, sys, main
from sessionbase.handlers.operations import OPERATIONS

def ours():
    prefixes = ("sessionbase.services.", "sessionbase.models.")
    return [m for m in sys.modules if m.startswith(prefixes)]

print(json.dumps(ours()))
next(op for op in OPERATIONS if op.name == "submitAnswer").run
print(json.dumps(ours()))
"""


@pytest.mark.parametrize("target", ["api", "submitAnswer"])
def test_an_instance_imports_a_service_and_its_models_only_when_its_operation_runs(target):
    lines = printed_by_instance(LAZY_PROBE, target).splitlines()
    at_import, after_one = (json.loads(line) for line in lines)
    services = sorted(m for m in at_import if m.startswith("sessionbase.services."))
    assert services == ["sessionbase.services.context"]  # what every request receives
    assert "sessionbase.models.sessions" not in at_import
    added = set(after_one) - set(at_import)
    assert {"sessionbase.services.practice", "sessionbase.models.practice"} <= added
    assert "sessionbase.services.groups" not in added


def test_every_operation_is_a_deployed_callable():
    for operation in OPERATIONS:
        function = getattr(main, operation.name)
        assert function.__name__ == operation.name
        assert hasattr(function, "__firebase_endpoint__")


def test_a_callable_checks_the_caller_before_the_data():

    status, body = invoke(main.getSession, "not an object")
    assert (status, body["error"]["status"]) == (401, "UNAUTHENTICATED")
    status, body = invoke(main.getSession, {}, unsigned_id_token())
    assert status == 400
    assert body["error"]["details"]["errors"] == [
        {"field": "sessionId", "message": "field required"}
    ]
