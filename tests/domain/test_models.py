"""Session models: every bad field is named, good bodies pass as the seeds write them.

Also: no model builds its validator at import (cold start).
"""

import importlib
import pkgutil

import pytest
from pydantic import BaseModel

import sessionbase.models
from devtools.examples import YOGA_SESSION
from sessionbase.errors import InvalidArgument
from sessionbase.models.identity import Caller, Role
from sessionbase.models.sessions import (
    SessionCreate,
    SessionPublic,
    SessionRecord,
    YogaSessionCreate,
)
from sessionbase.models.validation import parse


def test_every_model_is_built_on_first_use_not_at_import():
    """A model without ``defer_build`` builds its validator when its module is imported: the
    plain ``BaseModel`` pieces (``XFields``, nested objects) cost about 20 ms of imports, though
    only their subclasses validate. Derive from the bases in models/base.py."""
    modules = [
        importlib.import_module(f"sessionbase.models.{module.name}")
        for module in pkgutil.iter_modules(sessionbase.models.__path__)
    ]
    eager = {
        cls.__qualname__
        for module in modules
        for cls in vars(module).values()
        if isinstance(cls, type)
        and issubclass(cls, BaseModel)
        and cls is not BaseModel
        and not cls.model_config.get("defer_build")
    }
    assert eager == set()


def bad_fields(model, body):
    with pytest.raises(InvalidArgument) as caught:
        parse(model, body)
    return {e.field for e in caught.value.errors}


def test_every_bad_field_is_reported_at_once():
    body = {"sessionType": "Party", "durationSeconds": -5, "notes": "x" * 2_000_000, "bogus": 1}
    assert bad_fields(SessionCreate, body) == {"sessionType", "durationSeconds", "notes", "bogus"}


@pytest.mark.parametrize("body", [[], "text", 3, None])
def test_body_must_be_an_object(body):
    assert bad_fields(SessionCreate, body) == {"body"}


def test_seed_body_of_create_with_athlete_is_accepted():
    body = {
        "videoName": "athlete_vault.mp4",
        "athleteEmail": "Athlete@Example.com",
        "athleteName": "John Doe",
        "event": "Vault",
        "sessionType": "Training",
        "coachId": "coach_firebase_id",
        "coachEmail": "coach@example.com",
        "coachName": "Coach Smith",
    }
    parsed = parse(SessionCreate, body)
    assert parsed.athleteEmail == "athlete@example.com"


def test_email_and_naive_datetimes_are_refused():
    body = {"athleteEmail": "not-an-email", "actualStart": "2026-01-01T10:00:00"}
    assert bad_fields(SessionCreate, body) == {"athleteEmail", "actualStart"}


def test_yoga_body_from_the_seed():
    body = YOGA_SESSION
    assert parse(YogaSessionCreate, body).poses[0].pose_name == "Mountain Pose"
    assert bad_fields(YogaSessionCreate, {**body, "duration": -1}) == {"duration"}
    bad_pose = {**body, "poses": [{"pose_name": "", "accuracy": 120}]}
    assert bad_fields(YogaSessionCreate, bad_pose) == {"poses.0.pose_name", "poses.0.accuracy"}


def test_public_session_renders_datetimes_and_leaves_internal_fields_out():
    from datetime import UTC, datetime

    stored = {
        "createdAt": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "_backendKey": "k",
        "event": "V",
        "coachId": None,
        "date": "2026-01-02",
        "unknownField": 1,
    }
    record = SessionRecord.model_validate(stored)
    assert record.backendKey == "k"
    # Written back as read, minus what this code does not know; the internal key keeps its name.
    assert record.document() == {k: v for k, v in stored.items() if k != "unknownField"}
    assert SessionPublic.of("s1", record).to_json() == {
        "sessionId": "s1",
        "createdAt": "2026-01-02T03:04:05Z",
        "event": "V",
        "coachId": None,
        "date": "2026-01-02",
    }


@pytest.mark.parametrize(
    ("claims", "role"),
    [({}, Role.ATHLETE), ({"role": "coach"}, Role.COACH), ({"role": "root"}, Role.ATHLETE)],
)
def test_role_comes_from_the_custom_claim(claims, role):
    caller = Caller.from_claims({"sub": "u1", "email": "A@B.co", **claims})
    assert caller.role is role
    assert caller.email == "a@b.co"
