"""The fuzz tier (issue 12): generated requests to every operation, over REST and callables.

Bodies, path ids and query strings are drawn as a web app with bugs or an attacker would send
them: the operation's own field names with values of any JSON type, unknown fields, huge and
negative numbers, odd Unicode, ids of real records of other users. Every answer must be ours
(no 5xx), in the documented error shape when it is an error, and an error must write nothing:
the database's documents and their update times are the same before and after (the statistics
collections aside, which the trigger keeps writing for earlier successful requests).

`SESSIONBASE_FUZZ_EXAMPLES` (default 6 per operation and transport) sets the depth;
`scripts/test.sh --deep tests/emulator/test_fuzz.py` runs 100.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devtools import emulators
from devtools.emulators import FUNCTIONS, PROJECT, REGION, api
from sessionbase.errors import SessionbaseError
from sessionbase.handlers.operations import OPERATIONS

EXAMPLES = int(os.environ.get("SESSIONBASE_FUZZ_EXAMPLES", "6"))
STATUS_OF = {cls.code: cls.status for cls in SessionbaseError.__subclasses__()} | {"internal": 500}
# Written by triggers after earlier successful requests, not by the request under test (with
# their audit entries; a refused request's own entry is ruled out by tests/emulator/test_audit*).
TRIGGER_WRITTEN = (
    "athleteStats",
    "coachStats",
    "statsContributions",
    "eventMarkers",
    "_meta",
    "auditLog",
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
odd_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


@pytest.fixture(scope="module")
def world():
    """Three people and some records of theirs, made once for the whole module."""
    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        pytest.skip("needs the emulator suite: run scripts/test.sh")
    emulators.reset()
    coach = emulators.sign_up("fuzz-coach@example.com", "password123", role="coach")
    athlete = emulators.sign_up("fuzz-athlete@example.com", "password123")
    admin = emulators.sign_up("fuzz-admin@example.com", "password123", role="admin")
    invitation = api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email})
    invitation_id = invitation.json()["invitationId"]
    api("POST", f"/api/invitations/{invitation_id}/accept", athlete)
    session = api("POST", "/api/sessions", coach, json={"athleteId": athlete.uid})
    group = api("POST", "/api/groups", coach, json={"name": "Fuzz", "kind": "course"})
    schedule = api("POST", "/api/schedules", coach, json={"title": "Fuzz", "weekdays": ["MO"],
                   "startTime": "09:30", "durationMinutes": 60, "timezone": "UTC",
                   "startDate": "2027-01-04", "athleteId": athlete.uid})  # fmt: skip
    # A schedule's occurrences are sessions not written yet: a refusal must not write them.
    occurrences = [f"{schedule.json()['scheduleId']}_2027{day}" for day in ("0104", "0111")]
    ids = {
        "sessionId": session.json()["sessionId"],
        "invitationId": invitation_id,
        "groupId": group.json()["groupId"],
        "userId": athlete.uid,
        "uid": athlete.uid,
        "noteId": "n1",
        "attachmentId": "a1",
        "code": "ABC-123",
    }
    return {"people": [coach, athlete, admin], "ids": ids, "more": {"sessionId": occurrences}}


def field_names(operation) -> list[str]:
    names: list[str] = []
    for model in operation.input.models if operation.input else ():
        for name, info in model.model_fields.items():
            names.append(info.alias or name)
    return names or ["x"]


def bodies(operation):
    names = field_names(operation)
    keys = st.sampled_from(names) | st.text(max_size=8)
    return st.dictionaries(keys, json_values, max_size=6) | json_values


def path_ids(world, name: str):
    return st.sampled_from([world["ids"].get(name, "x"), *world["more"].get(name, [])]) | odd_text


def database() -> dict[str, str]:
    """Every document of the project and its update time, but what triggers write (the audit
    trail, which grows with every request, is left out by the query: read whole, it made each
    example slower than the last)."""
    times = emulators.update_times(without="auditLog")
    return {path: at for path, at in times.items() if not path.startswith(TRIGGER_WRITTEN)}


def lost_by_the_emulator(reply) -> bool:
    return reply.status_code >= 500 and b'"detail"' not in reply.content


def framework_404(reply, ids: dict[str, str]) -> bool:
    """functions-framework's own Flask route does not match a path with a line break in it and
    answers an HTML 404 before our code runs (docs/decisions.md, "Errors and transport")."""
    broken = any("\n" in value or "\r" in value for value in ids.values())
    return broken and reply.status_code == 404 and "html" in reply.headers.get("Content-Type", "")


def check(reply, before: dict[str, str], *, callable_: bool, ids: dict[str, str]) -> None:
    assert reply.status_code < 500, (reply.status_code, reply.text[:500])
    if reply.status_code < 400 or (not callable_ and framework_404(reply, ids)):
        return
    body = reply.json()
    error = body["error"]["details"] if callable_ else body
    assert isinstance(error["detail"], str)
    assert error["detail"]
    assert error["code"] in STATUS_OF, error
    if not callable_ and reply.status_code != 405:
        assert reply.status_code == STATUS_OF[error["code"]], (reply.status_code, error)
    assert database() == before, f"a refused request wrote: {error}"


def send_rest(operation, user, ids: dict[str, str], payload):
    path = operation.path
    for name, value in ids.items():
        path = path.replace(f"<{name}>", quote(value, safe=""))
    if operation.method == "GET":
        params = payload if isinstance(payload, dict) else {"q": json.dumps(payload)}
        params = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        return api("GET", path, user, params=params)
    if operation.method == "DELETE":
        return api("DELETE", path, user)
    return api(operation.method, path, user, json=payload)


def send_callable(operation, user, ids: dict[str, str], payload):
    data = {**payload, **ids} if isinstance(payload, dict) else payload
    return requests.post(
        f"{FUNCTIONS}/{PROJECT}/{REGION}/{operation.name}",
        json={"data": data},
        headers={"Content-Type": "application/json", **user.bearer},
        timeout=60,
    )


# Deleting an account takes no input a fuzzer could vary but the uid, and a valid request would
# delete the world's own people; an export takes none at all, and its task writes (the job, the
# person's inbox) after the request answered, which the "refused requests write nothing" check
# would blame on a later request. tests/emulator/test_account_deletion.py, test_data_export.py
# and test_audit_walk.py send them, valid and refused.
UNFUZZED = ("deleteMyAccount", "deleteUserAccount", "exportMyData")
FUZZED = [op for op in OPERATIONS if op.name not in UNFUZZED]


@pytest.mark.parametrize("transport", ["rest", "callable"])
@pytest.mark.parametrize("operation", FUZZED, ids=lambda op: op.name)
def test_no_generated_request_gets_a_500_or_writes_when_refused(world, operation, transport):
    send = send_rest if transport == "rest" else send_callable

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        who=st.integers(0, 2),
        ids=st.fixed_dictionaries({name: path_ids(world, name) for name in operation.path_ids}),
        payload=bodies(operation),
    )
    def fuzz(who, ids, payload):
        user = world["people"][who]
        before = database()
        reply = send(operation, user, ids, payload)
        for _ in range(2):
            if not lost_by_the_emulator(reply):
                break
            reply = send(operation, user, ids, payload)
        check(reply, before, callable_=transport == "callable", ids=ids)

    fuzz()


# ---- deep nesting (issue 21): deeper than Firestore stores is 400 naming body, never a 500 -------

BODY_OPERATIONS = [op for op in OPERATIONS if op.input and op.input.source == "body"]


def deep(depth: int) -> object:
    """A value ``depth`` lists and objects deep (alternating), built without recursion."""
    value: object = 1
    for level in range(depth):
        value = {"k": value} if level % 2 else [value]
    return value


@pytest.mark.parametrize("transport", ["rest", "callable"])
@pytest.mark.parametrize("operation", BODY_OPERATIONS, ids=lambda op: op.name)
def test_a_body_nested_deeper_than_firestore_stores_is_refused_naming_body(
    world, operation, transport
):
    """Depths 600-900 once raised RecursionError while the body was checked (a 500)."""
    coach = world["people"][0]
    ids = {name: world["ids"].get(name, "x") for name in operation.path_ids}
    before = database()
    for depth in (20, 21, 800):  # 20 below the body: 21 levels with it
        payload = {field_names(operation)[0]: deep(depth)}
        if transport == "rest":
            reply = send_rest(operation, coach, ids, payload)
            assert reply.status_code == 400, (depth, reply.text[:300])
            error = reply.json()
        else:
            reply = send_callable(operation, coach, ids, payload)
            assert reply.json()["error"]["status"] == "INVALID_ARGUMENT", (depth, reply.text[:300])
            error = reply.json()["error"]["details"]
        assert [e["field"] for e in error["errors"]] == ["body"], (depth, error)
    assert database() == before


# ---- loose input (issue 20): every typed field of every body refuses a value of another type ----


def _validators(annotation) -> set:
    """The AfterValidator functions anywhere in a field's annotation (``Name | None`` too)."""
    from typing import Annotated, get_args, get_origin

    from pydantic.functional_validators import AfterValidator

    found = set()
    if get_origin(annotation) is Annotated:
        args = get_args(annotation)
        found |= {m.func for m in args[1:] if isinstance(m, AfterValidator)}
        return found | _validators(args[0])
    for arg in get_args(annotation):
        found |= _validators(arg)
    return found


def loose_values(model) -> list[tuple[str, object]]:
    """``(field, value)`` pairs the field must refuse: another JSON type, a date-time for a date
    (and the reverse), a date out of range, a name on two lines, a file name that is a path."""
    from sessionbase.models import fields

    wrong = {
        ("boolean", None): ["true", 1],
        ("integer", None): ["5", 5.5, True],
        ("number", None): ["5", True],
        ("string", "date"): ["2030-01-07T00:00:00Z", "9999-12-30", 1893974400],
        ("string", "date-time"): ["2030-01-07", "0001-01-02T00:00:00Z"],
    }
    schema = model.model_json_schema(mode="validation")
    pairs = []
    for name, field in model.model_fields.items():
        alias = field.alias or name
        options = schema["properties"][alias].get("anyOf", [schema["properties"][alias]])
        for option in options:
            pairs += [(alias, v) for v in wrong.get((option.get("type"), option.get("format")), [])]
        checks = _validators(field.rebuild_annotation())
        if fields._one_line in checks:
            pairs.append((alias, "two\nlines"))
        if fields._file_name in checks:
            pairs.append((alias, "../../x.mp4"))
    return pairs


# The operations whose bodies have a typed field (a number, a boolean, a date, a name...).
TYPED_BODY_OPERATIONS = [
    op
    for op in OPERATIONS
    if op.input and op.input.source == "body" and any(map(loose_values, op.input.models))
]


@pytest.mark.parametrize("transport", ["rest", "callable"])
@pytest.mark.parametrize("operation", TYPED_BODY_OPERATIONS, ids=lambda op: op.name)
def test_loose_values_are_refused_naming_their_field_and_write_nothing(world, operation, transport):
    """No string -> bool/int/float, no number -> bool, a date is a date in range, names are one
    line, file names are not paths: each refused as 400 naming the field, nothing written."""
    coach = world["people"][0]
    ids = {name: world["ids"].get(name, "x") for name in operation.path_ids}
    cases = [
        (model, base, field, value)
        for model in operation.input.models
        for base in ({}, {"poses": []})  # the yoga body is told apart by its poses
        for field, value in loose_values(model)
        if operation.input.choose()({**base, field: value}) is model
        and (not base or base.keys() <= model.model_fields.keys())
    ]
    assert cases
    before = database()
    for model, base, field, value in cases:
        payload = {**base, field: value}
        if transport == "rest":
            reply = send_rest(operation, coach, ids, payload)
            assert reply.status_code == 400, (field, value, reply.text[:300])
            error = reply.json()
        else:
            reply = send_callable(operation, coach, ids, payload)
            error = reply.json()["error"]["details"]
            assert reply.json()["error"]["status"] == "INVALID_ARGUMENT", (field, value)
        named = {e["field"] for e in error["errors"]}
        assert field in named or any(n.startswith(f"{field}.") for n in named), (
            model.__name__,
            field,
            value,
            error,
        )
    assert database() == before
