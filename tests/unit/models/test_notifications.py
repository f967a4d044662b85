"""models/notifications.py: what ``POST /api/notifications/read``, ``POST /api/users/me/devices``
and the profile's preferences accept, each bad field named."""

from __future__ import annotations

import pytest

from sessionbase.models.notifications import DeviceRegister, NotificationsRead, Preferences
from sessionbase.models.validation import parse
from tests.unit.models.refusals import refused_fields

TOKEN = "fGx1:APA91bH" + "a" * 140


def test_read_takes_ids_or_all():
    assert parse(NotificationsRead, {"ids": ["classStarted-s1"]}).ids == ["classStarted-s1"]
    assert parse(NotificationsRead, {"all": True}).all is True


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"ids": ["a"], "all": True},
        {"all": False},
        {"ids": []},
        {"ids": ["a/b"]},
        {"ids": ["x"] * 101},
        {"ids": "a"},
        {"all": "true"},
        {"ids": ["a"], "extra": 1},
    ],
)
def test_a_bad_read_request_is_refused(body):
    assert refused_fields(NotificationsRead, body)


def test_a_token_is_a_token():
    assert parse(DeviceRegister, {"token": TOKEN}).token == TOKEN


@pytest.mark.parametrize(
    "token", ["short", "not a token at all, with spaces" * 2, "x" * 4097, "<script>" * 5, 12345]
)
def test_what_is_not_a_token_is_refused_naming_token(token):
    assert refused_fields(DeviceRegister, {"token": token}) == {"token"}


def test_preferences_name_an_unknown_kind_or_channel():
    assert refused_fields(Preferences, {"nope": {"email": True}}) == {"nope"}
    assert refused_fields(Preferences, {"classStarted": {"sms": True}}) == {"classStarted.sms"}
    assert refused_fields(Preferences, {"classStarted": {"email": "yes"}}) == {"classStarted.email"}
    chosen = parse(Preferences, {"classStarted": {"email": True}, "roleChanged": {}})
    assert chosen.stored() == {"classStarted": {"email": True}, "roleChanged": {}}


def test_all_is_a_json_true_and_nothing_else():
    for loose in (1, "true", 1.0, False):
        assert refused_fields(NotificationsRead, {"all": loose}) == {"all"}
