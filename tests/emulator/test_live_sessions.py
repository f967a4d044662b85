"""Groups and live sessions over the real stack: REST and callables, attendance, the sweep,
exact counts under concurrent check-ins, and a member's Firestore listener seeing it all live.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from devtools.emulators import (
    api,
    call,
    delete_document,
    documents,
    field,
    join_group,
    writes_audited_since,
)
from sessionbase import settings

LIVE_WITHIN = 2.0  # seconds from an API call to the member's listener seeing its effect


def created(reply, status=201) -> dict:
    assert reply.status_code == status, reply.text
    return reply.json()


def new_group(owner, **body) -> str:
    return created(api("POST", "/api/groups", owner, json={"name": "Physics 101", **body}))[
        "groupId"
    ]


def add(owner, group_id: str, member) -> None:
    """Invite by e-mail and accept as the member (membership is an invitation: issue 21)."""
    join_group(owner, group_id, member)


def group_of(user, group_id: str) -> dict:
    return created(api("GET", f"/api/groups/{group_id}", user), 200)


def test_a_class_from_start_to_end(make_user):
    teacher = make_user("coach")
    students = [make_user() for _ in range(4)]
    outsider = make_user()
    group_id = new_group(teacher, kind="course")
    add(teacher, group_id, students[0])
    join_group(teacher, group_id, students[1], by="userId")
    for student in students[2:]:
        add(teacher, group_id, student)

    roster = created(api("GET", f"/api/groups/{group_id}/members", teacher), 200)["members"]
    assert [m["uid"] for m in roster] == [teacher.uid] + [s.uid for s in students]
    assert [m["role"] for m in roster[:2]] == ["owner", "member"]
    assert group_of(students[0], group_id)["memberCount"] == 4
    assert api("GET", f"/api/groups/{group_id}", outsider).status_code == 404
    assert api("GET", f"/api/groups/{group_id}/members", students[0]).status_code == 403

    started = created(api("POST", f"/api/groups/{group_id}/sessions", teacher))
    session_id = started["sessionId"]
    active = created(api("GET", f"/api/groups/{group_id}/active-sessions", students[0]), 200)
    assert active == {
        "course_id": group_id,
        "activeSessions": [
            {
                "sessionId": session_id,
                "teacherId": teacher.uid,
                "studentCount": 0,
                "startedAt": started["startedAt"],
            }
        ],
    }
    again = api("POST", f"/api/groups/{group_id}/sessions", teacher)
    assert (again.status_code, again.json()["code"]) == (400, "failed-precondition")
    # Deleting it while active would leave the group listing a session that is gone.
    deleting = api("DELETE", f"/api/sessions/{session_id}", teacher)
    assert (deleting.status_code, deleting.json()["code"]) == (400, "failed-precondition")

    for student in students[:3]:
        reply = created(api("POST", f"/api/sessions/{session_id}/check-in", student), 200)
        assert reply["status"] == "present"
    twice = api("POST", f"/api/sessions/{session_id}/check-in", students[0])
    assert (twice.status_code, twice.json()["code"]) == (409, "already-exists")
    assert api("POST", f"/api/sessions/{session_id}/check-in", outsider).status_code == 404
    owner_in = api("POST", f"/api/sessions/{session_id}/check-in", teacher)
    assert (owner_in.status_code, owner_in.json()["code"]) == (403, "permission-denied")
    assert api("POST", f"/api/sessions/{session_id}/end", students[0]).status_code == 403
    count = group_of(teacher, group_id)["activeSessions"][0]["studentCount"]
    assert count == 3

    ended = created(api("POST", f"/api/sessions/{session_id}/end", teacher), 200)
    assert ended["finalStatistics"] == {"present": 3, "absent": 1, "total": 4}
    assert group_of(teacher, group_id)["activeSessions"] == []
    # The group keeps how it ended, for its members' listeners (/sdk/live-socket.js, issue 26).
    [how] = group_of(students[0], group_id)["recentlyEnded"]
    assert isinstance(how.pop("endedByName"), str)
    assert how == {
        "sessionId": session_id,
        "teacherId": teacher.uid,
        "finalStatistics": ended["finalStatistics"],
        "endedBy": teacher.uid,
        "endedAt": ended["endedAt"],
    }
    session = created(api("GET", f"/api/sessions/{session_id}", students[3]), 200)
    assert session["status"] == "completed"
    assert session["finalStatistics"] == ended["finalStatistics"]
    assert session["completedBy"] == teacher.uid
    assert "autoEndAt" not in session  # internal
    attendance = {
        d["name"].rsplit("/", 1)[-1]: field(d, "status")
        for d in documents(f"sessions/{session_id}/attendance")
    }
    assert attendance == {
        **{s.uid: "present" for s in students[:3]},
        students[3].uid: "absent",
    }
    late = api("POST", f"/api/sessions/{session_id}/check-in", students[3])
    assert (late.status_code, late.json()["code"]) == (400, "failed-precondition")
    assert api("POST", f"/api/sessions/{session_id}/end", teacher).status_code == 400
    assert api("DELETE", f"/api/sessions/{session_id}", teacher).status_code == 200
    assert documents(f"sessions/{session_id}/attendance") == []


def test_late_check_ins_concurrent_sessions_and_leaving(make_user):
    teacher, student, other = make_user("coach"), make_user(), make_user()
    group_id = new_group(teacher, kind="team", lateAfterMinutes=0, allowConcurrent=True)
    add(teacher, group_id, student)
    add(teacher, group_id, other)
    first = created(api("POST", f"/api/groups/{group_id}/sessions", teacher, json={"event": "A"}))
    second = created(api("POST", f"/api/groups/{group_id}/sessions", teacher))
    assert len(group_of(student, group_id)["activeSessions"]) == 2
    time.sleep(0.05)
    reply = created(api("POST", f"/api/sessions/{first['sessionId']}/check-in", student), 200)
    assert reply["status"] == "late"

    # Callables answer as REST does.
    result = call("checkIn", {"sessionId": second["sessionId"]}, student).json()["result"]
    assert result["status"] == "late"
    listed = call("listGroups", {}, student).json()["result"]["groups"]
    assert [g["groupId"] for g in listed] == [group_id]

    assert (
        api("DELETE", f"/api/groups/{group_id}/members/{teacher.uid}", teacher).status_code == 400
    )
    assert api("DELETE", f"/api/groups/{group_id}/members/{other.uid}", student).status_code == 403
    left = api("DELETE", f"/api/groups/{group_id}/members/{student.uid}", student)
    assert left.status_code == 200, left.text
    assert api("GET", f"/api/groups/{group_id}", student).status_code == 404
    assert group_of(teacher, group_id)["memberCount"] == 1


def test_bad_input_names_each_field(make_user):
    teacher, athlete = make_user("coach"), make_user()
    reply = api("POST", "/api/groups", teacher, json={"name": "", "kind": "club", "x": 1})
    assert reply.status_code == 400
    assert {e["field"] for e in reply.json()["errors"]} == {"name", "kind", "x"}
    assert api("POST", "/api/groups", athlete, json={"name": "Mine"}).status_code == 403
    group_id = new_group(teacher)
    both = api("POST", f"/api/groups/{group_id}/members", teacher, json={})
    assert both.status_code == 400
    # No account with that address: invited all the same (the answer does not say; issue 21).
    nobody = api(
        "POST", f"/api/groups/{group_id}/members", teacher, json={"email": "nobody@example.com"}
    )
    assert (nobody.status_code, nobody.json()["status"]) == (201, "pending")
    add(teacher, group_id, athlete)
    dup = api("POST", f"/api/groups/{group_id}/members", teacher, json={"userId": athlete.uid})
    assert dup.status_code == 409
    assert api("GET", "/api/groups/no%20such", teacher).status_code == 404
    assert len(documents(f"groups/{group_id}/members")) == 2


def test_an_edit_cannot_change_a_live_sessions_kind(make_user):
    """Issue 20 (4): a PUT of another sessionType on a running class used to make it "not a live
    group session": it could then not be ended, deleted or replaced."""
    teacher, student = make_user("coach"), make_user()
    group_id = new_group(teacher)
    add(teacher, group_id, student)
    session_id = created(api("POST", f"/api/groups/{group_id}/sessions", teacher))["sessionId"]
    path = f"/api/sessions/{session_id}"
    retyped = api("PUT", path, teacher, json={"sessionType": "Training"})
    assert (retyped.status_code, [e["field"] for e in retyped.json()["errors"]]) == (
        400,
        ["sessionType"],
    )
    renamed = created(
        api("PUT", path, teacher, json={"event": "Optics", "sessionType": "Class"}), 200
    )
    assert (renamed["event"], renamed["sessionType"]) == ("Optics", "Class")
    created(api("POST", f"{path}/check-in", student), 200)
    ended = created(api("POST", f"{path}/end", teacher), 200)
    assert ended["finalStatistics"] == {"present": 1, "absent": 0, "total": 1}
    assert group_of(teacher, group_id)["activeSessions"] == []
    assert api("PUT", path, teacher, json={"sessionType": "Review"}).status_code == 400
    assert api("DELETE", path, teacher).status_code == 200


def test_the_sweep_ends_sessions_left_active(make_user):
    from sessionbase.services.groups import sweep_live_sessions
    from sessionbase.store.client import firestore_client
    from sessionbase.store.work import Store

    teacher, student = make_user("coach"), make_user()
    group_id = new_group(teacher, maxDurationMinutes=1)
    add(teacher, group_id, student)
    session_id = created(api("POST", f"/api/groups/{group_id}/sessions", teacher))["sessionId"]
    store = Store(firestore_client())
    assert sweep_live_sessions(store, datetime.now(UTC)) == []  # not due yet
    later = datetime.now(UTC) + timedelta(minutes=2)
    assert sweep_live_sessions(store, later) == [session_id]
    assert sweep_live_sessions(store, later) == []  # idempotent
    session = created(api("GET", f"/api/sessions/{session_id}", student), 200)
    assert session["status"] == "completed"
    assert session["completedBy"] is None
    assert session["finalStatistics"] == {"present": 0, "absent": 1, "total": 1}
    assert group_of(teacher, group_id)["activeSessions"] == []
    [how] = group_of(teacher, group_id)["recentlyEnded"]
    assert (how["sessionId"], how["endedBy"], how["endedByName"]) == (session_id, None, None)


# The Functions emulator starts one Python worker per request in flight and keeps it (LOCAL-STACK
# §15); a hundred at once on a 2-core machine make workers fail to start ("socket hang up", a 500
# or ECONNRESET: a 500 from the emulator, not from our code, whose 500s carry our JSON body). The
# statistics trigger runs on every check-in as well. So 100 check-ins go from 16 parallel clients,
# and a client whose request died that way sends it again, as a web app would: the retry must be
# answered 200, or 409 if the first attempt had in fact checked in — never counted twice.
PARALLEL_CLIENTS = 16


def lost_by_the_emulator(reply) -> bool:
    """A 500 the Functions emulator made itself (a worker it lost), not our error body."""
    return reply.status_code == 500 and b'"detail"' not in reply.content


def test_concurrent_check_ins_are_counted_exactly(make_user):
    teacher = make_user("coach")
    group_id = new_group(teacher)
    students = [make_user() for _ in range(100)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda s: add(teacher, group_id, s), students))
    session_id = created(api("POST", f"/api/groups/{group_id}/sessions", teacher))["sessionId"]

    def check_in(student) -> str:
        reply = api("POST", f"/api/sessions/{session_id}/check-in", student)
        for _ in range(3):
            if not lost_by_the_emulator(reply):
                break
            reply = api("POST", f"/api/sessions/{session_id}/check-in", student)
            if reply.status_code == 409:  # the lost attempt had checked in
                return "ok"
        return "ok" if reply.status_code == 200 else reply.text

    began, since = time.monotonic(), datetime.now(UTC)
    with ThreadPoolExecutor(PARALLEL_CLIENTS) as pool:
        outcomes = list(pool.map(check_in, students))
    took = time.monotonic() - began
    assert outcomes == ["ok"] * 100
    # An answer may come before the count that includes it, but not the answer of the check-in
    # that claimed that count: once every answer is in, the figures are whole.
    interval = settings.check_in_count_seconds().total_seconds()
    assert group_of(teacher, group_id)["activeSessions"][0]["studentCount"] == 100
    session = created(api("GET", f"/api/sessions/{session_id}", teacher), 200)
    assert session["presentCount"] == 100
    assert len(documents(f"sessions/{session_id}/attendance")) == 100
    # Issue 28: the group and the session were counted once per interval, not per check-in
    # (the adds and the start wrote them before); the gate's shards took the check-ins, and
    # the gate itself a claim an interval (each claim: the one check-in that waited).
    most = math.ceil((time.monotonic() - began) / interval) + 1

    group_writes = writes_audited_since(f"groups/{group_id}", since)
    session_writes = writes_audited_since(f"sessions/{session_id}", since)
    claims = writes_audited_since(f"sessions/{session_id}/live/gate", since)
    print(
        f"100 check-ins in {took:.1f} s: group written {group_writes}, session "
        f"{session_writes}, claims {claims}"
    )
    assert 1 <= group_writes <= min(most, 99)
    assert 1 <= session_writes <= min(most, 99)
    assert claims <= min(most, 99)
    shards = [
        field(shard, "checkIns")
        for shard in documents(f"sessions/{session_id}/live")
        if shard["name"].rsplit("/", 1)[1].startswith("gate-")
    ]
    assert sum(shards) == 100
    assert max(shards) < 100


def test_a_session_opened_before_the_gate_had_shards_still_takes_check_ins(make_user):
    """A class started by the version before the shards (its gate alone) takes check-ins to its
    end after an upgrade, counted as before; the end closes it as any other."""
    teacher, student, later = make_user("coach"), make_user(), make_user()
    group_id = new_group(teacher)
    add(teacher, group_id, student)
    add(teacher, group_id, later)
    session_id = created(api("POST", f"/api/groups/{group_id}/sessions", teacher))["sessionId"]
    for shard in documents(f"sessions/{session_id}/live"):
        if shard["name"].rsplit("/", 1)[1].startswith("gate-"):
            delete_document(shard["name"].split("/documents/", 1)[1])
    created(api("POST", f"/api/sessions/{session_id}/check-in", student), 200)
    assert group_of(teacher, group_id)["activeSessions"][0]["studentCount"] == 1
    assert field(documents(f"sessions/{session_id}/live")[0], "checkIns") == 1
    ended = created(api("POST", f"/api/sessions/{session_id}/end", teacher), 200)
    assert ended["finalStatistics"] == {"present": 1, "absent": 1, "total": 2}
    after = api("POST", f"/api/sessions/{session_id}/check-in", later)
    assert after.status_code == 400
    assert "not active" in after.json()["detail"]


def test_a_check_in_racing_the_end_is_present_or_refused_as_not_active(make_user):
    """Issue 21: a check-in racing the end answered 409 "already checked in" while the member
    was recorded absent (24 of 30 trials with 6 members). Each answer must agree with the
    record: 200 and present (or late), or 400 ``failed-precondition`` and absent; never 409."""
    teacher = make_user("coach")
    group_id = new_group(teacher)
    students = [make_user() for _ in range(6)]
    for student in students:
        add(teacher, group_id, student)
    disagreements = []
    for _ in range(8):
        session_id = created(api("POST", f"/api/groups/{group_id}/sessions", teacher))["sessionId"]

        def check_in(student, session_id=session_id):
            return api("POST", f"/api/sessions/{session_id}/check-in", student)

        def end(session_id=session_id):
            return api("POST", f"/api/sessions/{session_id}/end", teacher)

        with ThreadPoolExecutor(len(students) + 1) as pool:
            ending = pool.submit(end)
            answers = list(pool.map(check_in, students))
        assert ending.result().status_code == 200, ending.result().text
        recorded = {
            d["name"].rsplit("/", 1)[1]: field(d, "status")
            for d in documents(f"sessions/{session_id}/attendance")
        }
        for student, reply in zip(students, answers, strict=True):
            if lost_by_the_emulator(reply):
                continue
            code = reply.json().get("code") if reply.status_code >= 400 else None
            status = recorded.get(student.uid)
            agrees = (reply.status_code == 200 and status in ("present", "late")) or (
                (reply.status_code, code, status) == (400, "failed-precondition", "absent")
            )
            if not agrees:
                disagreements.append((reply.status_code, reply.text[:120], status))
    assert disagreements == []


def active_of(record: dict) -> list[dict]:
    docs = record.get("docs") or [{}]
    return docs[0].get("data", {}).get("activeSessions", [])


def test_a_members_listener_sees_start_check_ins_and_end_live(make_user, listen):
    teacher = make_user("coach")
    members = [make_user() for _ in range(3)]
    outsider = make_user()
    group_id = new_group(teacher)
    for member in members:
        add(teacher, group_id, member)
    target = {"name": "group", "doc": f"groups/{group_id}", "snapshots": 6}
    watching = listen(members[0], [target])
    denied = listen(outsider, [{"name": "group", "doc": f"groups/{group_id}"}])
    assert active_of(watching.answer("group", 1)) == []

    def step(n: int, request) -> dict:
        sent = time.time()
        request()
        record = watching.answer("group", n)
        assert record["at"] / 1000 - sent < LIVE_WITHIN, f"snapshot {n} took too long"
        return record

    start = step(2, lambda: api("POST", f"/api/groups/{group_id}/sessions", teacher))
    [entry] = active_of(start)
    session_id = entry["sessionId"]
    assert (entry["teacherId"], entry["studentCount"]) == (teacher.uid, 0)
    for n, member in enumerate(members, start=1):
        record = step(
            2 + n, lambda m=member: api("POST", f"/api/sessions/{session_id}/check-in", m)
        )
        assert [e["studentCount"] for e in active_of(record)] == [n]
    end = step(6, lambda: api("POST", f"/api/sessions/{session_id}/end", teacher))
    assert active_of(end) == []
    assert watching.finish()
    refused = denied.finish()["group"]
    assert [(r["ok"], r.get("code")) for r in refused] == [(False, "permission-denied")]


@pytest.mark.parametrize("route", ["/api/groups/g/sessions", "/api/sessions/s/check-in"])
def test_signed_out_callers_are_refused(backend, route):
    assert api("POST", route).status_code == 401
