"""Statistics through the real trigger: every session write, by the API or by the Admin SDK, is
counted by ``count_session_change`` in the Functions emulator (which delivers each event twice),
and the figures must equal a recount from the sessions (the reconcile, used as the oracle).
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest

from devtools.emulators import api, call, sign_in
from devtools.examples import YOGA_SESSION

SETTLE = 40  # seconds for the trigger to catch up with a burst of writes


@pytest.fixture
def db(backend):
    from sessionbase.store.client import firestore_client

    return firestore_client()


def drift(db, uid: str, role: str) -> dict:
    from sessionbase.services.stats import reconcile
    from sessionbase.store.work import Store

    return reconcile(Store(db), uid, role, datetime.now(UTC), repair=False).drift


def settle(db, *people: tuple[str, str]) -> None:
    """Wait until the trigger has counted every write: no drift against a recount."""
    deadline = time.monotonic() + SETTLE
    while True:
        left = {person: drift(db, *person) for person in people}
        if not any(left.values()):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"statistics did not settle: {left}")
        time.sleep(0.5)


def stats_of(user, query: str = "") -> dict:
    reply = api("GET", f"/api/sessions/stats{query}", user)
    assert reply.status_code == 200, reply.text
    return reply.json()["stats"]


def linked(make_user):
    coach, athlete = make_user("coach"), make_user()
    invitation = api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email})
    accepted = api("POST", f"/api/invitations/{invitation.json()['invitationId']}/accept", athlete)
    assert accepted.status_code == 200, accepted.text
    return coach, athlete


def test_the_yoga_seeds_dashboard(make_user, db):
    athlete = make_user()
    assert stats_of(athlete)["totalSessions"] == 0
    assert api("POST", "/api/sessions", athlete, json=YOGA_SESSION).status_code == 201
    settle(db, (athlete.uid, "athlete"))
    figures = stats_of(athlete)
    # The practice counts on the day it started: just after midnight on a Monday (UTC, the
    # athlete's zone) that can be last week's Sunday.
    started = date.fromisoformat(figures["lastSessionAt"])
    this_week = started.isocalendar()[:2] == datetime.now(UTC).date().isocalendar()[:2]
    assert {k: figures[k] for k in ("sessionsThisWeek", "mindfulMinutes", "currentStreak")} == {
        "sessionsThisWeek": 1 if this_week else 0,
        "mindfulMinutes": YOGA_SESSION["duration"],
        "currentStreak": 1,
    }
    assert figures["averageAccuracy"] == YOGA_SESSION["avg_accuracy"]
    # the day it started: today, or yesterday just after midnight
    assert datetime.now(UTC).date() - started <= timedelta(days=1)
    assert call("getSessionStats", {}, athlete).json()["result"]["stats"] == figures


def test_the_athlete_seeds_counts_by_event(make_user, db):
    coach, athlete = linked(make_user)
    ids = []
    for event in ("Vault", "Vault", "Floor", "Bars v2.1"):  # a name with a dot is one key
        body = {"athleteId": athlete.uid, "event": event, "sessionType": "Training"}
        reply = api("POST", "/api/sessions", coach, json=body)
        assert reply.status_code == 201, reply.text
        ids.append(reply.json()["sessionId"])
    settle(db, (athlete.uid, "athlete"), (coach.uid, "coach"))
    renamed = api("PUT", f"/api/sessions/{ids[3]}", coach, json={"event": "Bars v2.2"})
    assert renamed.status_code == 200, renamed.text
    renamed = api("PUT", f"/api/sessions/{ids[3]}", coach, json={"event": "Bars v2.1"})
    assert renamed.status_code == 200, renamed.text
    settle(db, (athlete.uid, "athlete"), (coach.uid, "coach"))
    mine = stats_of(athlete)
    assert (mine["totalSessions"], mine["byEvent"]) == (4, {"Bars v2.1": 1, "Floor": 1, "Vault": 2})
    assert stats_of(coach, f"?athleteId={athlete.uid}") == mine
    theirs = stats_of(coach)
    assert (theirs["byEvent"], theirs["bySessionType"], theirs["athleteCount"]) == (
        {"Bars v2.1": 1, "Floor": 1, "Vault": 2},
        {"Training": 4},
        1,
    )


def random_history(db, rng: random.Random, people: dict[str, list[str]], steps: int) -> list:
    """Random writes to a handful of sessions; returns every (id, record, version) seen."""
    from sessionbase.models.sessions import SessionRecord

    sessions = db.collection("sessions")
    ids = [f"prop-{rng.randrange(10**9)}-{n}" for n in range(6)]
    seen = []
    now = datetime.now(UTC)
    for _ in range(steps):
        sid = rng.choice(ids)
        ref = sessions.document(sid)
        snapshot = ref.get()
        op = rng.choice(["create", "complete", "cancel", "uncancel", "result", "backdate",
                         "reassign", "delete"])  # fmt: skip
        if not snapshot.exists:
            op = "create"
        if op == "create":
            ref.set(
                {
                    "athleteId": rng.choice(people["athletes"]),
                    "coachId": rng.choice(people["coaches"]),
                    "event": rng.choice(["Vault", "Floor", "Beam"]),
                    "sessionType": "Training",
                    "status": "scheduled",
                    "createdAt": now,
                }
            )
        elif op == "delete":
            ref.delete()
        else:
            ref.update(
                {
                    "complete": {"status": "completed", "durationSeconds": rng.randrange(3600)},
                    "cancel": {"status": "cancelled"},
                    "uncancel": {"status": "scheduled"},
                    "result": {"motionIQ": rng.randrange(101), "aclRisk": rng.randrange(101)},
                    "backdate": {"actualStart": now - timedelta(days=rng.randrange(30))},
                    "reassign": {
                        "athleteId": rng.choice(people["athletes"]),
                        "coachId": rng.choice(people["coaches"]),
                    },
                }[op]
            )
        after = ref.get()
        if after.exists:
            seen.append((sid, SessionRecord.model_validate(after.to_dict()), after.update_time))
    return seen


def test_random_histories_count_exactly_whatever_the_delivery(make_user, db):
    """Writes through the real trigger (each event delivered twice by the emulator), plus stale
    events delivered again, late and shuffled: the figures equal a recount, with zero drift."""
    from sessionbase.services.stats import record_change
    from sessionbase.store.work import Store

    rng = random.Random(20261123)
    people = {"athletes": ["prop-a1", "prop-a2"], "coaches": ["prop-c1", "prop-c2"]}
    everyone = [(u, "athlete") for u in people["athletes"]] + [
        (u, "coach") for u in people["coaches"]
    ]
    for _ in range(3):
        seen = random_history(db, rng, people, steps=25)
        stale = [event for event in seen for _ in range(rng.randint(1, 3))]
        rng.shuffle(stale)
        for sid, record, version in stale:  # late and repeated: must change nothing
            record_change(Store(db), sid, record, version)
        settle(db, *everyone)
    counted = sum(stats_of_admin(db, uid, role)["totalSessions"] for uid, role in everyone[:2])
    assert counted == len(list(db.collection("sessions").stream()))


def stats_of_admin(db, uid: str, role: str) -> dict:
    from sessionbase.services.stats import dashboard
    from sessionbase.store.work import Store

    return dashboard(Store(db), uid, role, datetime.now(UTC)).model_dump()


def test_fifty_athletes_completing_at_once_count_exactly_for_their_coach(db):
    coach = "busy-coach"
    refs = [db.collection("sessions").document(f"busy-{n}") for n in range(50)]
    batch = db.batch()
    for n, ref in enumerate(refs):
        batch.set(
            ref,
            {
                "athleteId": f"busy-athlete-{n}",
                "coachId": coach,
                "status": "scheduled",
                "sessionType": "Training",
                "createdAt": datetime.now(UTC),
            },
        )
    batch.commit()
    settle(db, (coach, "coach"))
    with ThreadPoolExecutor(50) as pool:
        list(pool.map(lambda ref: ref.update({"status": "completed", "motionIQ": 70}), refs))
    settle(db, (coach, "coach"))
    figures = stats_of_admin(db, coach, "coach")
    assert (figures["completedSessions"], figures["athleteCount"]) == (50, 50)
    assert figures["averageMotionIQ"] == 70


def test_a_time_zone_change_moves_sessions_to_their_days_there(make_user, db):
    athlete = make_user()
    db.collection("users").document(athlete.uid).set({"timezone": "Pacific/Auckland"})
    start = datetime(2026, 11, 22, 12, 30, tzinfo=UTC)  # the 23rd in Auckland, the 22nd in LA
    db.collection("sessions").document("tz-1").set(
        {
            "athleteId": athlete.uid,
            "status": "completed",
            "actualStart": start,
            "createdAt": start,
        }
    )
    settle(db, (athlete.uid, "athlete"))
    assert stats_of(athlete)["lastSessionAt"] == "2026-11-23"
    db.collection("users").document(athlete.uid).set({"timezone": "America/Los_Angeles"})
    deadline = time.monotonic() + SETTLE
    while stats_of(athlete)["lastSessionAt"] != "2026-11-22":
        assert time.monotonic() < deadline, "the time-zone change was not recounted"
        time.sleep(0.5)
    assert stats_of(athlete)["timezone"] == "America/Los_Angeles"


def test_the_recompute_command_reports_and_repairs_drift(make_user, db):
    from google.cloud.firestore import Increment

    athlete = make_user()
    assert api("POST", "/api/sessions", athlete, json=YOGA_SESSION).status_code == 201
    settle(db, (athlete.uid, "athlete"))
    db.collection("athleteStats").document(athlete.uid).update({"totalSessions": Increment(5)})
    assert stats_of(athlete)["totalSessions"] == 6  # tampered

    def recompute(*flags: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "devtools.recompute_stats", "--uid", athlete.uid]
        return subprocess.run(
            [*command, "--role", "athlete", *flags], capture_output=True, text=True, timeout=60
        )

    dry = recompute("--dry-run")
    assert dry.returncode == 1, dry.stderr
    assert json.loads(dry.stdout)["drift"] == {"totalSessions": -5.0}
    assert stats_of(athlete)["totalSessions"] == 6  # a dry run changes nothing
    assert recompute().returncode == 1  # found drift, repaired it
    assert recompute().returncode == 0
    assert stats_of(athlete)["totalSessions"] == 1


def test_practice_sessions_count_once_ended_with_an_answer_and_their_score(make_user, db):
    """A practice counts when it ends with at least one answer: not while it runs (its running
    score stays out of the average), and one ended with no answers has no score at all."""
    coach, athlete = make_user("coach"), make_user()
    made = api("POST", "/api/exercises", coach, json={"prompt": "2 + 2", "answers": ["4"]})
    exercise_id = made.json()["exercise_id"]
    started = api("POST", "/api/exercises/session/start", athlete, json={"session_type": "test"})
    session_id = started.json()["session_id"]
    for answer in ("4", "4", "4", "5"):
        body = {"exercise_id": exercise_id, "user_answer": answer, "time_taken": 2,
                "session_id": session_id}  # fmt: skip
        assert api("POST", "/api/exercises/submit", athlete, json=body).status_code == 200
    settle(db, (athlete.uid, "athlete"))
    running = stats_of(athlete)
    assert (running["averageScore"], running["completedSessions"]) == (None, 0)
    ended = api("POST", "/api/exercises/session/end", athlete, json={"session_id": session_id})
    assert ended.status_code == 200, ended.text
    settle(db, (athlete.uid, "athlete"))
    figures = stats_of(athlete)
    assert (figures["averageScore"], figures["completedSessions"]) == (75.0, 1)

    empty = api("POST", "/api/exercises/session/start", athlete, json={"session_type": "practice"})
    empty_id = empty.json()["session_id"]
    assert api("POST", "/api/exercises/session/end", athlete, json={"session_id": empty_id}).ok
    assert api("GET", f"/api/sessions/{empty_id}", athlete).json().get("scorePercentage") is None
    settle(db, (athlete.uid, "athlete"))
    after = stats_of(athlete)
    assert (after["totalSessions"], after["completedSessions"]) == (2, 1)
    assert (after["averageScore"], after["mindfulMinutes"]) == (75.0, figures["mindfulMinutes"])


def test_the_reconcile_repairs_practices_counted_by_the_old_definitions(make_user, db):
    """Before issue 20 an ended practice with no answers counted as completed, scoring 0: the
    reconcile recounts such a stored session (scorePercentage 0, itemCount 0) by today's rules."""
    from google.cloud.firestore import Increment

    athlete = make_user()
    start = datetime.now(UTC)
    legacy = {"athleteId": athlete.uid, "createdBy": athlete.uid, "sessionType": "Practice",
              "status": "completed", "actualStart": start, "actualEnd": start,
              "durationSeconds": 0, "itemCount": 0, "correctCount": 0,
              "scorePercentage": 0.0, "createdAt": start}  # fmt: skip
    db.collection("sessions").document(f"legacy-{athlete.uid}").set(legacy)
    settle(db, (athlete.uid, "athlete"))
    # What the old trigger had added for it on top: a completed session scoring 0.
    day = start.date().isoformat()
    db.collection("athleteStats").document(athlete.uid).update(
        {
            "completedSessions": Increment(1),
            "score.sum": Increment(0),
            "score.count": Increment(1),
            f"days.`{day}`.completed": Increment(1),
        }  # fmt: skip
    )
    assert (stats_of(athlete)["averageScore"], stats_of(athlete)["completedSessions"]) == (0.0, 1)
    command = [sys.executable, "-m", "devtools.recompute_stats", "--uid", athlete.uid]
    repaired = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert repaired.returncode == 1, repaired.stderr  # drift found and repaired
    figures = stats_of(athlete)
    assert (figures["averageScore"], figures["completedSessions"]) == (None, 0)
    assert figures["totalSessions"] == 1


# ---- issue 20, item 1: a profile without a time zone, and documents of any shape ---------------


def test_statistics_survive_a_role_change_through_the_api(make_user, db):
    """``POST /api/users/{uid}/role`` writes ``users/{uid}`` without a time zone: the dashboard
    and the trigger read the profile with its defaults (they answered 500 and never counted)."""
    admin = make_user("admin")
    coach, athlete = linked(make_user)
    for user, role in ((athlete, "athlete"), (coach, "coach")):
        changed = api("POST", f"/api/users/{user.uid}/role", admin, json={"role": role})
        assert changed.status_code == 200, changed.text
    athlete, coach = sign_in(athlete.email, athlete.password), sign_in(coach.email, coach.password)
    assert stats_of(athlete)["timezone"] == "UTC"
    assert stats_of(admin, f"?coachId={coach.uid}")["totalSessions"] == 0
    created = api("POST", "/api/sessions", coach, json={"athleteId": athlete.uid, "event": "Vault"})
    assert created.status_code == 201, created.text
    settle(db, (athlete.uid, "athlete"), (coach.uid, "coach"))
    assert stats_of(athlete)["byEvent"] == {"Vault": 1}
    assert stats_of(coach)["athleteCount"] == 1


def firestore_value(value) -> dict:
    """A Python value as Firestore's JSON ``Value`` (what a CloudEvent's document carries)."""
    if value is None:
        return {"nullValue": None}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"integerValue": str(value)}
    if isinstance(value, float):
        # Proto JSON spells the non-finite doubles as strings.
        return {
            "doubleValue": value
            if math.isfinite(value)
            else str(value).replace("inf", "Infinity").replace("nan", "NaN")
        }
    if isinstance(value, datetime):
        return {"timestampValue": value.isoformat().replace("+00:00", "Z")}
    if isinstance(value, list):
        return {"arrayValue": {"values": [firestore_value(v) for v in value]}}
    if isinstance(value, dict):
        return {"mapValue": {"fields": {k: firestore_value(v) for k, v in value.items()}}}
    return {"stringValue": str(value)}


def written(path: str, before: dict | None, after: dict | None, at: datetime):
    """The CloudEvent Firestore sends for a write of ``path`` (JSON encoding)."""
    from cloudevents.http import CloudEvent

    from devtools.emulators import PROJECT

    name = f"projects/{PROJECT}/databases/(default)/documents/{path}"

    def document(fields: dict, updated: datetime) -> dict:
        stamp = updated.isoformat().replace("+00:00", "Z")
        return {"name": name, "fields": {k: firestore_value(v) for k, v in fields.items()},
                "createTime": stamp, "updateTime": stamp}  # fmt: skip

    data = {}
    if before is not None:
        data["oldValue"] = document(before, at - timedelta(seconds=1))
    if after is not None:
        data["value"] = document(after, at)
    attributes = {
        "type": "google.cloud.firestore.document.v1.written",
        "source": f"//firestore.googleapis.com/projects/{PROJECT}/databases/(default)",
        "subject": f"documents/{path}",
        "time": at.isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "location": "us-central1",
        "project": PROJECT,
        "namespace": "(default)",
        "database": "(default)",
        "document": path,
    }
    return CloudEvent(attributes, json.dumps(data))


JUNK_SESSIONS = {
    "empty": {},
    "wrong types": {
        "status": 5,
        "motionIQ": "high",
        "actualStart": "yesterday",
        "sessionType": ["x"],
        "metrics": "junk",
        "date": 20261123,
        "riskLevel": "EXTREME",
        "event": "Vault",
    },  # fmt: skip
    "not finite": {"motionIQ": float("nan"), "aclRisk": 1e308 * 10, "event": "Vault"},
    "people of the wrong type": {"athleteId": 42, "coachId": {"uid": "x"}, "event": "Vault"},
    "nested junk": {"event": {"name": "Vault"}, "durationSeconds": "ten", "status": "completed"},
}


@pytest.mark.parametrize("shape", JUNK_SESSIONS)
def test_the_session_trigger_counts_what_is_valid_in_a_document_of_any_shape(db, shape, caplog):
    from sessionbase.handlers.triggers import count_session_change
    from sessionbase.services.stats import dashboard
    from sessionbase.store.work import Store

    uid = f"junk-{shape.replace(' ', '-')}-{random.randrange(10**9)}"
    sid = f"s-{uid}"
    document = {"athleteId": uid, "createdAt": datetime.now(UTC), **JUNK_SESSIONS[shape]}
    at = datetime.now(UTC)
    count_session_change(written(f"sessions/{sid}", None, document, at))
    count_session_change(written(f"sessions/{sid}", document, document, at))  # delivered again
    figures = dashboard(Store(db), uid, "athlete", datetime.now(UTC))
    counted = 0 if shape == "people of the wrong type" else 1
    assert figures.totalSessions == counted
    if counted and "event" in document and isinstance(document["event"], str):
        assert figures.byEvent == {"Vault": 1}
    assert figures.averageMotionIQ is None
    assert db.collection("statsContributions").document(sid).get().exists
    count_session_change(written(f"sessions/{sid}", document, None, at + timedelta(seconds=1)))
    assert dashboard(Store(db), uid, "athlete", datetime.now(UTC)).totalSessions == 0


def test_the_session_trigger_overwrites_an_unreadable_contribution(db):
    from sessionbase.handlers.triggers import count_session_change

    uid = f"junk-contribution-{random.randrange(10**9)}"
    sid = f"s-{uid}"
    db.collection("statsContributions").document(sid).set({"version": "junk", "counters": 5})
    session = {"athleteId": uid, "status": "scheduled", "createdAt": datetime.now(UTC)}
    count_session_change(written(f"sessions/{sid}", None, session, datetime.now(UTC)))
    stored = db.collection("statsContributions").document(sid).get().to_dict()
    assert (stored["athleteId"], stored["counters"]["totalSessions"]) == (uid, 1)


JUNK_PROFILES = {
    "a role change's profile": ({"timezone": "Pacific/Auckland"}, {"role": "athlete"}),
    "a number": ({"timezone": "Pacific/Auckland"}, {"timezone": 5}),
    "a map": ({"timezone": "Pacific/Auckland"}, {"timezone": {"name": "UTC"}, "role": 7}),
    "an unknown zone": ({"timezone": "Pacific/Auckland"}, {"timezone": "Mars/Olympus"}),
    "deleted": ({"timezone": "Pacific/Auckland", "role": ["x"]}, None),
}


@pytest.mark.parametrize("shape", JUNK_PROFILES)
def test_the_time_zone_trigger_recounts_in_utc_for_a_profile_of_any_shape(db, shape):
    """The recount reads the profile with its defaults, and sessions of any shape among the
    person's own: a malformed session of theirs is counted for what is valid in it."""
    from sessionbase.handlers.triggers import count_session_change, recount_on_timezone_change
    from sessionbase.services.stats import dashboard
    from sessionbase.store.work import Store

    uid = f"tz-{random.randrange(10**9)}"
    before, after = JUNK_PROFILES[shape]
    users = db.collection("users").document(uid)
    users.set(before)
    start = datetime(2026, 11, 22, 12, 30, tzinfo=UTC)  # the 23rd in Auckland
    good = {"athleteId": uid, "status": "completed", "actualStart": start, "createdAt": start}
    db.collection("sessions").document(f"good-{uid}").set(good)
    junk = {"athleteId": uid, "status": 5, "motionIQ": "high", "createdAt": start}
    db.collection("sessions").document(f"junk-{uid}").set(junk)
    count_session_change(written(f"sessions/junk-{uid}", None, junk, datetime.now(UTC)))
    deadline = time.monotonic() + SETTLE
    while stats_of_admin(db, uid, "athlete")["lastSessionAt"] != date(2026, 11, 23):
        assert time.monotonic() < deadline, "the sessions were not counted in Auckland"
        time.sleep(0.5)
    if after is None:
        users.delete()
    else:
        users.set(after)
    recount_on_timezone_change(written(f"users/{uid}", before, after, datetime.now(UTC)))
    # The deployed triggers see the same writes (each delivered twice) and may land after this
    # recount; whatever their order, the figures settle in UTC.
    deadline = time.monotonic() + SETTLE
    while True:
        figures = dashboard(Store(db), uid, "athlete", datetime.now(UTC))
        settled = (figures.lastSessionAt.isoformat(), figures.totalSessions) == ("2026-11-22", 2)
        if settled or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert (figures.lastSessionAt.isoformat(), figures.totalSessions) == ("2026-11-22", 2)
    assert figures.timezone == "UTC"


def test_the_reconcile_counts_sessions_the_trigger_lost(db):
    """Sessions whose events were lost (the trigger crashed on a profile without a time zone
    before issue 20): the daily reconcile finds their people, who have no statistics yet, and
    counts them; ``recompute_stats --all`` does the same, also past a person whose session has
    an event Firestore refuses as a field name (it once crashed there, before them)."""
    uid, coach = f"lost-{random.randrange(10**9)}", f"lost-coach-{random.randrange(10**9)}"
    reserved = f"a-reserved-{random.randrange(10**9)}"  # sorted before the lost ones
    db.collection("sessions").document(f"s-{reserved}").set(
        {
            "athleteId": reserved,
            "status": "completed",
            "event": "__x__",
            "createdAt": datetime.now(UTC),
        }  # fmt: skip
    )
    db.collection("users").document(uid).set({"role": "athlete"})
    session = {"athleteId": uid, "coachId": coach, "status": "completed", "event": "Floor",
               "createdAt": datetime.now(UTC)}  # fmt: skip
    db.collection("sessions").document(f"lost-{uid}").set(session)
    settle(db, (uid, "athlete"), (coach, "coach"))
    # Lose it: no contribution, no counters, as if the trigger had never run.
    db.collection("statsContributions").document(f"lost-{uid}").delete()
    db.recursive_delete(db.collection("athleteStats").document(uid))
    db.recursive_delete(db.collection("coachStats").document(coach))
    assert stats_of_admin(db, uid, "athlete")["totalSessions"] == 0
    command = [sys.executable, "-m", "devtools.recompute_stats", "--all"]
    repaired = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert repaired.returncode in (0, 1), repaired.stderr  # 2: someone not reconciled
    assert "Traceback" not in repaired.stderr, repaired.stderr
    reports = [json.loads(line) for line in repaired.stdout.splitlines()]
    assert {(r["uid"], r["role"]) for r in reports} >= {(uid, "athlete"), (coach, "coach")}
    assert not [r for r in reports if r["uid"] == reserved and r["error"]]
    assert stats_of_admin(db, uid, "athlete")["byEvent"] == {"Floor": 1}
    assert stats_of_admin(db, coach, "coach")["completedSessions"] == 1
    assert stats_of_admin(db, reserved, "athlete")["byEvent"] == {"__x__": 1}


RESERVED_EVENTS = ("__x__", "__name__", "__.__")  # Firestore refuses these as field names


def noted_for(uid: str):
    from google.cloud.firestore import FieldFilter

    return FieldFilter("athleteId", "==", uid)


def test_an_event_named_like_a_reserved_field_counts_like_any_other(make_user, db):
    """An ``event`` such as ``__x__`` once became the map key ``byEvent.__x__``: the trigger
    failed, the session was never counted, and a time-zone recount stopped halfway."""
    coach, athlete = linked(make_user)
    for event in (*RESERVED_EVENTS, "Vault"):
        body = {"athleteId": athlete.uid, "event": event, "sessionType": "Training"}
        reply = api("POST", "/api/sessions", coach, json=body)
        assert reply.status_code == 201, reply.text
    settle(db, (athlete.uid, "athlete"), (coach.uid, "coach"))
    expected = dict.fromkeys((*RESERVED_EVENTS, "Vault"), 1)
    mine = stats_of(athlete)
    assert (mine["totalSessions"], mine["byEvent"]) == (4, expected)
    assert stats_of(coach)["byEvent"] == expected
    assert not db.collection("statsFailures").where(filter=noted_for(athlete.uid)).get()
    # A time-zone change recounts every one of them into the new zone's days.
    profile = db.collection("users").document(athlete.uid)
    profile.set({"timezone": "Pacific/Kiritimati"}, merge=True)
    deadline = time.monotonic() + SETTLE
    while stats_of(athlete)["timezone"] != "Pacific/Kiritimati" or drift(
        db, athlete.uid, "athlete"
    ):
        assert time.monotonic() < deadline, "the time-zone change was not recounted"
        time.sleep(0.5)
    assert stats_of(athlete)["byEvent"] == expected


def test_a_session_the_trigger_cannot_count_leaves_a_record_the_reconcile_repairs(db, monkeypatch):
    """A failure counting one session is recorded in ``statsFailures/{sessionId}`` (the trigger
    does not crash); the reconcile recounts it and removes the record."""
    from sessionbase.handlers.triggers import count_session_change
    from sessionbase.services import stats
    from sessionbase.store.stats import Stats

    uid = f"failing-{random.randrange(10**9)}"
    sid = f"s-{uid}"
    session = {"athleteId": uid, "status": "completed", "event": "Floor",
               "createdAt": datetime.now(UTC)}  # fmt: skip
    broken = Stats.add

    def add(self, who, role, session_id, changes):
        if who == uid:
            raise RuntimeError("the counters could not be written")
        return broken(self, who, role, session_id, changes)

    monkeypatch.setattr(Stats, "add", add)
    count_session_change(written(f"sessions/{sid}", None, session, datetime.now(UTC)))
    failure = db.collection("statsFailures").document(sid).get()
    assert failure.exists
    assert "could not be written" in failure.to_dict()["error"]
    assert stats_of_admin(db, uid, "athlete")["totalSessions"] == 0
    monkeypatch.setattr(Stats, "add", broken)
    db.collection("sessions").document(sid).set(session)  # as it is now; its trigger counts it
    from sessionbase.store.work import Store

    retried = stats.retry_failures(Store(db), datetime.now(UTC))
    assert sid in retried
    assert not db.collection("statsFailures").document(sid).get().exists
    assert stats_of_admin(db, uid, "athlete")["byEvent"] == {"Floor": 1}


def test_one_person_the_reconcile_cannot_repair_stops_nobody_after_them(db, monkeypatch):
    """Each person is reconciled on their own: a failure is reported (and logged) for them,
    and everyone after them is still repaired."""
    from sessionbase.services import stats
    from sessionbase.store.work import Store

    first, second = (f"{n}-guard-{random.randrange(10**9)}" for n in "ab")
    for uid in (first, second):
        session = {"athleteId": uid, "status": "completed", "createdAt": datetime.now(UTC)}
        db.collection("sessions").document(f"s-{uid}").set(session)
    settle(db, (first, "athlete"), (second, "athlete"))
    db.collection("athleteStats").document(second).update({"totalSessions": 0})
    reconcile = stats.reconcile

    def failing(store, uid, role, now, **flags):
        if uid == first:
            raise RuntimeError("this person cannot be reconciled")
        return reconcile(store, uid, role, now, **flags)

    monkeypatch.setattr(stats, "reconcile", failing)
    reports = list(stats.reconcile_people(Store(db), [(first, "athlete"), (second, "athlete")],
                                          datetime.now(UTC)))  # fmt: skip
    assert [(r.uid, r.error is not None) for r in reports] == [(first, True), (second, False)]
    assert "cannot be reconciled" in reports[0].error
    assert stats_of_admin(db, second, "athlete")["totalSessions"] == 1
