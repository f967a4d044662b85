"""Profiles (issue 25): ``GET/PUT /api/users/me`` and the callables ``getMyProfile`` /
``updateMyProfile`` through the Hosting rewrite and the Functions emulator, as the web app calls
them; the profile made on first use; a time-zone change recounted by the real trigger.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from devtools.emulators import api, call, document, field
from tests.preferences import DEFAULT_PREFERENCES

SETTLE = 40  # seconds for the statistics triggers to catch up

PROFILE_KEYS = {
    "uid",
    "email",
    "displayName",
    "timezone",
    "locale",
    "photoUrl",
    "role",
    "notifications",
    "createdAt",
}


@pytest.fixture
def db(backend):
    from sessionbase.store.client import firestore_client

    return firestore_client()


def stats_of(user) -> dict:
    reply = api("GET", "/api/sessions/stats", user)
    assert reply.status_code == 200, reply.text
    return reply.json()["stats"]


def settle(db, uid: str) -> None:
    """Wait until the trigger has counted every session of the athlete: no drift."""
    from sessionbase.services.stats import reconcile
    from sessionbase.store.work import Store

    deadline = time.monotonic() + SETTLE
    while reconcile(Store(db), uid, "athlete", datetime.now(UTC), repair=False).drift:
        assert time.monotonic() < deadline, "statistics did not settle"
        time.sleep(0.5)


def profile_of(user) -> dict:
    reply = api("GET", "/api/users/me", user)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_the_first_authenticated_request_makes_the_profile(make_user):
    from devtools.emulators import sign_up

    person = sign_up("New.Person@Example.com", "password123", name="New Person")
    assert document(f"users/{person.uid}") is None  # nothing before the first use
    first = profile_of(person)
    assert set(first) == PROFILE_KEYS
    assert first | {"createdAt": None} == {
        "uid": person.uid,
        "email": "new.person@example.com",
        "displayName": "New Person",
        "timezone": "UTC",
        "locale": None,
        "photoUrl": None,
        "role": "athlete",
        "notifications": DEFAULT_PREFERENCES,
        "createdAt": None,
    }
    stored = document(f"users/{person.uid}")
    assert stored is not None
    assert field(stored, "email") == "new.person@example.com"
    assert "role" not in stored["fields"]  # role is the role operation's alone
    # Made once: a second use reads it, writes nothing, and the callable answers the same.
    assert profile_of(person) == first
    assert document(f"users/{person.uid}")["updateTime"] == stored["updateTime"]
    assert call("getMyProfile", {}, person).json()["result"] == first


def test_an_update_changes_only_what_is_sent_and_answers_the_profile(make_user):
    coach = make_user("coach")
    body = {
        "displayName": "  Carla Coach ",
        "timezone": "Europe/Berlin",
        "locale": "de-DE",
        "photoUrl": "https://example.com/carla.png",
        "notifications": {"invitationAccepted": {"email": False}},
    }
    reply = api("PUT", "/api/users/me", coach, json=body)
    assert reply.status_code == 200, reply.text
    shown = reply.json()
    assert shown["displayName"] == "Carla Coach"
    assert {k: shown[k] for k in ("timezone", "locale", "photoUrl", "role")} == {
        **{k: body[k] for k in ("timezone", "locale", "photoUrl")},
        "role": "coach",
    }
    # Every kind and channel, the choice made and the defaults for the rest.
    assert shown["notifications"] == DEFAULT_PREFERENCES | {
        "invitationAccepted": {"email": False, "push": True}
    }
    stored_choices = document(f"users/{coach.uid}")["fields"]["notifications"]
    assert stored_choices == {
        "mapValue": {
            "fields": {
                "invitationAccepted": {"mapValue": {"fields": {"email": {"booleanValue": False}}}}
            }
        }
    }
    assert shown["email"] == coach.email.lower()
    assert profile_of(coach) == shown
    # The callable: a partial update; a null photo removes it; the rest is kept.
    result = call("updateMyProfile", {"locale": "en", "photoUrl": None}, coach).json()["result"]
    assert result == shown | {"locale": "en", "photoUrl": None}
    stored = document(f"users/{coach.uid}")
    assert (field(stored, "role"), field(stored, "roleVersion")) == ("coach", 1)


def test_a_role_change_keeps_the_name_the_person_chose(make_user):
    admin, athlete = make_user("admin"), make_user()
    named = api("PUT", "/api/users/me", athlete, json={"displayName": "Chosen Name"})
    assert named.status_code == 200, named.text
    changed = api("POST", f"/api/users/{athlete.uid}/role", admin, json={"role": "coach"})
    assert changed.status_code == 200, changed.text
    stored = document(f"users/{athlete.uid}")
    assert (field(stored, "displayName"), field(stored, "role")) == ("Chosen Name", "coach")


BAD = [
    ({"timezone": "Mars/Olympus"}, {"timezone"}),
    ({"displayName": "x" * 10_240}, {"displayName"}),
    ({"displayName": "Evil\u0007Name\r\n"}, {"displayName"}),
    ({"role": "admin"}, {"role"}),
    ({"email": "someone.else@example.com"}, {"email"}),
    ({"photoUrl": "http://example.com/me.png"}, {"photoUrl"}),
    ({"photoUrl": "javascript:alert(1)", "locale": "x" * 50}, {"photoUrl", "locale"}),
]


@pytest.mark.parametrize(("body", "fields"), BAD, ids=[str(sorted(b)) for b, _ in BAD])
def test_bad_input_is_400_naming_the_field_and_writes_nothing(make_user, body, fields):
    person = make_user()
    # Refused before the profile exists: not even the profile is made.
    refused = api("PUT", "/api/users/me", person, json=body)
    assert refused.status_code == 400, refused.text
    assert {e["field"] for e in refused.json()["errors"]} == fields
    assert document(f"users/{person.uid}") is None
    # Refused once it exists: it is untouched, whichever way it is sent.
    profile_of(person)
    before = document(f"users/{person.uid}")
    refused = api("PUT", "/api/users/me", person, json=body)
    assert refused.status_code == 400, refused.text
    assert {e["field"] for e in refused.json()["errors"]} == fields
    by_callable = call("updateMyProfile", body, person)
    assert by_callable.status_code == 400, by_callable.text
    assert by_callable.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert document(f"users/{person.uid}") == before


def test_a_time_zone_change_moves_a_session_near_midnight_to_another_day(make_user, db):
    """23:30 UTC on the 22nd is 00:30 on the 23rd in Berlin: the PUT's write of the profile is
    recounted by ``recount_on_timezone_change`` and the session moves to the 23rd."""
    athlete = make_user()
    assert profile_of(athlete)["timezone"] == "UTC"
    start = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    db.collection("sessions").document("near-midnight").set(
        {"athleteId": athlete.uid, "status": "completed", "actualStart": start, "createdAt": start}
    )
    settle(db, athlete.uid)
    assert stats_of(athlete)["lastSessionAt"] == "2026-11-22"
    moved = api("PUT", "/api/users/me", athlete, json={"timezone": "Europe/Berlin"})
    assert moved.status_code == 200, moved.text
    deadline = time.monotonic() + SETTLE
    while (figures := stats_of(athlete))["lastSessionAt"] != "2026-11-23":
        assert time.monotonic() < deadline, f"the time-zone change was not recounted: {figures}"
        time.sleep(0.5)
    assert figures["timezone"] == "Europe/Berlin"
    # And back, by the callable: the 22nd again.
    back = call("updateMyProfile", {"timezone": "UTC"}, athlete)
    assert back.status_code == 200, back.text
    deadline = time.monotonic() + SETTLE
    while stats_of(athlete)["lastSessionAt"] != "2026-11-22":
        assert time.monotonic() < deadline, "the change back was not recounted"
        time.sleep(0.5)


def test_signed_out_callers_are_refused(backend):
    assert api("GET", "/api/users/me").status_code == 401
    assert api("PUT", "/api/users/me", json={"timezone": "UTC"}).status_code == 401
