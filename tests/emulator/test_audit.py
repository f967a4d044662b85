"""The audit trail (issue 27): every change commits its entry, refused requests leave none, and
only admins read it (``GET /api/audit``)."""

from __future__ import annotations

import time
from typing import Any

from devtools.emulators import api
from sessionbase.store.client import firestore_client
from tests.uploads import linked, new_session, ok

START, END = "2026-12-19T09:30:00+01:00", "2026-12-19T10:45:00+01:00"
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def entries(**equal: Any) -> list[dict[str, Any]]:
    """The audit entries whose fields have these values (read with the Admin client)."""
    from google.cloud.firestore import FieldFilter

    query: Any = firestore_client().collection("auditLog")
    for name, value in equal.items():
        query = query.where(filter=FieldFilter(name, "==", value))
    return [{"id": s.id, **(s.to_dict() or {})} for s in query.stream()]


def test_a_change_commits_one_entry_naming_who_what_which_and_when(make_user):
    coach, athlete = linked(make_user)
    headers = {"traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"}
    created = ok(
        api("POST", "/api/sessions", coach, json={"athleteId": athlete.uid}, headers=headers), 201
    )
    [entry] = entries(uid=coach.uid, operation="createSession")
    assert f"sessions/{created['sessionId']}" in entry["documents"]
    assert (entry["role"], entry["requestId"]) == ("coach", TRACE)
    assert abs(entry["at"].timestamp() - time.time()) < 120
    # the statistics trigger's writes have their own entries, as the system
    deadline = time.monotonic() + 30
    while not [
        e
        for e in entries(operation="count_session_change")
        if f"athleteStats/{athlete.uid}" in e["documents"]
    ]:
        assert time.monotonic() < deadline, "the trigger's writes were not audited"
        time.sleep(0.3)
    [counted, *_] = [
        e
        for e in entries(operation="count_session_change")
        if f"athleteStats/{athlete.uid}" in e["documents"]
    ]
    assert (counted["uid"], counted["role"]) == (None, "system")


def test_sensitive_fields_keep_their_values_before_and_after(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    body = {"actualStart": START, "actualEnd": END, "completionCode": "batch-7"}
    ok(api("POST", f"/api/sessions/{session_id}/complete", coach, json=body))
    [entry] = entries(uid=coach.uid, operation="completeSession")
    changes = {(c["document"], c["field"]): c for c in entry["changes"]}
    code = changes[(f"sessions/{session_id}", "completionCode")]
    assert (code["before"], code["after"]) == (None, "BATCH-7")
    assert (
        changes[(f"sessions/{session_id}", "actualStart")]["after"]
        .isoformat()
        .startswith("2026-12-19T08:30:00")
    )
    admin = make_user("admin")
    ok(api("POST", f"/api/users/{coach.uid}/role", admin, json={"role": "admin"}))
    [role] = entries(uid=admin.uid, operation="setUserRole")
    assert {"document": f"users/{coach.uid}", "field": "role", "before": "coach",
            "after": "admin"} in role["changes"]  # fmt: skip


def test_refused_requests_leave_no_entry(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    stranger = make_user()
    assert (
        api("PUT", f"/api/sessions/{session_id}", stranger, json={"event": "x"}).status_code == 404
    )
    assert api("POST", "/api/sessions", stranger, json={"event": 5}).status_code == 400
    assert (
        api("POST", "/api/invitations", stranger, json={"athleteEmail": "a@b.c"}).status_code == 403
    )
    assert entries(uid=stranger.uid) == []


def test_admins_read_the_trail_by_document_actor_and_time(make_user):
    coach, athlete = linked(make_user)
    admin = make_user("admin")
    session_id = new_session(coach, athlete)
    ok(api("PUT", f"/api/sessions/{session_id}", coach, json={"event": "Beam"}))
    ok(api("PUT", f"/api/sessions/{session_id}", athlete, json={"notes": "sore knee"}))
    doc = f"sessions/{session_id}"
    page = ok(api("GET", "/api/audit", admin, params={"doc": doc, "limit": 100}))
    mine = [e for e in page["entries"] if e["uid"] is not None]
    assert [(e["operation"], e["uid"]) for e in mine] == [
        ("updateSession", athlete.uid),
        ("updateSession", coach.uid),
        ("createSession", coach.uid),
    ]
    assert all(doc in e["documents"] for e in page["entries"])
    by_actor = ok(api("GET", "/api/audit", admin, params={"doc": doc, "actor": athlete.uid}))
    assert [e["operation"] for e in by_actor["entries"]] == ["updateSession"]
    # pages: one at a time, following the cursor
    first = ok(api("GET", "/api/audit", admin, params={"actor": coach.uid, "limit": 1}))
    second = ok(
        api(
            "GET",
            "/api/audit",
            admin,
            params={"actor": coach.uid, "limit": 1, "cursor": first["nextCursor"]},
        )
    )
    assert first["entries"][0]["id"] != second["entries"][0]["id"]
    assert first["entries"][0]["at"] >= second["entries"][0]["at"]
    future = ok(api("GET", "/api/audit", admin, params={"actor": coach.uid, "from": "2099-01-01"}))
    assert future["entries"] == []
    # only admins; a bad filter is named
    assert api("GET", "/api/audit", coach).status_code == 403
    bad = api("GET", "/api/audit", admin, params={"doc": "sessions", "limit": "0"})
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"doc", "limit"}
