"""Statistics through the real trigger: every session write, by the API or by the Admin SDK, is
counted by ``count_session_change`` in the Functions emulator (which delivers each event twice),
and the figures must equal a recount from the sessions (the reconcile, used as the oracle).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from devtools.emulators import api, call
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
    assert {k: figures[k] for k in ("sessionsThisWeek", "mindfulMinutes", "currentStreak")} == {
        "sessionsThisWeek": 1,
        "mindfulMinutes": YOGA_SESSION["duration"],
        "currentStreak": 1,
    }
    assert figures["averageAccuracy"] == YOGA_SESSION["avg_accuracy"]
    assert figures["lastSessionAt"] == datetime.now(UTC).date().isoformat()
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


def test_practice_sessions_count_once_ended_with_their_score(make_user, db):
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
    ended = api("POST", "/api/exercises/session/end", athlete, json={"session_id": session_id})
    assert ended.status_code == 200, ended.text
    settle(db, (athlete.uid, "athlete"))
    figures = stats_of(athlete)
    assert figures["averageScore"] == 75.0
    assert figures["completedSessions"] == running["completedSessions"] + 1
