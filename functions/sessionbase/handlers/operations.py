"""Every API operation, declared once: the REST routes and the callables are derived from here.

Adding an operation: one entry here, its models (models/), its service function (services/).
Services and models are named, not imported (``"sessions.create_session"`` in
``sessionbase.services``, ``"sessions.SessionCreate"`` in ``sessionbase.models``): an instance
imports them when an operation first runs, so the REST function's cold start does not pay for
every model class (docs/decisions.md). tests/domain/test_operations.py resolves every name.
docs/api.md is checked against this table (tests/domain/test_api_reference.py).
"""

from __future__ import annotations

from sessionbase.handlers.dispatch import Operation, body, query

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
        input=body(
            "sessions.SessionCreate",
            "sessions.YogaSessionCreate",
            choose="sessions.session_body_model",
        ),
        service="sessions.create_session",
    ),
    Operation(
        name="listSessions",
        who="see the scopes below",
        method="GET",
        path="/api/sessions",
        input=query("sessions.SessionListQuery"),
        service="sessions.list_sessions",
    ),
    Operation(
        name="getSession",
        who="its athlete, coach, creator, a linked coach, a group member, admin",
        method="GET",
        path="/api/sessions/<sessionId>",
        service="sessions.get_session",
    ),
    Operation(
        name="updateSession",
        who=(
            "its athlete: `notes`; its coach (or the coach who created it): descriptive "
            "fields; admin: all, analysis results too"
        ),
        method="PUT",
        path="/api/sessions/<sessionId>",
        input=body("sessions.SessionUpdate"),
        service="sessions.update_session",
    ),
    Operation(
        name="deleteSession",
        who="its coach, its creator, admin",
        method="DELETE",
        path="/api/sessions/<sessionId>",
        service="sessions.delete_session",
    ),
    Operation(
        name="createSessionWithAthlete",
        who="coach, admin",
        method="POST",
        path="/api/sessions/create-with-athlete",
        status=201,
        input=body("sessions.CreateWithAthlete"),
        service="sessions.create_with_athlete",
    ),
    Operation(
        name="linkBackendSession",
        who="coach, admin",
        method="POST",
        path="/api/sessions/link-backend",
        input=body("sessions.LinkBackendSession"),
        service="sessions.link_backend_session",
    ),
    Operation(
        name="createUploadUrl",
        who="video: the session's coach, admin; attachment: also its athlete",
        method="POST",
        path="/api/sessions/<sessionId>/upload",
        input=body("analysis.UploadRequest"),
        service="analysis.create_upload_url",
    ),
    # ---- completion, notes, attachments (faculty seed)
    Operation(
        name="completeSession",
        who="its coach, its creator, admin",
        method="POST",
        path="/api/sessions/<sessionId>/complete",
        input=body("completion.SessionComplete"),
        service="completion.complete_session",
    ),
    Operation(
        name="cancelSession",
        who="its coach, its creator, admin",
        method="POST",
        path="/api/sessions/<sessionId>/cancel",
        input=body("completion.SessionCancel"),
        service="completion.cancel_session",
    ),
    Operation(
        name="verifyCompletionCode",
        who="admin",
        method="GET",
        path="/api/completion-codes/<code>",
        service="completion.verify_code",
    ),
    Operation(
        name="addSessionNote",
        who="anyone who may read the session",
        method="POST",
        path="/api/sessions/<sessionId>/notes",
        status=201,
        input=body("completion.NoteCreate"),
        service="completion.add_note",
    ),
    Operation(
        name="updateSessionNote",
        who="its author, admin",
        method="PUT",
        path="/api/sessions/<sessionId>/notes/<noteId>",
        input=body("completion.NoteUpdate"),
        service="completion.update_note",
    ),
    Operation(
        name="deleteSessionNote",
        who="its author, admin",
        method="DELETE",
        path="/api/sessions/<sessionId>/notes/<noteId>",
        service="completion.delete_note",
    ),
    Operation(
        name="deleteAttachment",
        who="who uploaded it, the session's coach or creator, admin",
        method="DELETE",
        path="/api/sessions/<sessionId>/attachments/<attachmentId>",
        service="completion.delete_attachment",
    ),
    Operation(
        name="createSchedule",
        who="coach (with a linked athlete or a group they own), admin",
        method="POST",
        path="/api/schedules",
        status=201,
        input=body("schedules.ScheduleCreate"),
        service="schedules.create_schedule",
    ),
    Operation(
        name="listOccurrences",
        who="anyone: the schedules they run or attend, their scheduled sessions",
        method="GET",
        path="/api/occurrences",
        input=query("schedules.OccurrenceQuery"),
        service="schedules.list_occurrences",
    ),
    # ---- practice sessions (practice seed: snake_case as written there)
    Operation(
        name="createExercise",
        who="coach, admin",
        method="POST",
        path="/api/exercises",
        status=201,
        input=body("practice.ExerciseCreate"),
        service="practice.create_exercise",
    ),
    Operation(
        name="startPracticeSession",
        who="anyone: a practice session of their own",
        method="POST",
        path="/api/exercises/session/start",
        input=body("practice.PracticeStart"),
        service="practice.start_practice",
    ),
    Operation(
        name="submitAnswer",
        who="anyone: to a practice session of their own (none: a standalone one)",
        method="POST",
        path="/api/exercises/submit",
        input=body("practice.AnswerSubmit"),
        service="practice.submit_answer",
    ),
    Operation(
        name="endPracticeSession",
        who="the session's own athlete",
        method="POST",
        path="/api/exercises/session/end",
        input=body("practice.PracticeEnd"),
        service="practice.end_practice",
    ),
    # ---- users and roles
    Operation(
        name="setUserRole",
        who="admin (not for their own role)",
        method="POST",
        path="/api/users/<uid>/role",
        input=body("users.RoleChange"),
        service="users.set_role",
    ),
    # ---- statistics
    Operation(
        name="getSessionStats",
        who="the person, a linked coach (athlete statistics), admin",
        method="GET",
        path="/api/sessions/stats",
        input=query("stats.StatsQuery"),
        service="stats.session_stats",
    ),
    # ---- invitations
    Operation(
        name="createInvitation",
        who="coach",
        method="POST",
        path="/api/invitations",
        status=201,
        input=body("invitations.InvitationCreate"),
        service="invitations.create_invitation",
    ),
    Operation(
        name="listInvitations",
        who="coach: sent; others: received (verified e-mail)",
        method="GET",
        path="/api/invitations",
        service="invitations.list_invitations",
    ),
    Operation(
        name="acceptInvitation",
        who="the invited, verified address",
        method="POST",
        path="/api/invitations/<invitationId>/accept",
        service="invitations.accept_invitation",
    ),
    Operation(
        name="revokeInvitation",
        who="its coach, admin",
        method="POST",
        path="/api/invitations/<invitationId>/revoke",
        service="invitations.revoke_invitation",
    ),
    # ---- groups and live sessions
    Operation(
        name="createGroup",
        who="coach, admin (the owner)",
        method="POST",
        path="/api/groups",
        status=201,
        input=body("groups.GroupCreate"),
        service="groups.create_group",
    ),
    Operation(
        name="listGroups",
        who="anyone: the groups they own or belong to",
        method="GET",
        path="/api/groups",
        service="groups.list_groups",
    ),
    Operation(
        name="getGroup",
        who="its owner, members, admin",
        method="GET",
        path="/api/groups/<groupId>",
        service="groups.get_group",
    ),
    Operation(
        name="listGroupMembers",
        who="its owner, admin",
        method="GET",
        path="/api/groups/<groupId>/members",
        service="groups.list_members",
    ),
    Operation(
        name="addGroupMember",
        who="its owner, admin",
        method="POST",
        path="/api/groups/<groupId>/members",
        status=201,
        input=body("groups.MemberAdd"),
        service="groups.add_member",
    ),
    Operation(
        name="removeGroupMember",
        who="its owner, admin; a member removing themself (leaving)",
        method="DELETE",
        path="/api/groups/<groupId>/members/<userId>",
        service="groups.remove_member",
    ),
    Operation(
        name="startGroupSession",
        who="its owner, admin",
        method="POST",
        path="/api/groups/<groupId>/sessions",
        status=201,
        input=body("groups.LiveSessionStart"),
        service="groups.start_live_session",
    ),
    Operation(
        name="getActiveSessions",
        who="its owner, members, admin",
        method="GET",
        path="/api/groups/<groupId>/active-sessions",
        service="groups.active_sessions",
    ),
    Operation(
        name="checkIn",
        who="a member of the session's group",
        method="POST",
        path="/api/sessions/<sessionId>/check-in",
        service="groups.check_in",
    ),
    Operation(
        name="endGroupSession",
        who="the group's owner, admin",
        method="POST",
        path="/api/sessions/<sessionId>/end",
        service="groups.end_live_session",
    ),
)
