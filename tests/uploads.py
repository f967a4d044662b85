"""Helpers for the upload and analysis tests: sessions to upload to, uploads through the API's
upload URL, waiting for an analysis, and callbacks signed as the analysis backend signs them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import requests

from devtools.emulators import api, documents, field

ANALYSED_WITHIN = 90.0  # seconds from the upload to a final analysis state
SECRET_FILE = Path(__file__).resolve().parents[1] / "functions" / ".secret.local"


def ok(reply, status=200) -> dict:
    assert reply.status_code == status, reply.text
    return reply.json()


def linked(make_user):
    coach, athlete = make_user("coach"), make_user()
    invitation = ok(
        api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}), 201
    )
    ok(api("POST", f"/api/invitations/{invitation['invitationId']}/accept", athlete))
    return coach, athlete


def new_session(coach, athlete) -> str:
    body = {"athleteId": athlete.uid, "event": "Vault", "sessionType": "Analysis"}
    return ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"]


def upload(user, session_id: str, data: bytes, *, name="jump.mp4", kind="video", type_=None):
    """Ask for an upload URL, PUT the bytes there as a browser or curl would; the target path."""
    content_type = type_ or ("video/mp4" if kind == "video" else "application/pdf")
    body = {"fileName": name, "contentType": content_type, "size": len(data) or None, "kind": kind}
    if not data:
        del body["size"]
    target = ok(api("POST", f"/api/sessions/{session_id}/upload", user, json=body))
    put = requests.put(
        target["uploadUrl"], data=data, headers={"Content-Type": content_type}, timeout=60
    )
    assert put.status_code in (200, 201), put.text
    return target


def session_of(user, session_id: str) -> dict:
    return ok(api("GET", f"/api/sessions/{session_id}", user))


def analysed(user, session_id: str, *, job: str | None = None) -> dict:
    """The session once its analysis (of ``job``, when given) reached completed or failed."""
    deadline = time.monotonic() + ANALYSED_WITHIN
    while True:
        session = session_of(user, session_id)
        final = session.get("analysisStatus") in ("completed", "failed")
        if final and (job is None or session.get("analysisJobId") == job):
            return session
        assert time.monotonic() < deadline, f"analysis not final in time: {session}"
        time.sleep(0.3)


def jobs_of(session_id: str) -> list[dict]:
    return [doc for doc in documents("analysisJobs") if field(doc, "sessionId") == session_id]


def secret() -> str:
    """The key the emulators share with the analysis backend (the current one)."""
    for line in SECRET_FILE.read_text().splitlines():
        if line.startswith("SESSIONBASE_ANALYSIS_SECRET="):
            return line.split("=", 1)[1].split(",")[0].strip()
    raise AssertionError(f"no analysis secret in {SECRET_FILE}")


def signed_callback(
    body: dict, *, at: float | None = None, key: str | None = None, raw=None, direction=None
):
    """POST ``body`` (or ``raw``) to the callback signed as the backend signs (``direction``:
    the callback's unless another is given)."""
    from sessionbase.domain.signatures import Direction, sign

    data = raw if raw is not None else json.dumps(body).encode()
    when = int(at if at is not None else time.time())
    header = sign(key or secret(), data, when, direction=direction or Direction.CALLBACK)
    return api(
        "POST",
        "/api/analysis/callback",
        data=data,
        headers={"Content-Type": "application/json", "X-Sessionbase-Signature": header},
    )
