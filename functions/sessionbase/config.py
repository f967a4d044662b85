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


def running_in_emulator() -> bool:
    """True under the Firebase emulator suite."""
    return os.environ.get("FUNCTIONS_EMULATOR") == "true" or bool(
        os.environ.get("FIRESTORE_EMULATOR_HOST")
    )
