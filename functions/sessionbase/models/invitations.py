"""Invitation models: a coach invites an athlete by e-mail; accepting links them."""

from __future__ import annotations

from sessionbase.models.sessions import Email, _Strict


class InvitationCreate(_Strict):
    """Body of ``POST /api/invitations``."""

    athleteEmail: Email
