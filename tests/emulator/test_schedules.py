"""Schedules and occurrences over HTTP: the upcoming list, and an occurrence becoming a session."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from devtools.emulators import api, documents, join_group
from tests.uploads import linked, ok, session_of

WEEK = {"from": "2027-01-04", "to": "2027-01-10"}  # Monday to Sunday


def schedule(coach, **audience) -> str:
    body = {"title": "Batch 1", "weekdays": ["MO", "WE", "FR"], "startTime": "09:30",
            "durationMinutes": 75, "timezone": "Europe/Paris", "startDate": "2027-01-01",
            **audience}  # fmt: skip
    return ok(api("POST", "/api/schedules", coach, json=body), 201)["scheduleId"]


def stored_ids() -> set[str]:
    return {document["name"].rsplit("/", 1)[1] for document in documents("sessions")}


def occurrences(user, window=WEEK) -> list[dict]:
    return ok(api("GET", "/api/occurrences", user, params=window))["occurrences"]


def test_upcoming_occurrences_then_complete_one_and_it_is_a_session(make_user):
    coach, athlete = linked(make_user)
    schedule_id = schedule(coach, athleteId=athlete.uid)
    one_off = {"athleteId": athlete.uid, "event": "Extra", "scheduledStart": "2027-01-07T10:00:00Z",
               "scheduledEnd": "2027-01-07T11:00:00Z"}  # fmt: skip
    extra_id = ok(api("POST", "/api/sessions", coach, json=one_off), 201)["sessionId"]
    listed = occurrences(athlete)
    assert [(o["sessionId"], o["start"][:16], o["status"]) for o in listed] == [
        (f"{schedule_id}_20270104", "2027-01-04T08:30", "scheduled"),
        (f"{schedule_id}_20270106", "2027-01-06T08:30", "scheduled"),
        (extra_id, "2027-01-07T10:00", "scheduled"),
        (f"{schedule_id}_20270108", "2027-01-08T08:30", "scheduled"),
    ]
    assert occurrences(coach) == listed
    monday = listed[0]["sessionId"]
    # Viewing an occurrence shows it without making it a session.
    viewed = session_of(athlete, monday)
    assert (viewed["status"], viewed["scheduleId"], viewed["event"]) == (
        "scheduled",
        schedule_id,
        "Batch 1",
    )
    assert monday not in stored_ids()
    # Completing it makes it a session, completed.
    body = {"actualStart": "2027-01-04T08:35:00Z", "actualEnd": "2027-01-04T09:50:00Z"}
    done = ok(api("POST", f"/api/sessions/{monday}/complete", coach, json=body))
    assert (done["sessionId"], done["status"], done["scheduleId"]) == (
        monday,
        "completed",
        schedule_id,
    )
    assert [o["status"] for o in occurrences(athlete)] == [
        "completed",
        "scheduled",
        "scheduled",
        "scheduled",
    ]
    # The athlete is not its manager, but may write a note: that touches Wednesday too.
    wednesday = listed[1]["sessionId"]
    ok(
        api("POST", f"/api/sessions/{wednesday}/notes", athlete, json={"text": "I will be late"}),
        201,
    )
    assert session_of(coach, wednesday)["sessionNotes"][0]["text"] == "I will be late"


def test_group_schedules_reach_members_and_nobody_else(make_user):
    owner, member, outsider = make_user("coach"), make_user(), make_user()
    group_id = ok(
        api("POST", "/api/groups", owner, json={"name": "Course", "kind": "course"}), 201
    )["groupId"]
    join_group(owner, group_id, member, by="userId")
    schedule_id = schedule(owner, groupId=group_id)
    seen = occurrences(member)
    assert [o["sessionId"] for o in seen] == [
        f"{schedule_id}_{day}" for day in ("20270104", "20270106", "20270108")
    ]
    assert {(o["groupId"], o["title"]) for o in seen} == {(group_id, "Batch 1")}
    assert occurrences(outsider) == []
    friday = seen[2]["sessionId"]
    touched = api("POST", f"/api/sessions/{friday}/notes", outsider, json={"text": "hi"})
    assert touched.status_code == 404
    assert api("GET", f"/api/sessions/{friday}", outsider).status_code == 404
    assert friday not in stored_ids()
    # Two members' first touches at once make one session.
    other = make_user()
    join_group(owner, group_id, other, by="userId")
    with ThreadPoolExecutor(2) as pool:
        replies = list(
            pool.map(
                lambda user: api("POST", f"/api/sessions/{friday}/notes", user, json={"text": "x"}),
                (member, other),
            )
        )
    assert [r.status_code for r in replies] == [201, 201]
    assert len(session_of(owner, friday)["sessionNotes"]) == 2
    # A date the schedule does not produce names no occurrence.
    assert api("GET", f"/api/sessions/{schedule_id}_20270105", member).status_code == 404


def test_who_may_schedule_and_bad_windows(make_user):
    coach, athlete = linked(make_user)
    stranger = make_user()
    body = {"title": "T", "weekdays": ["MO"], "startTime": "09:30", "durationMinutes": 30,
            "timezone": "Europe/Paris", "startDate": "2027-01-01"}  # fmt: skip
    refused = api("POST", "/api/schedules", athlete, json={**body, "athleteId": athlete.uid})
    assert refused.status_code == 403
    unlinked = api("POST", "/api/schedules", coach, json={**body, "athleteId": stranger.uid})
    assert (unlinked.status_code, [e["field"] for e in unlinked.json()["errors"]]) == (
        403,
        ["athleteId"],
    )
    no_group = api("POST", "/api/schedules", coach, json={**body, "groupId": "no-such-group"})
    assert [e["field"] for e in no_group.json()["errors"]] == ["groupId"]
    bad = api(
        "POST",
        "/api/schedules",
        coach,
        json={**body, "timezone": "Mars/Olympus", "athleteId": athlete.uid},
    )
    assert [e["field"] for e in bad.json()["errors"]] == ["timezone"]
    backwards = api(
        "GET", "/api/occurrences", coach, params={"from": "2027-02-01", "to": "2027-01-01"}
    )
    assert [e["field"] for e in backwards.json()["errors"]] == ["to"]
    assert documents("schedules") == []


def test_a_refused_request_on_an_occurrence_writes_nothing(make_user):
    """Issue 20 (2): an occurrence becomes a session only once the operation is allowed and its
    input valid; a refusal (403, 400) leaves it untouched."""
    coach, athlete = linked(make_user)
    member = make_user()
    group_id = ok(
        api("POST", "/api/groups", coach, json={"name": "Course", "kind": "course"}), 201
    )["groupId"]
    join_group(coach, group_id, member, by="userId")
    own = f"{schedule(coach, athleteId=athlete.uid)}_20270104"
    group = f"{schedule(coach, groupId=group_id)}_20270104"
    completion = {"actualStart": "2027-01-04T08:35:00Z", "actualEnd": "2027-01-04T09:50:00Z"}
    video = {"fileName": "a.mp4", "contentType": "video/mp4", "size": 10, "kind": "video"}
    html = {"fileName": "a.html", "contentType": "text/html", "size": 10, "kind": "attachment"}
    refusals = [
        (user, method, f"/api/sessions/{occurrence}{suffix}", body, status)
        for user, occurrence in ((athlete, own), (member, group))
        for method, suffix, body, status in (
            ("POST", "/complete", completion, 403),
            ("POST", "/cancel", {"reason": "ill"}, 403),
            ("PUT", "", {"event": "Mine now"}, 403),
            ("POST", "/upload", video, 403),
        )
    ] + [(athlete, "POST", f"/api/sessions/{own}/upload", html, 400)]
    for user, method, path, body, status in refusals:
        reply = api(method, path, user, json=body)
        assert reply.status_code == status, (method, path, reply.text)
        assert stored_ids() == set(), f"{method} {path} ({status}) made the occurrence a session"
    # Allowed, the same requests make it a session: the coach's upload URL, a member's note.
    ok(api("POST", f"/api/sessions/{own}/upload", coach, json=video))
    ok(api("POST", f"/api/sessions/{group}/notes", member, json={"text": "here"}), 201)
    assert stored_ids() == {own, group}


def test_windows_and_occurrences_near_the_date_limits_are_400_never_500(make_user):
    """Issue 20: an OverflowError in domain/schedules.py answered 500 near year 1 and 9999, and
    year 1 gave the id ``{sid}_10104`` (not zero-padded)."""
    from devtools.emulators import call

    coach, athlete = linked(make_user)
    for window in (
        {"from": "9999-12-29", "to": "9999-12-30"},
        {"from": "0001-01-02"},
        {"from": "9999-12-30T23:00:00Z"},
        {"to": "0001-01-02"},
    ):
        reply = api("GET", "/api/occurrences", athlete, params=window)
        assert reply.status_code == 400, (window, reply.text)
        assert {e["field"] for e in reply.json()["errors"]} == set(window), window
        by_callable = call("listOccurrences", window, athlete).json()["error"]
        assert by_callable["status"] == "INVALID_ARGUMENT", window
    # The last days of the range list their occurrences, with 8-digit dates in their ids.
    body = {"title": "T", "weekdays": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
            "startTime": "09:30", "durationMinutes": 30, "timezone": "Europe/Paris",
            "startDate": "2100-12-30", "athleteId": athlete.uid}  # fmt: skip
    schedule_id = ok(api("POST", "/api/schedules", coach, json=body), 201)["scheduleId"]
    last = occurrences(athlete, {"from": "2100-12-30", "to": "2100-12-31"})
    assert [o["sessionId"] for o in last] == [f"{schedule_id}_21001230", f"{schedule_id}_21001231"]
    # Sessions, schedules and notes cannot be dated in year 9999 (or year 1).
    for far in ("9999-12-30", "0001-01-02"):
        for bad in ({"startDate": far}, {"endDate": far}):
            refused = api("POST", "/api/schedules", coach, json={**body, **bad})
            assert [e["field"] for e in refused.json()["errors"]] == list(bad)
        created = api("POST", "/api/sessions", athlete, json={"date": far})
        assert [e["field"] for e in created.json()["errors"]] == ["date"]
        moment = f"{far}T10:00:00Z"
        created = api("POST", "/api/sessions", athlete, json={"scheduledStart": moment})
        assert [e["field"] for e in created.json()["errors"]] == ["scheduledStart"]
    for day in ("99991231", "00010104"):
        reply = api("POST", f"/api/sessions/{schedule_id}_{day}/notes", coach, json={"text": "n"})
        assert reply.status_code == 404, reply.text
    assert stored_ids() & {f"{schedule_id}_99991231", f"{schedule_id}_00010104"} == set()


# ---- caps on live schedules (issue 21: an occurrence list reads a bounded number of them) -----

BODY = {"title": "T", "weekdays": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"], "startTime": "09:30",
        "durationMinutes": 30, "timezone": "UTC", "startDate": "2027-01-01"}  # fmt: skip


def seed_schedules(count: int, *, coach_id: str, ended: bool = False, **audience) -> None:
    """``count`` daily schedules written straight to Firestore (what creating them would store);
    ``ended``: their end date is long past, so they no longer count."""
    from datetime import UTC, datetime

    from sessionbase.store.client import firestore_client

    db = firestore_client()
    batch = db.batch()
    fields = {"athleteId": None, "groupId": None, **audience}
    for n in range(count):
        batch.set(
            db.collection("schedules").document(),
            {**BODY, **fields, "title": f"Seeded {n}", "coachId": coach_id, "createdBy": coach_id,
             "endDate": "2020-01-31" if ended else None, "startDate": "2020-01-01" if ended
             else BODY["startDate"], "createdAt": datetime.now(UTC)},
        )  # fmt: skip
        if (n + 1) % 400 == 0:
            batch.commit()
            batch = db.batch()
    batch.commit()


def schedules_where(field: str, value: str) -> int:
    return sum(1 for d in documents("schedules") if field_value(d, field) == value)


def field_value(document: dict, name: str):
    value = document["fields"].get(name, {})
    return value.get("stringValue")


def test_a_coach_runs_at_most_100_live_schedules(make_user):
    coach, athlete = linked(make_user)
    seed_schedules(99, coach_id=coach.uid, athleteId="someone-else")
    seed_schedules(30, coach_id=coach.uid, ended=True, athleteId="someone-else")  # not counted
    ok(api("POST", "/api/schedules", coach, json={**BODY, "athleteId": athlete.uid}), 201)
    refused = api("POST", "/api/schedules", coach, json={**BODY, "athleteId": athlete.uid})
    assert (refused.status_code, refused.json()["code"]) == (400, "failed-precondition")
    assert "100 live schedules" in refused.json()["detail"]
    assert schedules_where("coachId", coach.uid) == 99 + 30 + 1


def test_an_athlete_and_a_group_attend_at_most_their_cap_even_when_racing(make_user):
    coach, athlete = linked(make_user)
    seed_schedules(99, coach_id="another-coach", athleteId=athlete.uid)
    seed_schedules(30, coach_id="another-coach", ended=True, athleteId=athlete.uid)
    body = {**BODY, "athleteId": athlete.uid}
    with ThreadPoolExecutor(4) as pool:
        replies = list(
            pool.map(lambda _: api("POST", "/api/schedules", coach, json=body), range(4))
        )
    assert sorted(r.status_code for r in replies) == [201, 400, 400, 400]
    refused = next(r for r in replies if r.status_code == 400)
    assert [e["field"] for e in refused.json()["errors"]] == ["athleteId"]
    assert "100 live schedules" in refused.json()["detail"]
    assert schedules_where("athleteId", athlete.uid) == 99 + 30 + 1
    group_id = ok(api("POST", "/api/groups", coach, json={"name": "Squad"}), 201)["groupId"]
    seed_schedules(9, coach_id=coach.uid, groupId=group_id)
    ok(api("POST", "/api/schedules", coach, json={**BODY, "groupId": group_id}), 201)
    refused = api("POST", "/api/schedules", coach, json={**BODY, "groupId": group_id})
    assert (refused.status_code, [e["field"] for e in refused.json()["errors"]]) == (
        400,
        ["groupId"],
    )
    assert "10 live schedules" in refused.json()["detail"]
    assert schedules_where("groupId", group_id) == 10
