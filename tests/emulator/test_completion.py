"""Completing and cancelling sessions, completion codes, notes and attachments (faculty seed)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import requests

from devtools.emulators import api, bucket, call, documents, field
from sessionbase.models.sessions import ATTACHMENTS_PER_SESSION
from sessionbase.store.client import firestore_client
from tests.uploads import linked, new_session, ok, session_of, upload

START, END = "2026-12-19T09:30:00+01:00", "2026-12-19T10:45:00+01:00"


def complete(user, session_id: str, **body):
    return api("POST", f"/api/sessions/{session_id}/complete", user, json=body)


def attachments_of(user, session_id: str, count: int) -> list[dict]:
    deadline = time.monotonic() + 30
    while len(found := session_of(user, session_id)["attachments"]) < count:
        assert time.monotonic() < deadline, "the attachment was not registered"
        time.sleep(0.2)
    return found


def test_the_faculty_flow_complete_view_and_add_a_note(make_user):
    """Upcoming -> complete with code and notes -> view with attachments and notes -> a note."""
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    upcoming = ok(api("GET", "/api/sessions", coach, params={"status": "scheduled"}))["sessions"]
    assert session_id in [s["sessionId"] for s in upcoming]
    body = {"actualStart": START, "actualEnd": END, "completionCode": " batch-001-dec19 ",
            "notes": "Covered Topics 1-3, Quiz scheduled for next session"}  # fmt: skip
    done = ok(complete(coach, session_id, **body))
    assert (done["status"], done["completionCode"], done["completedBy"]) == (
        "completed",
        "BATCH-001-DEC19",
        coach.uid,
    )
    assert (done["durationSeconds"], done["duration"]) == (4500, "75 min 0 s")
    assert done["actualStart"].startswith("2026-12-19T08:30:00")  # stored in UTC
    assert ok(complete(coach, session_id, **body)) == done  # a retried request: the same answer
    recording = b"%PDF-1.7\n" + b"x" * 3000
    upload(coach, session_id, recording, name="session-1.pdf", kind="attachment")
    [attachment] = attachments_of(athlete, session_id, 1)
    assert attachment["fileName"] == "session-1.pdf"
    assert requests.get(attachment["downloadUrl"], timeout=30).content == recording
    assert attachment["downloadUrlExpiresAt"] > time.strftime("%Y-%m-%dT%H:%M", time.gmtime())
    notes = f"/api/sessions/{session_id}/notes"
    praise = {"text": "Great participation today!", "type": "achievement"}
    first = ok(api("POST", notes, coach, json=praise), 201)
    second = ok(api("POST", notes, athlete, json={"text": "Bring the quiz sheet"}), 201)
    assert (second["type"], second["authorId"]) == ("general", athlete.uid)
    view = session_of(athlete, session_id)
    assert [n["noteId"] for n in view["sessionNotes"]] == [second["noteId"], first["noteId"]]
    assert view["notes"] == body["notes"]


def test_codes_are_unique_generated_when_absent_and_verified_by_admins(make_user):
    coach, athlete = linked(make_user)
    admin = make_user("admin")
    first, second = new_session(coach, athlete), new_session(coach, athlete)
    code = f"C-{time.time_ns()}"
    ok(complete(coach, first, actualStart=START, actualEnd=END, completionCode=code))
    taken = complete(coach, second, actualStart=START, actualEnd=END, completionCode=code.lower())
    assert (taken.status_code, taken.json()["code"]) == (409, "already-exists")
    assert [e["field"] for e in taken.json()["errors"]] == ["completionCode"]
    assert session_of(coach, second)["status"] == "scheduled"  # nothing written
    generated = ok(complete(coach, second, actualStart=START, actualEnd=END))["completionCode"]
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", generated)
    verified = ok(api("GET", f"/api/completion-codes/{code.lower()}", admin))
    assert (verified["code"], verified["sessionId"], verified["completedBy"]) == (
        code,
        first,
        coach.uid,
    )
    assert api("GET", f"/api/completion-codes/{code}", coach).status_code == 403
    assert api("GET", "/api/completion-codes/NO-SUCH-CODE", admin).status_code == 404
    assert api("GET", "/api/completion-codes/%20", admin).status_code == 404
    by_callable = call("verifyCompletionCode", {"code": generated}, admin).json()["result"]
    assert by_callable["sessionId"] == second


def test_only_scheduled_or_active_sessions_close_and_only_by_their_managers(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    stranger = make_user("coach")
    assert complete(athlete, session_id, actualStart=START, actualEnd=END).status_code == 403
    assert complete(stranger, session_id, actualStart=START, actualEnd=END).status_code == 404
    backwards = complete(coach, session_id, actualStart=END, actualEnd=START)
    assert [e["field"] for e in backwards.json()["errors"]] == ["actualEnd"]
    cancel = f"/api/sessions/{session_id}/cancel"
    cancelled = ok(api("POST", cancel, coach, json={"reason": "Venue closed"}))
    assert (cancelled["status"], cancelled["cancelReason"]) == ("cancelled", "Venue closed")
    again = api("POST", cancel, coach, json={})
    assert (again.status_code, again.json()["code"]) == (400, "failed-precondition")
    late = complete(coach, session_id, actualStart=START, actualEnd=END)
    assert (late.status_code, late.json()["detail"]) == (400, "The session is already cancelled.")
    assert session_of(coach, session_id)["status"] == "cancelled"


def test_notes_are_changed_by_their_author_or_an_admin(make_user):
    coach, athlete = linked(make_user)
    admin = make_user("admin")
    session_id = new_session(coach, athlete)
    notes = f"/api/sessions/{session_id}/notes"
    bad = api("POST", notes, coach, json={"text": "x" * 10_001, "type": "rant"})
    assert {e["field"] for e in bad.json()["errors"]} == {"text", "type"}
    note = ok(api("POST", notes, coach, json={"text": "Check knee angle", "type": "issue"}), 201)
    path = f"{notes}/{note['noteId']}"
    assert api("PUT", path, athlete, json={"text": "mine now"}).status_code == 403
    assert api("PUT", path, coach, json={}).status_code == 400
    edited = ok(api("PUT", path, coach, json={"type": "follow-up"}))
    assert (edited["text"], edited["type"]) == ("Check knee angle", "follow-up")
    assert edited["updatedAt"] >= note["updatedAt"]
    assert api("DELETE", path, athlete).status_code == 403
    assert ok(api("DELETE", path, admin)) == {"noteId": note["noteId"], "deleted": True}
    assert api("DELETE", path, admin).status_code == 404
    assert session_of(coach, session_id)["sessionNotes"] == []
    outsider = api("POST", notes, make_user(), json={"text": "hello"})
    assert outsider.status_code == 404  # it cannot read the session: it does not exist


def test_an_attachment_is_removed_with_its_file(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    target = upload(athlete, session_id, b"%PDF-1.4\n" + b"y" * 500, name="plan.pdf",
                    kind="attachment")  # fmt: skip
    [attachment] = attachments_of(coach, session_id, 1)
    path = f"/api/sessions/{session_id}/attachments/{attachment['attachmentId']}"
    assert api("DELETE", path, make_user("coach")).status_code == 404
    removed = ok(api("DELETE", path, coach))
    assert removed == {"attachmentId": attachment["attachmentId"], "deleted": True,
                       "deletedObjects": 1}  # fmt: skip
    assert bucket().get_blob(target["path"]) is None
    assert session_of(athlete, session_id)["attachments"] == []
    assert documents(f"sessions/{session_id}/attachments") == []
    assert api("DELETE", path, coach).status_code == 404


def test_a_session_holds_at_most_100_attachments_even_when_urls_were_given_before(make_user):
    """The cap is checked when an upload URL is asked for and again when the file lands: URLs
    given while the session had room cannot take it past its cap."""
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    db = firestore_client()
    children = db.collection("sessions").document(session_id).collection("attachments")
    batch = db.batch()
    for n in range(ATTACHMENTS_PER_SESSION - 1):
        batch.set(children.document(f"seeded-{n}"), {"path": f"x/{n}.pdf",
                  "fileName": f"{n}.pdf", "contentType": "application/pdf", "size": 9,
                  "uploadedBy": athlete.uid, "createdAt": datetime.now(UTC)})  # fmt: skip
    batch.commit()
    pdf = b"%PDF-1.4\n" + b"y" * 500
    body = {"fileName": "late.pdf", "contentType": "application/pdf", "size": len(pdf),
            "kind": "attachment"}  # fmt: skip
    # Two URLs while there is room for one more; both files are uploaded.
    targets = [ok(api("POST", f"/api/sessions/{session_id}/upload", athlete, json=body))
               for _ in range(2)]  # fmt: skip
    for target in targets:
        put = requests.put(target["uploadUrl"], data=pdf,
                           headers={"Content-Type": "application/pdf"}, timeout=60)  # fmt: skip
        assert put.status_code in (200, 201), put.text
    deadline = time.monotonic() + 30
    while not documents(f"sessions/{session_id}/rejectedUploads"):
        assert time.monotonic() < deadline, "the second file was not refused"
        time.sleep(0.2)
    [rejected] = documents(f"sessions/{session_id}/rejectedUploads")
    assert "100 attachments" in field(rejected, "reason")
    assert children.count().get()[0][0].value == ATTACHMENTS_PER_SESSION
    kept = {doc.get("path") for doc in children.stream()}
    assert [bucket().get_blob(t["path"]) is not None for t in targets] == [
        t["path"] in kept for t in targets
    ]
    # A full session gives no more upload URLs for attachments (a video still replaces its own).
    refused = api("POST", f"/api/sessions/{session_id}/upload", athlete, json=body)
    assert (refused.status_code, refused.json()["code"]) == (400, "failed-precondition")
    assert "100 attachments" in refused.json()["detail"]


def test_completing_an_active_practice_closes_it_to_answers(make_user):
    coach, athlete = make_user("coach"), make_user()
    made = api("POST", "/api/exercises", coach, json={"prompt": "1 + 2", "answers": ["3"]})
    exercise_id = ok(made, 201)["exercise_id"]
    started = ok(api("POST", "/api/exercises/session/start", athlete, json={}))
    session_id = started["session_id"]
    ok(complete(athlete, session_id, actualStart=START, actualEnd=END))  # its creator
    body = {"exercise_id": exercise_id, "user_answer": "3", "time_taken": 1,
            "session_id": session_id}  # fmt: skip
    late = api("POST", "/api/exercises/submit", athlete, json=body)
    assert (late.status_code, late.json()["detail"]) == (400, "Session is already completed")


def test_bad_closing_requests_name_their_field_and_write_nothing(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    naive = complete(coach, session_id, actualStart="2026-12-19T09:30:00", actualEnd=END)
    assert [e["field"] for e in naive.json()["errors"]] == ["actualStart"]
    missing = api("POST", f"/api/sessions/{session_id}/complete", coach, json={})
    assert {e["field"] for e in missing.json()["errors"]} == {"actualStart", "actualEnd"}
    long_reason = api(
        "POST", f"/api/sessions/{session_id}/cancel", coach, json={"reason": "x" * 201}
    )
    assert [e["field"] for e in long_reason.json()["errors"]] == ["reason"]
    unknown = api("DELETE", f"/api/sessions/{session_id}/attachments/nope", coach)
    assert unknown.status_code == 404
    assert session_of(coach, session_id)["status"] == "scheduled"
