"""Who may see and change what: the policy firestore.rules enforces for clients, in Python.

Reads: the session's athlete, its coach, its creator, a coach linked to its athlete, a member of its
group, and admins. Anyone else is told the session does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sessionbase.errors import FieldError, PermissionDenied
from sessionbase.models.identity import Caller
from sessionbase.store import sessions as store

if TYPE_CHECKING:
    from google.cloud.firestore import Client


def can_read(db: Client, caller: Caller, session: dict) -> bool:
    """May the caller read this session (and its notes, attachments, items)?"""
    if caller.is_admin or caller.uid in (
        session.get("athleteId"),
        session.get("coachId"),
        session.get("createdBy"),
    ):
        return True
    athlete_id, group_id = session.get("athleteId"), session.get("groupId")
    if athlete_id and store.link_exists(db, coach_id=caller.uid, athlete_id=athlete_id):
        return True
    return bool(group_id) and store.is_group_member(db, group_id=group_id, uid=caller.uid)


def can_manage(caller: Caller, session: dict) -> bool:
    """May the caller edit or delete this session? Its coach, its creator, or an admin."""
    return caller.is_admin or caller.uid in (session.get("coachId"), session.get("createdBy"))


def may_read_athlete(db: Client, caller: Caller, athlete_id: str) -> bool:
    """May the caller see everything about this athlete (their sessions, their statistics)?"""
    return (
        caller.is_admin
        or caller.uid == athlete_id
        or store.link_exists(db, coach_id=caller.uid, athlete_id=athlete_id)
    )


def may_read_coach(caller: Caller, coach_id: str) -> bool:
    """May the caller list this coach's sessions and read their statistics? The coach, or admin."""
    return caller.is_admin or caller.uid == coach_id


def require_own_fields(*checks: tuple[str | None, str | None, str]) -> None:
    """Fields a body may repeat about the caller (seed bodies carry them) must match the caller."""
    bad = [
        FieldError(field=name, message="does not match the signed-in user")
        for given, actual, name in checks
        if given is not None and given != actual
    ]
    if bad:
        raise PermissionDenied(
            "The request names someone other than the signed-in user.", errors=tuple(bad)
        )
