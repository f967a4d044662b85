"""domain/sessions.py: who a new session belongs to, pending athletes, yoga practices, updates,
Storage-safe file names."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sessionbase.domain import sessions
from sessionbase.errors import InvalidArgument, PermissionDenied, SessionbaseError
from sessionbase.models.identity import Caller, Role
from sessionbase.models.invitations import LinkRecord
from sessionbase.models.sessions import (
    SessionCreate,
    SessionRecord,
    SessionUpdate,
    YogaSessionCreate,
)
from sessionbase.models.validation import parse
from tests.unit.factories import ADMIN, ATHLETE, COACH, CREATED, caller
from tests.unit.factories import invitation_record as invitation

NOW = CREATED  # the moment the factories' records are made
LINK = LinkRecord(
    coachId="coach",
    athleteId="ath",
    coachEmail="coach@example.com",
    athleteEmail="ath@example.com",
    createdAt=NOW,
    invitationId="i1",
)


def fields_of(error: SessionbaseError) -> set[str]:
    return {e.field for e in error.errors}


def new_session(who: Caller, link: LinkRecord | None = None, **body) -> SessionRecord:
    create = SessionCreate.model_validate(body)
    coach = sessions.coach_of_new_session(who, create)
    return sessions.new_athlete_session(who, create, NOW, coach=coach, link=link)


# ---- who a new session belongs to ---------------------------------------------------------


def test_an_athletes_session_is_their_own_with_no_coach():
    session = new_session(ATHLETE, event="Vault")
    assert (session.athleteId, session.athleteEmail, session.coachId) == (
        "ath",
        "ath@example.com",
        None,
    )
    assert session.createdBy == "ath"
    assert "coachId" in session.document()  # stored as null, so "no coach" can be queried


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"coachId": "coach"}, "coachId"),
        ({"coachEmail": "c@example.com"}, "coachEmail"),
        ({"athleteId": "someone-else"}, "athleteId"),
        ({"athleteEmail": "other@example.com"}, "athleteEmail"),
    ],
)
def test_an_athlete_cannot_name_a_coach_or_someone_else(body, field):
    with pytest.raises(PermissionDenied) as refused:
        new_session(ATHLETE, **body)
    assert fields_of(refused.value) == {field}


def test_a_coach_names_a_linked_athlete_by_uid():
    session = new_session(COACH, LINK, athleteId="ath")
    assert (session.athleteId, session.athleteEmail, session.coachId) == (
        "ath",
        "ath@example.com",
        "coach",
    )


def test_a_session_for_a_linked_athlete_takes_the_links_name_unless_given_one():
    named = LINK.model_copy(update={"athleteName": "Ada Athlete"})
    assert new_session(COACH, named, athleteId="ath").athleteName == "Ada Athlete"
    assert new_session(COACH, named, athleteEmail="ath@example.com").athleteName == "Ada Athlete"
    given = new_session(COACH, named, athleteId="ath", athleteName="Ada L.")
    assert given.athleteName == "Ada L."
    assert new_session(COACH, LINK, athleteId="ath").athleteName is None  # a link made before


def test_a_coach_cannot_name_an_unlinked_athlete_by_uid():
    with pytest.raises(PermissionDenied) as refused:
        new_session(COACH, None, athleteId="stranger")
    assert fields_of(refused.value) == {"athleteId"}


def test_the_email_must_be_the_linked_athletes():
    with pytest.raises(InvalidArgument) as refused:
        new_session(COACH, LINK, athleteId="ath", athleteEmail="wrong@example.com")
    assert fields_of(refused.value) == {"athleteEmail"}


def test_a_coach_naming_no_athlete_gets_400():
    with pytest.raises(InvalidArgument) as refused:
        new_session(COACH)
    assert fields_of(refused.value) == {"athleteEmail"}


def test_an_unlinked_address_makes_a_pending_session():
    session = new_session(COACH, None, athleteEmail="new@example.com")
    assert session.athleteId is None
    assert session.is_pending


def test_a_linked_address_gets_the_athletes_uid():
    session = new_session(COACH, LINK, athleteEmail="ath@example.com")
    assert session.athleteId == "ath"
    assert not session.is_pending


def test_a_coach_cannot_pose_as_another_coach():
    with pytest.raises(PermissionDenied) as refused:
        new_session(COACH, LINK, athleteId="ath", coachId="other")
    assert fields_of(refused.value) == {"coachId"}


def test_an_admin_may_record_a_session_for_anyone_with_no_coach():
    session = new_session(ADMIN, None, athleteId="anyone")
    assert (session.athleteId, session.coachId, session.createdBy) == ("anyone", None, "admin")


def test_a_video_session_starts_its_analysis_pending():
    session = new_session(COACH, LINK, athleteId="ath", videoName="run.mp4")
    assert (session.analysisStatus, session.perFrameStatus, session.analysisProgress) == (
        "pending",
        "pending",
        0,
    )


def test_a_pending_session_takes_the_athlete_who_accepted_meanwhile():
    pending = new_session(COACH, None, athleteEmail="new@example.com")
    assert sessions.with_accepted_athlete(pending, invitation("accepted")).athleteId == "newcomer"
    assert sessions.with_accepted_athlete(pending, invitation("pending")).athleteId is None
    assert sessions.with_accepted_athlete(pending, None).athleteId is None
    linked = new_session(COACH, LINK, athleteId="ath")
    assert sessions.with_accepted_athlete(linked, invitation("accepted")).athleteId == "ath"


def test_the_yoga_practice_computes_its_average_and_one_item_per_pose():
    yoga = YogaSessionCreate.model_validate(
        {
            "duration": 1.5,
            "poses": [{"pose_name": "Tree", "accuracy": 80}, {"pose_name": "Cat", "accuracy": 91}],
        }
    )
    session, items = sessions.new_yoga_session(ATHLETE, yoga, NOW)
    assert (session.avgAccuracy, session.itemCount, session.durationSeconds) == (85.5, 2, 90)
    assert session.actualStart == NOW - timedelta(seconds=90)
    assert [item.name for item in items] == ["Tree", "Cat"]


@pytest.mark.parametrize(("sent", "accepted"), [(85.5, True), (85.0, True), (86.0, True),
                                                (84.9, False), (92.5, False)])  # fmt: skip
def test_a_sent_yoga_average_must_be_the_poses_mean(sent, accepted):
    yoga = YogaSessionCreate.model_validate(
        {
            "duration": 10,
            "poses": [{"pose_name": "Tree", "accuracy": 80}, {"pose_name": "Cat", "accuracy": 91}],
            "avg_accuracy": sent,
        }
    )
    if accepted:
        assert sessions.new_yoga_session(ATHLETE, yoga, NOW)[0].avgAccuracy == sent
    else:
        with pytest.raises(InvalidArgument) as refused:
            sessions.new_yoga_session(ATHLETE, yoga, NOW)
        assert [error.field for error in refused.value.errors] == ["avg_accuracy"]


# ---- updates --------------------------------------------------------------------------------


def stored(**fields) -> SessionRecord:
    return SessionRecord.model_validate(
        {"athleteId": "ath", "coachId": "coach", "createdBy": "coach", **fields}
    )


@pytest.mark.parametrize(
    ("who", "body", "forbidden"),
    [
        (ATHLETE, {"notes": "ok", "event": "Floor"}, {"event"}),
        (COACH, {"event": "Floor", "motionIQ": 80, "analysisStatus": "failed"}, None),
        (caller("other-coach", role=Role.COACH), {"notes": "x"}, {"notes"}),
    ],
)
def test_each_relation_changes_only_its_fields(who, body, forbidden):
    update = parse(SessionUpdate, body)
    with pytest.raises(PermissionDenied) as refused:
        sessions.updated_session(who, stored(), update, NOW)
    expected = forbidden or {"motionIQ", "analysisStatus"}
    assert fields_of(refused.value) == expected


def test_an_admin_changes_anything_and_updated_at_moves():
    update = SessionUpdate.model_validate({"motionIQ": 81.5, "riskLevel": "LOW"})
    updated, written = sessions.updated_session(ADMIN, stored(), update, NOW)
    assert (updated.motionIQ, updated.riskLevel, updated.updatedAt) == (81.5, "LOW", NOW)
    assert written == {"motionIQ", "riskLevel", "updatedAt"}


def test_an_end_before_the_stored_start_is_refused():
    session = stored(scheduledStart=NOW)
    update = SessionUpdate.model_validate({"scheduledEnd": (NOW - timedelta(hours=1)).isoformat()})
    with pytest.raises(InvalidArgument) as refused:
        sessions.updated_session(COACH, session, update, NOW)
    assert fields_of(refused.value) == {"scheduledEnd"}


def test_an_empty_update_writes_nothing():
    session = stored()
    assert sessions.updated_session(ATHLETE, session, SessionUpdate(), NOW) == (
        session,
        frozenset(),
    )


# ---- file names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("athlete_vault.mp4", "athlete_vault.mp4"),
        ("My vault #2.MP4", "My_vault_2.MP4"),
        ("видео.mp4", "video.mp4"),
        ("../../etc/passwd", "passwd"),
        ("C:\\clips\\run.webm", "run.webm"),
        ("noextension", "noextension"),
    ],
)
def test_safe_file_names_keep_the_extension(name, safe):
    assert sessions.safe_file_name(name) == safe


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("plan.pdf", "plan.pdf"),
        ("x.hta", "x.pdf"),  # a PDF polyglot is stored as a PDF, not as an HTML application
        ("plan.PDF", "plan.PDF"),
        ("plan", "plan.pdf"),
        ("x\u202egpj.exe", "x_gpj.pdf"),
    ],
)
def test_a_checked_types_file_name_ends_in_one_of_its_extensions(name, safe):
    assert sessions.safe_file_name(name, ("pdf",)) == safe


@pytest.mark.parametrize("who", [COACH, ADMIN])
def test_a_group_sessions_kind_is_kept_by_every_edit(who):
    """Issue 20 (4): retyping a running class made it "not a live group session"."""
    live = stored(groupId="g1", sessionType="Class", status="active")
    with pytest.raises(InvalidArgument) as refused:
        sessions.updated_session(who, live, parse(SessionUpdate, {"sessionType": "Training"}), NOW)
    assert fields_of(refused.value) == {"sessionType"}
    same = parse(SessionUpdate, {"sessionType": "Class", "event": "Optics"})
    assert sessions.updated_session(who, live, same, NOW)[0].event == "Optics"
    solo = sessions.updated_session(
        who, stored(), parse(SessionUpdate, {"sessionType": "Review"}), NOW
    )[0]
    assert solo.sessionType == "Review"


def test_only_a_manager_finishes_a_delete_and_only_once_its_lease_is_over():
    marked = stored(deletingAt=NOW)
    later = NOW + sessions.DELETE_LEASE + timedelta(seconds=1)
    assert sessions.is_interrupted_delete(COACH, marked, later)
    assert not sessions.is_interrupted_delete(COACH, marked, NOW + timedelta(seconds=30))
    assert not sessions.is_interrupted_delete(ATHLETE, marked, later)
    assert not sessions.is_interrupted_delete(COACH, stored(), later)
