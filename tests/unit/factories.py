"""Shared builders of the unit tests: one signed-in caller, records and bodies used by several.

Plain functions, imported (``from tests.unit.factories import caller``), so that a test module
can build its callers at module level (for ``parametrize``) as well as inside a test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sessionbase.domain.invitations import INVITATION_LIFETIME
from sessionbase.models.completion import SessionComplete
from sessionbase.models.identity import Caller, Role
from sessionbase.models.invitations import InvitationRecord
from sessionbase.models.sessions import SessionRecord
from tests.tokens import UID_AT_EXAMPLE

CREATED: Final = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def caller(
    uid: str = "u1",
    *,
    role: Role | str = Role.ATHLETE,
    email: str | None = UID_AT_EXAMPLE,
    verified: bool = True,
    name: str | None = None,
) -> Caller:
    """A signed-in caller, as the API establishes one from a verified ID token.

    - ``role``: ``Role`` or its value (``"coach"``); by default an athlete.
    - ``email``: by default ``<uid>@example.com``; ``None`` for an account without an address.
    - ``verified``: whether the address counts as verified.
    - ``name``: the token's display name, if any.
    """
    return Caller(
        uid=uid,
        email=f"{uid}@example.com" if email == UID_AT_EXAMPLE else email,
        email_verified=verified,
        name=name,
        role=Role(role),
    )


# The people most decisions are about: a coach, an athlete, an admin (the invitations and links the
# tests build name them by these uids).
COACH: Final = caller("coach", role=Role.COACH)
ATHLETE: Final = caller("ath")
ADMIN: Final = caller("admin", role=Role.ADMIN)


def session_record(**fields: Any) -> SessionRecord:
    """A stored session: athlete ``a``, coach ``c``, scheduled, created at ``CREATED``.

    ``fields`` add to or replace any of these, as stored (camelCase names).
    """
    return SessionRecord.model_validate(
        {"athleteId": "a", "coachId": "c", "createdAt": CREATED, "status": "scheduled", **fields}
    )


def invitation_record(
    status: str = "pending", *, age: timedelta = timedelta(0)
) -> InvitationRecord:
    """``coach``'s invitation of ``new@example.com``, made ``age`` before ``CREATED``.

    An accepted one names its athlete, ``newcomer``.
    """
    return InvitationRecord(
        coachId="coach",
        coachEmail="coach@example.com",
        athleteEmail="new@example.com",
        status=status,
        createdAt=CREATED - age,
        expiresAt=CREATED - age + INVITATION_LIFETIME,
        athleteId="newcomer" if status == "accepted" else None,
    )


def completion_body(**fields: Any) -> SessionComplete:
    """A body of ``POST /api/sessions/{id}/complete``: 09:30 to 10:45 in Paris on 2026-12-19."""
    return SessionComplete.model_validate(
        {"actualStart": "2026-12-19T09:30:00+01:00", "actualEnd": "2026-12-19T10:45:00+01:00",
         **fields}
    )  # fmt: skip


# A valid body of ``POST /api/schedules`` (a group's weekly session), for tests that vary one field.
SCHEDULE = {
    "title": "Batch 1",
    "groupId": "g1",
    "weekdays": ["MO"],
    "startTime": "09:30",
    "durationMinutes": 60,
    "timezone": "Europe/Paris",
    "startDate": "2030-01-07",
}
