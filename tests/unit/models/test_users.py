"""models/users.py: the profile ``users/{uid}`` read with its defaults, whatever its shape."""

from __future__ import annotations

import pytest

from sessionbase.models.sessions import SessionRecord
from sessionbase.models.stats import Contribution
from sessionbase.models.users import UserRecord


def test_a_profile_written_by_a_role_change_has_no_time_zone_and_reads_with_defaults():
    profile, dropped = UserRecord.salvage({"role": "athlete", "email": "a@example.com"})
    assert profile == UserRecord(role="athlete", email="a@example.com")
    assert (profile.timezone, dropped) == (None, [])


@pytest.mark.parametrize(
    "stored",
    [{"timezone": 5}, {"timezone": {"name": "UTC"}}, {"timezone": ["UTC"], "role": "superuser"}],
)
def test_a_malformed_profile_field_reads_as_absent_and_is_named(stored):
    profile, dropped = UserRecord.salvage(stored)
    assert profile == UserRecord()
    assert dropped == sorted(stored)


def test_salvage_keeps_what_is_valid_and_gives_up_only_on_what_is_required():
    session, dropped = SessionRecord.salvage({"athleteId": "a", "status": 5, "motionIQ": "x"})
    assert session is not None
    assert (session.athleteId, session.status, session.motionIQ) == ("a", None, None)
    assert dropped == ["motionIQ", "status"]
    assert Contribution.salvage({"version": "junk"})[0] is None
    assert UserRecord.salvage(["not", "a", "map"]) == (None, ["(document)"])
