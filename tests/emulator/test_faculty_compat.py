"""The faculty seed's ``api/session_completion.php?action=…`` (issue 26), over HTTP through the
Hosting emulator as a page of the site sends it: ``FormData`` (multipart), the ``__session``
cookie, a browser's same-origin headers. Every action, the bad forms (each bad field named in
the seed's own names, nothing written), the same-site refusal, the 413, and the admin's views
(every session by status, the download log)."""

from __future__ import annotations

import requests

from devtools.emulators import HOSTING, api, bucket, documents
from tests.uploads import linked, new_session, ok, session_of

ENDPOINT = f"{HOSTING}/api/session_completion.php"
PDF = b"%PDF-1.7\n" + b"x" * 2000


def page(user) -> dict[str, str]:
    """What Chromium sends with a same-origin fetch, credentials 'same-origin', from our site."""
    return {"Cookie": f"__session={user.id_token}", "Origin": HOSTING,
            "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}  # fmt: skip


def post(user, action: str, form: dict, files=None, headers=None) -> requests.Response:
    # requests sends multipart/form-data as FormData does when files are given; force it
    # otherwise with an empty file list entry (a FormData without a file is multipart too).
    fields = {k: (None, v) for k, v in form.items()}
    return requests.post(
        ENDPOINT,
        params={"action": action},
        files={**fields, **(files or {})} or {"_": (None, "")},
        headers=headers if headers is not None else page(user),
        timeout=60,
    )


def good(reply, status=200):
    body = reply.json()
    assert (reply.status_code, body["success"]) == (status, True), reply.text
    return body["data"]


def refused(reply, status: int) -> dict:
    body = reply.json()
    assert (reply.status_code, body["success"]) == (status, False), reply.text
    return body


def test_every_action_runs_our_services(make_user):
    coach, athlete = linked(make_user)
    admin = make_user("admin")
    api("PUT", "/api/users/me", coach, json={"timezone": "Europe/Paris"})
    planned = {"athleteId": athlete.uid, "event": "Batch 001", "sessionType": "Training",
               "scheduledStart": "2026-12-19T08:00:00Z",
               "scheduledEnd": "2026-12-19T10:00:00Z"}  # fmt: skip
    session_id = ok(api("POST", "/api/sessions", coach, json=planned), 201)["sessionId"]
    created = good(post(coach, "create", {"athlete_id": athlete.uid, "event": "Batch 002",
                                          "session_type": "Training"}), 201)  # fmt: skip
    assert created["sessionId"]
    listed = requests.get(ENDPOINT, params={"action": "list"}, headers=page(coach), timeout=30)
    assert {s["sessionId"] for s in good(listed)} >= {session_id, created["sessionId"]}
    updated = good(post(coach, "update", {"id": session_id, "notes": "Room 4"}))
    assert updated["notes"] == "Room 4"
    done = good(post(coach, "complete", {"id": session_id, "actual_start_time": "09:30",
                                         "actual_end_time": "10:45",
                                         "completion_code": "BATCH-001-DEC19",
                                         "notes": "Covered Topics 1-3"}))  # fmt: skip
    # 09:30 on the session's date in the coach's time zone (Paris, UTC+1 in December).
    assert done["actualStart"].startswith("2026-12-19T08:30:00")
    assert (done["status"], done["completionCode"], done["durationSeconds"]) == (
        "completed",
        "BATCH-001-DEC19",
        4500,
    )
    note = good(post(athlete, "add_note", {"completion_id": session_id,
                                           "note_text": "Great participation today!",
                                           "note_type": "achievement"}), 201)  # fmt: skip
    assert (note["type"], note["authorId"]) == ("achievement", athlete.uid)
    attachment = good(
        post(coach, "upload_attachment",
             {"completion_id": session_id, "description": "Class recording - Session 1"},
             files={"file": ("notes.pdf", PDF, "application/pdf")}),
        201,
    )  # fmt: skip
    assert (attachment["fileName"], attachment["description"], attachment["size"]) == (
        "notes.pdf",
        "Class recording - Session 1",
        len(PDF),
    )
    view = good(post(athlete, "get", {"id": session_id}))
    assert [a["attachmentId"] for a in view["attachments"]] == [attachment["attachmentId"]]
    assert requests.get(view["attachments"][0]["downloadUrl"], timeout=30).content == PDF
    assert [n["noteId"] for n in view["sessionNotes"]] == [note["noteId"]]
    # Download tracking: the athlete was given the link; only admins see the log.
    log = ok(api("GET", f"/api/attachments/downloads?sessionId={session_id}", admin))
    assert [(d["uid"], d["attachmentId"]) for d in log["downloads"]] == [
        (athlete.uid, attachment["attachmentId"])
    ]
    assert api("GET", "/api/attachments/downloads", coach).status_code == 403
    # The admin monitors completions across staff: every session, by status and dates.
    every = ok(api("GET", "/api/sessions?all=true&status=completed&limit=100", admin))
    assert session_id in [s["sessionId"] for s in every["sessions"]]
    assert api("GET", "/api/sessions?all=true", coach).status_code == 403
    mine = {"completion_id": session_id, "note_id": note["noteId"]}
    assert refused(post(coach, "delete_note", mine), 403)["code"] == "permission-denied"
    gone = good(post(athlete, "delete_note", mine))
    assert gone == {"noteId": note["noteId"], "deleted": True}
    which = {"completion_id": session_id, "attachment_id": attachment["attachmentId"]}
    removed = good(post(coach, "delete_attachment", which))
    assert removed["deletedObjects"] == 1
    cancelled = good(post(coach, "cancel", {"id": created["sessionId"], "reason": "No room"}))
    assert cancelled["status"] == "cancelled"
    upcoming = requests.get(
        ENDPOINT, params={"action": "occurrences"}, headers=page(coach), timeout=30
    )
    assert isinstance(good(upcoming), list)


def test_bad_forms_name_each_field_and_write_nothing(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    missing = refused(post(coach, "complete", {"actual_start_time": "25:00",
                                               "actual_end_time": "10:45"}), 400)  # fmt: skip
    assert [e["field"] for e in missing["errors"]] == ["id", "actual_start_time"]
    assert missing["code"] == "invalid-argument"
    late = refused(post(coach, "complete", {"id": session_id, "actual_start_time": "10:00",
                                            "actual_end_time": "09:00",
                                            "completion_code": "!"}), 400)  # fmt: skip
    assert {e["field"] for e in late["errors"]} == {"actual_end_time", "completion_code"}
    kind = refused(post(coach, "add_note", {"completion_id": session_id, "note_text": "x",
                                            "note_type": "rant"}), 400)  # fmt: skip
    assert [e["field"] for e in kind["errors"]] == ["note_type"]
    disguised = refused(
        post(coach, "upload_attachment", {"completion_id": session_id},
             files={"file": ("report.pdf", b"MZ\x90\x00" + b"\0" * 500, "application/pdf")}),
        400,
    )  # fmt: skip
    assert [e["field"] for e in disguised["errors"]] == ["file"]
    assert "executable" in disguised["message"]
    nofile = refused(post(coach, "upload_attachment", {"completion_id": session_id}), 400)
    assert [e["field"] for e in nofile["errors"]] == ["file"]
    unknown = refused(post(coach, "explode", {}), 400)
    assert [e["field"] for e in unknown["errors"]] == ["action"]
    session = session_of(coach, session_id)
    assert (session["status"], session["sessionNotes"], session["attachments"]) == (
        "scheduled",
        [],
        [],
    )
    assert list(bucket().list_blobs(prefix=f"sessions/{session_id}/")) == []


def test_a_cross_site_post_is_refused_before_anything_runs(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    form = {"completion_id": session_id, "note_text": "forged", "note_type": "general"}
    evil = {"Cookie": f"__session={coach.id_token}", "Origin": "https://evil.example",
            "Sec-Fetch-Site": "cross-site"}  # fmt: skip
    body = refused(post(coach, "add_note", form, headers=evil), 403)
    assert body["code"] == "permission-denied"
    assert refused(post(coach, "add_note", form, headers={}), 401)["code"] == "unauthenticated"
    assert documents(f"sessions/{session_id}/notes") == []


def test_a_form_over_the_request_limit_is_413_naming_the_upload_url(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    big = PDF + b"x" * (32 * 1024**2)
    body = refused(
        post(coach, "upload_attachment", {"completion_id": session_id},
             files={"file": ("big.pdf", big, "application/pdf")}),
        413,
    )  # fmt: skip
    assert "createUploadUrl" in body["message"]
    assert [e["field"] for e in body["errors"]] == ["file"]
    assert list(bucket().list_blobs(prefix=f"sessions/{session_id}/")) == []
