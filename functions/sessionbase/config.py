"""Configuration read from the environment, in one place."""

from __future__ import annotations

import os

DEFAULT_PROJECT = "demo-sessionbase"


def project_id() -> str:
    """The Firebase project id (set by the runtime and by the emulators)."""
    for name in ("GCLOUD_PROJECT", "GOOGLE_CLOUD_PROJECT"):
        if os.environ.get(name):
            return os.environ[name]
    return DEFAULT_PROJECT


def cors_origins() -> str | list[str]:
    """Origins allowed to call the REST API from a browser (``SESSIONBASE_CORS_ORIGINS``).

    Comma-separated; default ``*``. Calls carry a Bearer token, never cookies, so a wildcard does
    not let another site act as a signed-in user; narrow it in ``functions/.env`` if you prefer.
    """
    raw = os.environ.get("SESSIONBASE_CORS_ORIGINS", "*").strip()
    origins = [origin.strip() for origin in raw.split(",") if origin.strip()]
    return "*" if not origins or origins == ["*"] else origins
