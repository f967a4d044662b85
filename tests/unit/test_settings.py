"""settings.py: the CORS origins, from the deployment's configuration."""

from __future__ import annotations

import pytest

from sessionbase import settings


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


def test_a_deployed_function_refuses_an_emulator_host():
    deployed = {"K_SERVICE": "api", "FIRESTORE_EMULATOR_HOST": "127.0.0.1:8080"}
    with pytest.raises(RuntimeError, match="FIRESTORE_EMULATOR_HOST"):
        settings.refuse_emulators_when_deployed(deployed)
    with pytest.raises(RuntimeError, match="FIREBASE_AUTH_EMULATOR_HOST"):
        settings.refuse_emulators_when_deployed(
            {"K_SERVICE": "api", "FIREBASE_AUTH_EMULATOR_HOST": "127.0.0.1:9099"}
        )


def test_emulator_hosts_are_fine_under_the_emulator_or_outside_a_deployment():
    emulated = {"K_SERVICE": "api", "FUNCTIONS_EMULATOR": "true", "FIRESTORE_EMULATOR_HOST": "x"}
    settings.refuse_emulators_when_deployed(emulated)
    settings.refuse_emulators_when_deployed({"FIRESTORE_EMULATOR_HOST": "127.0.0.1:8080"})
    settings.refuse_emulators_when_deployed({"K_SERVICE": "api"})
