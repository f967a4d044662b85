"""Client-side access to the Firestore emulator for security-rules tests.

Requests go over the emulator's REST API exactly as a signed-in web client's would: with an
unsigned ID token (the emulator accepts `alg: none`; built by `tests.tokens.unsigned_id_token`), or
with no token for an anonymous visitor.
Seeding uses `Bearer owner`, which bypasses the rules.

The rules tests use their own project ids, never the app's `demo-sessionbase`: other emulator
tests load their rules there, and compiling storage.rules replaces a project's Firestore ruleset.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from devtools.firestore_rest import encode_fields, encode_value
from tests.tokens import unsigned_id_token

REPO_ROOT = Path(__file__).resolve().parents[2]
RULES_PROJECT = "demo-sessionbase-rules"
STORAGE_COMPILE_PROJECT = "demo-sessionbase-storage-rules-compile"
TIMEOUT_S = 10
# Fixed token times: the emulator checks no signature and no clock skew, and identical tokens keep
# the rule-coverage report (which records every distinct value) small.
TOKEN_IAT = 1_767_225_600  # 2026-01-01T00:00:00Z
TOKEN_EXP = 4_102_444_800  # 2100-01-01T00:00:00Z


def emulator_base() -> str | None:
    """The Firestore emulator's base URL, or None when FIRESTORE_EMULATOR_HOST is unset."""
    host = os.environ.get("FIRESTORE_EMULATOR_HOST")
    return f"http://{host}" if host else None


@dataclass(frozen=True, kw_only=True)
class Actor:
    """Someone making a client request: a signed-in user, or nobody (anonymous)."""

    name: str
    uid: str | None = None
    email: str | None = None
    email_verified: bool = True
    role: str | None = None  # the token's claim; the rules take the role from users/{uid}
    current: bool = True  # False: revoked, disabled or demoted after this token's sign-in

    def token(self, project: str) -> str | None:
        """The ID token this actor sends, or None for an anonymous visitor."""
        if self.uid is None:
            return None
        return unsigned_id_token(
            self.uid,
            project=project,
            email=self.email,
            email_verified=self.email_verified,
            role=self.role or None,
            issued_at=TOKEN_IAT,
            expires_at=TOKEN_EXP,
        )


# ---- queries
@dataclass(frozen=True, kw_only=True)
class Query:
    """A collection query: `where field == value` filters (ANDed) and an optional order."""

    collection: str  # a collection path: "sessions" or "sessions/s-a1/notes"
    where: tuple[tuple[str, Any], ...] = ()
    order_by: tuple[str, str] | None = None  # (field, "asc" | "desc")

    def describe(self) -> str:
        """A short human label, e.g. `sessions where athleteId==me orderBy createdAt desc`."""
        parts = [self.collection]
        parts += [f"where {f}=={v}" for f, v in self.where]
        if self.order_by:
            parts.append(f"orderBy {self.order_by[0]} {self.order_by[1]}")
        return " ".join(parts)

    def structured(self) -> dict[str, Any]:
        """The REST `structuredQuery` body."""
        collection_id = self.collection.rsplit("/", 1)[-1]
        body: dict[str, Any] = {"from": [{"collectionId": collection_id}]}
        # ``== null`` is a unary IS_NULL filter, as the JS SDK sends ``where(f, "==", null)``.
        filters = [
            {"unaryFilter": {"field": {"fieldPath": f}, "op": "IS_NULL"}}
            if v is None
            else {
                "fieldFilter": {
                    "field": {"fieldPath": f},
                    "op": "EQUAL",
                    "value": encode_value(v),
                }
            }
            for f, v in self.where
        ]
        if len(filters) == 1:
            body["where"] = filters[0]
        elif filters:
            body["where"] = {"compositeFilter": {"op": "AND", "filters": filters}}
        if self.order_by:
            direction = "DESCENDING" if self.order_by[1] == "desc" else "ASCENDING"
            body["orderBy"] = [{"field": {"fieldPath": self.order_by[0]}, "direction": direction}]
        return body


# ---- the client
@dataclass
class Outcome:
    """What a client request came to: allowed (with how many documents) or denied."""

    allowed: bool
    documents: int = 0
    detail: str = ""


@dataclass
class FirestoreRestClient:
    """The Firestore emulator's REST API for one project."""

    base: str
    project: str
    http: requests.Session = field(default_factory=requests.Session)

    @property
    def documents_url(self) -> str:
        """URL of the project's `(default)` database documents root."""
        return f"{self.base}/v1/projects/{self.project}/databases/(default)/documents"

    def doc_name(self, path: str) -> str:
        """The full resource name of a document path."""
        return f"projects/{self.project}/databases/(default)/documents/{path}"

    # -- admin (rules bypassed) ------------------------------------------------------------------
    def load_rules(self, name: str, content: str) -> requests.Response:
        """Replace the project's ruleset; 200 when it compiles, 400 with errors when not."""
        return self.http.put(
            f"{self.base}/emulator/v1/projects/{self.project}:securityRules",
            json={"rules": {"files": [{"name": name, "content": content}]}},
            timeout=TIMEOUT_S,
        )

    def wipe(self) -> None:
        """Delete every document of this project (only this project)."""
        resp = self.http.delete(
            f"{self.base}/emulator/v1/projects/{self.project}/databases/(default)/documents",
            timeout=TIMEOUT_S,
        )
        resp.raise_for_status()

    def seed(self, docs: dict[str, dict[str, Any]]) -> None:
        """Write all documents in one commit, as `owner`."""
        writes = [
            {"update": {"name": self.doc_name(path), "fields": encode_fields(data)}}
            for path, data in docs.items()
        ]
        resp = self.http.post(
            f"{self.documents_url}:commit",
            headers={"Authorization": "Bearer owner"},
            json={"writes": writes},
            timeout=TIMEOUT_S,
        )
        resp.raise_for_status()

    def coverage(self, suffix: str = "") -> requests.Response:
        """The emulator's rule-coverage report (`suffix=".html"` for the HTML page)."""
        return self.http.get(
            f"{self.base}/emulator/v1/projects/{self.project}:ruleCoverage{suffix}",
            timeout=TIMEOUT_S,
        )

    # -- client requests (rules enforced) --------------------------------------------------------
    def _headers(self, actor: Actor) -> dict[str, str]:
        token = actor.token(self.project)
        return {"Authorization": f"Bearer {token}"} if token else {}

    @staticmethod
    def _outcome(resp: requests.Response, what: str) -> Outcome:
        if resp.status_code == 403:
            return Outcome(allowed=False, detail=resp.text[:300])
        if resp.status_code == 404 and what.startswith("get "):
            # The rules allowed the read of a document that does not exist; rows that must find
            # one say so (Row.expect_results), so a broken seed still fails.
            return Outcome(allowed=True, documents=0)
        if resp.status_code != 200:
            # 404, 400, 409 ... mean the test itself is wrong (missing seed, bad request).
            raise AssertionError(f"{what}: unexpected HTTP {resp.status_code}: {resp.text[:500]}")
        body = resp.json()
        if isinstance(body, list):  # runQuery streams one entry per result (or a bare readTime)
            for entry in body:
                if "error" in entry:
                    err = entry["error"]
                    if err.get("status") == "PERMISSION_DENIED" or err.get("code") == 403:
                        return Outcome(allowed=False, detail=str(err)[:300])
                    raise AssertionError(f"{what}: query error {err}")
            return Outcome(allowed=True, documents=sum("document" in e for e in body))
        return Outcome(allowed=True, documents=1)

    def get(self, actor: Actor, path: str) -> Outcome:
        """Read one document."""
        resp = self.http.get(
            f"{self.documents_url}/{path}", headers=self._headers(actor), timeout=TIMEOUT_S
        )
        return self._outcome(resp, f"get {path}")

    def query(self, actor: Actor, query: Query) -> Outcome:
        """Run a collection query (a `list` in rules terms)."""
        parent = query.collection.rsplit("/", 1)[0] if "/" in query.collection else ""
        url = (
            f"{self.documents_url}/{parent}:runQuery"
            if parent
            else f"{self.documents_url}:runQuery"
        )
        resp = self.http.post(
            url,
            headers=self._headers(actor),
            json={"structuredQuery": query.structured()},
            timeout=TIMEOUT_S,
        )
        return self._outcome(resp, f"query {query.describe()}")

    def create(self, actor: Actor, path: str, data: dict[str, Any]) -> Outcome:
        """Create a document that does not exist yet."""
        parent, doc_id = path.rsplit("/", 1)
        resp = self.http.post(
            f"{self.documents_url}/{parent}",
            params={"documentId": doc_id},
            headers=self._headers(actor),
            json={"fields": encode_fields(data)},
            timeout=TIMEOUT_S,
        )
        return self._outcome(resp, f"create {path}")

    def update(self, actor: Actor, path: str, data: dict[str, Any]) -> Outcome:
        """Update fields of an existing document."""
        resp = self.http.patch(
            f"{self.documents_url}/{path}",
            params={"currentDocument.exists": "true", "updateMask.fieldPaths": list(data)},
            headers=self._headers(actor),
            json={"fields": encode_fields(data)},
            timeout=TIMEOUT_S,
        )
        return self._outcome(resp, f"update {path}")

    def delete(self, actor: Actor, path: str) -> Outcome:
        """Delete an existing document."""
        resp = self.http.delete(
            f"{self.documents_url}/{path}",
            params={"currentDocument.exists": "true"},
            headers=self._headers(actor),
            timeout=TIMEOUT_S,
        )
        return self._outcome(resp, f"delete {path}")
