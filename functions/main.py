"""Deployed Cloud Functions: the REST function ``api``, one callable per API operation, schedules.

The deployed function id is the name in this module; the callables are named after their
operations (handlers/operations.py), e.g. ``createSession``.
"""

from sessionbase.handlers.callables import CALLABLES
from sessionbase.handlers.rest import api
from sessionbase.handlers.schedules import end_overdue_live_sessions

globals().update(CALLABLES)
