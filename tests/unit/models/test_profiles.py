"""models/users.py: the body of ``PUT /api/users/me`` (updateMyProfile), each bad field named."""

from __future__ import annotations

import pytest

from sessionbase.models.users import ProfileUpdate, UserRecord
from sessionbase.models.validation import parse
from tests.unit.models.refusals import refused_fields


def test_a_full_update_is_trimmed_and_kept():
    body = parse(
        ProfileUpdate,
        {
            "displayName": "  Ada Lovelace ",
            "timezone": "Europe/Berlin",
            "locale": "de-DE",
            "photoUrl": "https://example.com/me.png",
            "notifications": {"invitationReceived": {"email": False, "push": True}},
        },
    )
    assert body.displayName == "Ada Lovelace"
    assert (body.timezone, body.locale, body.photoUrl) == (
        "Europe/Berlin",
        "de-DE",
        "https://example.com/me.png",
    )
    assert body.notifications is not None
    assert body.notifications.stored() == {"invitationReceived": {"email": False, "push": True}}
    assert body.model_fields_set == {
        "displayName",
        "timezone",
        "locale",
        "photoUrl",
        "notifications",
    }


def test_an_empty_update_changes_nothing_and_a_null_photo_removes_it():
    assert parse(ProfileUpdate, {}).model_fields_set == set()
    removed = parse(ProfileUpdate, {"photoUrl": None})
    assert (removed.photoUrl, removed.model_fields_set) == (None, {"photoUrl"})


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"timezone": "Mars/Olympus"}, {"timezone"}),
        ({"timezone": "../../etc/passwd"}, {"timezone"}),
        ({"timezone": ""}, {"timezone"}),
        ({"timezone": None}, {"timezone"}),
        ({"displayName": "x" * 10_000}, {"displayName"}),
        ({"displayName": "Ada\nLovelace"}, {"displayName"}),
        ({"displayName": "Ada\x07"}, {"displayName"}),
        ({"displayName": "Ada\u2028Lovelace"}, {"displayName"}),
        ({"displayName": "   "}, {"displayName"}),
        ({"displayName": None}, {"displayName"}),
        ({"locale": "not a locale"}, {"locale"}),
        ({"locale": "e"}, {"locale"}),
        ({"locale": "en-" + "x" * 40}, {"locale"}),
        ({"photoUrl": "http://example.com/me.png"}, {"photoUrl"}),
        ({"photoUrl": "javascript:alert(1)"}, {"photoUrl"}),
        ({"photoUrl": "https://"}, {"photoUrl"}),
        ({"photoUrl": "https://example.com/a b.png"}, {"photoUrl"}),
        ({"photoUrl": "https://example.com/" + "a" * 3000}, {"photoUrl"}),
        ({"notifications": {"invitationReceived": {"email": "no"}}}, {"notifications"}),
        ({"notifications": {"bad key!": {"email": True}}}, {"notifications"}),
        ({"notifications": {f"kind{n}": {} for n in range(100)}}, {"notifications"}),
        ({"notifications": {"classStarted": {"sms": True}}}, {"notifications"}),
        ({"notifications": {"classStarted": None, "nope": {}}}, {"notifications"}),
        ({"role": "admin"}, {"role"}),
        ({"email": "me@example.com"}, {"email"}),
        ({"roleVersion": 7, "disabled": False}, {"roleVersion", "disabled"}),
        ({"timezone": "Mars/Olympus", "displayName": "a\tb"}, {"timezone", "displayName"}),
    ],
)
def test_a_bad_profile_update_names_each_bad_field(body, fields):
    named = refused_fields(ProfileUpdate, body)
    assert {name.split(".")[0] for name in named} == fields


def test_the_profile_record_reads_the_new_fields_and_salvages_bad_ones():
    record, dropped = UserRecord.salvage(
        {"locale": "fr", "photoUrl": 5, "notifications": "junk", "displayName": "Ada"}
    )
    assert record is not None
    assert (record.locale, record.photoUrl, record.notifications, record.displayName) == (
        "fr",
        None,
        None,
        "Ada",
    )
    assert dropped == ["notifications", "photoUrl"]
