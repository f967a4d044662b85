"""Archiving a session (the worked example of docs/architecture.md), over REST and callables.

An archived session leaves the default lists, is listed by ``?archived=true``, stays readable,
keeps counting in the statistics, and refuses every change until it is restored.
"""

from __future__ import annotations

import time

from devtools.emulators import api, call, document, join_group
from tests.uploads import linked, new_session, ok


def listed(user, query: str = "") -> list[str]:
    return [s["sessionId"] for s in ok(api("GET", f"/api/sessions{query}", user))["sessions"]]


def counted(user, total: int) -> dict:
    """The caller's statistics once the trigger has counted ``total`` sessions."""
    deadline = time.monotonic() + 20
    while True:
        stats = ok(api("GET", "/api/sessions/stats", user))
        if stats["stats"]["totalSessions"] == total or time.monotonic() > deadline:
            return stats["stats"]
        time.sleep(0.2)


def test_an_archived_session_leaves_the_lists_stays_readable_and_comes_back(make_user):
    coach, athlete = linked(make_user)
    kept, archived = new_session(coach, athlete), new_session(coach, athlete)
    assert counted(athlete, 2)["totalSessions"] == 2

    session = ok(api("POST", f"/api/sessions/{archived}/archive", coach))
    assert (session["archived"], session["archivedBy"]) == (True, coach.uid)
    assert session["archivedAt"].endswith("Z")
    for user in (coach, athlete):
        assert listed(user) == [kept]
        assert listed(user, "?archived=true") == [archived]
        assert ok(api("GET", f"/api/sessions/{archived}", user))["archived"] is True
    assert listed(coach, f"?athleteId={athlete.uid}&archived=true") == [archived]
    # Its statistics stay: archiving is not deleting.
    time.sleep(1)
    assert counted(athlete, 2)["totalSessions"] == 2

    restored = ok(api("POST", f"/api/sessions/{archived}/restore", coach))
    assert restored["archived"] is False
    assert "archivedAt" not in {k for k, v in restored.items() if v is not None}
    assert sorted(listed(athlete)) == sorted([kept, archived])
    assert listed(athlete, "?archived=true") == []


def test_an_archived_session_refuses_every_change_and_writes_nothing(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    ok(api("POST", f"/api/sessions/{session_id}/notes", coach, json={"text": "before"}), 201)
    ok(api("POST", f"/api/sessions/{session_id}/archive", coach))
    before = document(f"sessions/{session_id}")
    refused = [
        ("PUT", f"/api/sessions/{session_id}", coach, {"event": "Beam"}),
        ("PUT", f"/api/sessions/{session_id}", athlete, {"notes": "mine"}),
        (
            "POST",
            f"/api/sessions/{session_id}/complete",
            coach,
            {"actualStart": "2026-12-01T10:00:00Z", "actualEnd": "2026-12-01T11:00:00Z"},
        ),
        ("POST", f"/api/sessions/{session_id}/cancel", coach, {"reason": "rain"}),
        ("POST", f"/api/sessions/{session_id}/notes", athlete, {"text": "a note"}),
        (
            "POST",
            f"/api/sessions/{session_id}/upload",
            coach,
            {"fileName": "a.mp4", "contentType": "video/mp4", "size": 10, "kind": "video"},
        ),
        ("DELETE", f"/api/sessions/{session_id}", coach, None),
    ]
    for method, path, user, body in refused:
        reply = api(method, path, user, json=body)
        assert (reply.status_code, reply.json()["code"]) == (400, "failed-precondition"), (
            method,
            path,
            reply.text,
        )
        assert "restore it" in reply.json()["detail"]
    assert document(f"sessions/{session_id}") == before  # nothing was written
    # The callable twin says the same.
    denied = call("updateSession", {"sessionId": session_id, "event": "Beam"}, coach)
    assert denied.json()["error"]["status"] == "FAILED_PRECONDITION"


def test_only_its_coach_or_an_admin_archives_and_a_retry_changes_nothing(make_user):
    coach, athlete = linked(make_user)
    other_coach, admin = make_user("coach"), make_user("admin")
    session_id = new_session(coach, athlete)
    own = ok(api("POST", "/api/sessions", athlete, json={"event": "Own"}), 201)["sessionId"]

    refused = api("POST", f"/api/sessions/{session_id}/archive", athlete)
    assert (refused.status_code, refused.json()["code"]) == (403, "permission-denied")
    # An athlete's own session is archived by their coach, not by themself.
    refused = api("POST", f"/api/sessions/{own}/archive", athlete)
    assert refused.status_code == 403
    hidden = api("POST", f"/api/sessions/{session_id}/archive", other_coach)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not-found")

    first = ok(api("POST", f"/api/sessions/{session_id}/archive", admin))
    again = ok(api("POST", f"/api/sessions/{session_id}/archive", coach))
    assert again["archivedAt"] == first["archivedAt"]  # already archived: unchanged
    assert again["archivedBy"] == admin.uid
    by_callable = call("restoreSession", {"sessionId": session_id}, coach).json()["result"]
    assert by_callable["archived"] is False
    assert ok(api("POST", f"/api/sessions/{session_id}/restore", coach))["archived"] is False


def test_a_live_session_is_ended_before_it_is_archived(make_user):
    coach, member = make_user("coach"), make_user()
    group_id = ok(api("POST", "/api/groups", coach, json={"name": "Squad"}), 201)["groupId"]
    join_group(coach, group_id, member, by="userId")
    live = ok(api("POST", f"/api/groups/{group_id}/sessions", coach, json={}), 201)["sessionId"]
    refused = api("POST", f"/api/sessions/{live}/archive", coach)
    assert (refused.status_code, refused.json()["code"]) == (400, "failed-precondition")
    ok(api("POST", f"/api/sessions/{live}/end", coach))
    assert ok(api("POST", f"/api/sessions/{live}/archive", coach))["archived"] is True


def test_archived_is_not_a_field_a_client_sets(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    reply = api("PUT", f"/api/sessions/{session_id}", coach, json={"archived": True})
    assert reply.status_code == 400
    assert [e["field"] for e in reply.json()["errors"]] == ["archived"]
    bad = api("GET", "/api/sessions?archived=yes", coach)
    assert (bad.status_code, [e["field"] for e in bad.json()["errors"]]) == (400, ["archived"])


def test_sessions_stored_before_archiving_existed_are_backfilled_into_the_lists(make_user):
    from datetime import UTC, datetime

    from devtools.backfill_archived import backfill
    from sessionbase.store.client import firestore_client

    athlete = make_user()
    db = firestore_client()
    legacy = {"athleteId": athlete.uid, "createdBy": athlete.uid, "event": "Old"}
    db.collection("sessions").document("legacy1").set({**legacy, "createdAt": datetime.now(UTC)})
    assert listed(athlete) == []  # no `archived` field: in no list
    assert backfill(db, dry_run=True) == 1
    assert backfill(db) == 1
    assert listed(athlete) == ["legacy1"]
    assert backfill(db) == 0  # idempotent
