"""What one request costs (issue 21): the Firestore documents it reads and the URLs it signs,
counted by running the real service in this process against the Firestore emulator and
instrumenting the client library as scripts/bench_list_pages.py does (every document a query
returns or a ``get`` fetches is one read; a query that returns nothing still costs one)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from google.cloud.firestore_v1.client import Client
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
    stream, get, get_all = Query.stream, DocumentReference.get, Client.get_all

    def counting_stream(self, *args, **kwargs):
        returned = 0
        for snapshot in stream(self, *args, **kwargs):
            returned += 1
            yield snapshot
        Counted.reads += max(returned, 1)

    def counting_get(self, *args, **kwargs):
        Counted.reads += 1
        return get(self, *args, **kwargs)

    def counting_get_all(self, references, *args, **kwargs):
        references = list(references)
        Counted.reads += len(references)  # a document asked for is read, found or not
        return get_all(self, references, *args, **kwargs)

    monkeypatch.setattr(Query, "stream", counting_stream)
    monkeypatch.setattr(DocumentReference, "get", counting_get)
    monkeypatch.setattr(Client, "get_all", counting_get_all)
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
    from sessionbase.models.sessions import SessionDetail, SessionReadQuery
    from sessionbase.services.sessions import get_session

    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    seed_children(session_id, NOTES, ATTACHMENTS)
    ctx = context(coach)
    ctx.store.meta.cursor_key()  # read once per instance: not this request's cost
    counted.reads = 0
    detail = get_session(ctx, SessionReadQuery(), session_id=session_id)
    assert isinstance(detail, SessionDetail)
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


# ---- GET /api/occurrences (issue 21 item 1) -----------------------------------------------------

GROUPS = 100  # the groups an occurrence list looks at (store/groups.py: of_member)


def seed_attended_schedules(athlete_id: str, coach_id: str) -> None:
    """The worst an athlete can attend: 100 live daily schedules of their own, 100 groups of 10
    live daily schedules each, and 300 ended schedules (which cost nothing once ended)."""
    db = firestore_client()
    now = datetime.now(UTC)
    rule = {"weekdays": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"], "startTime": "09:30",
            "durationMinutes": 30, "timezone": "UTC", "coachId": coach_id,
            "createdBy": coach_id, "createdAt": now}  # fmt: skip
    writes: list[tuple[object, dict]] = []
    for n in range(100):
        writes.append((db.collection("schedules").document(), {**rule, "title": f"Own {n}",
                       "athleteId": athlete_id, "groupId": None, "startDate": "2027-01-01",
                       "endDate": None}))  # fmt: skip
    for n in range(300):
        writes.append((db.collection("schedules").document(), {**rule, "title": f"Ended {n}",
                       "athleteId": athlete_id, "groupId": None, "startDate": "2020-01-01",
                       "endDate": "2020-06-30"}))  # fmt: skip
    for g in range(GROUPS):
        group = db.collection("groups").document()
        writes.append((group, {"name": f"Group {g}", "kind": "course", "ownerId": coach_id,
                               "memberCount": 1, "activeSessions": [], "createdAt": now,
                               "updatedAt": now}))  # fmt: skip
        writes.append((group.collection("members").document(athlete_id),
                       {"uid": athlete_id, "role": "member", "joinedAt": now}))  # fmt: skip
        for n in range(10):
            writes.append((db.collection("schedules").document(), {**rule, "title": f"G{g}.{n}",
                           "athleteId": None, "groupId": group.id, "startDate": "2027-01-01",
                           "endDate": "2030-12-31"}))  # fmt: skip
    for start in range(0, len(writes), 400):
        batch = db.batch()
        for ref, data in writes[start : start + 400]:
            batch.set(ref, data)  # type: ignore[arg-type]
        batch.commit()


def test_the_worst_occurrence_list_reads_a_bounded_number_of_documents(make_user, counted):
    from sessionbase.models.schedules import OccurrenceQuery
    from sessionbase.services.schedules import list_occurrences

    coach, athlete = linked(make_user)
    seed_attended_schedules(athlete.uid, coach.uid)
    query = OccurrenceQuery.model_validate({"from": "2027-01-04", "to": "2027-04-05"})  # 92 days
    counted.reads = 0
    found = list_occurrences(context(athlete), query)
    print(f"GET /api/occurrences, 92 days, 100 own + {GROUPS} x 10 group daily schedules "
          f"+ 300 ended: {counted.reads} reads, {len(found.occurrences)} occurrences")  # fmt: skip
    assert len(found.occurrences) == 500
    assert found.truncated
    starts = [(o.start, o.sessionId) for o in found.occurrences]
    assert starts == sorted(starts)
    # The groups (a member document and the group each), the live schedules (the caps: 100 of
    # the athlete's own, 10 per group), an empty answer per query that finds none, one read
    # per occurrence returned, and the two queries of one-off scheduled sessions (empty).
    queries = 2 * (2 + -(-GROUPS // 30))
    assert counted.reads <= 2 * GROUPS + 100 + 10 * GROUPS + queries + 500 + 2
