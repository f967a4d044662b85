"""Profiles (``users/{uid}``, DESIGN.md §7 "People"): the profile made on first use, the fields
an update writes, and what the person is shown. Pure: services/profiles.py reads and writes.

The profile shares its document with the role operation (services/users.py), which owns the
access fields (``role``, ``disabled``, ``roleVersion``, ``revokedAt``, ``roleChanged*``): nothing
here ever names one, and ``email`` is only ever the one Auth has (the verified token's).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from sessionbase.domain import notifications
from sessionbase.domain.stats import zone
from sessionbase.models.fields import Name
from sessionbase.models.identity import Caller
from sessionbase.models.users import Profile, ProfileUpdate, UserRecord

# The fields of the profile the person writes (PUT /api/users/me): ``ProfileUpdate``'s.
OWN_FIELDS = frozenset(ProfileUpdate.model_fields)


def opening(found: UserRecord | None, caller: Caller, now: datetime) -> dict[str, Any]:
    """The fields to merge into ``users/{uid}`` so that the caller's profile exists and mirrors
    Auth's e-mail; empty when there is nothing to write (the usual case).

    A profile without ``createdAt`` was never opened (none at all, or one only the role operation
    wrote): it gets ``createdAt``, empty preferences and, when it has no name, the token's name
    if that is a valid ``Name``. Nothing it holds is replaced but the e-mail, which follows Auth.
    """
    fields: dict[str, Any] = {}
    if found is None or found.createdAt is None:
        fields["createdAt"] = now
        if (found is None or found.displayName is None) and (name := _name(caller.name)):
            fields["displayName"] = name
        if found is None or found.notifications is None:
            fields["notifications"] = {}
    if caller.email is not None and (found is None or found.email != caller.email):
        fields["email"] = caller.email
    return fields


def changes(body: ProfileUpdate, found: UserRecord | None = None) -> dict[str, Any]:
    """The fields an update writes: those sent (``notifications`` as a whole: the choices made)
    that differ from the profile ``found``."""
    sent = {name: getattr(body, name) for name in sorted(body.model_fields_set)}
    if body.notifications is not None:
        sent["notifications"] = body.notifications.stored()
    if found is None:
        return sent
    return {name: value for name, value in sent.items() if getattr(found, name) != value}


def view(record: UserRecord, caller: Caller) -> Profile:
    """The profile as its person reads it: UTC for a zone that is absent or unknown (the zone
    their statistics count in), the role they act with (the token's, which the API applies)."""
    return Profile(
        uid=caller.uid,
        email=record.email,
        displayName=record.displayName,
        timezone=str(zone(record.timezone)),
        locale=record.locale,
        photoUrl=record.photoUrl,
        role=caller.role,
        notifications=notifications.effective(record.notifications),
        createdAt=record.createdAt,
    )


_NAME: TypeAdapter[str] = TypeAdapter(Name)


def _name(token_name: str | None) -> str | None:
    if token_name is None:
        return None
    try:
        return _NAME.validate_python(token_name)
    except ValidationError:
        return None
