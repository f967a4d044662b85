"""Idempotent creates (issue 20, item 10): a repeat of a keyed request answers the first answer
and writes nothing; callables' malformed bodies (item 12) are 400, not 500.

REST sends the key as the ``Idempotency-Key`` header, a callable as ``requestId`` in its data.
Concurrent repeats are in the race tier (tests/emulator/test_races.py).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import requests

from devtools.emulators import FUNCTIONS, PROJECT, REGION, api, call, documents
from tests.uploads import linked, ok


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def test_a_repeated_create_answers_the_first_answer_and_writes_nothing(make_user):
    coach, athlete = linked(make_user)
    key, body = str(uuid.uuid4()), {"athleteId": athlete.uid, "event": "Beam"}
    first = api("POST", "/api/sessions", coach, json=body, headers=keyed(key))
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    again = api("POST", "/api/sessions", coach, json=body, headers=keyed(key))
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(documents("sessions")) == 1
    # Without a key, or with another, a create is a new one.
    ok(api("POST", "/api/sessions", coach, json=body), 201)
    ok(api("POST", "/api/sessions", coach, json=body, headers=keyed(str(uuid.uuid4()))), 201)
    assert len(documents("sessions")) == 3


def test_a_key_sent_with_another_body_is_409_naming_it(make_user):
    coach, athlete = linked(make_user)
    key = str(uuid.uuid4())
    body = {"athleteId": athlete.uid, "event": "Beam"}
    ok(api("POST", "/api/sessions", coach, json=body, headers=keyed(key)), 201)
    other = api("POST", "/api/sessions", coach, json={**body, "event": "Vault"}, headers=keyed(key))
    assert other.status_code == 409
    assert other.json()["code"] == "already-exists"
    assert [e["field"] for e in other.json()["errors"]] == ["Idempotency-Key"]
    assert len(documents("sessions")) == 1


def test_a_key_belongs_to_its_caller(make_user):
    coach, athlete = linked(make_user)
    key = str(uuid.uuid4())
    mine = ok(api("POST", "/api/sessions", coach, json={"athleteId": athlete.uid},
                  headers=keyed(key)), 201)  # fmt: skip
    theirs = ok(api("POST", "/api/sessions", athlete, json={}, headers=keyed(key)), 201)
    assert mine["sessionId"] != theirs["sessionId"]
    assert len(documents("sessions")) == 2


def test_a_refused_request_releases_its_key(make_user):
    coach, athlete = linked(make_user)
    stranger = make_user()
    key = str(uuid.uuid4())
    refused = api("POST", "/api/sessions", coach, json={"athleteId": stranger.uid},
                  headers=keyed(key))  # fmt: skip
    assert refused.status_code == 403, refused.text
    assert documents("idempotency") == []
    # The key wrote nothing, so the corrected request may use it.
    ok(
        api("POST", "/api/sessions", coach, json={"athleteId": athlete.uid}, headers=keyed(key)),
        201,
    )
    assert len(documents("sessions")) == 1


def test_a_record_past_its_day_no_longer_counts(make_user):
    """The emulator does not run TTL policies: an expired record is refused by its time."""
    from sessionbase.store.client import firestore_client
    from sessionbase.store.idempotency import KeyRecord, record_id

    coach, athlete = linked(make_user)
    key = str(uuid.uuid4())
    body = {"athleteId": athlete.uid, "event": "Beam"}
    first = ok(api("POST", "/api/sessions", coach, json=body, headers=keyed(key)), 201)
    ref = (
        firestore_client()
        .collection("idempotency")
        .document(record_id(coach.uid, "createSession", key))
    )
    stored = KeyRecord.from_document(ref.get().to_dict())
    assert stored is not None
    assert stored.expires_at - stored.created_at == timedelta(hours=24)
    ref.update({"expiresAt": datetime.now(UTC) - timedelta(seconds=1)})
    again = ok(api("POST", "/api/sessions", coach, json=body, headers=keyed(key)), 201)
    assert again["sessionId"] != first["sessionId"]
    assert len(documents("sessions")) == 2


def test_a_callable_with_a_request_id_answers_its_first_answer(make_user):
    coach, athlete = linked(make_user)
    key = str(uuid.uuid4())
    data = {"athleteId": athlete.uid, "event": "Floor", "requestId": key}
    first = call("createSession", data, coach)
    assert first.status_code == 200, first.text
    again = call("createSession", data, coach)
    assert again.json() == first.json()
    assert len(documents("sessions")) == 1
    # The same key over REST, for the same request, is the same request.
    body = {k: v for k, v in data.items() if k != "requestId"}
    rest = ok(api("POST", "/api/sessions", coach, json=body, headers=keyed(key)), 201)
    assert rest == first.json()["result"]
    assert len(documents("sessions")) == 1
    other = call("createSession", {**data, "event": "Vault"}, coach)
    assert other.status_code == 409
    assert other.json()["error"]["details"]["errors"][0]["field"] == "requestId"


def test_a_callable_body_that_is_not_json_is_400_invalid_argument(make_user):
    user = make_user()
    url = f"{FUNCTIONS}/{PROJECT}/{REGION}/listSessions"
    headers = {"Content-Type": "application/json", **user.bearer}
    for body in (b"{", b"", b"[" * 5_000 + b"]" * 5_000, b'{"data": ' + b"9" * 5_000 + b"}", b"5"):
        reply = requests.post(url, data=body, headers=headers, timeout=60)
        assert reply.status_code == 400, (body[:20], reply.status_code, reply.text[:200])
        assert reply.json()["error"]["status"] == "INVALID_ARGUMENT"
    # A well-formed call still works through the guard.
    reply = requests.post(url, data=json.dumps({"data": {}}), headers=headers, timeout=60)
    assert reply.status_code == 200, reply.text
