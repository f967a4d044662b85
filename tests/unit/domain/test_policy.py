"""domain/policy.py against the rules matrix: the API and firestore.rules cannot drift silently.

The rules matrix (tests/rules/rules_matrix.py) lists, for each document or query a client may
read, the actors firestore.rules must allow. Every decision the policy makes about the same
reads is checked here against those rows, with the matrix's own seed data as the records.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sessionbase.domain import policy
from sessionbase.models.identity import Caller, Role
from sessionbase.models.invitations import InvitationRecord
from sessionbase.models.sessions import SessionListQuery, SessionRecord
from tests.rules.rules_harness import Actor
from tests.rules.rules_matrix import ACTORS, READ_ROWS, SEED, Row
from tests.unit.factories import caller

# The API refuses a revoked or disabled sign-in (401) before any policy runs.
SIGNED_IN = [actor for actor in ACTORS if actor.uid is not None and actor.current]
# Read as the session is; attendance records are narrower (``attendance_read_mismatches``).
SUBCOLLECTIONS = ("notes", "attachments", "items")


class SeedRelations:
    """Links and group members as the matrix's seed holds them."""

    def __init__(self) -> None:
        self.links = {
            (data["coachId"], data["athleteId"])
            for path, data in SEED.items()
            if path.startswith("links/")
        }
        self.members = {
            (parts[1], parts[3])
            for parts in (path.split("/") for path in SEED)
            if len(parts) == 4 and parts[0] == "groups" and parts[2] == "members"
        }
        self.questions = 0

    def linked(self, *, coach_id: str, athlete_id: str) -> bool:
        self.questions += 1
        return (coach_id, athlete_id) in self.links

    def member(self, *, group_id: str, uid: str) -> bool:
        self.questions += 1
        return (group_id, uid) in self.members


def caller_of(actor: Actor) -> Caller:
    # The role the profile records, as the rules read it: the claim the API reads is set from
    # it by every role change (issue 20, item 7), so the two agree at rest.
    recorded = SEED.get(f"users/{actor.uid}", {}).get("role")
    return caller(
        actor.uid,
        role=recorded or Role.ATHLETE,
        email=actor.email.lower() if actor.email else None,
        verified=actor.email_verified,
    )


def rows(predicate) -> list[Row]:
    found = [row for row in READ_ROWS if predicate(row)]
    assert found, "the matrix no longer has rows of this kind: update this test"
    return found


def doc_path(row: Row) -> list[str]:
    return row.path.split("/") if row.op == "get" and row.path else []


def session_path(row: Row) -> str | None:
    """The session a `get` row reads: the session itself, or a contract subcollection of it."""
    parts = doc_path(row)
    if parts[:1] != ["sessions"] or f"sessions/{parts[1]}" not in SEED:
        return None
    if len(parts) == 2 or (len(parts) == 4 and parts[2] in SUBCOLLECTIONS):
        return f"sessions/{parts[1]}"
    return None


def where_row(collection: str, field: str):
    def matches(row: Row) -> bool:
        query = row.query
        return bool(
            query
            and query.collection == collection
            and len(query.where) == 1
            and query.where[0][0] == field
        )

    return matches


def disagreements(row: Row, allows: Callable[[Caller], bool]) -> list[str]:
    """The signed-in actors for whom ``allows`` and the rules matrix's ``row`` disagree."""
    return [a.name for a in SIGNED_IN if allows(caller_of(a)) != (a.name in row.allowed)]


def session_read_mismatches(may_read) -> list[str]:
    """Every (row, actor) where ``may_read`` and the rules matrix disagree about a session read."""
    found = []
    for row in rows(session_path):
        session = SessionRecord.model_validate(SEED[session_path(row)])
        for actor in SIGNED_IN:
            if may_read(caller_of(actor), session, SeedRelations()) != (actor.name in row.allowed):
                found.append(f"{row.label()} as {actor.name}")
    return found


def test_session_reads_match_the_rules():
    assert session_read_mismatches(policy.may_read_session) == []


def may_read_attendance(who: Caller, session: SessionRecord, uid: str, relations) -> bool:
    """firestore.rules on ``sessions/{id}/attendance/{uid}``: a reader of the session reads their
    own record; the whole roll, the session's coach (a class's: its group's owner) and admins.
    No API operation reads another person's record, so there is no policy function to compare:
    this states the rule once, from the policy's own pieces."""
    return policy.may_read_session(who, session, relations) and (
        who.uid in (uid, session.coachId) or who.is_admin
    )


def attendance_read_mismatches(may_read) -> list[str]:
    """Every (row, actor) where ``may_read`` and the matrix disagree about an attendance record."""
    found = []
    for row in rows(
        lambda r: doc_path(r)[:1] == ["sessions"] and doc_path(r)[2:3] == ["attendance"]
    ):
        _, session_id, _, uid = doc_path(row)
        session = SessionRecord.model_validate(SEED[f"sessions/{session_id}"])
        for actor in SIGNED_IN:
            allowed = may_read(caller_of(actor), session, uid, SeedRelations())
            if allowed != (actor.name in row.allowed):
                found.append(f"{row.label()} as {actor.name}")
    return found


def test_attendance_reads_match_the_rules():
    assert attendance_read_mismatches(may_read_attendance) == []


def test_the_attendance_comparison_catches_the_whole_roll_for_every_reader():
    def any_reader(who, session, uid, relations):
        return policy.may_read_session(who, session, relations)

    mismatches = attendance_read_mismatches(any_reader)
    assert "get sessions/s-g1/attendance/member-2 as group_member" in mismatches


def test_the_comparison_catches_a_weaker_policy():
    def any_coach_reads(who, session, relations):
        return who.role is Role.COACH or policy.may_read_session(who, session, relations)

    assert "get sessions/s-b1 as unlinked_coach" in session_read_mismatches(any_coach_reads)


@pytest.mark.parametrize("row", rows(where_row("sessions", "athleteId")), ids=Row.label)
def test_listing_an_athletes_sessions_matches_the_rules(row):
    athlete_id = row.query.where[0][1]

    def lists(who: Caller) -> bool:
        query = SessionListQuery(athleteId=athlete_id)
        try:
            scope = policy.session_list_scope(who, query, SeedRelations())
        except policy.PermissionDenied:
            return False
        return scope == {"athleteId": athlete_id}

    assert disagreements(row, lists) == []


@pytest.mark.parametrize("row", rows(where_row("sessions", "coachId")), ids=Row.label)
def test_listing_a_coachs_sessions_matches_the_rules(row):
    coach_id = row.query.where[0][1]
    assert disagreements(row, lambda who: policy.may_read_coach(who, coach_id)) == []


@pytest.mark.parametrize(
    "row", rows(lambda r: len(doc_path(r)) == 2 and doc_path(r)[0] == "athleteStats"), ids=Row.label
)
def test_athlete_statistics_match_the_rules(row):
    athlete_id = doc_path(row)[1]

    def reads(who: Caller) -> bool:
        return policy.may_read_athlete(who, athlete_id, SeedRelations())

    assert disagreements(row, reads) == []


@pytest.mark.parametrize(
    "row", rows(lambda r: len(doc_path(r)) == 2 and doc_path(r)[0] == "coachStats"), ids=Row.label
)
def test_coach_statistics_match_the_rules(row):
    coach_id = doc_path(row)[1]
    assert disagreements(row, lambda who: policy.may_read_coach(who, coach_id)) == []


@pytest.mark.parametrize(
    "row", rows(lambda r: len(doc_path(r)) == 2 and doc_path(r)[0] == "invitations"), ids=Row.label
)
def test_who_may_act_on_an_invitation_is_who_may_read_it(row):
    stored = SEED[row.path]
    invitation = InvitationRecord.model_validate(
        {"expiresAt": stored["createdAt"], **stored}  # the matrix's seed omits the expiry
    )

    def acts(who: Caller) -> bool:
        return policy.is_invitee(who, invitation) or policy.may_revoke_invitation(who, invitation)

    assert disagreements(row, acts) == []


@pytest.mark.parametrize("row", rows(where_row("invitations", "athleteEmail")), ids=Row.label)
def test_received_invitations_are_listed_only_where_the_rules_allow(row):
    address = row.query.where[0][1]
    for actor in SIGNED_IN:
        if policy.received_invitations_address(caller_of(actor)) == address:
            assert actor.name in row.allowed, actor.name


def test_relations_are_asked_only_when_the_record_does_not_decide():
    own = SessionRecord.model_validate(SEED["sessions/s-a1"])
    relations = SeedRelations()
    athlete = caller_of(next(a for a in ACTORS if a.name == "athlete_a"))
    assert policy.may_read_session(athlete, own, relations)
    assert relations.questions == 0


@pytest.mark.parametrize(
    ("path", "action", "managers"),
    [
        ("sessions/s-a1", "complete it", {"coach_of_a", "admin"}),
        # athlete A created s-a2 (no coach on it): its creator manages it
        ("sessions/s-a2", "cancel it", {"athlete_a", "admin"}),
    ],
)
def test_a_session_is_closed_only_by_its_coach_its_creator_or_an_admin(path, action, managers):
    session = SessionRecord.model_validate(SEED[path])
    for actor in SIGNED_IN:
        if actor.name in managers:
            policy.require_manager(caller_of(actor), session, action)
            continue
        refusal = f"Only the session's coach, its creator or an admin may {action}."
        with pytest.raises(policy.PermissionDenied, match=refusal):
            policy.require_manager(caller_of(actor), session, action)


def test_only_admins_verify_completion_codes():
    for actor in SIGNED_IN:
        if actor.name == "admin":
            policy.require_code_verifier(caller_of(actor))
            continue
        with pytest.raises(policy.PermissionDenied, match="Only admins verify completion codes"):
            policy.require_code_verifier(caller_of(actor))


def test_a_schedule_with_an_athlete_is_made_by_their_linked_coach_or_an_admin():
    for actor in SIGNED_IN:
        who = caller_of(actor)
        if actor.name in {"coach_of_a", "admin"}:
            policy.require_may_schedule_with(who, "athlete-a", SeedRelations())
            continue
        with pytest.raises(policy.PermissionDenied, match="only with athletes linked") as refused:
            policy.require_may_schedule_with(who, "athlete-a", SeedRelations())
        assert [e.field for e in refused.value.errors] == ["athleteId"], actor.name


def test_a_schedule_for_a_group_is_made_by_its_owner_or_an_admin():
    from sessionbase.models.groups import GroupRecord

    stamps = {"createdAt": SEED["groups/g1/members/coach-a"]["joinedAt"]}
    group = GroupRecord.model_validate(
        {**SEED["groups/g1"], **stamps, "updatedAt": stamps["createdAt"]}
    )
    for actor in SIGNED_IN:
        who = caller_of(actor)
        if actor.name in {"coach_of_a", "admin"}:
            policy.require_may_schedule_for(who, group)
        else:
            with pytest.raises(policy.PermissionDenied, match="only for groups you own"):
                policy.require_may_schedule_for(who, group)
        # A group that is not there is refused alike, to an admin too (nothing is revealed).
        with pytest.raises(policy.PermissionDenied, match="only for groups you own") as refused:
            policy.require_may_schedule_for(who, None)
        assert [e.field for e in refused.value.errors] == ["groupId"]


def test_only_admins_change_roles_and_never_their_own():
    for actor in SIGNED_IN:
        who = caller_of(actor)
        if actor.name != "admin":
            with pytest.raises(policy.PermissionDenied, match="Only admins change roles"):
                policy.require_role_changer(who, "athlete-a")
            continue
        policy.require_role_changer(who, "athlete-a")
        with pytest.raises(policy.FailedPrecondition, match="do not change their own role"):
            policy.require_role_changer(who, who.uid)
