"""Which handler each deployed function is, so that an instance imports only its own.

A deployed function instance runs with ``FUNCTION_TARGET`` set to its name (functions-framework
sets it before importing ``main``; so does the emulator): the REST function then never imports the
Firestore-trigger SDK (~100 ms). Without a target (``firebase deploy`` discovering the functions,
tests) everything is exported. Each entry returns its handler through the package's lazy
attributes (``sessionbase.lazy``), so the map is followed by mypy and an editor, not by strings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sessionbase import handlers, settings

HANDLERS: dict[str, Callable[[], Any]] = {
    "api": lambda: handlers.rest.api,
    "count_session_change": lambda: handlers.triggers.count_session_change,
    "recount_on_timezone_change": lambda: handlers.triggers.recount_on_timezone_change,
    "end_overdue_live_sessions": lambda: handlers.schedules.end_overdue_live_sessions,
    "reconcile_statistics": lambda: handlers.schedules.reconcile_statistics,
    "prune_notifications": lambda: handlers.schedules.prune_notifications,
    "register_upload": lambda: handlers.analysis.register_upload,
    "sweep_analyses": lambda: handlers.analysis.sweep_analyses,
    "analysis_callback": lambda: handlers.analysis.analysis_callback,
    # issue 27: download my data, video retention
    "runDataExport": lambda: handlers.privacy.runDataExport,
    "remove_old_videos": lambda: handlers.schedules.remove_old_videos,
    "remove_expired_exports": lambda: handlers.schedules.remove_expired_exports,
    # issue 27: deleting an account
    "runAccountDeletion": lambda: handlers.accounts.runAccountDeletion,
}
# The pose codebase's functions (functions_pose/main.py, its own venv with the pose model):
# the pose photo endpoints, and the analysis task, whose built-in analyzer tracks keypoints.
POSE_HANDLERS: dict[str, Callable[[], Any]] = {
    "pose_api": lambda: handlers.pose.pose_api,
    "analyzeSession": lambda: handlers.analysis.analyzeSession,
}
# Deployed only with an analysis backend (SESSIONBASE_ANALYSIS_BACKEND_URL in functions/.env,
# which firebase deploy reads while discovering the functions): without one nobody may call back.
WITH_A_BACKEND = frozenset({"analysis_callback"})
# The instances that hold the backend's key: they refuse to start with a weak one.
HOLD_THE_KEY = frozenset({"analysis_callback", "analyzeSession"})


def callables() -> dict[str, Any]:
    """One callable per API operation (``handlers/callables.py``)."""
    return handlers.callables.CALLABLES


def exported(target: str | None) -> dict[str, Any]:
    """The functions ``main`` exports: ``target`` alone when it is known, else all of them
    (those of ``WITH_A_BACKEND`` only when an analysis backend is configured).

    An instance that holds the backend's key refuses to start when the key is weak or missing
    (``settings.InvalidConfiguration``, naming the variable): its deploy then fails."""
    if target in HANDLERS:
        if target in HOLD_THE_KEY:
            settings.refuse_weak_analysis_keys()
        return {target: HANDLERS[target]()}
    every_callable = callables()
    if target in every_callable:
        return {target: every_callable[target]}
    backend = settings.analysis_backend_configured()
    deployed = {name: h for name, h in HANDLERS.items() if backend or name not in WITH_A_BACKEND}
    return {**every_callable, **{name: handler() for name, handler in deployed.items()}}


def exported_pose(target: str | None) -> dict[str, Any]:
    """The functions the pose codebase's ``main`` exports: ``target`` alone when it is one of
    them, else all of ``POSE_HANDLERS`` (the same key check as ``exported``)."""
    if target in POSE_HANDLERS:
        if target in HOLD_THE_KEY:
            settings.refuse_weak_analysis_keys()
        return {target: POSE_HANDLERS[target]()}
    return {name: handler() for name, handler in POSE_HANDLERS.items()}
