"""Whether a sign-in still counts, and as which role (domain/roles.py: admitted_role): the two
records (users/{uid} with the deletion job, and the Auth record) each refuse on their own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sessionbase.domain.roles import Account, admitted_role
from sessionbase.errors import Unauthenticated
from sessionbase.models.identity import Role

SIGNED_IN = 1_800_000_000  # seconds, as auth_time
AT = datetime.fromtimestamp(SIGNED_IN, UTC)


def admitted(
    profile: dict | None = None,
    deletion: dict | None = None,
    account: Account | None = None,
    signed_in: float | None = SIGNED_IN,
) -> Role:
    return admitted_role(
        profile=profile, deletion=deletion, account=account or Account(), signed_in=signed_in
    )


def refusal(**records) -> str:
    with pytest.raises(Unauthenticated) as refused:
        admitted(**records)
    return refused.value.detail


def test_a_user_no_change_was_made_to_has_their_claim():
    assert admitted() is Role.ATHLETE
    assert admitted(account=Account(role=Role.COACH)) is Role.COACH
    assert admitted(profile={"displayName": "Ann"}, account=Account(role=Role.ADMIN)) is Role.ADMIN


@pytest.mark.parametrize(
    ("recorded", "role"), [("coach", Role.COACH), (None, Role.ATHLETE), ("superuser", Role.ATHLETE)]
)
def test_the_recorded_role_wins_over_the_claim(recorded, role):
    assert admitted(profile={"role": recorded}, account=Account(role=Role.ADMIN)) is role


def test_a_sign_in_before_either_revocation_is_refused():
    later = datetime.fromtimestamp(SIGNED_IN + 1, UTC)
    assert "revoked" in refusal(profile={"revokedAt": later})
    assert "revoked" in refusal(account=Account(valid_since_ms=(SIGNED_IN + 1) * 1000))
    assert "revoked" in refusal(profile={"revokedAt": AT}, signed_in=None)
    # The same second counts (both are kept in whole seconds).
    assert admitted(profile={"revokedAt": AT, "role": "coach"}) is Role.COACH
    assert admitted(account=Account(valid_since_ms=SIGNED_IN * 1000)) is Role.ATHLETE


def test_a_disabled_gone_or_deleted_account_is_refused():
    assert "disabled" in refusal(profile={"disabled": True})
    assert "disabled" in refusal(account=Account(disabled=True))
    assert "no longer exists" in refusal(account=Account(exists=False))
    assert "no longer exists" in refusal(deletion={"status": "running"})
    assert "no longer exists" in refusal(deletion={"status": "done"})
    assert admitted(deletion={"status": "queued"}) is Role.ATHLETE  # its first run disables
