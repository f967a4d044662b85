"""Delete my account (issue 27): a person with sessions as athlete (a coach's, their own, a
yoga practice), a group membership and class attendance, notes, comments and uploads (real
video bytes on the coach's session, a PDF on their own) asks ``DELETE /api/users/me`` through
Hosting; an admin polls the job until done. Then nothing of theirs is left in any collection
(every document and subcollection walked, searched for the uid, the e-mail and the name) nor in
any Storage object; the coach's session is kept, de-identified, and the coach's statistics are
unchanged; the person's token is refused and the Auth user is gone. Also: who may ask, the
same job on a repeated request, and a deletion interrupted halfway finishing when run again
(in-process, against the same emulators) with nothing counted twice."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from devtools import emulators
from devtools.emulators import api, join_group
from tests.emulator.test_comments import with_video
from tests.uploads import linked, new_session, ok, session_of, upload

DONE_WITHIN = 120.0
# Collections that keep a trace by design (docs/decisions.md, "Deleting an account"): the job
# itself (the tombstone that says when) and the audit trail (the record of who changed what).
EXEMPT = ("accountDeletions/", "auditLog/")


def users():
    counter = iter(range(1000))

    def make(role: str = "athlete", name: str | None = None) -> emulators.User:
        email = f"del{role}{next(counter)}-{time.time_ns()}@example.com"
        return emulators.sign_up(
            email, "password123", role=None if role == "athlete" else role, name=name
        )

    return make


def wait_until_done(admin, uid: str) -> dict:
    deadline = time.monotonic() + DONE_WITHIN
    while True:
        job = ok(api("GET", f"/api/account-deletions/{uid}", admin))
        if job["status"] == "done":
            return job
        assert time.monotonic() < deadline, f"the deletion did not finish: {job}"
        time.sleep(0.5)


def db():
    from sessionbase.store.client import firestore_client

    return firestore_client()


def traces(*needles: str) -> list[str]:
    """Every document (path, id or any field name or value, at any depth) that mentions one of
    ``needles`` (case-insensitive), in every collection and subcollection of the project."""
    lowered = [n.lower() for n in needles if n]
    found: list[str] = []

    def walk(collection: Any) -> None:
        for ref in collection.list_documents():
            snap = ref.get()
            text = ref.path + json.dumps(snap.to_dict() or {}, default=str)
            if not ref.path.startswith(EXEMPT) and any(n in text.lower() for n in lowered):
                found.append(ref.path)
            for child in ref.collections():
                walk(child)

    for collection in db().collections():
        walk(collection)
    return found


def object_traces(*needles: str) -> list[str]:
    """Every Storage object whose name or metadata mentions one of ``needles``."""
    found = []
    for blob in emulators.bucket().list_blobs():
        text = blob.name + json.dumps(blob.metadata or {})
        if any(n.lower() in text.lower() for n in needles if n):
            found.append(blob.name)
    return found


def object_names(prefix: str) -> list[str]:
    return [blob.name for blob in emulators.bucket().list_blobs(prefix=prefix)]


def coach_stats(coach) -> dict:
    return ok(api("GET", "/api/sessions/stats", coach, params={"coachId": coach.uid}))["stats"]


def settled_stats(coach, *, sessions: int) -> dict:
    """The coach's statistics once the trigger has counted every change: ``sessions`` of them,
    and the same figures a second apart (a fixed wait was too short on a loaded machine)."""
    deadline = time.monotonic() + 60
    last = None
    while True:
        stats = coach_stats(coach)
        if stats == last and stats["totalSessions"] == sessions:
            return stats
        assert time.monotonic() < deadline, f"the statistics did not settle: {stats}"
        last = stats
        time.sleep(1)


@pytest.fixture(scope="module")
def deleted():
    """The world, made once, then the person's deletion asked for and finished."""
    emulators.reset()
    make = users()
    admin = make("admin")
    name = f"Quentin Zebedee {time.time_ns() % 100000}"
    coach, person = linked(lambda role="athlete": make(role, name if role == "athlete" else None))
    coached = new_session(coach, person)
    ok(api("PUT", f"/api/sessions/{coached}", coach, json={"athleteName": name}))
    with_video(coach, coached)  # real video bytes, analysed
    ok(api("POST", f"/api/sessions/{coached}/notes", person, json={"text": "my note"}), 201)
    comments = f"/api/sessions/{coached}/comments"
    ok(api("POST", comments, person, json={"atMs": 100, "text": "me"}), 201)
    ok(api("POST", comments, coach, json={"atMs": 200, "text": "c"}), 201)
    pdf = b"%PDF-1.7\n" + b"x" * 2000
    upload(person, coached, pdf, name="diary.pdf", kind="attachment")

    own = ok(api("POST", "/api/sessions", person, json={"event": "Beam"}), 201)["sessionId"]
    upload(person, own, pdf, name="own.pdf", kind="attachment")
    pose = {"pose_name": "tree", "accuracy": 82.5, "feedback": ["ok"], "improvements": []}
    yoga = {"duration": 10, "avg_accuracy": 82.5, "poses": [pose]}
    practice = ok(api("POST", "/api/sessions", person, json=yoga), 201)["sessionId"]
    deadline = time.monotonic() + 30
    while not all(session_of(person, sid)["attachments"] for sid in (coached, own)):
        assert time.monotonic() < deadline, "the attachments were not registered"
        time.sleep(0.3)

    group = ok(api("POST", "/api/groups", coach, json={"name": "Vault", "kind": "team"}), 201)
    join_group(coach, group["groupId"], person)
    live = ok(api("POST", f"/api/groups/{group['groupId']}/sessions", coach, json={}), 201)
    ok(api("POST", f"/api/sessions/{live['sessionId']}/check-in", person))
    ok(api("POST", f"/api/sessions/{live['sessionId']}/end", coach))
    before = settled_stats(coach, sessions=2)  # the coached one and the class
    assert traces(person.uid), "the walk finds the person before the deletion"
    assert object_names(f"sessions/{own}/")

    asked = ok(api("DELETE", "/api/users/me", person), 202)
    job = wait_until_done(admin, person.uid)
    ids = {"coached": coached, "own": own, "practice": practice, "live": live["sessionId"],
           "group": group["groupId"]}  # fmt: skip
    return admin, coach, person, name, ids, asked, job, before


def test_the_request_answers_the_job_and_it_finishes(deleted):
    _admin, _coach, person, _name, _ids, asked, job, _before = deleted
    assert (asked["id"], asked["uid"], asked["status"]) == (person.uid, person.uid, "queued")
    assert (job["status"], job["step"], job["stepsDone"]) == ("done", "done", job["steps"])
    assert job["finishedAt"] >= job["createdAt"]
    assert job["counts"]["sessions.athleteId"] >= 3
    assert job["objects"] >= 1


def test_nothing_of_theirs_is_left_in_any_collection_or_object(deleted):
    _admin, _coach, person, name, ids, *_ = deleted
    assert traces(person.uid, person.email, name) == []
    assert object_traces(person.uid, person.email, name) == []
    assert object_names(f"sessions/{ids['own']}/") == []
    for sid in ("own", "practice"):
        assert emulators.document(f"sessions/{ids[sid]}") is None


def test_the_coachs_session_is_kept_de_identified_with_its_video_and_statistics(deleted):
    _admin, coach, person, _name, ids, _asked, _job, before = deleted
    kept = session_of(coach, ids["coached"])
    assert kept["athleteId"].startswith("deleted-")
    assert "athleteName" not in kept
    assert "athleteEmail" not in kept
    assert kept["analysisStatus"] == "completed"
    assert [n["authorId"] for n in kept["sessionNotes"]] == []
    assert [a["uploadedBy"] for a in kept["attachments"]] == [kept["athleteId"]]
    assert object_names(f"sessions/{ids['coached']}/video/")
    time.sleep(2)  # the trigger's events for the deletion have come and gone
    after = coach_stats(coach)
    assert after == before
    assert after["athleteCount"] == 1
    # the class of the coach's group is kept, the attendance under the placeholder
    attendance = emulators.documents(f"sessions/{ids['live']}/attendance")
    assert [d["name"].rsplit("/", 1)[1] for d in attendance] == [kept["athleteId"]]


def test_their_token_stops_working_and_the_auth_user_is_gone(deleted):
    _admin, _coach, person, *_ = deleted
    reply = api("GET", "/api/users/me", person)
    assert (reply.status_code, reply.json()["code"]) == (401, "unauthenticated")
    signed = requests.post(
        f"{emulators.IDENTITY}/accounts:signInWithPassword?key={emulators.API_KEY}",
        json={"email": person.email, "password": person.password, "returnSecureToken": True},
        timeout=10,
    )
    assert signed.status_code == 400
    assert "EMAIL_NOT_FOUND" in signed.text or "INVALID_LOGIN" in signed.text


def test_asking_again_answers_the_same_finished_job(deleted):
    admin, _coach, person, _name, _ids, _asked, job, _before = deleted
    again = ok(api("DELETE", f"/api/users/{person.uid}", admin), 202)
    assert again == job


def test_who_may_delete_whom(deleted):
    admin, coach, person, *_ = deleted
    make = users()
    other = make()
    refused = api("DELETE", f"/api/users/{other.uid}", coach)
    assert (refused.status_code, refused.json()["code"]) == (403, "permission-denied")
    hidden = api("GET", f"/api/account-deletions/{person.uid}", coach)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not-found")
    own = api("DELETE", f"/api/users/{admin.uid}", admin)
    assert (own.status_code, own.json()["code"]) == (400, "failed-precondition")
    missing = api("DELETE", "/api/users/no-such-user", admin)
    assert (missing.status_code, missing.json()["code"]) == (404, "not-found")
    assert emulators.document(f"accountDeletions/{other.uid}") is None  # nothing written
    assert emulators.document("accountDeletions/no-such-user") is None
    # an admin deletes another person (the callable, as the app's httpsCallable sends it)
    called = emulators.call("deleteUserAccount", {"uid": other.uid}, admin)
    assert called.status_code == 200, called.text
    assert called.json()["result"]["uid"] == other.uid
    assert wait_until_done(admin, other.uid)["status"] == "done"
    gone = api("GET", "/api/users/me", other)
    assert gone.status_code == 401


def test_an_interrupted_deletion_finishes_when_run_again_and_counts_nothing_twice(deleted):
    """Run in this process against the emulators: a run out of time queues the next, a run
    that fails halfway leaves the job where it was, and the next run finishes."""
    import firebase_admin

    from sessionbase.domain import accounts as steps
    from sessionbase.models.accounts import AccountDeletionRecord
    from sessionbase.services import accounts
    from sessionbase.store.storage import default_objects
    from sessionbase.store.work import Store

    if not firebase_admin._apps:  # this process's Admin SDK, on the Auth emulator
        firebase_admin.initialize_app()
    admin, *_ = deleted
    make = users()
    coach, person = linked(make)
    shared = [new_session(coach, person) for _ in range(5)]
    for sid in shared[:3]:
        ok(api("POST", f"/api/sessions/{sid}/cancel", coach, json={}))
    for _ in range(4):
        ok(api("POST", "/api/sessions", person, json={"event": "Floor"}), 201)
    before = settled_stats(coach, sessions=5)
    assert before["athleteCount"] == 1

    store, objects, now = Store(db()), default_objects(), datetime.now(UTC)
    job = AccountDeletionRecord(
        uid=person.uid,
        placeholder=steps.placeholder(person.uid),
        step=steps.STEPS[0],
        runs=1,
        requestedBy=admin.uid,
        createdAt=now,
        updatedAt=now,
    )
    store.write(lambda unit: unit.accounts.create_job(job))
    queued: list[int] = []
    ticks = iter(range(10_000))

    def clock() -> datetime:  # one second a reading: the budget runs out after a few pages
        return now + timedelta(seconds=next(ticks))

    original = (accounts.SESSION_QUERY, accounts._deidentify)
    accounts.SESSION_QUERY = 2
    try:
        first = accounts.run_deletion(
            store, objects, person.uid, clock=clock, budget=timedelta(seconds=4),
            continue_later=lambda uid, run: queued.append(run),
        )  # fmt: skip
        assert first is not None
        assert first.status == "running"
        assert queued == [2]
        calls = iter(range(100))

        def failing(*args: Any, **kwargs: Any) -> None:
            if next(calls) == 1:
                raise RuntimeError("the instance went away")
            original[1](*args, **kwargs)

        accounts._deidentify = failing  # type: ignore[assignment]
        with pytest.raises(RuntimeError):
            accounts.run_deletion(
                store,
                objects,
                person.uid,
                clock=lambda: datetime.now(UTC),
                budget=timedelta(minutes=5),
            )
        accounts._deidentify = original[1]
        last = accounts.run_deletion(
            store, objects, person.uid, clock=lambda: datetime.now(UTC),
            budget=timedelta(minutes=5), continue_later=lambda uid, run: queued.append(run),
        )  # fmt: skip
    finally:
        accounts.SESSION_QUERY, accounts._deidentify = original
    assert last is not None
    assert last.status == "done"
    assert last.counts["sessions.athleteId"] == 9  # each session handled once
    time.sleep(2)
    after = coach_stats(coach)
    assert after == before
    assert traces(person.uid, person.email) == []
    assert not db().collection("athleteStats").document(person.uid).get().exists
