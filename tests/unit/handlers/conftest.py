"""The handler tests drive the real handlers with werkzeug requests and emulator-style tokens.

With FIREBASE_AUTH_EMULATOR_HOST set, firebase_admin verifies ID tokens as the Auth emulator
issues them (unsigned, but audience and issuer are still checked; the API checks the expiry), so
no network is needed. The tokens come from ``tests.tokens.unsigned_id_token``, the requests
from ``tests.unit.handlers.request_builder``.

The check of the caller's standing (deleted, disabled, revoked, current role: ``handlers/auth.py:
_gate``, ``store/standing.py``) needs the emulators; here the token's own claims stand, and the
emulator tier tests that check (tests/emulator/test_revocation.py). So with rate limits
(``services/limits.py``: a counter read before a limited operation runs): none here, the
emulator tier tests them (tests/emulator/test_rate_limits.py).
"""

from __future__ import annotations

import pytest

from tests.tokens import PROJECT


@pytest.fixture(autouse=True)
def _emulated_auth(monkeypatch):
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9")
    monkeypatch.setenv("GCLOUD_PROJECT", PROJECT)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", PROJECT)
    # Nothing listens here: a handler that touches Firestore before refusing bad input fails loudly.
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9")
    from sessionbase.handlers import auth
    from sessionbase.store.client import firestore_client

    monkeypatch.setattr(auth, "_gate", lambda claims, caller: None)
    from sessionbase.services import limits

    monkeypatch.setattr(limits, "check", lambda *_args, **_kwargs: None)
    monkeypatch.setattr(limits, "spend", lambda *_args, **_kwargs: None)

    firestore_client.cache_clear()
    yield
    firestore_client.cache_clear()
