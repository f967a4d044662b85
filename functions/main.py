"""Deployed Cloud Functions: the REST function ``api`` and one callable per API operation.

The deployed function id is the name in this module; the callables are named after their
operations (handlers/operations.py), e.g. ``createSession``.
"""

from sessionbase.handlers.callables import CALLABLES
from sessionbase.handlers.rest import api

globals().update(CALLABLES)
