"""Fixtures of the unit tier (tests/unit): pure Python, and handlers driven with real request and
CloudEvent objects; nothing here needs the emulators."""

from __future__ import annotations

import pytest

from tests.tokens import PROJECT


@pytest.fixture
def deployed(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The environment as deployed: the demo project, no emulator, CORS not configured."""
    monkeypatch.setenv("GCLOUD_PROJECT", PROJECT)
    monkeypatch.delenv("FUNCTIONS_EMULATOR", raising=False)
    monkeypatch.delenv("SESSIONBASE_CORS_ORIGINS", raising=False)
    return monkeypatch
