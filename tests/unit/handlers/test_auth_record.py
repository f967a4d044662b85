"""The per-instance Auth record (handlers/auth.py: _account): kept for the window, never looked
up when the window is off. Auth is played by a counting stand-in for ``firebase_admin.auth``'s
``get_user`` (the emulator tier runs the real lookup: tests/emulator/test_revocation.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sessionbase.handlers import auth
from sessionbase.models.identity import Role


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from firebase_admin import auth as admin_auth

    asked: list[str] = []

    def get_user(uid: str) -> SimpleNamespace:
        asked.append(uid)
        return SimpleNamespace(
            disabled=False, tokens_valid_after_timestamp=None, custom_claims={"role": "admin"}
        )

    monkeypatch.setattr(admin_auth, "get_user", get_user)
    monkeypatch.setattr(auth, "_records", type(auth._records)())
    return asked


def test_an_instance_keeps_the_record_for_the_window(monkeypatch, lookups):
    monkeypatch.setenv("SESSIONBASE_AUTH_RECORD_SECONDS", "30")
    first = auth._account("u1", Role.ATHLETE)()
    again = auth._account("u1", Role.ATHLETE)()
    assert (first.role, again.role) == (Role.ADMIN, Role.ADMIN)
    assert lookups == ["u1"]
    monkeypatch.setenv("SESSIONBASE_AUTH_RECORD_SECONDS", "0")
    auth._account("u1", Role.ATHLETE)()
    assert lookups == ["u1", "u1"]


def test_with_the_window_off_nothing_is_looked_up(monkeypatch, lookups):
    monkeypatch.setenv("SESSIONBASE_AUTH_RECORD_SECONDS", "off")
    account = auth._account("u1", Role.COACH)()
    assert (account.exists, account.disabled, account.role) == (True, False, Role.COACH)
    assert lookups == []
