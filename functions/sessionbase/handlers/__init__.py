"""Thin transport adapters: parse, authenticate, call a service, map errors — nothing else.

``operations.py`` declares every operation once; ``rest.py`` and ``callables.py`` derive the REST
routes and the callable functions from that table; ``dispatch.py`` runs an operation for either.
"""

from typing import TYPE_CHECKING

import firebase_admin

from sessionbase import lazy, settings

# Before anything reads them: a deployed instance never talks to an emulator.
settings.refuse_emulators_when_deployed()

# initialize_app() must run at import time: callable auth verifies tokens with the default app.
if not firebase_admin._apps:
    firebase_admin.initialize_app()

if TYPE_CHECKING:
    from sessionbase.handlers import (
        accounts,
        analysis,
        callables,
        pose,
        privacy,
        rest,
        schedules,
        triggers,
    )
else:
    __getattr__ = lazy.submodules(__name__)

__all__ = ["accounts", "analysis", "callables", "pose", "privacy", "rest", "schedules", "triggers"]
