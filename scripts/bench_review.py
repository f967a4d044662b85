"""Video review benchmarks (issue 24), the three figures in one run, side by side.

Runs inside the emulator suite with the GCS-compatible server and the storage bridge
(scripts/bench.sh review). A coach and an athlete are linked; a 10 s 640x360 clip of a person
moving across (devtools/videos.py person_clip, so the analysis has pose series and keypoints) is
uploaded through the API's upload URL and analysed by the built-in analyzer. Then:

- stills: the analyzer's time with the poster and thumbnails made in the same decode beside its
  time without, in this process, interleaved (bench_analysis.py stills); goal <= 1.15.
- analysis: ``GET /api/sessions/{id}/analysis?points=500`` through Hosting, as the web app calls
  it, beside a raw read of the same session document by the Admin client, interleaved; p50/p95
  and the p95 ratio (the issue sets no goal).
- comments: ``POST /api/sessions/{id}/comments`` by the coach through Hosting until the athlete's
  Firebase JS SDK listener (Node, tests/js/listen.mjs) on ``sessions/{id}/comments``, ordered by
  ``atMs`` then ``createdAt`` as the review page orders them, sees the new comment; beside a raw
  write (the Admin client creating a comment-shaped document in the same collection) until the
  same listener sees it, interleaved. Each latency runs from just before the request to the
  listener's arrival stamp (same clock); p50/p95 and the p95 ratio (goal <= 3).

Prints figures and asserts nothing about time.

    python scripts/bench_review.py [-n 30]
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from devtools.emulators import PROJECT, User, api, sign_up
from devtools.listener import Listener
from devtools.measure import percentile
from devtools.videos import person_clip

ROOT = Path(__file__).resolve().parent.parent
ANALYSED_WITHIN = 180.0  # seconds, upload to a final analysis state (pose included)


def comments_listener(user: User, session_id: str, snapshots: int) -> Listener:
    """The athlete's ``onSnapshot`` on a session's comments, ordered as the API lists them."""
    target = {
        "name": "comments",
        "collection": f"sessions/{session_id}/comments",
        "orderBy": [["atMs", "asc"], ["createdAt", "asc"]],
        "snapshots": snapshots,
    }
    return Listener(user, [target], timeout_ms=900_000)


def listed(listener: Listener, predicate: Callable[[list[str]], bool]) -> float:
    """When the comments' ids first matched ``predicate`` in a snapshot from the server."""
    return listener.arrival(lambda record: predicate(record["ids"]), timeout=60)


def analysed_session(coach: User, athlete: User, data: bytes) -> tuple[str, dict[str, Any], float]:
    """A session of the athlete's with ``data`` uploaded and analysed; the session as the API
    answers it and the seconds from the end of the upload to ``completed``."""
    body = {"athleteId": athlete.uid, "event": "Bench", "sessionType": "Analysis"}
    session_id = api("POST", "/api/sessions", coach, json=body).json()["sessionId"]
    target = api(
        "POST",
        f"/api/sessions/{session_id}/upload",
        coach,
        json={"fileName": "astronaut.mp4", "contentType": "video/mp4", "size": len(data)},
    ).json()
    put = requests.put(
        target["uploadUrl"], data=data, headers={"Content-Type": "video/mp4"}, timeout=60
    )
    put.raise_for_status()
    uploaded = time.perf_counter()
    while True:
        session = api("GET", f"/api/sessions/{session_id}", coach).json()
        if session.get("analysisStatus") in ("completed", "failed"):
            break
        if time.perf_counter() - uploaded > ANALYSED_WITHIN:
            raise RuntimeError(f"analysis not final in {ANALYSED_WITHIN:.0f} s: {session}")
        time.sleep(0.2)
    if session["analysisStatus"] != "completed":
        raise RuntimeError(f"analysis failed: {session}")
    return session_id, session, time.perf_counter() - uploaded


def line(label: str, values: list[float]) -> str:
    return (
        f"  {label:<40} p50 {statistics.median(values) * 1000:7.1f} ms"
        f"   p95 {percentile(values, 0.95) * 1000:7.1f} ms"
    )


def bench_analysis(db: Any, coach: User, session_id: str, rounds: int) -> float:
    """``GET .../analysis?points=500`` through Hosting against a raw read of the session
    document, interleaved; the p95 ratio."""
    path = f"/api/sessions/{session_id}/analysis?points=500"
    document = db.collection("sessions").document(session_id)
    for _ in range(3):  # warm the function's workers and the client's channel up
        api("GET", path, coach).raise_for_status()
        document.get()
    reply = api("GET", path, coach)
    reply.raise_for_status()
    answer = reply.json()
    landmarks = answer.get("landmarks") or {}
    print(
        f"GET .../analysis?points=500: {len(reply.content) / 1000:.0f} kB, series "
        f"{', '.join(f'{name} ({len(points)})' for name, points in answer['series'].items())}; "
        f"{len(landmarks.get('frames') or [])} keypoint frames; "
        f"poster {'yes' if (answer.get('assets') or {}).get('posterUrl') else 'no'}"
    )
    gets: list[float] = []
    reads: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        reply = api("GET", path, coach)
        gets.append(time.perf_counter() - started)
        assert reply.status_code == 200, reply.text
        started = time.perf_counter()
        snapshot = document.get()
        reads.append(time.perf_counter() - started)
        assert snapshot.exists
    print(f"{rounds} analysis GETs and {rounds} raw reads of the session document, interleaved")
    print(line("GET .../analysis?points=500 (Hosting)", gets))
    print(line("raw read of sessions/{id} (Admin)", reads))
    ratio = percentile(gets, 0.95) / percentile(reads, 0.95)
    print(f"  p95 ratio analysis GET / raw read: {ratio:.1f} (the issue sets no goal)")
    return ratio


def bench_comments(db: Any, coach: User, athlete: User, session_id: str, rounds: int) -> float:
    """A comment added through Hosting until the athlete's listener sees it, against a raw
    write to the same collection until the listener sees it, interleaved; the p95 ratio."""
    path = f"/api/sessions/{session_id}/comments"
    comments = db.collection("sessions").document(session_id).collection("comments")
    warm = []
    for i in range(3):  # warm the function's workers up
        reply = api("POST", path, coach, json={"atMs": 100 * i, "text": f"warm-up {i}"})
        assert reply.status_code == 201, reply.text
        warm.append(reply.json()["commentId"])
    # The raw writes are comment-shaped (a copy of one the API wrote), so the ordered query
    # and the API's list read them as they read any comment.
    shape = comments.document(warm[0]).get().to_dict()

    listener = comments_listener(athlete, session_id, snapshots=2 * rounds + 1)
    listed(listener, lambda ids: set(warm) <= set(ids))

    added: list[float] = []
    floor: list[float] = []
    for i in range(rounds):
        sent = time.time()
        reply = api("POST", path, coach, json={"atMs": 200 + i, "text": f"Knees at {i}"})
        assert reply.status_code == 201, reply.text
        comment_id = reply.json()["commentId"]
        seen = listed(listener, lambda ids, c=comment_id: c in ids)
        added.append(seen - sent)

        raw_id = f"bench-raw-{i:03d}-{uuid.uuid4().hex[:6]}"
        sent = time.time()
        comments.document(raw_id).create(
            {
                **shape,
                "commentId": raw_id,
                "atMs": 200 + i,
                "text": f"Raw {i}",
                "createdAt": datetime.now(UTC),
            }
        )
        seen = listed(listener, lambda ids, c=raw_id: c in ids)
        floor.append(seen - sent)
    listener.stop()

    print(
        f"{rounds} comment adds and {rounds} raw writes, interleaved; "
        "the athlete's listener in Node"
    )
    print(line("comment add API -> listener", added))
    print(line("raw write -> listener", floor))
    ratio = percentile(added, 0.95) / percentile(floor, 0.95)
    print(f"  p95 ratio comment add / raw write: {ratio:.2f} (goal <= 3)")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="samples of each kind (and stills rounds)")
    args = parser.parse_args()
    from bench_analysis import bench_stills  # scripts/, this script's own folder
    from google.cloud import firestore

    from sessionbase.store.client import emulator_credentials

    print("== stills: the analyzer with poster and thumbnails vs without (in this process)")
    stills = bench_stills(args.n)

    run = uuid.uuid4().hex[:6]
    coach = sign_up(f"bench-coach-{run}@example.com", "password123", role="coach", name="Coach")
    athlete = sign_up(f"bench-athlete-{run}@example.com", "password123", name="Athlete")
    invite = api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}).json()
    api("POST", f"/api/invitations/{invite['invitationId']}/accept", athlete).raise_for_status()
    data, _ = person_clip(seconds=10, fps=30, width=640, height=360)
    session_id, session, took = analysed_session(coach, athlete, data)
    assets = session.get("analysisAssets") or {}
    print(
        f"== clip: 10 s, 640x360, 30 fps, the astronaut moving across, {len(data) / 1e6:.2f} MB; "
        f"upload -> completed {took:.1f} s; pose {'yes' if session.get('pose') else 'no'}; "
        f"poster {'yes' if assets.get('poster') else 'no'}, "
        f"thumbnails {'yes' if assets.get('thumbnails') else 'no'}"
    )
    db = firestore.Client(project=PROJECT, credentials=emulator_credentials())
    print("== analysis as data")
    analysis = bench_analysis(db, coach, session_id, args.n)
    print("== comments, live")
    comments = bench_comments(db, coach, athlete, session_id, args.n)

    print("== side by side")
    print(f"  analyzer with poster and thumbnails / without:        {stills:6.3f}  (goal <= 1.15)")
    print(f"  analysis GET p95 / raw read p95:                       {analysis:6.1f}  (no goal)")
    print(f"  comment add -> listener p95 / raw write -> listener:   {comments:6.2f}  (goal <= 3)")


if __name__ == "__main__":
    main()
