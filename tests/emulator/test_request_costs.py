"""What one request costs (issue 21): the Firestore documents it reads and the URLs it signs,
counted by running the real service in this process against the Firestore emulator and
instrumenting the client library as scripts/bench_list_pages.py does (every document a query
returns or a ``get`` fetches is one read; a query that returns nothing still costs one)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from google.cloud.firestore_v1.document import DocumentReference
from google.cloud.firestore_v1.query import Query

from devtools.emulators import api
from sessionbase.models.identity import Caller, Role
from sessionbase.models.sessions import CHILD_PAGE, NOTES_PER_SESSION, ChildPageQuery
from sessionbase.services.context import Context
from sessionbase.store.client import firestore_client
from sessionbase.store.storage import ObjectStore
from sessionbase.store.work import Store
from tests.uploads import linked, new_session, ok

NOTES = ATTACHMENTS = 60


class Counted:
    reads = 0
    signed = 0


class SigningCounted(ObjectStore):
    """The bucket, with each download URL counted (an IAM signing call when deployed)."""

    def download_url(self, path: str, lifetime: timedelta) -> str:
        Counted.signed += 1
        return f"https://storage.example/{path}"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> type[Counted]:
    stream, get = Query.stream, DocumentReference.get

    def counting_stream(self, *args, **kwargs):
        returned = 0
        for snapshot in stream(self, *args, **kwargs):
            returned += 1
            yield snapshot
        Counted.reads += max(returned, 1)

    def counting_get(self, *args, **kwargs):
        Counted.reads += 1
        return get(self, *args, **kwargs)

    monkeypatch.setattr(Query, "stream", counting_stream)
    monkeypatch.setattr(DocumentReference, "get", counting_get)
    Counted.reads = Counted.signed = 0
    return Counted


def context(user) -> Context:
    caller = Caller(
        uid=user.uid, email=user.email, email_verified=True, name=None, role=Role(user.role)
    )
    return Context(
        caller=caller,
        store=Store(firestore_client()),
        now=datetime.now(UTC),
        objects=SigningCounted("bucket"),
    )


def seed_children(session_id: str, notes: int, attachments: int) -> None:
    db = firestore_client()
    session = db.collection("sessions").document(session_id)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    batch = db.batch()
    for n in range(notes):
        at = start + timedelta(minutes=n)
        batch.set(
            session.collection("notes").document(f"n{n:03d}"),
            {"type": "general", "text": f"note {n}", "authorId": "x", "createdAt": at},
        )
        if (n + 1) % 400 == 0:
            batch.commit()
            batch = db.batch()
    for n in range(attachments):
        batch.set(
            session.collection("attachments").document(f"a{n:03d}"),
            {"path": f"sessions/{session_id}/attachments/a{n:03d}", "fileName": "f.pdf",
             "createdAt": start + timedelta(minutes=n)},
        )  # fmt: skip
    batch.commit()


def test_reading_a_session_reads_and_signs_one_page_of_its_children(make_user, counted):
    from sessionbase.services.sessions import get_session

    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    seed_children(session_id, NOTES, ATTACHMENTS)
    ctx = context(coach)
    ctx.store.meta.cursor_key()  # read once per instance: not this request's cost
    counted.reads = 0
    detail = get_session(ctx, session_id=session_id)
    print(f"GET /api/sessions/{{id}} with {NOTES} notes and {ATTACHMENTS} attachments: "
          f"{counted.reads} reads, {counted.signed} signed URLs")  # fmt: skip
    assert len(detail.sessionNotes) == len(detail.attachments) == CHILD_PAGE
    assert detail.sessionNotes[0].noteId == f"n{NOTES - 1:03d}"  # newest first
    assert detail.attachments[0].attachmentId == "a000"  # oldest first
    assert counted.signed == CHILD_PAGE
    # The session, one more of each child (it tells whether there is a next page), and the
    # reads of the permission check (the coach's own session: none).
    assert counted.reads <= 1 + 2 * (CHILD_PAGE + 1) + 2


def test_the_pages_after_the_first_give_every_child_once(make_user, counted):
    from sessionbase.services.sessions import list_session_attachments, list_session_notes

    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    seed_children(session_id, NOTES, ATTACHMENTS)
    first = ok(api("GET", f"/api/sessions/{session_id}", athlete))
    notes = [n["noteId"] for n in first["sessionNotes"]]
    attachments = [a["attachmentId"] for a in first["attachments"]]
    cursors = {
        "notes": first["sessionNotesNextCursor"],
        "attachments": first["attachmentsNextCursor"],
    }
    for kind, found in (("notes", notes), ("attachments", attachments)):
        while cursors[kind]:
            page = ok(api("GET", f"/api/sessions/{session_id}/{kind}", athlete,
                          params={"cursor": cursors[kind], "limit": 25}))  # fmt: skip
            key = "sessionNotes" if kind == "notes" else "attachments"
            found += [c["noteId" if kind == "notes" else "attachmentId"] for c in page[key]]
            assert all(c.get("downloadUrl") for c in page[key]) or kind == "notes"
            cursors[kind] = page["nextCursor"]
    assert notes == [f"n{n:03d}" for n in reversed(range(NOTES))]
    assert attachments == [f"a{n:03d}" for n in range(ATTACHMENTS)]
    # The same pages through the service: each signs only what it returns.
    ctx = context(athlete)
    page = list_session_attachments(ctx, ChildPageQuery(limit=7), session_id=session_id)
    assert (len(page.attachments), counted.signed) == (7, 7)
    assert (
        len(list_session_notes(ctx, ChildPageQuery(limit=5), session_id=session_id).sessionNotes)
        == 5
    )
    # A stranger gets 404 for the lists as for the session.
    stranger = make_user()
    assert api("GET", f"/api/sessions/{session_id}/notes", stranger).status_code == 404
    bad = api("GET", f"/api/sessions/{session_id}/notes", athlete, params={"cursor": "x.y"})
    assert [e["field"] for e in bad.json()["errors"]] == ["cursor"]


def test_a_session_refuses_its_501st_note(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    seed_children(session_id, NOTES_PER_SESSION - 1, 0)
    path = f"/api/sessions/{session_id}/notes"
    ok(api("POST", path, athlete, json={"text": "the 500th"}), 201)
    refused = api("POST", path, athlete, json={"text": "the 501st"})
    assert (refused.status_code, refused.json()["code"]) == (400, "failed-precondition")
    assert "500 notes" in refused.json()["detail"]
    assert (
        firestore_client()
        .collection("sessions")
        .document(session_id)
        .collection("notes")
        .count()
        .get()[0][0]
        .value
        == NOTES_PER_SESSION
    )
