"""Deployed Cloud Functions: ``api``, one callable per API operation, triggers and schedules.

The deployed function id is the name in this module; the callables are named after their
operations (handlers/operations.py), e.g. ``createSession``.
"""

from sessionbase.handlers.callables import CALLABLES
from sessionbase.handlers.rest import api
from sessionbase.handlers.schedules import end_overdue_live_sessions, reconcile_statistics
from sessionbase.handlers.triggers import count_session_change, recount_on_timezone_change

globals().update(CALLABLES)
