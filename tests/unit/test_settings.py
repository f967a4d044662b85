"""settings.py: the CORS origins, from the deployment's configuration."""

from __future__ import annotations

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
