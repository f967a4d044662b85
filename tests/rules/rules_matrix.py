"""The access matrix: actors × documents/queries × operations → allowed or denied.

Each `Row` names one target (a document or a query the app makes) and one operation, and lists
the actors that must be allowed; every other actor must be denied. `CASES` expands the rows over
all actors. The policy itself is written down in docs/security-rules.md.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tests.rules.rules_harness import Actor, FirestoreRestClient, Outcome, Query

# ---- actors
ANON = Actor(name="anonymous")
ATHLETE_A = Actor(name="athlete_a", uid="athlete-a", email="athlete.a@example.com")
# Athlete B signs in with a mixed-case address; invitations store it lower-case.
ATHLETE_B = Actor(name="athlete_b", uid="athlete-b", email="Athlete.B@Example.com")
COACH_A = Actor(name="coach_of_a", uid="coach-a", email="coach.a@example.com", role="coach")
COACH_U = Actor(name="unlinked_coach", uid="coach-u", email="coach.u@example.com", role="coach")
# Was linked to athlete A until one of them ended the link (links/coach-f_athlete-a deleted): reads
# nothing of the athlete any more, only the session the two made together (issue 21, item 3).
COACH_F = Actor(name="former_coach", uid="coach-f", email="coach.f@example.com", role="coach")
MEMBER = Actor(name="group_member", uid="member-m", email="member.m@example.com")
NON_MEMBER = Actor(name="non_member", uid="non-member-n", email="non.member@example.com")
ADMIN = Actor(name="admin", uid="admin-1", email="admin@example.com", role="admin")
# Another account claiming athlete B's address without having verified it.
UNVERIFIED = Actor(
    name="unverified_email", uid="unverified-u", email="athlete.b@example.com", email_verified=False
)
# Tokens issued before a change the functions recorded in the user's profile (`users/{uid}`:
# `role`, `revokedAt`, `disabled`): each is refused everything at once (issue 20, item 6).
DEMOTED_COACH = Actor(
    name="demoted_coach", uid="coach-d", email="coach.d@example.com", role="coach", current=False
)
DEMOTED_ADMIN = Actor(
    name="demoted_admin", uid="admin-d", email="admin.d@example.com", role="admin", current=False
)
DISABLED_ADMIN = Actor(
    name="disabled_admin", uid="admin-x", email="admin.x@example.com", role="admin", current=False
)
REVOKED = Actor(
    name="revoked_athlete", uid="athlete-r", email="athlete.r@example.com", current=False
)
# An admin claim that no role operation recorded (set by hand in the console): the rules take the
# role from the profile, and this account has none, so it is an athlete.
CLAIM_ONLY = Actor(
    name="admin_claim_only", uid="admin-c", email="admin.c@example.com", role="admin"
)

ACTORS: tuple[Actor, ...] = (
    ANON,
    ATHLETE_A,
    ATHLETE_B,
    COACH_A,
    COACH_U,
    COACH_F,
    MEMBER,
    NON_MEMBER,
    ADMIN,
    UNVERIFIED,
    DEMOTED_COACH,
    DEMOTED_ADMIN,
    DISABLED_ADMIN,
    REVOKED,
    CLAIM_ONLY,
)
# Signed in with a sign-in that still counts (not revoked, not disabled).
SIGNED_IN = frozenset(a.name for a in ACTORS if a.uid is not None and a.current)

# ---- seed data
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
T1 = datetime(2026, 1, 6, 9, 0, tzinfo=UTC)
# Revocation times (whole seconds, as the functions store them) before and after the actors'
# sign-in (rules_harness.TOKEN_IAT, 2026-01-01T00:00:00Z).
BEFORE_SIGN_IN = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
AFTER_SIGN_IN = datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC)

SEED: dict[str, dict[str, Any]] = {
    # users
    "users/athlete-a": {
        "displayName": "Athlete A",
        "email": "athlete.a@example.com",
        "role": "athlete",
        "timezone": "UTC",
        "createdAt": T0,
    },
    "users/athlete-b": {
        "displayName": "Athlete B",
        "email": "athlete.b@example.com",
        "role": "athlete",
        "timezone": "Europe/Berlin",
        "createdAt": T0,
    },
    "users/coach-a": {  # made a coach before this sign-in: that revocation is behind them
        "displayName": "Coach A",
        "email": "coach.a@example.com",
        "role": "coach",
        "timezone": "UTC",
        "createdAt": T0,
        "revokedAt": BEFORE_SIGN_IN,
        "roleVersion": 1,
    },
    "users/coach-u": {"email": "coach.u@example.com", "role": "coach", "roleVersion": 1},
    "users/coach-f": {"email": "coach.f@example.com", "role": "coach", "roleVersion": 1},
    "users/admin-1": {"email": "admin@example.com", "role": "admin", "roleVersion": 1},
    "users/coach-d": {  # demoted after signing in
        "email": "coach.d@example.com",
        "role": "athlete",
        "revokedAt": AFTER_SIGN_IN,
        "roleVersion": 2,
    },
    "users/admin-d": {  # role removed after signing in
        "email": "admin.d@example.com",
        "role": None,
        "revokedAt": AFTER_SIGN_IN,
        "roleVersion": 2,
    },
    "users/admin-x": {  # disabled after signing in
        "email": "admin.x@example.com",
        "role": "admin",
        "disabled": True,
        "revokedAt": AFTER_SIGN_IN,
        "roleVersion": 2,
    },
    "users/athlete-r": {"email": "athlete.r@example.com", "revokedAt": AFTER_SIGN_IN},
    "users/member-m": {
        "displayName": "Member M",
        "email": "member.m@example.com",
        "role": "athlete",
        "timezone": "UTC",
        "createdAt": T0,
    },
    # coach A is linked to athlete A (accepted invitation); nobody is linked to athlete B
    "links/coach-a_athlete-a": {
        "coachId": "coach-a",
        "athleteId": "athlete-a",
        "coachEmail": "coach.a@example.com",
        "athleteEmail": "athlete.a@example.com",
        "createdAt": T0,
        "invitationId": "inv-a",
    },
    # coach F's link to athlete A was ended: the link is gone, its invitation reads `ended`
    "invitations/inv-f": {
        "coachId": "coach-f",
        "coachEmail": "coach.f@example.com",
        "athleteEmail": "athlete.a@example.com",
        "athleteId": "athlete-a",
        "status": "ended",
        "createdAt": T0,
        "endedAt": T1,
    },
    "invitations/inv-b": {
        "coachId": "coach-a",
        "coachEmail": "coach.a@example.com",
        "coachName": "Coach A",
        "athleteEmail": "athlete.b@example.com",
        "status": "pending",
        "createdAt": T0,
    },
    # group invitations (issue 21, item 2): coach A invites to g1 by e-mail (athlete B) and by
    # uid (the non-member); neither is a member until they accept
    "invitations/inv-g": {
        "kind": "group",
        "groupId": "g1",
        "groupName": "Morning yoga",
        "coachId": "coach-a",
        "coachEmail": "coach.a@example.com",
        "athleteEmail": "athlete.b@example.com",
        "status": "pending",
        "createdAt": T1,
    },
    "invitations/inv-gu": {
        "kind": "group",
        "groupId": "g1",
        "groupName": "Morning yoga",
        "coachId": "coach-a",
        "coachEmail": "coach.a@example.com",
        "inviteeId": "non-member-n",
        "status": "pending",
        "createdAt": T1,
    },
    # sessions
    "sessions/s-a1": {  # coach A's analysis session with athlete A
        "athleteId": "athlete-a",
        "athleteEmail": "athlete.a@example.com",
        "coachId": "coach-a",
        "createdBy": "coach-a",
        "sessionType": "Analysis",
        "status": "completed",
        "createdAt": T0,
    },
    "sessions/s-a2": {  # athlete A's own practice session, no coach on it
        "athleteId": "athlete-a",
        "athleteEmail": "athlete.a@example.com",
        "createdBy": "athlete-a",
        "sessionType": "Practice",
        "status": "completed",
        "createdAt": T1,
    },
    "sessions/s-a3": {  # coach A's session with athlete A, archived by the coach
        "athleteId": "athlete-a",
        "athleteEmail": "athlete.a@example.com",
        "coachId": "coach-a",
        "createdBy": "coach-a",
        "sessionType": "Analysis",
        "status": "completed",
        "archived": True,
        "archivedAt": T1,
        "archivedBy": "coach-a",
        "createdAt": T0,
    },
    "sessions/s-f1": {  # coach F's session with athlete A, made while they were linked
        "athleteId": "athlete-a",
        "athleteEmail": "athlete.a@example.com",
        "coachId": "coach-f",
        "createdBy": "coach-f",
        "sessionType": "Training",
        "status": "completed",
        "createdAt": T0,
    },
    "sessions/s-b1": {  # athlete B's own session; B has no coach
        "athleteId": "athlete-b",
        "athleteEmail": "athlete.b@example.com",
        "createdBy": "athlete-b",
        "sessionType": "Training",
        "status": "scheduled",
        "createdAt": T0,
    },
    "sessions/s-r1": {  # the revoked athlete's own session
        "athleteId": "athlete-r",
        "athleteEmail": "athlete.r@example.com",
        "createdBy": "athlete-r",
        "sessionType": "Training",
        "status": "scheduled",
        "createdAt": T0,
    },
    "sessions/s-pending": {  # the unlinked coach's session for an e-mail with no account yet
        "athleteId": None,
        "athleteEmail": "newcomer@example.com",
        "coachId": "coach-u",
        "createdBy": "coach-u",
        "sessionType": "Analysis",
        "status": "scheduled",
        "createdAt": T0,
    },
    "sessions/s-g1": {  # a class of group g1, no athlete on it
        "coachId": "coach-a",
        "createdBy": "coach-a",
        "groupId": "g1",
        "sessionType": "Class",
        "status": "active",
        "createdAt": T1,
    },
    "sessions/s-a1/notes/n1": {"type": "general", "text": "good", "authorId": "coach-a"},
    "sessions/s-a1/attachments/at1": {"path": "sessions/s-a1/attachments/x.pdf", "size": 10},
    "sessions/s-a1/items/i1": {"kind": "pose", "name": "tree", "accuracy": 90},
    "sessions/s-a1/attendance/athlete-a": {"status": "present", "at": T0},
    # video review: timestamped comments (issue 24); a reply on s-a1, one on a class, an orphan
    "sessions/s-a1/comments/c1": {
        "commentId": "c1",
        "sessionId": "s-a1",
        "atMs": 4000,
        "text": "knees in",
        "drawing": {
            "shapes": [
                {
                    "kind": "line",
                    "points": [{"x": 0, "y": 0}, {"x": 1, "y": 1}],
                    "colour": "#ff0000",
                }
            ]
        },
        "replyTo": None,
        "authorId": "coach-a",
        "createdAt": T0,
        "resolved": False,
        "videoJobId": "j1",
    },
    "sessions/s-a1/comments/c2": {
        "commentId": "c2",
        "atMs": 4000,
        "replyTo": "c1",
        "authorId": "athlete-a",
        "createdAt": T1,
    },
    "sessions/s-g1/comments/c1": {"commentId": "c1", "atMs": 0, "authorId": "coach-a"},
    "sessions/s-gone/comments/c1": {"commentId": "c1", "atMs": 0},  # parent does not exist
    "sessions/s-a1/private/x": {"secret": True},  # a subcollection not in the contract
    # notifications (issue 25): a person's inbox, their push devices, Trigger Email's mail
    "users/athlete-a/notifications/classStarted-s-g1": {
        "kind": "classStarted",
        "title": "Yoga has started",
        "body": "Check in now.",
        "link": "/classes/g1",
        "createdAt": T1,
        "readAt": None,
    },
    "users/athlete-a/devices/d1": {"uid": "athlete-a", "token": "fcm-token", "createdAt": T1},
    "mail/m1": {"to": "athlete.a@example.com", "message": {"subject": "Hi", "text": "Hi"}},
    # the download log (issue 26): who was handed which attachment's link; the API's alone
    "attachmentDownloads/dl1": {"sessionId": "s-a1", "attachmentId": "at1", "uid": "athlete-a"},
    # the audit trail (issue 27): admins read it; nobody writes it but the functions
    "auditLog/e1": {
        "operation": "completeSession",
        "uid": "coach-a",
        "role": "coach",
        "at": T1,
        "documents": ["sessions/s-a1"],
    },
    "sessions/s-b1/notes/n1": {"type": "issue", "text": "knee", "authorId": "athlete-b"},
    "sessions/s-g1/attendance/member-m": {"status": "present", "at": T1},
    # another member's record (marked absent at the end): not member-m's to read
    "sessions/s-g1/attendance/member-2": {"status": "absent", "at": T1},
    "sessions/s-gone/notes/n1": {"type": "general", "text": "orphan"},  # parent does not exist
    # statistics
    "athleteStats/athlete-a": {"totalSessions": 2},
    "athleteStats/athlete-a/years/2026": {"year": "2026", "days": {"01-05": {"sessions": 1}}},
    "athleteStats/athlete-a/events/e1": {"event": "__x__", "sessions": 1},
    "athleteStats/athlete-b": {"totalSessions": 1},
    "coachStats/coach-a": {"totalSessions": 2, "athleteCount": 1},
    "coachStats/coach-a/shards/0": {"totalSessions": 2},
    "coachStats/coach-a/years/2026-0": {"year": "2026", "days": {"01-05": {"sessions": 1}}},
    "coachStats/coach-a/events/e1-0": {"event": "Vault", "sessions": 1},
    # groups: coach A owns g1; member-m is a member
    "groups/g1": {
        "name": "Morning yoga",
        "kind": "course",
        "ownerId": "coach-a",
        "activeSessions": [],
    },
    "groups/g1/members/coach-a": {"role": "owner", "joinedAt": T0},
    "groups/g1/members/member-m": {"role": "member", "joinedAt": T0},
    "groups/g1/members/member-2": {  # a member with no actor: their roster entry and record
        "uid": "member-2",
        "role": "member",
        "email": "member.2@example.com",
        "joinedAt": T0,
    },
    # practice
    "exercises/e1": {"prompt": "2 + 2?", "createdBy": "coach-a", "createdAt": T0},
    "exerciseAnswers/e1": {"answers": ["4", "four"]},
    # internal collections: no client access at all
    "eventMarkers/m1": {"at": T0},
    "completionCodes/ABC123": {"sessionId": "s-a1"},
    "backendSessions/b1": {"sessionId": "s-a1"},
    "analysisJobs/j1": {"sessionId": "s-a1", "state": "queued", "attempts": 0},
    "callbackReceipts/r1": {"usedAt": T0},
    "schedules/sch1": {"title": "Batch 1", "coachId": "coach-a", "athleteId": "athlete-a"},
    "sessions/s-a1/rejectedUploads/r1": {"reason": "The file was declared application/pdf ..."},
    "statsContributions/s-a1": {"athleteId": "athlete-a", "coachId": "coach-a", "counters": {}},
    "statsFailures/s-a1": {"sessionId": "s-a1", "athleteId": "athlete-a", "error": "x"},
    # internal: idempotency records (issue 20) and standalone-submit quotas (issue 21)
    "idempotency/k1": {"uid": "athlete-a", "operation": "createSession", "state": "done"},
    "quotas/q1": {"uid": "athlete-a", "count": 1},
    # internal: account deletion jobs (issue 27), polled through GET /api/account-deletions/{uid}
    "accountDeletions/athlete-a": {"uid": "athlete-a", "status": "running", "step": "lock"},
    "sessions/s-g1/live/gate": {"checkIns": 1},
    "_meta/schema": {"version": 1},
    "someFutureCollection/x": {"v": 1},
}


# ---- rows
@dataclass(frozen=True, kw_only=True)
class Row:
    """One target and operation, and the actors allowed to perform it."""

    op: str  # get | list | create | update | delete
    allowed: frozenset[str]
    path: str | None = None  # a document (get, update, delete) or a new document (create)
    query: Query | None = None  # for list
    own_query: tuple[str, str, tuple[str, str] | None] | None = None  # (collection, field, order)
    expect_results: bool = True  # an allowed list/get must return documents (proves the seed)

    def label(self) -> str:
        """A readable id for the row."""
        if self.query is not None:
            return f"list {self.query.describe()}"
        if self.own_query is not None:
            coll, fld, order = self.own_query
            suffix = f" orderBy {order[0]} {order[1]}" if order else ""
            return f"list {coll} where {fld}==<self>{suffix}"
        return f"{self.op} {self.path}"

    def query_for(self, actor: Actor) -> Query:
        """The query this row runs as `actor` (an own-query uses the actor's uid)."""
        if self.query is not None:
            return self.query
        assert self.own_query is not None
        coll, fld, order = self.own_query
        return Query(collection=coll, where=((fld, actor.uid or "nobody"),), order_by=order)


def allow(*actors: Actor) -> frozenset[str]:
    """The names of the allowed actors."""
    return frozenset(a.name for a in actors)


NOBODY: frozenset[str] = frozenset()
NEWEST = ("createdAt", "desc")


def get(path: str, *actors: Actor, expect_results: bool = True) -> Row:
    """A `get` of a document (``expect_results=False``: one that does not exist)."""
    return Row(op="get", path=path, allowed=allow(*actors), expect_results=expect_results)


def lst(collection: str, *actors: Actor, where: tuple = (), order=None) -> Row:
    """A query (list) with fixed filter values."""
    return Row(
        op="list",
        query=Query(collection=collection, where=where, order_by=order),
        allowed=allow(*actors),
    )


def own(collection: str, field_name: str, order=None) -> Row:
    """A query filtered on the caller's own uid: allowed for any signed-in user (maybe empty)."""
    return Row(
        op="list",
        own_query=(collection, field_name, order),
        allowed=SIGNED_IN,
        expect_results=False,
    )


READ_ROWS: list[Row] = [
    # users/{uid}: self, admin. Not a linked coach: the profile holds the e-mail, the role and the
    # standing (disabled, revokedAt, who changed the role), and no API answer gives a coach any of
    # it (issue 21, item 14)
    get("users/athlete-a", ATHLETE_A, ADMIN),
    get("users/athlete-b", ATHLETE_B, ADMIN),
    get("users/coach-a", COACH_A, ADMIN),
    get("users/member-m", MEMBER, ADMIN),
    get("users/coach-d", ADMIN),  # their own profile, but their sign-in no longer counts
    get("users/coach-f", COACH_F, ADMIN),  # a coach's e-mail: not to the athlete's other coach
    get("users/admin-c", CLAIM_ONLY, ADMIN, expect_results=False),
    lst("users", ADMIN),
    # a person's notifications: theirs alone (the bell's query on unread ones, the inbox's
    # newest first), not even an admin's through the rules; devices and mail: nobody
    get("users/athlete-a/notifications/classStarted-s-g1", ATHLETE_A),
    lst("users/athlete-a/notifications", ATHLETE_A, where=(("readAt", None),)),
    lst("users/athlete-a/notifications", ATHLETE_A, order=("createdAt", "desc")),
    get("users/athlete-a/devices/d1"),
    lst("users/athlete-a/devices"),
    get("mail/m1"),
    lst("mail"),
    get("attachmentDownloads/dl1"),
    lst("attachmentDownloads", where=(("uid", "athlete-a"),)),
    get("auditLog/e1", ADMIN),
    lst("auditLog", ADMIN, order=("at", "desc")),
    lst("auditLog", ADMIN, where=(("uid", "coach-a"),)),
    # links: either party, admin; queries by either party
    get("links/coach-a_athlete-a", ATHLETE_A, COACH_A, ADMIN),
    lst("links", COACH_A, ADMIN, where=(("coachId", "coach-a"),)),
    lst("links", ATHLETE_A, ADMIN, where=(("athleteId", "athlete-a"),)),
    own("links", "coachId"),
    own("links", "athleteId"),
    lst("links", ADMIN),
    # an ended link: gone for both parties (a get of a missing document: admin only)
    get("links/coach-f_athlete-a", ADMIN, expect_results=False),
    # invitations: the coach, the verified invitee (case-insensitive e-mail), admin
    get("invitations/inv-b", COACH_A, ATHLETE_B, ADMIN),
    lst("invitations", COACH_A, ADMIN, where=(("coachId", "coach-a"),)),
    lst("invitations", ATHLETE_B, ADMIN, where=(("athleteEmail", "athlete.b@example.com"),)),
    own("invitations", "coachId"),
    lst("invitations", ADMIN),
    get("invitations/inv-f", COACH_F, ATHLETE_A, ADMIN),  # the ended one: still its two parties'
    # group invitations: as coaches' (the sender, the verified invitee, admin), and one by uid to
    # that account; the group's members read none of them
    get("invitations/inv-g", COACH_A, ATHLETE_B, ADMIN),
    get("invitations/inv-gu", COACH_A, NON_MEMBER, ADMIN),
    lst("invitations", NON_MEMBER, ADMIN, where=(("inviteeId", "non-member-n"),)),
    lst("invitations", NON_MEMBER, ADMIN, where=(("inviteeId", "non-member-n"),), order=NEWEST),
    own("invitations", "inviteeId"),
    # sessions: athlete, coach, creator, linked coach of the athlete, group members, admin
    get("sessions/s-a1", ATHLETE_A, COACH_A, ADMIN),
    get("sessions/s-a2", ATHLETE_A, COACH_A, ADMIN),
    get("sessions/s-b1", ATHLETE_B, ADMIN),
    get("sessions/s-pending", COACH_U, ADMIN),
    get("sessions/s-r1", ADMIN),  # its revoked athlete is refused
    get("sessions/s-g1", COACH_A, MEMBER, ADMIN),
    # after the link ended, the session the two made together stays with both (and coach A, linked)
    get("sessions/s-f1", ATHLETE_A, COACH_F, COACH_A, ADMIN),
    lst("sessions", COACH_F, ADMIN, where=(("coachId", "coach-f"),), order=NEWEST),
    # an archived session stays readable by the same people; the lists filter on `archived`
    get("sessions/s-a3", ATHLETE_A, COACH_A, ADMIN),
    lst(
        "sessions",
        ATHLETE_A,
        COACH_A,
        ADMIN,
        where=(("athleteId", "athlete-a"), ("archived", True)),
        order=NEWEST,
    ),
    lst("sessions", COACH_A, ADMIN, where=(("coachId", "coach-a"), ("archived", True))),
    own("sessions", "athleteId", NEWEST),
    own("sessions", "coachId", NEWEST),
    own("sessions", "createdBy"),
    lst("sessions", ATHLETE_A, COACH_A, ADMIN, where=(("athleteId", "athlete-a"),), order=NEWEST),
    lst("sessions", ATHLETE_B, ADMIN, where=(("athleteId", "athlete-b"),), order=NEWEST),
    lst("sessions", COACH_A, ADMIN, where=(("coachId", "coach-a"),), order=NEWEST),
    lst("sessions", COACH_U, ADMIN, where=(("coachId", "coach-u"),), order=NEWEST),
    lst("sessions", ATHLETE_A, ADMIN, where=(("createdBy", "athlete-a"),)),
    lst("sessions", MEMBER, COACH_A, ADMIN, where=(("groupId", "g1"),)),
    lst("sessions", ADMIN, where=(("status", "completed"),)),
    lst("sessions", ADMIN),
    # session subcollections: whoever reads the parent session
    get("sessions/s-a1/notes/n1", ATHLETE_A, COACH_A, ADMIN),
    lst("sessions/s-a1/notes", ATHLETE_A, COACH_A, ADMIN),
    get("sessions/s-a1/attachments/at1", ATHLETE_A, COACH_A, ADMIN),
    lst("sessions/s-a1/attachments", ATHLETE_A, COACH_A, ADMIN),
    get("sessions/s-a1/items/i1", ATHLETE_A, COACH_A, ADMIN),
    lst("sessions/s-a1/items", ATHLETE_A, COACH_A, ADMIN),
    get("sessions/s-a1/attendance/athlete-a", ATHLETE_A, COACH_A, ADMIN),
    lst("sessions/s-a1/attendance", COACH_A, ADMIN),  # athlete A gets their own record (above)
    get("sessions/s-b1/notes/n1", ATHLETE_B, ADMIN),
    lst("sessions/s-b1/notes", ATHLETE_B, ADMIN),
    # attendance: a member reads their own record; the whole roll (the roster's uids) only the
    # session's coach (a class's: the group's owner) and admin: the roster is the owner's alone
    # (members/{uid} below, GET /api/groups/{id}/members) (item 14)
    lst("sessions/s-g1/attendance", COACH_A, ADMIN),
    get("sessions/s-g1/attendance/member-m", MEMBER, COACH_A, ADMIN),
    get("sessions/s-g1/attendance/member-2", COACH_A, ADMIN),
    # comments (issue 24): whoever reads the parent session, as the session's own read rule;
    # listeners order them by atMs (then createdAt: firestore.indexes.json)
    get("sessions/s-a1/comments/c1", ATHLETE_A, COACH_A, ADMIN),
    get("sessions/s-a1/comments/c2", ATHLETE_A, COACH_A, ADMIN),
    lst("sessions/s-a1/comments", ATHLETE_A, COACH_A, ADMIN, order=("atMs", "asc")),
    lst("sessions/s-a1/comments", ATHLETE_A, COACH_A, ADMIN, where=(("replyTo", "c1"),)),
    get("sessions/s-g1/comments/c1", COACH_A, MEMBER, ADMIN),
    lst("sessions/s-g1/comments", COACH_A, MEMBER, ADMIN),
    get("sessions/s-gone/comments/c1", ADMIN),  # parent session missing: admin only
    get("sessions/s-a1/private/x"),  # not a contract subcollection: nobody
    get("sessions/s-gone/notes/n1", ADMIN),  # parent session missing: admin only
    # statistics
    get("athleteStats/athlete-a", ATHLETE_A, COACH_A, ADMIN),
    get("athleteStats/athlete-b", ATHLETE_B, ADMIN),
    get("athleteStats/athlete-a/years/2026", ATHLETE_A, COACH_A, ADMIN),
    lst("athleteStats/athlete-a/years", ATHLETE_A, COACH_A, ADMIN),
    get("athleteStats/athlete-a/events/e1", ATHLETE_A, COACH_A, ADMIN),
    lst("athleteStats/athlete-a/events", ATHLETE_A, COACH_A, ADMIN),
    lst("athleteStats", ADMIN),
    get("coachStats/coach-a", COACH_A, ADMIN),
    get("coachStats/coach-a/shards/0", COACH_A, ADMIN),
    get("coachStats/coach-a/years/2026-0", COACH_A, ADMIN),
    lst("coachStats/coach-a/years", COACH_A, ADMIN),
    get("coachStats/coach-a/events/e1-0", COACH_A, ADMIN),
    lst("coachStats/coach-a/events", COACH_A, ADMIN),
    lst("coachStats", ADMIN),
    # groups: owner, members, admin; members/{uid}: self, owner, admin
    get("groups/g1", COACH_A, MEMBER, ADMIN),
    lst("groups", COACH_A, ADMIN, where=(("ownerId", "coach-a"),)),
    lst("groups", ADMIN),
    get("groups/g1/members/member-m", MEMBER, COACH_A, ADMIN),
    get("groups/g1/members/coach-a", COACH_A, ADMIN),
    get("groups/g1/members/member-2", COACH_A, ADMIN),  # another member's e-mail: not member-m's
    lst("groups/g1/members", COACH_A, ADMIN),
    # exercises: any signed-in user; answers: coaches and admin only
    get("exercises/e1", *[a for a in ACTORS if a.name in SIGNED_IN]),
    lst("exercises", *[a for a in ACTORS if a.name in SIGNED_IN]),
    get("exerciseAnswers/e1", COACH_A, COACH_U, COACH_F, ADMIN),
    lst("exerciseAnswers", COACH_A, COACH_U, COACH_F, ADMIN),
    # internal and unknown collections: nobody, not even admin
    get("eventMarkers/m1"),
    lst("eventMarkers"),
    get("completionCodes/ABC123"),
    lst("completionCodes"),
    get("backendSessions/b1"),
    lst("backendSessions"),
    get("analysisJobs/j1"),
    lst("analysisJobs"),
    # schedules: served by GET /api/occurrences, not read directly (even by their coach)
    get("schedules/sch1"),
    lst("schedules"),
    get("callbackReceipts/r1"),
    lst("callbackReceipts"),
    get("sessions/s-a1/rejectedUploads/r1"),  # the session's readers included: server-side only
    lst("sessions/s-a1/rejectedUploads"),
    get("statsContributions/s-a1"),
    lst("statsContributions"),
    get("statsFailures/s-a1"),
    lst("statsFailures"),
    get("idempotency/k1"),  # even the caller whose request it records: server-side only
    lst("idempotency"),
    get("quotas/q1"),
    lst("quotas"),
    get("accountDeletions/athlete-a"),  # even its person: through the API only
    lst("accountDeletions"),
    get("sessions/s-g1/live/gate"),  # the live-session gate: internal
    get("_meta/schema"),
    get("someFutureCollection/x"),
]

# Writes: every client write is denied, whoever asks and whatever the data says. The data claims
# the writer owns the document, so a denial cannot come from a data mismatch.
WRITE_TARGETS: list[str] = [
    "users/athlete-a",
    "users/athlete-a/notifications/classStarted-s-g1",
    "users/athlete-a/devices/d1",
    "mail/m1",
    "attachmentDownloads/dl1",
    "auditLog/e1",
    "links/coach-a_athlete-a",
    "invitations/inv-b",
    "sessions/s-a1",
    "sessions/s-a1/notes/n1",
    "sessions/s-a1/attachments/at1",
    "sessions/s-a1/items/i1",
    "sessions/s-a1/attendance/athlete-a",
    "sessions/s-a1/comments/c1",
    "athleteStats/athlete-a",
    "coachStats/coach-a",
    "groups/g1",
    "groups/g1/members/member-m",
    "exercises/e1",
    "exerciseAnswers/e1",
    "eventMarkers/m1",
    "completionCodes/ABC123",
    "analysisJobs/j1",
    "schedules/sch1",
    "idempotency/k1",
    "quotas/q1",
    "accountDeletions/athlete-a",
    "_meta/schema",
]


def write_rows() -> list[Row]:
    """create (a new sibling document), update and delete (the seeded one) for each target."""
    rows: list[Row] = []
    for path in WRITE_TARGETS:
        parent = path.rsplit("/", 1)[0]
        rows.append(Row(op="create", path=f"{parent}/rules-probe-new", allowed=NOBODY))
        rows.append(Row(op="update", path=path, allowed=NOBODY))
        rows.append(Row(op="delete", path=path, allowed=NOBODY))
    return rows


def write_data(actor: Actor) -> dict[str, Any]:
    """A payload in which the writer claims every ownership field."""
    me = actor.uid or "nobody"
    return {
        "athleteId": me,
        "coachId": me,
        "createdBy": me,
        "ownerId": me,
        "role": "admin",
        "status": "accepted",
        "updatedAt": T1,
    }


ROWS: list[Row] = READ_ROWS + write_rows()


@dataclass(frozen=True)
class Case:
    """One cell of the matrix."""

    row: Row
    actor: Actor

    @property
    def expected(self) -> bool:
        """True when the actor must be allowed."""
        return self.actor.name in self.row.allowed

    @property
    def id(self) -> str:
        """The pytest id of the case."""
        verdict = "allow" if self.expected else "deny"
        return f"{self.row.label()} | {self.actor.name} -> {verdict}"


CASES: list[Case] = [Case(row, actor) for row in ROWS for actor in ACTORS]


def run_case(client: FirestoreRestClient, case: Case) -> Outcome:
    """Perform the case's request as its actor."""
    row, actor = case.row, case.actor
    if row.op == "get":
        return client.get(actor, row.path)
    if row.op == "list":
        return client.query(actor, row.query_for(actor))
    if row.op == "create":
        return client.create(actor, row.path, write_data(actor))
    if row.op == "update":
        return client.update(actor, row.path, write_data(actor))
    if row.op == "delete":
        return client.delete(actor, row.path)
    raise ValueError(f"unknown op {row.op}")


# Reads cannot change state, so they run concurrently; writes run after them, deletes last, so
# that even a weakened rule that lets a write through cannot change what another case sees.
PHASES: tuple[frozenset[str], ...] = (
    frozenset({"get", "list"}),
    frozenset({"create", "update"}),
    frozenset({"delete"}),
)


def run_matrix(
    base: str, project: str, cases: list[Case], *, workers: int = 6
) -> dict[str, Outcome | Exception]:
    """Every case's outcome (or the exception its request raised), keyed by case id."""
    local = threading.local()

    def attempt(case: Case) -> tuple[str, Outcome | Exception]:
        if not hasattr(local, "client"):
            local.client = FirestoreRestClient(base=base, project=project)
        try:
            return case.id, run_case(local.client, case)
        except Exception as exc:  # reported by the case's own test
            return case.id, exc

    results: dict[str, Outcome | Exception] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for ops in PHASES:
            results.update(pool.map(attempt, [c for c in cases if c.row.op in ops]))
    return results


SHORT_NAMES = {
    ANON.name: "anon",
    ATHLETE_A.name: "ath A",
    ATHLETE_B.name: "ath B",
    COACH_A.name: "coach of A",
    COACH_U.name: "unlinked coach",
    COACH_F.name: "former coach",
    MEMBER.name: "member",
    NON_MEMBER.name: "non-member",
    ADMIN.name: "admin",
    UNVERIFIED.name: "unverified",
    DEMOTED_COACH.name: "demoted coach",
    DEMOTED_ADMIN.name: "demoted admin",
    DISABLED_ADMIN.name: "disabled admin",
    REVOKED.name: "revoked",
    CLAIM_ONLY.name: "admin claim only",
}


def markdown_table() -> str:
    """The read part of the matrix as a Markdown table (✅ allowed, · denied); docs embed it."""
    header = "| target / operation | " + " | ".join(SHORT_NAMES[a.name] for a in ACTORS) + " |"
    rule = "|---|" + "|".join(":-:" for _ in ACTORS) + "|"
    lines = [header, rule]
    for row in READ_ROWS:
        cells = " | ".join("✅" if a.name in row.allowed else "·" for a in ACTORS)
        lines.append(f"| `{row.label()}` | {cells} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
