"""domain/profiles.py: a profile made on first use, the fields an update writes, what is shown.

The profile shares ``users/{uid}`` with the role operation: nothing here ever writes an access
field (role, disabled, roleVersion, revokedAt) or an e-mail a client sent.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sessionbase.domain import profiles
from sessionbase.models.identity import Caller, Role
from sessionbase.models.users import ProfileUpdate, UserRecord
from sessionbase.models.validation import parse
from tests.preferences import DEFAULT_PREFERENCES
from tests.unit.factories import caller

NOW = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
ACCESS = {"role", "disabled", "roleVersion", "revokedAt", "roleChangedAt", "roleChangedBy"}


def test_a_first_use_makes_the_profile_from_the_token():
    token = {"sub": "u1", "email": "Ada@Example.com", "email_verified": True, "name": "Ada"}
    fields = profiles.opening(None, Caller.from_claims(token), NOW)
    assert fields == {
        "createdAt": NOW,
        "email": "ada@example.com",
        "displayName": "Ada",
        "notifications": {},
    }


def test_a_profile_the_role_operation_wrote_is_completed_not_overwritten():
    found = UserRecord(role=Role.COACH, email="u1@example.com", displayName="Coach Carter")
    fields = profiles.opening(found, caller("u1", name="Someone Else"), NOW)
    assert fields == {"createdAt": NOW, "notifications": {}}
    assert not fields.keys() & ACCESS


def test_a_complete_profile_writes_nothing_until_the_auth_e_mail_changes():
    found = UserRecord(email="u1@example.com", createdAt=NOW, notifications={})
    assert profiles.opening(found, caller("u1"), NOW) == {}
    assert profiles.opening(found, caller("u1", email="new@example.com"), NOW) == {
        "email": "new@example.com"
    }
    assert profiles.opening(found, caller("u1", email=None), NOW) == {}


@pytest.mark.parametrize("name", ["x" * 500, "Ada\nLovelace", "   ", ""])
def test_a_token_name_that_is_not_a_name_is_not_taken(name):
    assert "displayName" not in profiles.opening(None, caller("u1", name=name), NOW)


def test_an_update_writes_exactly_the_fields_sent():
    body = parse(ProfileUpdate, {"timezone": "Europe/Berlin", "photoUrl": None})
    assert profiles.changes(body) == {"timezone": "Europe/Berlin", "photoUrl": None}
    assert profiles.changes(parse(ProfileUpdate, {})) == {}


def test_the_profile_shown_uses_utc_for_an_absent_or_unknown_zone_and_the_callers_role():
    me = caller("u1", role=Role.COACH)
    shown = profiles.view(UserRecord(createdAt=NOW, email="u1@example.com"), me)
    assert shown.to_json() == {
        "uid": "u1",
        "email": "u1@example.com",
        "displayName": None,
        "timezone": "UTC",
        "locale": None,
        "photoUrl": None,
        "role": "coach",
        "notifications": DEFAULT_PREFERENCES,
        "createdAt": "2026-11-23T23:30:00Z",
    }
    assert profiles.view(UserRecord(timezone="Mars/Olympus"), me).timezone == "UTC"
    assert profiles.view(UserRecord(timezone="Asia/Tokyo"), me).timezone == "Asia/Tokyo"


def test_an_update_writes_only_the_fields_that_change():
    found = UserRecord(timezone="Europe/Berlin", notifications={"classStarted": {"email": True}})
    body = parse(
        ProfileUpdate,
        {"timezone": "Europe/Berlin", "notifications": {"classStarted": {"email": False}}},
    )
    assert profiles.changes(body, found) == {"notifications": {"classStarted": {"email": False}}}
    same = parse(ProfileUpdate, {"notifications": {"classStarted": {"email": True}}})
    assert profiles.changes(same, found) == {}
