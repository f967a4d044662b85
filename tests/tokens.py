"""Firebase ID tokens as the Auth emulator issues them, for tests that act as a client.

The Auth emulator signs nothing: its ID tokens are JWTs with ``alg: none`` and an empty signature.
Everything that runs against the emulators takes them: firebase_admin's ``verify_id_token`` when
FIREBASE_AUTH_EMULATOR_HOST is set (the handler tests of the unit tier), the Functions emulator's
callables and the Hosting-served API (emulator tier), and the Firestore emulator's security rules
(rules tests).
They still check the audience and issuer against the project, and our API checks the expiry, so a
test can be any user, with any claims, for any project, or hand in a token that is wrong in exactly
one way (expired, another project's) without signing anything.

One builder for every tier: ``unsigned_id_token()``. Import it as ``from tests.tokens import
unsigned_id_token`` (pytest's ``pythonpath`` includes the repository root).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from typing import Any, Final

PROJECT: Final = "demo-sessionbase"
UID_AT_EXAMPLE: Final = "<uid>@example.com"  # the default e-mail: the uid at example.com


def unsigned_id_token(
    uid: str = "u1",
    *,
    project: str = PROJECT,
    email: str | None = UID_AT_EXAMPLE,
    email_verified: bool = True,
    role: str | None = None,
    claims: Mapping[str, Any] | None = None,
    expires_in: int = 3600,
    expires_at: int | None = None,
    issued_at: int | None = None,
) -> str:
    """An ``alg: none`` Firebase ID token for ``uid``, shaped like the Auth emulator's.

    - ``project``: the audience (``aud``) and issuer (``iss``) the token is for.
    - ``email``: the ``email`` claim; by default ``<uid>@example.com``; ``None`` leaves out both
      ``email`` and ``email_verified`` (an account without an address).
    - ``email_verified``: whether the address counts as verified (the link was clicked).
    - ``role``: the ``role`` custom claim (``"coach"``, ``"admin"``); ``None`` sets none, which
      the API and the rules read as an athlete.
    - ``claims``: more claims, applied last, so they may override any of the above
      (``claims={"aud": "another-project"}`` makes a token for the wrong project).
    - ``expires_in``: seconds from now until ``exp``; negative for a token that has expired.
    - ``expires_at``: ``exp`` as a Unix time instead; it wins over ``expires_in``.
    - ``issued_at``: ``iat`` and ``auth_time`` as a Unix time; by default ten seconds ago.

    Fixing ``issued_at`` and ``expires_at`` makes the token the same on every call (the rules
    tests do, so that the emulator's rule-coverage report, which records every distinct value,
    stays small).
    """
    now = int(time.time())
    issued = now - 10 if issued_at is None else issued_at
    payload: dict[str, Any] = {
        "iss": f"https://securetoken.google.com/{project}",
        "aud": project,
        "auth_time": issued,
        "iat": issued,
        "exp": now + expires_in if expires_at is None else expires_at,
        "sub": uid,
        "user_id": uid,
        "firebase": {"identities": {}, "sign_in_provider": "password"},
    }
    if email is not None:
        payload["email"] = f"{uid}@example.com" if email == UID_AT_EXAMPLE else email
        payload["email_verified"] = email_verified
    if role is not None:
        payload["role"] = role
    payload.update(claims or {})
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(payload)}."


def _b64(part: Mapping[str, Any]) -> str:
    raw = json.dumps(part, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
