"""Who may do what: the one policy every operation asks, and firestore.rules mirrors for clients.

Reads of a session: its athlete, its coach, its creator, a coach linked to its athlete, a member
of its group, and admins; to anyone else it does not exist. tests/unit/domain/test_policy.py checks
these functions against the rows of the rules matrix, so the API and the rules cannot drift.

Facts that need a read (is this coach linked to that athlete? is this user in that group?) come
through ``Relations``, asked only when the cheaper checks did not already decide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from sessionbase.errors import FailedPrecondition, FieldError, PermissionDenied
from sessionbase.models.groups import GroupRecord
from sessionbase.models.identity import Caller, Role
from sessionbase.models.invitations import InvitationRecord, LinkRecord
from sessionbase.models.sessions import SessionListQuery, SessionRecord

if TYPE_CHECKING:
    from sessionbase.domain.roles import Standing

# PUT /api/sessions/{id}: what each relation to a session may change (an admin: everything).
ATHLETE_EDITABLE = frozenset({"notes"})
COACH_EDITABLE = frozenset(
    {
        "athleteName",
        "event",
        "sessionType",
        "notes",
        "date",
        "scheduledStart",
        "scheduledEnd",
        "duration",
        "videoName",
        "originalVideoName",
    }
)


class Relations(Protocol):
    """Who is related to whom: answered by the store (or by a dict in tests)."""

    def linked(self, *, coach_id: str, athlete_id: str) -> bool:
        """True when the coach and the athlete are linked."""
        ...

    def member(self, *, group_id: str, uid: str) -> bool:
        """True when the user is a member (or the owner) of the group."""
        ...


# ---- sessions -------------------------------------------------------------------------------


def may_read_session(caller: Caller, session: SessionRecord, relations: Relations) -> bool:
    """May the caller read this session (and its notes, attachments, items)?"""
    if caller.is_admin or caller.uid in (session.athleteId, session.coachId, session.createdBy):
        return True
    athlete_id, group_id = session.athleteId, session.groupId
    if athlete_id and relations.linked(coach_id=caller.uid, athlete_id=athlete_id):
        return True
    if not group_id:
        return False
    return relations.member(group_id=group_id, uid=caller.uid)


def may_manage_session(caller: Caller, session: SessionRecord) -> bool:
    """May the caller edit or delete this session? Its coach, its creator, or an admin."""
    return caller.is_admin or caller.uid in (session.coachId, session.createdBy)


def editable_fields(caller: Caller, session: SessionRecord) -> frozenset[str] | None:
    """The fields the caller may change on this session (None: every field, for an admin)."""
    if caller.is_admin:
        return None
    if caller.role is Role.ATHLETE and caller.uid == session.athleteId:
        return ATHLETE_EDITABLE
    if may_manage_session(caller, session):
        return COACH_EDITABLE
    return frozenset()


def require_editable(caller: Caller, session: SessionRecord, sent: set[str]) -> None:
    """Refuse, naming each field, an update that changes a field the caller may not change."""
    allowed = editable_fields(caller, session)
    forbidden = sorted(sent - allowed) if allowed is not None else []
    if forbidden:
        raise PermissionDenied(
            "You may not change " + ", ".join(forbidden) + ".",
            errors=tuple(FieldError(field=f, message="not editable by you") for f in forbidden),
        )


def require_manager(caller: Caller, session: SessionRecord, action: str = "delete it") -> None:
    """Refuse ``action`` (deleting, completing, cancelling the session) by anyone but the
    session's coach, its creator or an admin."""
    if not may_manage_session(caller, session):
        raise PermissionDenied(f"Only the session's coach, its creator or an admin may {action}.")


def require_uploader(caller: Caller, session: SessionRecord, kind: str) -> None:
    """Who may upload (storage.rules agrees): a video, the session's coach or an admin; an
    attachment, also its athlete."""
    uploaders = (session.coachId, session.athleteId) if kind == "attachment" else (session.coachId,)
    if not caller.is_admin and caller.uid not in uploaders:
        who = "coach or athlete" if kind == "attachment" else "coach"
        raise PermissionDenied(f"Only the session's {who} or an admin may upload its {kind}.")


def require_coach_or_admin(caller: Caller, action: str) -> None:
    """Sessions for athletes (with an upload, or for a backend) are made by coaches and admins."""
    if caller.role is Role.ATHLETE:
        raise PermissionDenied(f"Only coaches {action}.")


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


def require_code_verifier(caller: Caller) -> None:
    """Only admins look up which session a completion code completed."""
    if not caller.is_admin:
        raise PermissionDenied("Only admins verify completion codes.")


def require_download_auditor(caller: Caller) -> None:
    """Only admins see who was given which attachment's download link (download tracking)."""
    if not caller.is_admin:
        raise PermissionDenied("Only admins see the download log.")


def require_auditor(caller: Caller) -> None:
    """Only admins read the audit trail."""
    if not caller.is_admin:
        raise PermissionDenied("Only admins read the audit trail.")


# ---- people: lists and statistics --------------------------------------------------------------


def may_read_athlete(caller: Caller, athlete_id: str, relations: Relations) -> bool:
    """May the caller see everything about this athlete (their sessions, their statistics)?"""
    return (
        caller.is_admin
        or caller.uid == athlete_id
        or relations.linked(coach_id=caller.uid, athlete_id=athlete_id)
    )


def may_read_coach(caller: Caller, coach_id: str) -> bool:
    """May the caller list this coach's sessions and read their statistics? The coach, or admin."""
    return caller.is_admin or caller.uid == coach_id


def session_list_scope(
    caller: Caller, query: SessionListQuery, relations: Relations
) -> dict[str, str]:
    """The equality filter that makes a list query one the caller may run (the rules agree)."""
    if query.all_:  # every session: admins only (monitoring completions across staff)
        if not caller.is_admin:
            raise may_not_list("all")
        return {}
    if query.athleteId is not None:
        if not may_read_athlete(caller, query.athleteId, relations):
            raise may_not_list("athleteId")
        return {"athleteId": query.athleteId}
    if query.coachId is not None:
        if not may_read_coach(caller, query.coachId):
            raise may_not_list("coachId")
        return {"coachId": query.coachId}
    if query.athleteEmail is not None:
        if caller.is_admin:
            return {"athleteEmail": query.athleteEmail}
        if caller.role is Role.COACH:  # the sessions this coach made for that address
            return {"athleteEmail": query.athleteEmail, "coachId": caller.uid}
        raise may_not_list("athleteEmail")
    own = {Role.ATHLETE: "athleteId", Role.COACH: "coachId", Role.ADMIN: "createdBy"}
    return {own[caller.role]: caller.uid}


def may_not_list(field: str) -> PermissionDenied:
    """The refusal of a list or statistics scope the caller may not see."""
    return PermissionDenied(
        "You may not list these sessions.",
        errors=(FieldError(field=field, message="not one you may list"),),
    )


# ---- invitations ------------------------------------------------------------------------------


def require_coach(caller: Caller) -> None:
    """Only coaches invite athletes."""
    if caller.role is not Role.COACH:
        raise PermissionDenied("Only coaches invite athletes.")


def is_invitee(caller: Caller, invitation: InvitationRecord) -> bool:
    """The invitation is addressed to the caller: to their uid (a group invitation by uid), or
    to their verified e-mail."""
    if invitation.inviteeId is not None:
        return caller.uid == invitation.inviteeId
    return (
        caller.email_verified
        and caller.email is not None
        and caller.email == invitation.athleteEmail
    )


def may_revoke_invitation(caller: Caller, invitation: InvitationRecord) -> bool:
    """The inviting coach, or an admin."""
    return caller.is_admin or caller.uid == invitation.coachId


def may_end_link(caller: Caller, link: LinkRecord) -> bool:
    """Either party ends a coach–athlete link (the athlete dismisses the coach, the coach lets
    the athlete go), or an admin."""
    return caller.is_admin or caller.uid in (link.coachId, link.athleteId)


def received_invitations_address(caller: Caller) -> str | None:
    """The address whose invitations the caller may list as received: their verified e-mail."""
    return caller.email if caller.email and caller.email_verified else None


# ---- groups -------------------------------------------------------------------------------------


def may_manage_group(caller: Caller, group: GroupRecord) -> bool:
    """Its owner, or an admin: adds and removes members, starts and ends its sessions."""
    return caller.is_admin or caller.uid == group.ownerId


def require_group_manager(caller: Caller, group: GroupRecord) -> None:
    """Refuse anyone but the group's owner or an admin."""
    if not may_manage_group(caller, group):
        raise PermissionDenied("Only the group's owner or an admin may do this.")


def may_read_group(caller: Caller, group_id: str, group: GroupRecord, relations: Relations) -> bool:
    """Its owner, its members, and admins (as firestore.rules)."""
    return may_manage_group(caller, group) or relations.member(group_id=group_id, uid=caller.uid)


# ---- schedules ----------------------------------------------------------------------------------


def require_may_schedule_with(caller: Caller, athlete_id: str, relations: Relations) -> None:
    """A schedule with an athlete is made by a coach linked to them, or by an admin."""
    if not (caller.is_admin or relations.linked(coach_id=caller.uid, athlete_id=athlete_id)):
        raise PermissionDenied(
            "You may schedule sessions only with athletes linked to you.",
            errors=(FieldError(field="athleteId", message="not an athlete linked to you"),),
        )


def require_may_schedule_for(caller: Caller, group: GroupRecord | None) -> None:
    """A schedule for a group is made by its owner or an admin; a group that is not there is
    refused alike (its existence is not revealed)."""
    if group is None or not may_manage_group(caller, group):
        raise PermissionDenied(
            "You may schedule sessions only for groups you own.",
            errors=(FieldError(field="groupId", message="not a group you own"),),
        )


# ---- roles --------------------------------------------------------------------------------------


def require_role_changer(caller: Caller, uid: str) -> None:
    """Only admins change roles, and not their own (so the last admin cannot demote themself:
    another admin does it)."""
    if not caller.is_admin:
        raise PermissionDenied("Only admins change roles.")
    if uid == caller.uid:
        raise FailedPrecondition("Admins do not change their own role: ask another admin.")


def require_admin_standing(standing: Standing) -> None:
    """The admin changing a role is still an active admin in ``users/{uid}`` when the change
    commits (read in its transaction): one demoted or disabled meanwhile, by another admin at
    the same moment, changes nothing."""
    if not standing.is_active_admin:
        raise PermissionDenied("Only admins change roles.")


def require_archiver(caller: Caller, session: SessionRecord) -> None:
    """Archiving and restoring are for the session's coach (or the coach who created it) and
    admins: an athlete's own sessions are archived by their coach."""
    if not (caller.is_admin or (caller.role is Role.COACH and may_manage_session(caller, session))):
        raise PermissionDenied(
            "Only the session's coach, the coach who created it or an admin may archive or "
            "restore it."
        )


# ---- issue 27: deleting an account ----------------------------------------------------------


def require_account_deleter(caller: Caller, uid: str) -> None:
    """``DELETE /api/users/{uid}``: only admins delete someone else's account, and an admin's
    own account goes through ``/api/users/me`` (the same job, asked for by its owner)."""
    if not caller.is_admin:
        raise PermissionDenied("Only admins delete other people's accounts.")
    if uid == caller.uid:
        raise FailedPrecondition("Delete your own account with DELETE /api/users/me.")


def may_read_account_deletion(caller: Caller, uid: str) -> bool:
    """An account deletion job is read by an admin and by its person (hidden from the rest)."""
    return caller.is_admin or caller.uid == uid


# ---- reports (issue 27) -------------------------------------------------------------------------


def report_scope(
    caller: Caller, *, athlete_id: str | None, coach_id: str | None, relations: Relations
) -> dict[str, str] | None:
    """The equality filter of a sessions report, or None when the person named is hidden from
    the caller (the report then answers 404, as for a hidden record). An athlete's: the athlete,
    a linked coach, an admin; a coach's: the coach, an admin. Naming no one: the caller's own
    (an athlete's sessions, a coach's coached sessions), every session for an admin."""
    if athlete_id is not None:
        readable = may_read_athlete(caller, athlete_id, relations)
        return {"athleteId": athlete_id} if readable else None
    if coach_id is not None:
        return {"coachId": coach_id} if may_read_coach(caller, coach_id) else None
    if caller.is_admin:
        return {}
    return {("coachId" if caller.role is Role.COACH else "athleteId"): caller.uid}


def require_completions_reporter(caller: Caller) -> None:
    """The report of completion codes (the audit of who completed what) is for admins."""
    if not caller.is_admin:
        raise PermissionDenied("Only admins report on completion codes.")
