"""Every API operation, declared once: the REST routes and the callables are derived from here.

Adding an operation: one entry here, its models (models/), its service function (services/).
docs/api.md is checked against this table (tests/domain/test_api_reference.py).
"""

from __future__ import annotations

from sessionbase.handlers.dispatch import Operation, body, query
from sessionbase.models.analysis import UploadRequest
from sessionbase.models.completion import NoteCreate, NoteUpdate, SessionCancel, SessionComplete
from sessionbase.models.groups import GroupCreate, LiveSessionStart, MemberAdd
from sessionbase.models.invitations import InvitationCreate
from sessionbase.models.practice import AnswerSubmit, ExerciseCreate, PracticeEnd, PracticeStart
from sessionbase.models.schedules import OccurrenceQuery, ScheduleCreate
from sessionbase.models.sessions import (
    CreateWithAthlete,
    LinkBackendSession,
    SessionCreate,
    SessionListQuery,
    SessionUpdate,
    YogaSessionCreate,
    session_body_model,
)
from sessionbase.models.stats import StatsQuery
from sessionbase.models.users import RoleChange
from sessionbase.services import (
    analysis,
    completion,
    groups,
    invitations,
    practice,
    schedules,
    sessions,
    stats,
    users,
)

OPERATIONS: tuple[Operation, ...] = (
    # ---- athlete sessions
    Operation(
        name="createSession",
        who=(
            "anyone: an athlete for themself; a coach for an athlete (`athleteId` if linked, "
            "else `athleteEmail`, pending until linked); admin. The yoga body makes a "
            "completed Practice session of the caller"
        ),
        method="POST",
        path="/api/sessions",
        status=201,
        input=body(SessionCreate, YogaSessionCreate, choose=session_body_model),
        run=sessions.create_session,
    ),
    Operation(
        name="listSessions",
        who="see the scopes below",
        method="GET",
        path="/api/sessions",
        input=query(SessionListQuery),
        run=sessions.list_sessions,
    ),
    Operation(
        name="getSession",
        who="its athlete, coach, creator, a linked coach, a group member, admin",
        method="GET",
        path="/api/sessions/<sessionId>",
        run=sessions.get_session,
    ),
    Operation(
        name="updateSession",
        who=(
            "its athlete: `notes`; its coach (or the coach who created it): descriptive "
            "fields; admin: all, analysis results too"
        ),
        method="PUT",
        path="/api/sessions/<sessionId>",
        input=body(SessionUpdate),
        run=sessions.update_session,
    ),
    Operation(
        name="deleteSession",
        who="its coach, its creator, admin",
        method="DELETE",
        path="/api/sessions/<sessionId>",
        run=sessions.delete_session,
    ),
    Operation(
        name="createSessionWithAthlete",
        who="coach, admin",
        method="POST",
        path="/api/sessions/create-with-athlete",
        status=201,
        input=body(CreateWithAthlete),
        run=sessions.create_with_athlete,
    ),
    Operation(
        name="linkBackendSession",
        who="coach, admin",
        method="POST",
        path="/api/sessions/link-backend",
        input=body(LinkBackendSession),
        run=sessions.link_backend_session,
    ),
    Operation(
        name="createUploadUrl",
        who="video: the session's coach, admin; attachment: also its athlete",
        method="POST",
        path="/api/sessions/<sessionId>/upload",
        input=body(UploadRequest),
        run=analysis.create_upload_url,
    ),
    # ---- completion, notes, attachments (faculty seed)
    Operation(
        name="completeSession",
        who="its coach, its creator, admin",
        method="POST",
        path="/api/sessions/<sessionId>/complete",
        input=body(SessionComplete),
        run=completion.complete_session,
    ),
    Operation(
        name="cancelSession",
        who="its coach, its creator, admin",
        method="POST",
        path="/api/sessions/<sessionId>/cancel",
        input=body(SessionCancel),
        run=completion.cancel_session,
    ),
    Operation(
        name="verifyCompletionCode",
        who="admin",
        method="GET",
        path="/api/completion-codes/<code>",
        run=completion.verify_code,
    ),
    Operation(
        name="addSessionNote",
        who="anyone who may read the session",
        method="POST",
        path="/api/sessions/<sessionId>/notes",
        status=201,
        input=body(NoteCreate),
        run=completion.add_note,
    ),
    Operation(
        name="updateSessionNote",
        who="its author, admin",
        method="PUT",
        path="/api/sessions/<sessionId>/notes/<noteId>",
        input=body(NoteUpdate),
        run=completion.update_note,
    ),
    Operation(
        name="deleteSessionNote",
        who="its author, admin",
        method="DELETE",
        path="/api/sessions/<sessionId>/notes/<noteId>",
        run=completion.delete_note,
    ),
    Operation(
        name="deleteAttachment",
        who="who uploaded it, the session's coach or creator, admin",
        method="DELETE",
        path="/api/sessions/<sessionId>/attachments/<attachmentId>",
        run=completion.delete_attachment,
    ),
    Operation(
        name="createSchedule",
        who="coach (with a linked athlete or a group they own), admin",
        method="POST",
        path="/api/schedules",
        status=201,
        input=body(ScheduleCreate),
        run=schedules.create_schedule,
    ),
    Operation(
        name="listOccurrences",
        who="anyone: the schedules they run or attend, their scheduled sessions",
        method="GET",
        path="/api/occurrences",
        input=query(OccurrenceQuery),
        run=schedules.list_occurrences,
    ),
    # ---- practice sessions (practice seed: snake_case as written there)
    Operation(
        name="createExercise",
        who="coach, admin",
        method="POST",
        path="/api/exercises",
        status=201,
        input=body(ExerciseCreate),
        run=practice.create_exercise,
    ),
    Operation(
        name="startPracticeSession",
        who="anyone: a practice session of their own",
        method="POST",
        path="/api/exercises/session/start",
        input=body(PracticeStart),
        run=practice.start_practice,
    ),
    Operation(
        name="submitAnswer",
        who="anyone: to a practice session of their own (none: a standalone one)",
        method="POST",
        path="/api/exercises/submit",
        input=body(AnswerSubmit),
        run=practice.submit_answer,
    ),
    Operation(
        name="endPracticeSession",
        who="the session's own athlete",
        method="POST",
        path="/api/exercises/session/end",
        input=body(PracticeEnd),
        run=practice.end_practice,
    ),
    # ---- users and roles
    Operation(
        name="setUserRole",
        who="admin (not for their own role)",
        method="POST",
        path="/api/users/<uid>/role",
        input=body(RoleChange),
        run=users.set_role,
    ),
    # ---- statistics
    Operation(
        name="getSessionStats",
        who="the person, a linked coach (athlete statistics), admin",
        method="GET",
        path="/api/sessions/stats",
        input=query(StatsQuery),
        run=stats.session_stats,
    ),
    # ---- invitations
    Operation(
        name="createInvitation",
        who="coach",
        method="POST",
        path="/api/invitations",
        status=201,
        input=body(InvitationCreate),
        run=invitations.create_invitation,
    ),
    Operation(
        name="listInvitations",
        who="coach: sent; others: received (verified e-mail)",
        method="GET",
        path="/api/invitations",
        run=invitations.list_invitations,
    ),
    Operation(
        name="acceptInvitation",
        who="the invited, verified address",
        method="POST",
        path="/api/invitations/<invitationId>/accept",
        run=invitations.accept_invitation,
    ),
    Operation(
        name="revokeInvitation",
        who="its coach, admin",
        method="POST",
        path="/api/invitations/<invitationId>/revoke",
        run=invitations.revoke_invitation,
    ),
    # ---- groups and live sessions
    Operation(
        name="createGroup",
        who="coach, admin (the owner)",
        method="POST",
        path="/api/groups",
        status=201,
        input=body(GroupCreate),
        run=groups.create_group,
    ),
    Operation(
        name="listGroups",
        who="anyone: the groups they own or belong to",
        method="GET",
        path="/api/groups",
        run=groups.list_groups,
    ),
    Operation(
        name="getGroup",
        who="its owner, members, admin",
        method="GET",
        path="/api/groups/<groupId>",
        run=groups.get_group,
    ),
    Operation(
        name="listGroupMembers",
        who="its owner, admin",
        method="GET",
        path="/api/groups/<groupId>/members",
        run=groups.list_members,
    ),
    Operation(
        name="addGroupMember",
        who="its owner, admin",
        method="POST",
        path="/api/groups/<groupId>/members",
        status=201,
        input=body(MemberAdd),
        run=groups.add_member,
    ),
    Operation(
        name="removeGroupMember",
        who="its owner, admin; a member removing themself (leaving)",
        method="DELETE",
        path="/api/groups/<groupId>/members/<userId>",
        run=groups.remove_member,
    ),
    Operation(
        name="startGroupSession",
        who="its owner, admin",
        method="POST",
        path="/api/groups/<groupId>/sessions",
        status=201,
        input=body(LiveSessionStart),
        run=groups.start_live_session,
    ),
    Operation(
        name="getActiveSessions",
        who="its owner, members, admin",
        method="GET",
        path="/api/groups/<groupId>/active-sessions",
        run=groups.active_sessions,
    ),
    Operation(
        name="checkIn",
        who="a member of the session's group",
        method="POST",
        path="/api/sessions/<sessionId>/check-in",
        run=groups.check_in,
    ),
    Operation(
        name="endGroupSession",
        who="the group's owner, admin",
        method="POST",
        path="/api/sessions/<sessionId>/end",
        run=groups.end_live_session,
    ),
)
