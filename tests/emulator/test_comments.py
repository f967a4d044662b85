"""Timestamped comments with drawings on a session's video (issue 24), over HTTP as the web app
sends them: who may add, read, edit, delete and resolve; order by time; one level of replies;
bad input named and nothing written; a replaced video keeps its comments, marked; the same
Idempotency-Key makes one comment; a second client's listener (the JS SDK, as a real user)
receives a new comment live."""

from __future__ import annotations

import time

from devtools.emulators import api, call, documents
from devtools.videos import clip
from tests.uploads import analysed, linked, new_session, ok, session_of, upload

FRAME_RED = "#ff0000"


def comments_path(session_id: str) -> str:
    return f"/api/sessions/{session_id}/comments"


def add(user, session_id: str, headers: dict | None = None, **body):
    return api("POST", comments_path(session_id), user, json=body, headers=headers or {})


def listed(user, session_id: str) -> list[dict]:
    return ok(api("GET", comments_path(session_id), user))["comments"]


def stored(session_id: str) -> list[dict]:
    return documents(f"sessions/{session_id}/comments")


def with_video(coach, session_id: str, seconds: float = 2.0) -> dict:
    """Upload a real clip to the session and wait for its analysis: the session after it."""
    upload(coach, session_id, clip(seconds=seconds, width=160, height=96))
    session = analysed(coach, session_id)
    assert session["analysisStatus"] == "completed", session
    return session


def length_ms(session: dict) -> int:
    """The video's length as the API bounds ``atMs``: its measured duration, in ms."""
    return round(session["metrics"]["durationSeconds"] * 1000)


def refused_fields(reply, status=400) -> list[str]:
    assert reply.status_code == status, reply.text
    return sorted(e["field"] for e in reply.json().get("errors", []))


def arrow(*points, colour=FRAME_RED) -> dict:
    return {"shapes": [{"kind": "arrow", "points": [list(p) for p in points], "colour": colour}]}


def test_who_may_comment_read_edit_resolve_and_delete_and_the_order(make_user):
    coach, athlete = linked(make_user)
    other_coach, admin = make_user("coach"), make_user("admin")
    session_id = new_session(coach, athlete)
    session = with_video(coach, session_id)
    assert length_ms(session) == 2000

    # Anyone who reads the session comments; the list is by atMs, then createdAt.
    by_athlete = ok(add(athlete, session_id, atMs=1500, text=" Was my knee in?\nHere "), 201)
    drawing = arrow((0.25, 0.5), (0.75, 0.125))
    by_coach = ok(add(coach, session_id, atMs=500, text="Arms", drawing=drawing), 201)
    by_admin = ok(add(admin, session_id, atMs=1500, text="Noted"), 201)
    order = [by_coach["commentId"], by_athlete["commentId"], by_admin["commentId"]]
    for reader in (athlete, coach, admin):
        assert [c["commentId"] for c in listed(reader, session_id)] == order
    first, second, _ = listed(athlete, session_id)
    assert first["drawing"] == drawing
    assert (second["text"], second["authorId"], second["atMs"]) == (
        "Was my knee in?\nHere",
        athlete.uid,
        1500,
    )
    assert second["videoJobId"] == session["analysisJobId"]
    assert (second["resolved"], second["editedAt"], second["earlierVideo"]) == (False, None, False)
    # The stored document (what a listener reads) holds points as {x, y}: Firestore cannot hold
    # an array inside an array.
    [doc] = [d for d in stored(session_id) if d["name"].endswith(by_coach["commentId"])]
    shapes = doc["fields"]["drawing"]["mapValue"]["fields"]["shapes"]["arrayValue"]["values"]
    points = shapes[0]["mapValue"]["fields"]["points"]["arrayValue"]["values"]
    assert [
        {axis: value["doubleValue"] for axis, value in point["mapValue"]["fields"].items()}
        for point in points
    ] == [{"x": 0.25, "y": 0.5}, {"x": 0.75, "y": 0.125}]

    # Someone who may not read the session learns nothing: 404 for every operation.
    comment = f"{comments_path(session_id)}/{by_athlete['commentId']}"
    for method, path, body in [
        ("POST", comments_path(session_id), {"atMs": 1, "text": "x"}),
        ("GET", comments_path(session_id), None),
        ("PUT", comment, {"text": "x"}),
        ("DELETE", comment, None),
        ("POST", f"{comment}/resolve", {}),
    ]:
        reply = api(method, path, other_coach, json=body)
        assert (reply.status_code, reply.json()["detail"]) == (404, "Session not found."), path
    missing = api("PUT", f"{comments_path(session_id)}/nope", athlete, json={"text": "x"})
    assert (missing.status_code, missing.json()["detail"]) == (404, "Comment not found.")

    # One level of replies: to a comment, not to a reply.
    reply_ = ok(add(coach, session_id, atMs=1500, text="Yes", replyTo=by_athlete["commentId"]), 201)
    deeper = add(athlete, session_id, atMs=1500, text="ok", replyTo=reply_["commentId"])
    assert refused_fields(deeper) == ["replyTo"]

    # Edit: the author, an admin; not the coach.
    assert api("PUT", comment, coach, json={"text": "mine now"}).status_code == 403
    edited = ok(api("PUT", comment, athlete, json={"text": "Knee in at 1.5 s", "atMs": 1400}))
    assert (edited["text"], edited["atMs"]) == ("Knee in at 1.5 s", 1400)
    assert edited["editedAt"] is not None
    assert ok(api("PUT", comment, admin, json={"drawing": drawing}))["drawing"] == drawing

    # Resolve: the session's coach, an admin; not the author.
    assert api("POST", f"{comment}/resolve", athlete, json={}).status_code == 403
    done = ok(api("POST", f"{comment}/resolve", coach, json={}))
    assert (done["resolved"], done["resolvedBy"]) == (True, coach.uid)
    assert done["resolvedAt"] is not None
    reopened = ok(api("POST", f"{comment}/resolve", admin, json={"resolved": False}))
    assert (reopened["resolved"], reopened["resolvedBy"], reopened["resolvedAt"]) == (
        False,
        None,
        None,
    )

    # Delete: not someone else's comment as an athlete; the session's coach may, and the
    # replies go with it.
    coachs = f"{comments_path(session_id)}/{by_coach['commentId']}"
    assert api("DELETE", coachs, athlete).status_code == 403
    gone = ok(api("DELETE", comment, coach))
    assert gone == {"commentId": by_athlete["commentId"], "deleted": True, "deletedReplies": 1}
    assert [c["commentId"] for c in listed(athlete, session_id)] == [
        by_coach["commentId"],
        by_admin["commentId"],
    ]
    assert len(stored(session_id)) == 2  # the reply is gone too
    assert ok(api("DELETE", coachs, coach))["deletedReplies"] == 0

    # The callables: the same operations, path ids and query values as fields.
    made = call("addSessionComment", {"sessionId": session_id, "atMs": 0, "text": "cb"}, athlete)
    assert made.status_code == 200, made.text
    new_id = made.json()["result"]["commentId"]
    listing = call("listSessionComments", {"sessionId": session_id}, coach)
    assert [c["commentId"] for c in listing.json()["result"]["comments"]] == [
        new_id,
        by_admin["commentId"],
    ]
    hidden = call("listSessionComments", {"sessionId": session_id}, other_coach)
    assert hidden.json()["error"]["status"] == "NOT_FOUND"


def test_bad_input_is_refused_naming_each_field_and_nothing_is_written(make_user):
    coach, athlete = linked(make_user)
    session_id, elsewhere = new_session(coach, athlete), new_session(coach, athlete)
    for target in (session_id, elsewhere):
        upload(coach, target, clip(seconds=2.0, width=160, height=96))
    for target in (session_id, elsewhere):
        assert analysed(coach, target)["analysisStatus"] == "completed"
    end = length_ms(session_of(coach, session_id))
    parent = ok(add(athlete, session_id, atMs=100, text="parent"), 201)["commentId"]
    child = ok(add(coach, session_id, atMs=100, text="child", replyTo=parent), 201)["commentId"]
    foreign = ok(add(coach, elsewhere, atMs=100, text="other session"), 201)["commentId"]
    before = sorted(d["name"] for d in stored(session_id))

    ten_thousand = [[i / 10_000, 0.5] for i in range(10_000)]
    freehand = {"shapes": [{"kind": "freehand", "points": ten_thousand, "colour": FRAME_RED}]}
    star = {"shapes": [{"kind": "star", "points": [[0, 0], [1, 1]], "colour": FRAME_RED}]}
    cases = [
        ({"atMs": -1, "text": "x"}, ["atMs"]),
        ({"atMs": end + 1, "text": "x"}, ["atMs"]),  # past the end of the video
        ({"atMs": 10, "text": " \n "}, ["text"]),
        ({"atMs": 10, "text": "x" * 2001}, ["text"]),
        ({"atMs": 10, "text": "x", "drawing": freehand}, ["drawing.shapes.0.points"]),
        ({"atMs": 10, "text": "x", "drawing": arrow((0, 0), (1, 1), colour="red")},
         ["drawing.shapes.0.colour"]),
        ({"atMs": 10, "text": "x", "drawing": star}, ["drawing.shapes.0.kind"]),
        ({"atMs": 10, "text": "x", "replyTo": child}, ["replyTo"]),  # a reply
        ({"atMs": 10, "text": "x", "replyTo": foreign}, ["replyTo"]),  # another session's
        ({"atMs": -5, "text": "", "drawing": star}, ["atMs", "drawing.shapes.0.kind", "text"]),
        ({"atMs": 5000, "text": "x", "replyTo": child}, ["atMs", "replyTo"]),
        ({"atMs": 9000, "text": "x", "replyTo": foreign}, ["atMs", "replyTo"]),
    ]  # fmt: skip
    for body, fields in cases:
        reply = add(athlete, session_id, **body)
        assert refused_fields(reply) == fields, body
        assert reply.json()["code"] == "invalid-argument"
    past = api("PUT", f"{comments_path(session_id)}/{parent}", athlete, json={"atMs": end + 1})
    assert refused_fields(past) == ["atMs"]
    assert refused_fields(
        api("PUT", f"{comments_path(session_id)}/{parent}", athlete, json={})
    ) == ["body"]
    assert sorted(d["name"] for d in stored(session_id)) == before  # nothing written
    [kept] = [c for c in listed(athlete, session_id) if c["commentId"] == parent]
    assert (kept["atMs"], kept["editedAt"]) == (100, None)


def test_a_session_without_video_takes_no_comment(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    reply = add(athlete, session_id, atMs=0, text="where is it?")
    assert reply.status_code == 400, reply.text
    assert reply.json()["code"] == "failed-precondition"
    assert reply.json()["detail"] == "This session has no video."
    assert reply.json().get("errors", []) == []
    assert listed(athlete, session_id) == []
    assert stored(session_id) == []


def test_a_replaced_video_keeps_its_comments_marked_as_on_an_earlier_video(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    first = with_video(coach, session_id, seconds=2.0)
    earlier = ok(add(athlete, session_id, atMs=1900, text="on the first take"), 201)["commentId"]

    upload(coach, session_id, clip(seconds=3.0, width=160, height=96), name="take-2.mp4")
    deadline = time.monotonic() + 30
    while (job := session_of(coach, session_id)["analysisJobId"]) == first["analysisJobId"]:
        assert time.monotonic() < deadline, "the new upload started no job"
        time.sleep(0.2)
    second = analysed(coach, session_id, job=job)
    assert (second["analysisStatus"], length_ms(second)) == ("completed", 3000)
    later = ok(add(coach, session_id, atMs=2500, text="on the second take"), 201)["commentId"]

    comments = listed(athlete, session_id)
    assert [(c["commentId"], c["earlierVideo"]) for c in comments] == [
        (earlier, True),
        (later, False),
    ]
    assert comments[0]["videoJobId"] == first["analysisJobId"]
    assert comments[1]["videoJobId"] == second["analysisJobId"]
    # The stored documents carry no mark: it is the API's, from the session's current job.
    assert all("earlierVideo" not in d["fields"] for d in stored(session_id))


def test_one_key_makes_one_comment_and_the_sessions_delete_takes_it(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    with_video(coach, session_id)
    key = {"Idempotency-Key": f"comment-{session_id}"}
    first = add(coach, session_id, headers=key, atMs=700, text="once")
    again = add(coach, session_id, headers=key, atMs=700, text="once")
    assert (first.status_code, again.status_code) == (201, 201), (first.text, again.text)
    assert first.json() == again.json()
    assert [c["commentId"] for c in listed(coach, session_id)] == [first.json()["commentId"]]
    assert len(stored(session_id)) == 1
    other = add(coach, session_id, headers=key, atMs=701, text="once")
    assert (other.status_code, refused_fields(other, 409)) == (409, ["Idempotency-Key"])

    ok(api("DELETE", f"/api/sessions/{session_id}", coach))
    assert stored(session_id) == []  # the comments go with their session


def test_a_new_comment_reaches_a_second_clients_listener_live(make_user, listen):
    coach, athlete = linked(make_user)
    outsider = make_user("coach")
    session_id = new_session(coach, athlete)
    with_video(coach, session_id)
    existing = ok(add(coach, session_id, atMs=1200, text="first"), 201)["commentId"]
    target = {
        "name": "comments",
        "collection": f"sessions/{session_id}/comments",
        "orderBy": [["atMs", "asc"], ["createdAt", "asc"]],
        "snapshots": 2,
    }
    as_athlete = listen(athlete, [target])
    as_outsider = listen(outsider, [{**target, "snapshots": 1}])
    opened = as_athlete.answer("comments")
    assert opened["ok"], opened
    assert opened["ids"] == [existing]

    drawing = arrow((0.5, 0.5), (0.5, 0.25))
    added = ok(add(coach, session_id, atMs=300, text="at 0:00.3", drawing=drawing), 201)
    live = as_athlete.answer("comments", 2)
    assert live["ids"] == [added["commentId"], existing]  # by atMs
    data = live["docs"][0]["data"]
    assert (data["text"], data["atMs"], data["authorId"]) == ("at 0:00.3", 300, coach.uid)
    assert data["drawing"]["shapes"][0]["points"] == [{"x": 0.5, "y": 0.5}, {"x": 0.5, "y": 0.25}]
    as_athlete.finish()
    refused = as_outsider.answer("comments")
    assert (refused["ok"], refused.get("code")) == (False, "permission-denied")
    as_outsider.finish()
