"""domain/accounts.py: what deleting an account does to each kind of record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sessionbase.domain import accounts, policy
from sessionbase.errors import FailedPrecondition, PermissionDenied
from sessionbase.models.accounts import AccountDeletionPublic, AccountDeletionRecord
from sessionbase.models.sessions import SessionRecord
from tests.unit.factories import CREATED, caller

ROOT = Path(__file__).resolve().parents[3]


def session(**fields: object) -> SessionRecord:
    return SessionRecord.model_validate({"createdAt": CREATED, **fields})


def test_the_placeholder_is_stable_and_does_not_contain_the_uid():
    first = accounts.placeholder("athlete-a")
    assert first == accounts.placeholder("athlete-a")
    assert first != accounts.placeholder("athlete-b")
    assert first.startswith("deleted-")
    assert "athlete-a" not in first


@pytest.mark.parametrize(
    ("fields", "alone"),
    [
        ({"athleteId": "p"}, True),  # their own session, practice or yoga
        ({"athleteId": "p", "coachId": "p"}, True),
        ({"coachId": "p", "athleteEmail": "x@example.com"}, True),  # a coach's, nobody linked
        ({"coachId": "p", "groupId": "g"}, True),  # a class of a group they own
        ({"athleteId": "p", "coachId": "c"}, False),  # a coach's session with them
        ({"athleteId": "a", "coachId": "p"}, False),  # their session with an athlete
        ({"athleteId": "a", "createdBy": "p"}, False),  # someone else's they made
    ],
)
def test_a_session_is_theirs_alone_only_when_nobody_else_has_a_part(fields, alone):
    assert accounts.is_theirs_alone(session(**fields), "p") is alone


def test_a_shared_session_loses_the_persons_uid_name_and_email_and_keeps_the_rest():
    shared = session(
        athleteId="p",
        athleteName="Pat",
        athleteEmail="pat@example.com",
        coachId="c",
        coachName="Coach",
        coachEmail="c@example.com",
        createdBy="c",
        completedBy="p",
        motionIQ=80,
    )
    changes = accounts.deidentified(shared, "p", "pat@example.com", "deleted-x")
    assert changes == {
        "athleteId": "deleted-x",
        "completedBy": "deleted-x",
        "athleteEmail": None,
        "athleteName": None,
    }


def test_a_coachs_session_for_the_address_loses_the_address_and_name():
    pending = session(coachId="c", athleteEmail="pat@example.com", athleteName="Pat")
    assert accounts.deidentified(pending, "p", "pat@example.com", "deleted-x") == {
        "athleteEmail": None,
        "athleteName": None,
    }
    assert accounts.deidentified(pending, "p", None, "deleted-x") == {}


def test_their_coach_fields_go_when_they_were_the_coach():
    theirs = session(athleteId="a", coachId="p", coachName="Pat", coachEmail="p@example.com")
    changes = accounts.deidentified(theirs, "p", "p@example.com", "deleted-x")
    assert changes == {"coachId": "deleted-x", "coachEmail": None, "coachName": None}


def test_the_steps_end_with_the_profile_and_then_the_auth_user():
    assert accounts.STEPS[0] == accounts.LOCK
    assert accounts.STEPS[-2:] == (accounts.PROFILE, accounts.AUTH)
    assert len(set(accounts.STEPS)) == len(accounts.STEPS)
    assert accounts.next_step(accounts.AUTH) == accounts.DONE


def test_the_job_shows_its_progress_in_steps():
    job = AccountDeletionRecord(
        uid="p",
        placeholder="deleted-x",
        step=accounts.STEPS[2],
        requestedBy="p",
        createdAt=CREATED,
        updatedAt=CREATED,
    )
    shown = AccountDeletionPublic.of(job, accounts.STEPS)
    assert (shown.stepsDone, shown.steps, shown.status) == (2, len(accounts.STEPS), "queued")


def test_only_admins_delete_someone_else_and_not_themselves_that_way():
    with pytest.raises(PermissionDenied):
        policy.require_account_deleter(caller("c", role="coach"), "someone")
    with pytest.raises(FailedPrecondition):
        policy.require_account_deleter(caller("adm", role="admin"), "adm")
    policy.require_account_deleter(caller("adm", role="admin"), "someone")
    assert policy.may_read_account_deletion(caller("p"), "p")
    assert not policy.may_read_account_deletion(caller("q"), "p")


def test_every_collection_group_query_of_a_deletion_has_its_index():
    config = json.loads((ROOT / "firestore.indexes.json").read_text())
    scopes = {
        (o["collectionGroup"], o["fieldPath"]): {i.get("queryScope") for i in o["indexes"]}
        for o in config["fieldOverrides"]
    }
    for sweep in accounts.SWEEPS:
        if sweep.group:
            assert "COLLECTION_GROUP" in scopes.get((sweep.collection, sweep.field), set())


def test_what_others_were_told_about_them_is_found_by_its_event_keys():
    answered = {"coachId": "c", "athleteId": "p", "status": "accepted"}
    assert accounts.told_of_invitation("i1", answered, "p") == [
        accounts.Told("c", "invitationAccepted-i1-"),
        accounts.Told("c", "invitationDeclined-i1-"),
    ]
    sent = {"coachId": "p", "athleteEmail": "x@example.com"}
    assert accounts.told_of_invitation("i2", sent, "p") == [
        accounts.Told(None, "invitationReceived-i2-")
    ]
    shared = session(athleteId="p", coachId="c", completedBy="p")
    assert accounts.told_of_comment(shared, "s1", "k1", "p") == [
        accounts.Told("c", "commentAdded-s1-k1")
    ]
    assert accounts.told_of_completion(shared, "s1", "p") == [
        accounts.Told("c", "sessionCompleted-s1-")
    ]
    assert accounts.told_of_completion(session(athleteId="p", completedBy="p"), "s2", "p") == []
