"""Collection names and the derived document ids that make writes idempotent or race-free."""

from __future__ import annotations

import hashlib

SESSIONS = "sessions"
LINKS = "links"
INVITATIONS = "invitations"
GROUPS = "groups"
ATHLETE_STATS = "athleteStats"
COACH_STATS = "coachStats"
BACKEND_SESSIONS = "backendSessions"  # internal: (coach, backendSessionId) -> sessionId
ANALYSIS_JOBS = "analysisJobs"  # internal: one per uploaded video generation
CALLBACK_RECEIPTS = "callbackReceipts"  # internal: signatures already used (replay guard)
COMPLETION_CODES = "completionCodes"  # internal: code -> the session it completed (audit)
SCHEDULES = "schedules"  # weekly sessions; their occurrences become sessions when touched
EXERCISES = "exercises"  # prompts: readable by any signed-in user
EXERCISE_ANSWERS = "exerciseAnswers"  # accepted answers: coaches and admins only
QUOTAS = "quotas"  # internal: per-caller counters of bounded operations
ATTACHMENT_DOWNLOADS = "attachmentDownloads"  # internal: download links handed out (admins list)
AUDIT_LOG = "auditLog"  # who changed what, written with the change (store/audit.py); admins read
IDEMPOTENCY = "idempotency"  # internal: keyed requests and their first answers


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def link_id(coach_id: str, athlete_id: str) -> str:
    """``links/{coachId}_{athleteId}``; firestore.rules builds the same id."""
    return f"{coach_id}_{athlete_id}"


def invitation_id(coach_id: str, athlete_email: str) -> str:
    """One invitation slot per coach and e-mail, so a duplicate cannot be created by a race."""
    return _digest(coach_id, athlete_email)


def group_invitation_id(group_id: str, *, email: str | None, uid: str | None) -> str:
    """One invitation slot per group and address (an e-mail or a uid), as ``invitation_id``."""
    address = f"email:{email}" if email is not None else f"uid:{uid}"
    return _digest("group", group_id, address)


def is_invitation_id(value: str) -> bool:
    """True for an id ``invitation_id`` can produce (anything else names no invitation)."""
    return len(value) == 24 and all(c in "0123456789abcdef" for c in value)


def backend_key(owner_id: str, backend_session_id: str) -> str:
    """The registry entry of a backend session id, per owning coach (ids are not global)."""
    return _digest(owner_id, backend_session_id)


def standalone_session_id(uid: str, attempt_id: str) -> str:
    """The standalone practice session of a caller's attempt: a repeat names the same one."""
    return _digest("standalone", uid, attempt_id)


def quota_id(uid: str, operation: str) -> str:
    """A caller's counter of a bounded operation."""
    return _digest("quota", uid, operation)
