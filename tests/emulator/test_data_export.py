"""Download my data (issue 27): a person with sessions as athlete (with a coach), practice, a
group class with attendance, notes, comments and an upload asks for an export over HTTP through
Hosting, polls the job, downloads the ZIP from its signed URL, and every file is checked: names,
JSON shapes, CSVs read with ``csv``, dates in the person's zone, a formula-looking note
neutralised, nothing of another athlete of the same coach; another person cannot read the job;
the inbox has one ``exportReady``."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from datetime import datetime

import pytest
import requests

from devtools.emulators import api, join_group
from tests.emulator.test_comments import with_video
from tests.uploads import linked, new_session, ok, session_of, upload

ZONE = "America/New_York"
FORMULA = '=HYPERLINK("http://evil.example","click")'
EXPORTED_WITHIN = 120.0


def wait_for_export(user, export_id: str) -> dict:
    deadline = time.monotonic() + EXPORTED_WITHIN
    while True:
        job = ok(api("GET", f"/api/users/me/exports/{export_id}", user))
        if job["status"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, f"the export did not finish: {job}"
        time.sleep(0.5)


def rows(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def loaded(archive: zipfile.ZipFile, name: str):
    return json.loads(archive.read(name))


def in_zone(text: str) -> bool:
    """An ISO 8601 time with New York's offset (winter -05:00 or summer -04:00)."""
    return datetime.fromisoformat(text).utcoffset() is not None and text[-6:] in (
        "-05:00",
        "-04:00",
    )


@pytest.fixture(scope="module")
def exported():
    """The world, made once: (athlete, coach, stranger, ids, job, zip, replayed answer)."""
    import os

    from devtools import emulators

    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        pytest.skip("needs the emulator suite: run scripts/test.sh")
    emulators.reset()
    users = iter(range(100))

    def make_user(role="athlete"):
        n = next(users)
        email = f"x{role}{n}-{time.time_ns()}@example.com"
        return emulators.sign_up(
            email, "password123", role=None if role == "athlete" else role, verified=True
        )

    coach, athlete = linked(make_user)
    other = make_user()
    ok(api("POST", "/api/invitations", coach, json={"athleteEmail": other.email}), 201)
    invites = ok(api("GET", "/api/invitations", other, params={"for": "me"}))["invitations"]
    ok(api("POST", f"/api/invitations/{invites[0]['invitationId']}/accept", other))
    ok(api("PUT", "/api/users/me", athlete, json={"timezone": ZONE}))

    coached = new_session(coach, athlete)
    with_video(coach, coached)
    ok(api("POST", f"/api/sessions/{coached}/notes", athlete, json={"text": FORMULA}), 201)
    ok(api("POST", f"/api/sessions/{coached}/notes", coach, json={"text": "Good landing"}), 201)
    comments = f"/api/sessions/{coached}/comments"
    ok(api("POST", comments, athlete, json={"atMs": 100, "text": "me"}), 201)
    ok(api("POST", comments, coach, json={"atMs": 200, "text": "coach"}), 201)
    pdf = b"%PDF-1.7\n" + b"x" * 2000
    upload(athlete, coached, pdf, name="diary.pdf", kind="attachment")
    deadline = time.monotonic() + 30
    while not session_of(athlete, coached)["attachments"]:
        assert time.monotonic() < deadline, "the attachment was not registered"
        time.sleep(0.3)

    secret = new_session(coach, other)
    secret_note = {"text": "OTHER-ATHLETE-NOTE"}
    ok(api("POST", f"/api/sessions/{secret}/notes", coach, json=secret_note), 201)

    tree = {"pose_name": "tree", "accuracy": 82.5, "feedback": ["steady"], "improvements": []}
    yoga = {"duration": 10, "avg_accuracy": 82.5, "poses": [tree]}
    practice = ok(api("POST", "/api/sessions", athlete, json=yoga), 201)["sessionId"]

    group = ok(api("POST", "/api/groups", coach, json={"name": "Vault team", "kind": "team"}), 201)
    group_id = group["groupId"]
    join_group(coach, group_id, athlete)
    join_group(coach, group_id, other)
    live = ok(api("POST", f"/api/groups/{group_id}/sessions", coach, json={}), 201)["sessionId"]
    ok(api("POST", f"/api/sessions/{live}/check-in", athlete))
    ok(api("POST", f"/api/sessions/{live}/end", coach))

    key = {"Idempotency-Key": f"export-{time.time_ns()}"}
    started = time.monotonic()
    first = ok(api("POST", "/api/users/me/export", athlete, headers=key), 202)
    again = ok(api("POST", "/api/users/me/export", athlete, headers=key), 202)
    job = wait_for_export(athlete, first["id"])
    took = time.monotonic() - started
    print(f"\nexport: {took:.1f} s from the request to done, {job.get('size')} bytes")
    assert job["status"] == "done", job
    data = requests.get(job["url"], timeout=30).content
    ids = {"coached": coached, "secret": secret, "practice": practice, "live": live,
           "group": group_id}  # fmt: skip
    return athlete, coach, other, ids, first, again, job, zipfile.ZipFile(io.BytesIO(data))


def test_the_job_is_queued_then_done_and_a_repeated_key_answers_the_same_job(exported):
    athlete, _coach, _other, _ids, first, again, job, _archive = exported
    assert first["status"] == "queued"
    assert again == first
    assert (job["id"], job["uid"]) == (first["id"], athlete.uid)
    assert job["fileName"].startswith("sessionbase-data-")
    assert job["size"] > 0
    assert job["urlExpiresAt"] < job["expiresAt"]
    listed = ok(api("GET", "/api/users/me/exports", athlete))["exports"]
    assert [e["id"] for e in listed] == [first["id"]]
    assert "url" not in listed[0]


def test_another_person_cannot_read_the_job(exported):
    _athlete, coach, other, _ids, first, *_ = exported
    for person in (coach, other):
        reply = api("GET", f"/api/users/me/exports/{first['id']}", person)
        assert (reply.status_code, reply.json()["code"]) == (404, "not-found")
        assert ok(api("GET", "/api/users/me/exports", person))["exports"] == []


def test_the_zip_holds_each_named_file_and_the_readme_names_them(exported):
    *_, job, archive = exported
    names = set(archive.namelist())
    expected = {
        "profile.json", "sessions.json", "sessions.csv", "results.json", "results.csv",
        "practice.json", "statistics.json", "notes.json", "notes.csv", "comments.json",
        "attendance.json", "attendance.csv", "notifications.json", "invitations.json",
        "uploads.json", "uploads.csv", "README.txt",
    }  # fmt: skip
    assert names == expected
    assert sorted(job["files"]) == sorted(expected)
    readme = archive.read("README.txt").decode()
    assert all(name in readme for name in expected)
    assert ZONE in readme


def test_profile_sessions_and_results_are_the_persons_in_their_zone(exported):
    athlete, coach, _other, ids, *_, archive = exported
    profile = loaded(archive, "profile.json")
    assert (profile["uid"], profile["timezone"]) == (athlete.uid, ZONE)
    sessions = {s["sessionId"]: s for s in loaded(archive, "sessions.json")["sessions"]}
    assert set(sessions) == {ids["coached"], ids["practice"], ids["live"]}
    assert sessions[ids["coached"]]["coachId"] == coach.uid
    assert all(in_zone(s["createdAt"]) for s in sessions.values())
    table = rows(archive, "sessions.csv")
    assert {r["sessionId"] for r in table} == set(sessions)
    assert all(in_zone(r["createdAt"]) for r in table)
    results = {r["sessionId"]: r for r in loaded(archive, "results.json")["results"]}
    assert results[ids["coached"]]["analysisStatus"] == "completed"
    assert "metrics" in results[ids["coached"]]["analysis"]
    assert results[ids["practice"]]["avgAccuracy"] == 82.5
    assert {r["sessionId"] for r in rows(archive, "results.csv")} == set(sessions)
    [practice] = loaded(archive, "practice.json")["practice"]
    assert practice["sessionId"] == ids["practice"]
    assert [i["name"] for i in practice["items"]] == ["tree"]
    statistics = loaded(archive, "statistics.json")
    assert set(statistics) == {"sessions", "practice"}
    assert "totalSessions" in statistics["sessions"]["stats"]


def test_notes_keep_the_persons_sessions_and_neutralise_a_formula(exported):
    _athlete, _coach, _other, ids, *_, archive = exported
    notes = loaded(archive, "notes.json")["notes"]
    assert {n["text"] for n in notes} == {FORMULA, "Good landing"}
    table = rows(archive, "notes.csv")
    by_text = {r["text"] for r in table}
    assert "'" + FORMULA in by_text
    assert FORMULA not in by_text
    assert all(in_zone(r["createdAt"]) for r in table)
    assert {r["sessionId"] for r in table} == {ids["coached"]}


def test_comments_are_only_those_the_person_wrote(exported):
    athlete, *_rest, archive = exported
    comments = loaded(archive, "comments.json")["comments"]
    assert [(c["text"], c["authorId"]) for c in comments] == [("me", athlete.uid)]


def test_attendance_groups_notifications_and_invitations(exported):
    _athlete, _coach, _other, ids, *_, archive = exported
    attendance = loaded(archive, "attendance.json")
    assert [g["groupId"] for g in attendance["groups"]] == [ids["group"]]
    [row] = rows(archive, "attendance.csv")
    assert (row["sessionId"], row["groupName"]) == (ids["live"], "Vault team")
    assert row["status"] in ("present", "late")
    assert in_zone(row["at"])
    assert isinstance(loaded(archive, "notifications.json")["notifications"], list)
    invitations = loaded(archive, "invitations.json")["invitations"]
    assert invitations
    assert all("athleteEmail" in i for i in invitations)


def test_uploads_list_the_persons_own_with_working_links(exported):
    _athlete, _coach, _other, ids, *_, archive = exported
    [upload_row] = rows(archive, "uploads.csv")
    assert (upload_row["kind"], upload_row["fileName"]) == ("attachment", "diary.pdf")
    assert upload_row["sessionId"] == ids["coached"]
    assert requests.get(upload_row["downloadUrl"], timeout=30).content.startswith(b"%PDF-1.7")
    # The coach's video is not the athlete's upload: not listed.
    assert [u["kind"] for u in loaded(archive, "uploads.json")["uploads"]] == ["attachment"]


def test_nothing_of_another_athlete_of_the_same_coach_is_in_the_zip(exported):
    _athlete, _coach, other, ids, *_, archive = exported
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8-sig")
        assert ids["secret"] not in text, name
        assert "OTHER-ATHLETE-NOTE" not in text, name
        assert other.uid not in text, name
        assert other.email not in text, name


def test_the_inbox_has_one_export_ready(exported):
    athlete, *_ = exported
    found = ok(api("GET", "/api/notifications", athlete))["notifications"]
    ready = [n for n in found if n["kind"] == "exportReady"]
    assert len(ready) == 1
    assert ready[0]["link"] == "/profile"


BIG = 1000


def test_a_person_with_a_thousand_sessions_is_exported_in_one_run_measured(exported):
    """Fixture data written with the Admin client in batches; the task's service run in-process
    (the figure for the time limit: docs/decisions.md, "Download my data")."""
    from datetime import UTC, timedelta

    import firebase_admin

    from devtools.emulators import PROJECT
    from sessionbase.models.exports import DataExportRecord, ExportStatus
    from sessionbase.services.exports import run_export
    from sessionbase.store.client import firestore_client
    from sessionbase.store.storage import ObjectStore
    from sessionbase.store.work import Store

    if not firebase_admin._apps:  # the task's Auth lookups, as the deployed function makes them
        firebase_admin.initialize_app()
    _athlete, coach, other, *_ = exported
    db = firestore_client()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for first in range(0, BIG, 400):
        batch = db.batch()
        for n in range(first, min(first + 400, BIG)):
            batch.set(
                db.document(f"sessions/big-{other.uid}-{n:05d}"),
                {"athleteId": other.uid, "coachId": coach.uid, "sessionType": "Training",
                 "event": f"=cmd{n}", "status": "completed", "archived": False,
                 "createdAt": start + timedelta(hours=n), "motionIQ": 50.0 + n % 50},
            )  # fmt: skip
        batch.commit()
    store, objects = Store(db), ObjectStore(f"{PROJECT}.appspot.com")
    export_id = f"big-{time.time_ns()}"
    job = DataExportRecord(uid=other.uid, status=ExportStatus.QUEUED, createdAt=start)
    store.write(lambda unit: unit.exports.create(export_id, job))
    began = time.monotonic()
    status = run_export(store, objects, export_id, clock=lambda: datetime.now(UTC))
    took = time.monotonic() - began
    done = store.exports.get(export_id)
    assert done is not None
    print(f"\nexport of {BIG} sessions: {took:.1f} s in one run, {done.size} bytes")
    assert status is ExportStatus.DONE, done.error
    data = objects.bucket.blob(f"exports/{other.uid}/{export_id}.zip").download_as_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    table = rows(archive, "sessions.csv")
    assert len([r for r in table if r["sessionId"].startswith("big-")]) == BIG
    assert all(r["event"].startswith("'=cmd") for r in table if r["sessionId"].startswith("big-"))

    # Past its expiresAt, the daily sweep deletes the ZIP; the job says expired, with no URL.
    from sessionbase.services.exports import remove_expired

    later = datetime.now(UTC) + timedelta(days=8)
    assert done.expiresAt is not None
    assert done.expiresAt < later
    assert remove_expired(store, objects, datetime.now(UTC)) == 0  # nothing is due yet
    assert remove_expired(store, objects, later) == 2  # this one and the module's first
    assert not objects.bucket.blob(f"exports/{other.uid}/{export_id}.zip").exists()
    assert remove_expired(store, objects, later) == 0  # a re-run: nothing more
    job_now = ok(api("GET", f"/api/users/me/exports/{export_id}", other))
    assert job_now["expired"] is True
    assert "url" not in job_now
