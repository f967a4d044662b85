"""Every API operation, declared once: the REST routes and the callables are derived from here.

Adding an operation: one entry here, its models (models/), its service function (services/);
docs/architecture.md walks through one. Each entry refers to its service and models as objects
(``lambda: services.sessions.get_session``), reached through the packages' lazy attributes
(PEP 562): an instance imports a service and its models when an operation first runs, so the REST
function's cold start does not pay for every model class (docs/decisions.md, "Cold start"). mypy
checks every entry: the service must take the entry's input model and its path's ids, and return
an ``Output`` (``handlers/dispatch.py: operation``). docs/api.md is checked against this table
(tests/unit/devtools/test_api_reference.py).
"""

from __future__ import annotations

from typing import Any

from sessionbase import models, services
from sessionbase.handlers.dispatch import Operation, Path, bodies, body, operation, query

# ---- the ids each kind of path carries: the keyword arguments of its services ------------------


def no_ids() -> None:
    """A path that names no record."""


def session_ids(*, session_id: str) -> None:
    """``<sessionId>``."""


def note_ids(*, session_id: str, note_id: str) -> None:
    """``<sessionId>/notes/<noteId>``."""


def attachment_ids(*, session_id: str, attachment_id: str) -> None:
    """``<sessionId>/attachments/<attachmentId>``."""


def comment_ids(*, session_id: str, comment_id: str) -> None:
    """``<sessionId>/comments/<commentId>``."""


def code_ids(*, code: str) -> None:
    """``<code>``: a completion code."""


def user_ids(*, uid: str) -> None:
    """``<uid>``."""


def invitation_ids(*, invitation_id: str) -> None:
    """``<invitationId>``."""


def link_ids(*, link_id: str) -> None:
    """``<linkId>``: ``{coachId}_{athleteId}``."""


def device_ids(*, device_id: str) -> None:
    """``<deviceId>``: one of the caller's push devices."""


def group_ids(*, group_id: str) -> None:
    """``<groupId>``."""


def member_ids(*, group_id: str, user_id: str) -> None:
    """``<groupId>/members/<userId>``."""


def export_ids(*, export_id: str) -> None:
    """``<exportId>``: one of the caller's data exports."""


OPERATIONS: tuple[Operation[Any], ...] = (
    # ---- athlete sessions
    operation(
        name="createSession",
        who=(
            "anyone: an athlete for themself; a coach for an athlete (`athleteId` if linked, "
            "else `athleteEmail`, pending until linked); admin. The yoga body makes a "
            "completed Practice session of the caller"
        ),
        method="POST",
        path=Path("/api/sessions", no_ids),
        status=201,
        input=bodies(
            lambda: (models.sessions.SessionCreate, models.sessions.YogaSessionCreate),
            choose=lambda: models.sessions.session_body_model,
        ),
        service=lambda: services.sessions.create_session,
    ),
    operation(
        name="listSessions",
        who="see the scopes below",
        method="GET",
        path=Path("/api/sessions", no_ids),
        input=query(lambda: models.sessions.SessionListQuery),
        service=lambda: services.sessions.list_sessions,
    ),
    operation(
        name="getSession",
        who="its athlete, coach, creator, a linked coach, a group member, admin",
        method="GET",
        path=Path("/api/sessions/<sessionId>", session_ids),
        input=query(lambda: models.sessions.SessionReadQuery),
        service=lambda: services.sessions.get_session,
    ),
    operation(
        name="updateSession",
        who=(
            "its athlete: `notes`; its coach (or the coach who created it): descriptive "
            "fields; admin: all, analysis results too"
        ),
        method="PUT",
        path=Path("/api/sessions/<sessionId>", session_ids),
        input=body(lambda: models.sessions.SessionUpdate),
        service=lambda: services.sessions.update_session,
    ),
    operation(
        name="deleteSession",
        who="its coach, its creator, admin",
        method="DELETE",
        path=Path("/api/sessions/<sessionId>", session_ids),
        service=lambda: services.sessions.delete_session,
    ),
    operation(
        name="archiveSession",
        who="its coach, the coach who created it, admin",
        method="POST",
        path=Path("/api/sessions/<sessionId>/archive", session_ids),
        service=lambda: services.sessions.archive_session,
    ),
    operation(
        name="restoreSession",
        who="its coach, the coach who created it, admin",
        method="POST",
        path=Path("/api/sessions/<sessionId>/restore", session_ids),
        service=lambda: services.sessions.restore_session,
    ),
    operation(
        name="createSessionWithAthlete",
        who="coach, admin",
        method="POST",
        path=Path("/api/sessions/create-with-athlete", no_ids),
        status=201,
        input=body(lambda: models.sessions.CreateWithAthlete),
        service=lambda: services.sessions.create_with_athlete,
    ),
    operation(
        name="linkBackendSession",
        who="coach, admin",
        method="POST",
        path=Path("/api/sessions/link-backend", no_ids),
        input=body(lambda: models.sessions.LinkBackendSession),
        service=lambda: services.sessions.link_backend_session,
    ),
    operation(
        name="createUploadUrl",
        who="video: the session's coach, admin; attachment: also its athlete",
        method="POST",
        path=Path("/api/sessions/<sessionId>/upload", session_ids),
        input=body(lambda: models.analysis.UploadRequest),
        service=lambda: services.analysis.uploads.create_upload_url,
        limit="uploads",
    ),
    # ---- video review: playback and the analysis as data
    operation(
        name="getSessionVideo",
        who="anyone who may read the session",
        method="GET",
        path=Path("/api/sessions/<sessionId>/video", session_ids),
        service=lambda: services.review.get_video,
    ),
    operation(
        name="getSessionAnalysis",
        who="anyone who may read the session",
        method="GET",
        path=Path("/api/sessions/<sessionId>/analysis", session_ids),
        input=query(lambda: models.review.AnalysisQuery),
        service=lambda: services.review.get_analysis,
    ),
    operation(
        name="compareSessions",
        who="anyone who may read both sessions",
        method="GET",
        path=Path("/api/sessions/compare", no_ids),
        input=query(lambda: models.review.CompareQuery),
        service=lambda: services.review.compare,
    ),
    # ---- completion, notes, attachments (faculty seed)
    operation(
        name="completeSession",
        who="its coach, its creator, admin",
        method="POST",
        path=Path("/api/sessions/<sessionId>/complete", session_ids),
        input=body(lambda: models.completion.SessionComplete),
        service=lambda: services.completion.complete_session,
    ),
    operation(
        name="cancelSession",
        who="its coach, its creator, admin",
        method="POST",
        path=Path("/api/sessions/<sessionId>/cancel", session_ids),
        input=body(lambda: models.completion.SessionCancel),
        service=lambda: services.completion.cancel_session,
    ),
    operation(
        name="verifyCompletionCode",
        who="admin",
        method="GET",
        path=Path("/api/completion-codes/<code>", code_ids),
        service=lambda: services.completion.verify_code,
    ),
    operation(
        name="addSessionNote",
        who="anyone who may read the session",
        method="POST",
        path=Path("/api/sessions/<sessionId>/notes", session_ids),
        status=201,
        input=body(lambda: models.completion.NoteCreate),
        service=lambda: services.completion.add_note,
    ),
    operation(
        name="listSessionNotes",
        who="anyone who may read the session",
        method="GET",
        path=Path("/api/sessions/<sessionId>/notes", session_ids),
        input=query(lambda: models.sessions.ChildPageQuery),
        service=lambda: services.sessions.list_session_notes,
    ),
    operation(
        name="listSessionAttachments",
        who="anyone who may read the session",
        method="GET",
        path=Path("/api/sessions/<sessionId>/attachments", session_ids),
        input=query(lambda: models.sessions.ChildPageQuery),
        service=lambda: services.sessions.list_session_attachments,
    ),
    operation(
        name="updateSessionNote",
        who="its author, admin",
        method="PUT",
        path=Path("/api/sessions/<sessionId>/notes/<noteId>", note_ids),
        input=body(lambda: models.completion.NoteUpdate),
        service=lambda: services.completion.update_note,
    ),
    operation(
        name="deleteSessionNote",
        who="its author, admin",
        method="DELETE",
        path=Path("/api/sessions/<sessionId>/notes/<noteId>", note_ids),
        service=lambda: services.completion.delete_note,
    ),
    operation(
        name="deleteAttachment",
        who="who uploaded it, the session's coach or creator, admin",
        method="DELETE",
        path=Path("/api/sessions/<sessionId>/attachments/<attachmentId>", attachment_ids),
        service=lambda: services.completion.delete_attachment,
    ),
    operation(
        name="listAttachmentDownloads",
        who="admin",
        method="GET",
        path=Path("/api/attachments/downloads", no_ids),
        input=query(lambda: models.completion.DownloadListQuery),
        service=lambda: services.completion.list_downloads,
    ),
    # ---- the audit trail (written by every unit of work: store/audit.py)
    operation(
        name="listAuditEntries",
        who="admin",
        method="GET",
        path=Path("/api/audit", no_ids),
        input=query(lambda: models.audit.AuditQuery),
        service=lambda: services.audit.list_audit,
    ),
    # ---- video review: timestamped comments with drawings
    operation(
        name="addSessionComment",
        who="anyone who may read the session (it must have a video)",
        method="POST",
        path=Path("/api/sessions/<sessionId>/comments", session_ids),
        status=201,
        input=body(lambda: models.comments.CommentCreate),
        service=lambda: services.comments.add_comment,
    ),
    operation(
        name="listSessionComments",
        who="anyone who may read the session",
        method="GET",
        path=Path("/api/sessions/<sessionId>/comments", session_ids),
        service=lambda: services.comments.list_comments,
    ),
    operation(
        name="updateSessionComment",
        who="its author, admin",
        method="PUT",
        path=Path("/api/sessions/<sessionId>/comments/<commentId>", comment_ids),
        input=body(lambda: models.comments.CommentUpdate),
        service=lambda: services.comments.update_comment,
    ),
    operation(
        name="deleteSessionComment",
        who="its author, the session's coach, admin (its replies go with it)",
        method="DELETE",
        path=Path("/api/sessions/<sessionId>/comments/<commentId>", comment_ids),
        service=lambda: services.comments.delete_comment,
    ),
    operation(
        name="resolveSessionComment",
        who="the session's coach, admin",
        method="POST",
        path=Path("/api/sessions/<sessionId>/comments/<commentId>/resolve", comment_ids),
        input=body(lambda: models.comments.CommentResolve),
        service=lambda: services.comments.resolve_comment,
    ),
    operation(
        name="createSchedule",
        who="coach (with a linked athlete or a group they own), admin",
        method="POST",
        path=Path("/api/schedules", no_ids),
        status=201,
        input=body(lambda: models.schedules.ScheduleCreate),
        service=lambda: services.schedules.create_schedule,
    ),
    operation(
        name="listOccurrences",
        who="anyone: the schedules they run or attend, their scheduled sessions",
        method="GET",
        path=Path("/api/occurrences", no_ids),
        input=query(lambda: models.schedules.OccurrenceQuery),
        service=lambda: services.schedules.list_occurrences,
    ),
    # ---- practice sessions (practice seed: snake_case as written there)
    operation(
        name="createExercise",
        who="coach, admin",
        method="POST",
        path=Path("/api/exercises", no_ids),
        status=201,
        input=body(lambda: models.practice.ExerciseCreate),
        service=lambda: services.practice.create_exercise,
    ),
    operation(
        name="startPracticeSession",
        who="anyone: a practice session of their own",
        method="POST",
        path=Path("/api/exercises/session/start", no_ids),
        input=body(lambda: models.practice.PracticeStart),
        service=lambda: services.practice.start_practice,
        keyed=True,  # each start makes a new practice session
    ),
    operation(
        name="submitAnswer",
        who="anyone: to a practice session of their own (none: a standalone one)",
        method="POST",
        path=Path("/api/exercises/submit", no_ids),
        input=body(lambda: models.practice.AnswerSubmit),
        service=lambda: services.practice.submit_answer,
        keyed=True,  # without a session_id, each answer makes a standalone session
    ),
    operation(
        name="endPracticeSession",
        who="the session's own athlete",
        method="POST",
        path=Path("/api/exercises/session/end", no_ids),
        input=body(lambda: models.practice.PracticeEnd),
        service=lambda: services.practice.end_practice,
    ),
    # ---- users and roles
    operation(
        name="getMyProfile",
        who="anyone signed in: their own profile (made on first use)",
        method="GET",
        path=Path("/api/users/me", no_ids),
        service=lambda: services.profiles.get_my_profile,
    ),
    operation(
        name="updateMyProfile",
        who="anyone signed in: their own profile (not its role or e-mail)",
        method="PUT",
        path=Path("/api/users/me", no_ids),
        input=body(lambda: models.users.ProfileUpdate),
        service=lambda: services.profiles.update_my_profile,
    ),
    # ---- notifications
    operation(
        name="listNotifications",
        who="anyone signed in: their own",
        method="GET",
        path=Path("/api/notifications", no_ids),
        input=query(lambda: models.notifications.NotificationListQuery),
        service=lambda: services.notifications.list_notifications,
    ),
    operation(
        name="markNotificationsRead",
        who="anyone signed in: their own",
        method="POST",
        path=Path("/api/notifications/read", no_ids),
        input=body(lambda: models.notifications.NotificationsRead),
        service=lambda: services.notifications.mark_read,
    ),
    operation(
        name="registerDevice",
        who="anyone signed in: a web-push token of theirs",
        method="POST",
        path=Path("/api/users/me/devices", no_ids),
        status=201,
        input=body(lambda: models.notifications.DeviceRegister),
        service=lambda: services.notifications.register_device,
    ),
    operation(
        name="removeDevice",
        who="anyone signed in: a device of theirs",
        method="DELETE",
        path=Path("/api/users/me/devices/<deviceId>", device_ids),
        service=lambda: services.notifications.remove_device,
    ),
    operation(
        name="setUserRole",
        who="admin (not for their own role)",
        method="POST",
        path=Path("/api/users/<uid>/role", user_ids),
        input=body(lambda: models.users.RoleChange),
        service=lambda: services.users.set_role,
    ),
    # ---- statistics
    operation(
        name="getSessionStats",
        who="the person, a linked coach (athlete statistics), admin",
        method="GET",
        path=Path("/api/sessions/stats", no_ids),
        input=query(lambda: models.stats.StatsQuery),
        service=lambda: services.stats.session_stats,
    ),
    operation(
        name="getAnalyticsSummary",
        who="anyone signed in: their own practice",
        method="GET",
        path=Path("/api/analytics/summary", no_ids),
        service=lambda: services.stats.analytics_summary,
    ),
    # ---- invitations
    operation(
        name="createInvitation",
        who="coach",
        method="POST",
        path=Path("/api/invitations", no_ids),
        status=201,
        input=body(lambda: models.invitations.InvitationCreate),
        service=lambda: services.invitations.create_invitation,
        limit="invitations",
    ),
    operation(
        name="listInvitations",
        who=(
            "anyone: sent (coaches, admins) and received (verified e-mail, or uid); "
            "`for=me`: the caller's pending ones"
        ),
        method="GET",
        path=Path("/api/invitations", no_ids),
        input=query(lambda: models.invitations.InvitationListQuery),
        service=lambda: services.invitations.list_invitations,
    ),
    operation(
        name="acceptInvitation",
        who="the invited, verified address (a group invitation by uid: that account)",
        method="POST",
        path=Path("/api/invitations/<invitationId>/accept", invitation_ids),
        service=lambda: services.invitations.accept_invitation,
    ),
    operation(
        name="declineInvitation",
        who="the invited, verified address (a group invitation by uid: that account)",
        method="POST",
        path=Path("/api/invitations/<invitationId>/decline", invitation_ids),
        service=lambda: services.invitations.decline_invitation,
    ),
    operation(
        name="resendInvitation",
        who="its coach, admin",
        method="POST",
        path=Path("/api/invitations/<invitationId>/resend", invitation_ids),
        service=lambda: services.invitations.resend_invitation,
        limit="invitations",
    ),
    operation(
        name="revokeInvitation",
        who="its coach, admin",
        method="POST",
        path=Path("/api/invitations/<invitationId>/revoke", invitation_ids),
        service=lambda: services.invitations.revoke_invitation,
    ),
    operation(
        name="deleteLink",
        who="either party (its coach, its athlete), admin",
        method="DELETE",
        path=Path("/api/links/<linkId>", link_ids),
        service=lambda: services.invitations.end_link,
    ),
    # ---- groups and live sessions
    operation(
        name="createGroup",
        who="coach, admin (the owner)",
        method="POST",
        path=Path("/api/groups", no_ids),
        status=201,
        input=body(lambda: models.groups.GroupCreate),
        service=lambda: services.groups.create_group,
    ),
    operation(
        name="listGroups",
        who="anyone: the groups they own or belong to",
        method="GET",
        path=Path("/api/groups", no_ids),
        service=lambda: services.groups.list_groups,
    ),
    operation(
        name="getGroup",
        who="its owner, members, admin",
        method="GET",
        path=Path("/api/groups/<groupId>", group_ids),
        service=lambda: services.groups.get_group,
    ),
    operation(
        name="listGroupMembers",
        who="its owner, admin",
        method="GET",
        path=Path("/api/groups/<groupId>/members", group_ids),
        service=lambda: services.groups.list_members,
    ),
    operation(
        name="addGroupMember",
        who="its owner, admin: an invitation the person accepts (acceptInvitation)",
        method="POST",
        path=Path("/api/groups/<groupId>/members", group_ids),
        status=201,
        input=body(lambda: models.groups.MemberAdd),
        service=lambda: services.groups.invite_member,
        limit="invitations",
    ),
    operation(
        name="removeGroupMember",
        who="its owner, admin; a member removing themself (leaving)",
        method="DELETE",
        path=Path("/api/groups/<groupId>/members/<userId>", member_ids),
        service=lambda: services.groups.remove_member,
    ),
    operation(
        name="startGroupSession",
        who="its owner, admin",
        method="POST",
        path=Path("/api/groups/<groupId>/sessions", group_ids),
        status=201,
        input=body(lambda: models.groups.LiveSessionStart),
        service=lambda: services.groups.start_live_session,
    ),
    operation(
        name="getActiveSessions",
        who="its owner, members, admin",
        method="GET",
        path=Path("/api/groups/<groupId>/active-sessions", group_ids),
        service=lambda: services.groups.active_sessions,
    ),
    operation(
        name="checkIn",
        who="a member of the session's group",
        method="POST",
        path=Path("/api/sessions/<sessionId>/check-in", session_ids),
        service=lambda: services.groups.check_in,
    ),
    operation(
        name="endGroupSession",
        who="the group's owner, admin",
        method="POST",
        path=Path("/api/sessions/<sessionId>/end", session_ids),
        service=lambda: services.groups.end_live_session,
    ),
    # ---- issue 27: reports ----
    operation(
        name="sessionsReport",
        who=(
            "an athlete: their own; a coach: their coached sessions, or a linked athlete's "
            "(`athleteId`); admin: anyone's, or every session"
        ),
        method="GET",
        path=Path("/api/reports/sessions", no_ids),
        input=query(lambda: models.reports.SessionReportQuery),
        service=lambda: services.reports.sessions_report,
        limit="reports",
    ),
    operation(
        name="attendanceReport",
        who="the group's owner, admin",
        method="GET",
        path=Path("/api/reports/attendance", no_ids),
        input=query(lambda: models.reports.AttendanceReportQuery),
        service=lambda: services.reports.attendance_report,
        limit="reports",
    ),
    operation(
        name="completionsReport",
        who="admin",
        method="GET",
        path=Path("/api/reports/completions", no_ids),
        input=query(lambda: models.reports.CompletionReportQuery),
        service=lambda: services.reports.completions_report,
        limit="reports",
    ),
    operation(
        name="athleteReport",
        who="the athlete, a linked coach, admin",
        method="GET",
        path=Path("/api/reports/athlete", no_ids),
        input=query(lambda: models.reports.AthleteReportQuery),
        service=lambda: services.reports.athlete_report,
        limit="reports",
    ),
    # ---- issue 27: download my data ----
    operation(
        name="exportMyData",
        who="anyone signed in: a ZIP of their own data, built by a task (poll the job)",
        method="POST",
        path=Path("/api/users/me/export", no_ids),
        status=202,
        service=lambda: services.exports.request_export,
        limit="exports",
        keyed=True,  # each request builds a new export
    ),
    operation(
        name="listMyExports",
        who="anyone signed in: their own",
        method="GET",
        path=Path("/api/users/me/exports", no_ids),
        service=lambda: services.exports.list_exports,
    ),
    operation(
        name="getMyExport",
        who="anyone signed in: their own (another's is not found)",
        method="GET",
        path=Path("/api/users/me/exports/<exportId>", export_ids),
        service=lambda: services.exports.get_export,
    ),
    # ---- issue 27: deleting an account ----
    operation(
        name="deleteMyAccount",
        who="anyone signed in: their own account and what is theirs (a job; again: the same job)",
        method="DELETE",
        path=Path("/api/users/me", no_ids),
        status=202,
        service=lambda: services.accounts.delete_my_account,
    ),
    operation(
        name="deleteUserAccount",
        who="admin (not their own: deleteMyAccount)",
        method="DELETE",
        path=Path("/api/users/<uid>", user_ids),
        status=202,
        service=lambda: services.accounts.delete_user_account,
    ),
    operation(
        name="getAccountDeletion",
        who="admin; the person themself",
        method="GET",
        path=Path("/api/account-deletions/<uid>", user_ids),
        service=lambda: services.accounts.get_account_deletion,
    ),
)
