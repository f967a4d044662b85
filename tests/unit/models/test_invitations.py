"""models/invitations.py: the list's query (``?for=me``: the invitee's inbox)."""

from __future__ import annotations

from sessionbase.models.invitations import InvitationListQuery
from sessionbase.models.validation import parse
from tests.unit.models.refusals import refused_fields


def test_the_list_takes_for_me_or_nothing():
    assert parse(InvitationListQuery, {"for": "me"}).for_ == "me"
    assert parse(InvitationListQuery, {}).for_ is None


def test_anything_else_is_refused_naming_the_field():
    assert refused_fields(InvitationListQuery, {"for": "you"}) == {"for"}
    assert refused_fields(InvitationListQuery, {"for": "me", "status": "x"}) == {"status"}
