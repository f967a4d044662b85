"""Which module holds each deployed function, so that an instance imports only its own handler.

A deployed function instance runs with ``FUNCTION_TARGET`` set to its name (functions-framework
sets it before importing ``main``; so does the emulator): the REST function then never imports the
Firestore-trigger SDK (~100 ms). Without a target (``firebase deploy`` discovering the functions,
tests) everything is exported.
"""

from __future__ import annotations

import importlib
from typing import Any

HANDLER_MODULES = {
    "api": "sessionbase.handlers.rest",
    "count_session_change": "sessionbase.handlers.triggers",
    "recount_on_timezone_change": "sessionbase.handlers.triggers",
    "end_overdue_live_sessions": "sessionbase.handlers.schedules",
    "reconcile_statistics": "sessionbase.handlers.schedules",
    "register_upload": "sessionbase.handlers.analysis",
    "analyzeSession": "sessionbase.handlers.analysis",
    "sweep_analyses": "sessionbase.handlers.analysis",
    "analysis_callback": "sessionbase.handlers.analysis",
}
CALLABLES_MODULE = "sessionbase.handlers.callables"  # one callable per API operation


def exported(target: str | None) -> dict[str, Any]:
    """The functions ``main`` exports: ``target`` alone when it is known, else all of them."""
    if target in HANDLER_MODULES:
        return {target: getattr(importlib.import_module(HANDLER_MODULES[target]), target)}
    callables: dict[str, Any] = importlib.import_module(CALLABLES_MODULE).CALLABLES
    if target in callables:
        return {target: callables[target]}
    everything = dict(callables)
    for name, module in HANDLER_MODULES.items():
        everything[name] = getattr(importlib.import_module(module), name)
    return everything
