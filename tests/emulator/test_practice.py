"""Practice sessions of exercises, replaying the practice seed's own client flow over HTTP."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from devtools.emulators import api, call, documents, field
from tests.uploads import ok

NOT_FOUND = "Session not found or does not belong to user"


def exercise(coach, prompt: str, *answers: str) -> str:
    body = {"prompt": prompt, "answers": list(answers)}
    return ok(api("POST", "/api/exercises", coach, json=body), 201)["exercise_id"]


def start(user, session_type="practice") -> dict:
    return ok(
        api("POST", "/api/exercises/session/start", user, json={"session_type": session_type})
    )


def submit(user, exercise_id: str, answer: str, session_id: str | None = None, **extra):
    body = {"exercise_id": exercise_id, "user_answer": answer, "time_taken": 8, **extra}
    if session_id is not None:
        body["session_id"] = session_id
    return api("POST", "/api/exercises/submit", user, json=body)


def end(user, session_id: str):
    return api("POST", "/api/exercises/session/end", user, json={"session_id": session_id})


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_seeds_practice_session_manager_loop(make_user):
    """start, 15 answers of which 12 are right, end: the seed's own summary, 80.0."""
    coach, athlete = make_user("coach"), make_user()
    verbs = [exercise(coach, f"'to speak', subjunctive {n}", "hable") for n in range(15)]
    started = start(athlete)
    session_id = started["session_id"]
    for n, exercise_id in enumerate(verbs):
        answer = "hable" if n < 12 else "habla"
        result = ok(submit(athlete, exercise_id, answer, session_id))
        assert result == {
            "is_correct": n < 12,
            "correct_answer": "hable",
            "exercise_id": exercise_id,
            "session_id": session_id,
        }
    summary = ok(end(athlete, session_id))
    duration = moment(summary.pop("ended_at")) - moment(summary.pop("started_at"))
    assert summary == {
        "session_id": session_id,
        "duration_seconds": int(duration.total_seconds()),
        "total_exercises": 15,
        "correct_answers": 12,
        "score_percentage": 80.0,
        "session_type": "practice",
    }
    stored = ok(api("GET", f"/api/sessions/{session_id}", athlete))
    assert (stored["status"], stored["sessionType"], stored["itemCount"]) == (
        "completed",
        "Practice",
        15,
    )
    assert (stored["correctCount"], stored["scorePercentage"]) == (12, 80.0)
    items = documents(f"sessions/{session_id}/items")
    assert sorted(field(item, "isCorrect") for item in items) == [False] * 3 + [True] * 12
    # The seed's errors, word for word: an ended session takes no more answers nor a second end.
    late = submit(athlete, verbs[0], "hable", session_id)
    assert (late.status_code, late.json()["detail"]) == (400, "Session is already completed")
    again = end(athlete, session_id)
    assert (again.status_code, again.json()["detail"]) == (400, "Session is already completed")
    assert ok(api("GET", f"/api/sessions/{session_id}", athlete))["itemCount"] == 15


def test_a_running_score_and_someone_elses_session(make_user):
    coach, athlete, other = make_user("coach"), make_user(), make_user()
    exercise_id = exercise(coach, "2 + 2", "4", "four")
    session_id = start(athlete, "review")["session_id"]
    ok(submit(athlete, exercise_id, " FOUR ", session_id))
    ok(submit(athlete, exercise_id, "5", session_id))
    running = ok(api("GET", f"/api/sessions/{session_id}", athlete))
    assert (running["status"], running["sessionType"], running["scorePercentage"]) == (
        "active",
        "Review",
        50.0,
    )
    for reply in (submit(other, exercise_id, "4", session_id), end(other, session_id)):
        assert (reply.status_code, reply.json()["detail"]) == (404, NOT_FOUND)
    unknown = submit(athlete, exercise_id, "4", "no-such-session")
    assert (unknown.status_code, unknown.json()["detail"]) == (404, NOT_FOUND)
    assert ok(api("GET", f"/api/sessions/{session_id}", athlete))["itemCount"] == 2


def test_answers_are_compared_trimmed_nfc_and_without_case_but_with_accents(make_user):
    coach, athlete = make_user("coach"), make_user()
    exercise_id = exercise(coach, "coffee, in French", "Café")
    session_id = start(athlete)["session_id"]
    verdicts = {
        answer: ok(submit(athlete, exercise_id, answer, session_id))["is_correct"]
        for answer in ("  café ", "CAFÉ", "cafe\u0301", "cafe", "caff")
    }
    assert verdicts == {
        "  café ": True,
        "CAFÉ": True,
        "cafe\u0301": True,
        "cafe": False,
        "caff": False,
    }


def test_without_a_session_id_an_answer_is_a_standalone_completed_session(make_user):
    coach, athlete = make_user("coach"), make_user()
    exercise_id = exercise(coach, "capital of France", "Paris")
    result = ok(submit(athlete, exercise_id, "paris"))
    standalone = ok(api("GET", f"/api/sessions/{result['session_id']}", athlete))
    assert (standalone["status"], standalone["itemCount"], standalone["correctCount"]) == (
        "completed",
        1,
        1,
    )
    assert (standalone["scorePercentage"], standalone["durationSeconds"]) == (100.0, 8)


def own_sessions(user) -> list[str]:
    """The ids of every session the user is the athlete of, as stored."""
    return [
        d["name"].rsplit("/", 1)[1]
        for d in documents("sessions")
        if field(d, "athleteId") == user.uid
    ]


def test_a_repeated_standalone_submit_with_its_attempt_id_is_one_session(make_user):
    """Issue 21: the same ``attempt_id`` without ``session_id`` once made a session per call."""
    coach, athlete = make_user("coach"), make_user()
    exercise_id = exercise(coach, "capital of Italy", "Rome")
    attempt = uuid.uuid4().hex
    first = ok(submit(athlete, exercise_id, "rome", attempt_id=attempt))
    again = ok(submit(athlete, exercise_id, "rome", attempt_id=attempt))
    assert again["session_id"] == first["session_id"]
    assert own_sessions(athlete) == [first["session_id"]]
    other = ok(submit(athlete, exercise_id, "rome", attempt_id=uuid.uuid4().hex))
    assert other["session_id"] != first["session_id"]
    someone = ok(submit(make_user(), exercise_id, "rome", attempt_id=attempt))
    assert someone["session_id"] != first["session_id"]  # attempt ids are the caller's own


def test_standalone_submits_are_bounded_per_caller_per_hour(make_user):
    """Issue 21: each standalone submit is a new session; a caller makes at most 60 an hour."""
    coach, athlete = make_user("coach"), make_user()
    exercise_id = exercise(coach, "capital of Spain", "Madrid")
    for _ in range(60):
        ok(submit(athlete, exercise_id, "madrid"))
    refused = submit(athlete, exercise_id, "madrid")
    assert (refused.status_code, refused.json()["code"]) == (429, "resource-exhausted")
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert len(own_sessions(athlete)) == 60
    answer = {"exercise_id": exercise_id, "user_answer": "x", "time_taken": 1}
    by_callable = call("submitAnswer", answer, athlete)
    assert by_callable.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    # Answers within a session are not standalone sessions: not bounded by this limit.
    session_id = start(athlete)["session_id"]
    ok(submit(athlete, exercise_id, "madrid", session_id))
    ok(submit(make_user(), exercise_id, "madrid"))  # another caller has their own bound


def test_bad_requests_are_refused_and_write_nothing(make_user):
    coach, athlete = make_user("coach"), make_user()
    bad_type = api("POST", "/api/exercises/session/start", athlete, json={"session_type": "exam"})
    assert (bad_type.status_code, bad_type.json()["detail"]) == (
        400,
        "Invalid session_type. Must be one of: practice, review, test",
    )
    refused = api("POST", "/api/exercises", athlete, json={"prompt": "p", "answers": ["a"]})
    assert (refused.status_code, refused.json()["code"]) == (403, "permission-denied")
    empty = api("POST", "/api/exercises", coach, json={"prompt": " ", "answers": []})
    assert {e["field"] for e in empty.json()["errors"]} == {"prompt", "answers"}
    session_id = start(athlete)["session_id"]
    body = {"exercise_id": "x/y", "time_taken": -1, "session_id": session_id}
    bad = api("POST", "/api/exercises/submit", athlete, json=body)
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {
        "exercise_id",
        "time_taken",
        "user_answer",
    }
    missing = submit(athlete, "no-such-exercise", "a", session_id)
    assert [e["field"] for e in missing.json()["errors"]] == ["exercise_id"]
    assert documents(f"sessions/{session_id}/items") == []
    assert ok(api("GET", f"/api/sessions/{session_id}", athlete))["itemCount"] == 0


def test_the_callables_answer_as_their_rest_twins(make_user):
    coach, athlete = make_user("coach"), make_user()
    exercise_id = call("createExercise", {"prompt": "1 + 1", "answers": ["2"]}, coach).json()
    exercise_id = exercise_id["result"]["exercise_id"]
    started = call("startPracticeSession", {"session_type": "test"}, athlete).json()["result"]
    body = {"exercise_id": exercise_id, "user_answer": "2", "time_taken": 3,
            "session_id": started["session_id"]}  # fmt: skip
    assert call("submitAnswer", body, athlete).json()["result"]["is_correct"] is True
    summary = call("endPracticeSession", {"session_id": started["session_id"]}, athlete).json()
    assert summary["result"]["session_type"] == "test"
    assert summary["result"]["score_percentage"] == 100.0


# As in the check-in test (test_live_sessions.py): the Functions emulator loses some requests of a
# burst on a 2-core machine; a client sends such a request again, with the same attempt_id, which
# makes the retry count once.
PARALLEL_CLIENTS = 16


def test_200_concurrent_answers_count_exactly(make_user):
    coach, athlete = make_user("coach"), make_user()
    exercise_id = exercise(coach, "3 x 3", "9")
    session_id = start(athlete)["session_id"]

    def answer(n: int) -> str:
        extra = {"attempt_id": f"a{n}-{uuid.uuid4().hex[:8]}"}
        text = "9" if n % 4 else "6"  # one in four wrong
        for _ in range(4):
            reply = submit(athlete, exercise_id, text, session_id, **extra)
            if reply.status_code == 200:
                return "ok"
            contention = reply.status_code == 409 and reply.json()["code"] == "aborted"
            lost = reply.status_code == 500 and b'"detail"' not in reply.content
            if not (contention or lost):
                return reply.text
        return reply.text

    with ThreadPoolExecutor(PARALLEL_CLIENTS) as pool:
        outcomes = list(pool.map(answer, range(200)))
    assert outcomes == ["ok"] * 200
    summary = ok(end(athlete, session_id))
    assert (summary["total_exercises"], summary["correct_answers"]) == (200, 150)
    assert summary["score_percentage"] == 75.0
    assert len(documents(f"sessions/{session_id}/items")) == 200


def test_bad_ends_name_their_field(make_user):
    athlete = make_user()
    missing = api("POST", "/api/exercises/session/end", athlete, json={})
    assert [e["field"] for e in missing.json()["errors"]] == ["session_id"]
    numeric = api("POST", "/api/exercises/session/end", athlete, json={"session_id": 42})
    assert [e["field"] for e in numeric.json()["errors"]] == ["session_id"]
    extra = api(
        "POST", "/api/exercises/session/start", athlete, json={"session_type": "test", "x": 1}
    )
    assert [e["field"] for e in extra.json()["errors"]] == ["x"]
