"""Deployed Cloud Functions: each handler re-exported under its own name (the function id)."""

from sessionbase.handlers.callables import createSession, getSession, listSessions
from sessionbase.handlers.rest import api
