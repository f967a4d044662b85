"""The caller's standing costs no round trip of its own (issue 28, docs/decisions.md "The caller's
standing"): the handler runs in this process against the emulators, with the Firestore client's
round trips and the Auth lookups recorded, beside the same service run without the check."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from google.cloud.firestore_v1.client import Client
from google.cloud.firestore_v1.document import DocumentReference
from google.cloud.firestore_v1.query import Query
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from devtools.emulators import put_document
from sessionbase.models.identity import Caller, Role
from sessionbase.services.context import Context
from sessionbase.store.client import firestore_client
from sessionbase.store.storage import default_objects
from sessionbase.store.work import Store
from tests.uploads import linked, new_session


class Trips:
    """What crossed the network, in order: ``get``, ``get_all`` (with its documents), ``query``
    and ``auth``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.made: list[tuple[str, tuple[str, ...]]] = []

    def add(self, kind: str, paths: tuple[str, ...] = ()) -> None:
        with self.lock:
            self.made.append((kind, paths))


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> Trips:
    from firebase_admin import auth

    recorded = Trips()
    get, get_all, stream, get_user = (
        DocumentReference.get,
        Client.get_all,
        Query.stream,
        auth.get_user,
    )

    def recording_get(self, *args, **kwargs):
        recorded.add("get", (self.path,))
        return get(self, *args, **kwargs)

    def recording_get_all(self, references, *args, **kwargs):
        references = list(references)
        recorded.add("get_all", tuple(sorted(r.path for r in references)))
        return get_all(self, references, *args, **kwargs)

    def recording_stream(self, *args, **kwargs):
        recorded.add("query")
        return stream(self, *args, **kwargs)

    def recording_get_user(uid, *args, **kwargs):
        recorded.add("auth")
        return get_user(uid, *args, **kwargs)

    monkeypatch.setattr(DocumentReference, "get", recording_get)
    monkeypatch.setattr(Client, "get_all", recording_get_all)
    monkeypatch.setattr(Query, "stream", recording_stream)
    monkeypatch.setattr(auth, "get_user", recording_get_user)
    return recorded


def get(user, path: str):
    from sessionbase.handlers.rest import dispatch

    environ = EnvironBuilder(path=path, method="GET", headers=user.bearer).get_environ()
    return dispatch(Request(environ))


def test_a_request_checks_its_caller_in_the_round_trip_of_its_first_read(
    make_user, trips, monkeypatch
):
    from sessionbase.services.profiles import get_my_profile

    monkeypatch.setenv("SESSIONBASE_AUTH_RECORD_SECONDS", "30")  # the default (the suite's is 2)
    coach = make_user("coach")
    for _ in range(2):  # the first makes the profile; this process now keeps the Auth record
        assert get(coach, "/api/users/me").status_code == 200
    trips.made.clear()
    assert get(coach, "/api/users/me").status_code == 200
    handled = list(trips.made)
    trips.made.clear()
    caller = Caller(uid=coach.uid, email=coach.email, email_verified=True, name=None,
                    role=Role.COACH)  # fmt: skip
    ctx = Context(caller=caller, store=Store(firestore_client()), now=datetime.now(UTC),
                  objects=default_objects())  # fmt: skip
    get_my_profile(ctx)
    # The service alone reads the profile; the request reads it in the same round trip as the
    # caller's standing (the profile again, and the deletion job), and asks Auth nothing.
    assert trips.made == [("get", (f"users/{coach.uid}",))]
    assert handled == [("get_all", (f"accountDeletions/{coach.uid}", f"users/{coach.uid}"))]


def test_a_refusal_recorded_meanwhile_is_seen_by_the_next_request(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    path = f"/api/sessions/{session_id}"
    assert get(coach, path).status_code == 200
    put_document(f"users/{coach.uid}", {"role": "coach", "disabled": True})
    refused = get(coach, path)
    assert refused.status_code == 401
    assert "disabled" in refused.get_json()["detail"]
