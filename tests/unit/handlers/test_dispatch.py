"""handlers/dispatch.py: path ids reach services in snake case."""

from __future__ import annotations

from sessionbase.handlers.dispatch import snake_case


def test_snake_case():
    assert snake_case("sessionId") == "session_id"
    assert snake_case("invitationId") == "invitation_id"
