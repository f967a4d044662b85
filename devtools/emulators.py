"""Talking to the local emulators as the web app does: Auth REST, Hosting, callables."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

PROJECT = os.environ.get("GCLOUD_PROJECT", "demo-sessionbase")
REGION = "us-central1"
API_KEY = "fake-api-key"  # the Auth emulator accepts any key


def _discover() -> dict[str, str]:
    """Emulator origins, from the hub that ``firebase emulators:exec`` announces, else defaults."""
    found = {
        "auth": "127.0.0.1:9099",
        "firestore": "127.0.0.1:8080",
        "hosting": "127.0.0.1:5000",
        "functions": "127.0.0.1:5001",
    }
    hub = os.environ.get("FIREBASE_EMULATOR_HUB")
    if hub:
        try:
            listing = requests.get(f"http://{hub}/emulators", timeout=5).json()
        except (requests.RequestException, ValueError):
            listing = {}
        for name, info in listing.items():
            found[name] = f"{info['host']}:{info['port']}"
    return {name: f"http://{origin}" for name, origin in found.items()}


_ORIGINS = _discover()
AUTH = _ORIGINS["auth"]
FIRESTORE = _ORIGINS["firestore"]
HOSTING = _ORIGINS["hosting"]
FUNCTIONS = _ORIGINS["functions"]
IDENTITY = f"{AUTH}/identitytoolkit.googleapis.com/v1"
OWNER = {"Authorization": "Bearer owner"}


@dataclass(frozen=True, kw_only=True)
class User:
    """A real Auth-emulator user and a fresh ID token for them."""

    uid: str
    email: str
    password: str
    role: str
    id_token: str

    @property
    def bearer(self) -> dict[str, str]:
        """The header the web app sends."""
        return {"Authorization": f"Bearer {self.id_token}"}


def sign_up(
    email: str,
    password: str,
    *,
    role: str | None = None,
    name: str | None = None,
    verified: bool = True,
) -> User:
    """Create a user over the Auth REST API, give the role (the claim, and ``users/{uid}.role``
    that the security rules read: what scripts/grant_role.py does), sign in.

    ``verified`` stands for the user having clicked the verification link the app sends.
    """
    reply = requests.post(
        f"{IDENTITY}/accounts:signUp?key={API_KEY}",
        json={"email": email, "password": password, "returnSecureToken": True},
        timeout=10,
    )
    reply.raise_for_status()
    uid = reply.json()["localId"]
    attributes: dict[str, Any] = {"localId": uid, "emailVerified": verified}
    if name:
        attributes["displayName"] = name
    if role:
        attributes["customAttributes"] = json.dumps({"role": role})
    requests.post(
        f"{IDENTITY}/projects/{PROJECT}/accounts:update", json=attributes, headers=OWNER, timeout=10
    ).raise_for_status()
    if role:  # recorded where the security rules read it, as the role operation records it
        put_document(
            f"users/{uid}",
            {"role": role, "email": email.lower(), "displayName": name, "roleVersion": 1},
        )
    return sign_in(email, password, role=role or "athlete")


def sign_in(email: str, password: str, *, role: str = "athlete") -> User:
    """Sign in with e-mail and password; the ID token carries the current custom claims."""
    reply = requests.post(
        f"{IDENTITY}/accounts:signInWithPassword?key={API_KEY}",
        json={"email": email, "password": password, "returnSecureToken": True},
        timeout=10,
    )
    reply.raise_for_status()
    body = reply.json()
    return User(
        uid=body["localId"], email=email, password=password, role=role, id_token=body["idToken"]
    )


def verify_email(user: User) -> User:
    """What clicking the verification link does: the app sends the mail (sendOobCode), the Auth
    emulator records the link's code, applying it verifies the address; the new sign-in this
    returns carries ``email_verified``."""
    requests.post(
        f"{IDENTITY}/accounts:sendOobCode?key={API_KEY}",
        json={"requestType": "VERIFY_EMAIL", "idToken": user.id_token},
        timeout=10,
    ).raise_for_status()
    codes = requests.get(f"{AUTH}/emulator/v1/projects/{PROJECT}/oobCodes", timeout=10).json()
    code = next(
        c["oobCode"]
        for c in reversed(codes["oobCodes"])
        if c["email"] == user.email.lower() and c["requestType"] == "VERIFY_EMAIL"
    )
    requests.post(
        f"{IDENTITY}/accounts:update?key={API_KEY}", json={"oobCode": code}, timeout=10
    ).raise_for_status()
    return sign_in(user.email, user.password, role=user.role)


def api(method: str, path: str, user: User | None = None, **kwargs: Any) -> requests.Response:
    """A REST call through the Hosting rewrite, as ``fetch('/api/...')`` makes it."""
    headers = dict(kwargs.pop("headers", {}))
    if user is not None:
        headers.update(user.bearer)
    for _ in range(2):  # as a client does: a 503 is retried when repeating the request is safe
        reply = requests.request(method, f"{HOSTING}{path}", headers=headers, timeout=60, **kwargs)
        if reply.status_code != 503 or method.upper() not in SAFE_TO_REPEAT:
            return reply
        time.sleep(float(reply.headers.get("Retry-After", "1")))
    return requests.request(method, f"{HOSTING}{path}", headers=headers, timeout=60, **kwargs)


# Requests a client may send again after a 503 ``unavailable`` (errors.Unavailable): whether the
# first was applied is unknown, and repeating these changes nothing more.
SAFE_TO_REPEAT = frozenset({"GET", "HEAD", "PUT", "DELETE"})


def call(name: str, data: Any, user: User | None = None) -> requests.Response:
    """A callable function invoked as ``httpsCallable(functions, name)(data)`` does."""
    headers = {"Content-Type": "application/json"}
    if user is not None:
        headers.update(user.bearer)
    return requests.post(
        f"{FUNCTIONS}/{PROJECT}/{REGION}/{name}",
        data=json.dumps({"data": data}),
        headers=headers,
        timeout=60,
    )


def join_group(owner: User, group_id: str, member: User, *, by: str = "email") -> str:
    """Make ``member`` a member of the group as the API does: the owner invites them (by
    ``"email"`` or ``"userId"``), and they accept, signed in as themself. Returns the invitation id.
    """
    address = {"email": member.email} if by == "email" else {"userId": member.uid}
    sent = api("POST", f"/api/groups/{group_id}/members", owner, json=address)
    if sent.status_code != 201:
        raise AssertionError(
            f"inviting {member.email} to {group_id}: {sent.status_code} {sent.text}"
        )
    invitation_id = str(sent.json()["invitationId"])
    accepted = api("POST", f"/api/invitations/{invitation_id}/accept", member)
    if accepted.status_code != 200:
        raise AssertionError(f"{member.email} accepting: {accepted.status_code} {accepted.text}")
    return invitation_id


def reset() -> None:
    """Wipe every Firestore document and every Auth user of the project.

    The Firestore emulator answers 499 (cancelled) when a wipe meets a listener that a test's
    Node process is closing at that moment; the wipe is then simply asked again.
    """
    url = f"{FIRESTORE}/emulator/v1/projects/{PROJECT}/databases/(default)/documents"
    for _ in range(5):
        reply = requests.delete(url, timeout=30)
        if reply.status_code != 499:
            break
        time.sleep(0.2)
    reply.raise_for_status()
    requests.delete(
        f"{AUTH}/emulator/v1/projects/{PROJECT}/accounts", timeout=30
    ).raise_for_status()


def run_query(query: dict) -> list[dict]:
    """The documents a structured query finds, run as the emulator's owner (bypasses rules)."""
    base = f"projects/{PROJECT}/databases/(default)/documents"
    reply = requests.post(
        f"{FIRESTORE}/v1/{base}:runQuery",
        json={"structuredQuery": query},
        headers=OWNER,
        timeout=30,
    )
    reply.raise_for_status()
    return [row["document"] for row in reply.json() if "document" in row]


def update_times(*, without: str | None = None) -> dict[str, str]:
    """Every document of the project (its path) and its update time, as the emulator's owner;
    names only, not bodies. ``without``: a top-level collection left out by the query itself
    (two ranges of names around it), so that a collection that grows with every request (the
    audit trail) does not make each snapshot slower than the last."""
    base = f"projects/{PROJECT}/databases/(default)/documents"

    def names(where: dict | None) -> list[dict]:
        query: dict = {
            "from": [{"allDescendants": True}],
            "select": {"fields": [{"fieldPath": "__name__"}]},
        }
        if where is not None:
            query["where"] = where
        return run_query(query)

    def beyond(op: str, name: str) -> dict:
        value = {"referenceValue": f"{base}/{name}"}
        return {"fieldFilter": {"field": {"fieldPath": "__name__"}, "op": op, "value": value}}

    if without is None:
        found = names(None)
    else:  # ids in it are ours: hex digits, or a function's name and an event id
        found = names(beyond("LESS_THAN", f"{without}/0")) + names(
            beyond("GREATER_THAN", f"{without}/~")
        )
    return {
        document["name"].split("/documents/", 1)[1]: document["updateTime"] for document in found
    }


def documents(path: str) -> list[dict]:
    """Every document of a collection, read as the emulator's owner (bypasses rules)."""
    url = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents/{path}"
    found, token = [], None
    while True:
        params = {"pageSize": 300, **({"pageToken": token} if token else {})}
        reply = requests.get(url, headers=OWNER, params=params, timeout=30)
        reply.raise_for_status()
        body = reply.json()
        found.extend(body.get("documents", []))
        token = body.get("nextPageToken")
        if not token:
            return found


def writes_audited_since(path: str, since: datetime) -> int:
    """How many requests, events and runs wrote the document at ``path`` from ``since`` on, by
    the audit trail (an entry lists every document its scope wrote), read as the emulator's
    owner."""
    where = {
        "fieldFilter": {
            "field": {"fieldPath": "documents"},
            "op": "ARRAY_CONTAINS",
            "value": {"stringValue": path},
        }
    }
    entries = run_query({"from": [{"collectionId": "auditLog"}], "where": where})
    stamps = [datetime.fromisoformat(e["fields"]["at"]["timestampValue"]) for e in entries]
    return sum(1 for at in stamps if at >= since)


def document(path: str) -> dict | None:
    """One document as the emulator's owner reads it (bypasses rules), or None if it is absent:
    its fields and update time, for tests that check nothing was written."""
    url = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents/{path}"
    reply = requests.get(url, headers=OWNER, timeout=30)
    if reply.status_code == 404:
        return None
    reply.raise_for_status()
    return reply.json()


def delete_document(path: str) -> None:
    """Delete a document as the emulator's owner, for test set-up the API cannot make."""
    url = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents/{path}"
    requests.delete(url, headers=OWNER, timeout=30).raise_for_status()


def bucket(name: str = f"{PROJECT}.appspot.com"):
    """The default bucket on the local GCS-compatible server (STORAGE_EMULATOR_HOST)."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    return storage.Client(project=PROJECT, credentials=AnonymousCredentials()).bucket(name)


def put_document(path: str, fields: dict[str, Any]) -> None:
    """Write a document as the emulator's owner, for test set-up the API cannot make."""
    from devtools.firestore_rest import encode_fields

    url = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents/{path}"
    body = {"fields": encode_fields(fields)}
    requests.patch(url, json=body, headers=OWNER, timeout=30).raise_for_status()


def field(document: dict, name: str) -> Any:
    """A plain value from a Firestore REST document (strings, numbers, booleans, null)."""
    value = document["fields"].get(name, {"nullValue": None})
    kind, raw = next(iter(value.items()))
    return {"integerValue": int, "doubleValue": float}.get(kind, lambda v: v)(raw)
