"""Deployed Cloud Functions: each handler re-exported under its own name (the function id)."""

from sessionbase.handlers.callables import (
    acceptInvitation,
    createInvitation,
    createSession,
    createSessionWithAthlete,
    deleteSession,
    getSession,
    getSessionStats,
    linkBackendSession,
    listInvitations,
    listSessions,
    revokeInvitation,
    updateSession,
)
from sessionbase.handlers.rest import api
