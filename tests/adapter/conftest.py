"""Adapter tests drive the real handlers with werkzeug requests and emulator-style tokens.

With FIREBASE_AUTH_EMULATOR_HOST set, firebase_admin verifies ID tokens as the Auth emulator
issues them (unsigned, but audience, issuer and expiry are still checked), so no network is needed.
"""

from __future__ import annotations

import base64
import json
import time

import pytest
from werkzeug.test import EnvironBuilder

PROJECT = "demo-sessionbase"


@pytest.fixture(autouse=True)
def _emulated_auth(monkeypatch):
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9")
    monkeypatch.setenv("GCLOUD_PROJECT", PROJECT)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", PROJECT)
    # Nothing listens here: a handler that touches Firestore before refusing bad input fails loudly.
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9")
    from sessionbase.store.client import firestore_client

    firestore_client.cache_clear()
    yield
    firestore_client.cache_clear()


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def unsigned_token(uid: str = "u1", *, expires_in: int = 3600, **claims) -> str:
    """An ID token shaped like the Auth emulator's."""
    now = int(time.time())
    payload = {
        "iss": f"https://securetoken.google.com/{PROJECT}",
        "aud": PROJECT,
        "auth_time": now - 10,
        "user_id": uid,
        "sub": uid,
        "iat": now - 10,
        "exp": now + expires_in,
        "email": f"{uid}@example.com",
        "email_verified": True,
        "firebase": {"identities": {}, "sign_in_provider": "password"},
        **claims,
    }
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(payload)}."


def build_request(method: str, path: str, **kwargs):
    """A flask Request as the Functions framework hands it to a handler."""
    from flask import Request

    return Request(EnvironBuilder(method=method, path=path, **kwargs).get_environ())
