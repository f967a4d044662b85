"""Analysis benchmarks: the analyzer's speed and memory, and upload -> completed on the emulators.

    python scripts/bench_analysis.py analyzer [-n 3]   # no emulators needed
    python scripts/bench_analysis.py stills [-n 3]     # the poster and thumbnails' cost alone
    python scripts/bench_analysis.py pipeline [-n 3]   # inside the emulator suite (bench.sh)

analyzer: frames/s of the built-in analyzer (threaded decode, luma plane straight from the YUV
frame, reused buffers) beside a naive baseline measured in the same run, interleaved (decode
every frame to RGB, convert to grey in numpy, diff); goal >= 1.5x. Then the peak memory (max RSS
above the interpreter with av and numpy loaded) of analysing a 10 s and a 60 s clip, each in a
fresh process; goal: flat.

stills (also part of analyzer): the analyzer's time with the poster and thumbnails made in the same
decode beside its time without, interleaved; goal <= 1.15 (issue 24; scripts/bench.sh review).

pipeline: for a 10 s 640x360 H.264 clip, the time from the end of the upload's PUT to the session
reading ``completed`` (the finalize event, the job, the task and the analysis included), beside
the analyzer's own time on the same bytes in this process, interleaved; goal: latency <= 2x the
analyzer's time + 1 s. Prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devtools.videos import clip


def naive(data: bytes) -> int:
    """The baseline: every frame to RGB, grey in numpy (float), diff with the previous one."""
    import av
    import numpy as np

    frames, previous, energies = 0, None, []
    with av.open(io.BytesIO(data)) as container:
        for frame in container.decode(video=0):
            rgb = frame.to_ndarray(format="rgb24").astype(np.float32)
            grey = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
            if previous is not None:
                energies.append(float(np.abs(grey - previous).mean()))
            previous = grey
            frames += 1
    return frames


def ours(data: bytes) -> int:
    from sessionbase.analyzer import measure

    return measure(io.BytesIO(data)).frames_decoded


def with_stills(data: bytes) -> int:
    """The analyzer making the poster and thumbnails in its decode (stills.Stills), encoded."""
    from sessionbase.analyzer import measure
    from sessionbase.stills import Stills

    stills = Stills()
    frames = measure(io.BytesIO(data), observers=[stills]).frames_decoded
    stills.poster(), stills.thumbnails()
    return frames


def timed(run, data: bytes) -> tuple[float, int]:
    started = time.perf_counter()
    frames = run(data)
    return time.perf_counter() - started, frames


# VmHWM (the process's own peak RSS, kB): ru_maxrss of a child can report its parent's peak.
# The child is this interpreter (the dev venv), which imports sessionbase as installed.
PEAK = """
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

import av, numpy
from sessionbase.analyzer import measure
before = peak()
with open({path!r}, "rb") as source:
    result = measure(source)
print(result.frames_decoded, before, peak())
"""


def peak_memory(path: str) -> tuple[int, float, float]:
    """Frames, and the peak RSS before and after analysing ``path`` in a fresh process (MB)."""
    code = PEAK.format(path=path)
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    frames, before, after = int(out[0]), int(out[1]) / 1024, int(out[2]) / 1024
    return frames, before, after


def bench_analyzer(rounds: int) -> None:
    data = clip(seconds=10, fps=30, width=640, height=360, textured=True)
    print(f"clip: 10 s, 640x360, 30 fps, H.264, panning texture, {len(data) / 1e6:.2f} MB")
    ours(data), naive(data)  # warm up: imports, codec initialisation
    mine, theirs = [], []
    for _ in range(rounds):
        mine.append(timed(ours, data))
        theirs.append(timed(naive, data))
    frames = mine[0][1]
    fast = statistics.median(t for t, _ in mine)
    slow = statistics.median(t for t, _ in theirs)
    print(f"analyzer: {frames / fast:7.0f} frames/s (median of {rounds}, {fast * 1000:.0f} ms)")
    print(f"naive:    {frames / slow:7.0f} frames/s (median of {rounds}, {slow * 1000:.0f} ms)")
    print(f"speed-up: {slow / fast:.2f}x (goal >= 1.5x)")
    bench_stills(rounds, data)
    with tempfile.TemporaryDirectory() as folder:
        for seconds in (10, 60):
            path = f"{folder}/{seconds}s.mp4"
            video = clip(seconds=seconds, fps=30, width=640, height=360, textured=True)
            Path(path).write_bytes(video)
            frames, before, after = peak_memory(path)
            print(
                f"peak memory, {seconds:2d} s clip ({frames} frames): {after:.1f} MB peak RSS, "
                f"{after - before:.1f} MB above the interpreter with av and numpy loaded"
            )


def bench_stills(rounds: int, data: bytes | None = None) -> float:
    """Issue 24: the analyzer's time with the poster and thumbnails made in the same decode
    beside its time without, interleaved; the median of the rounds' ratios."""
    if data is None:
        data = clip(seconds=10, fps=30, width=640, height=360, textured=True)
        print(f"clip: 10 s, 640x360, 30 fps, H.264, panning texture, {len(data) / 1e6:.2f} MB")
        ours(data), with_stills(data)  # warm up: imports, codec initialisation
    plain, stills = [], []
    for _ in range(rounds):
        plain.append(timed(ours, data)[0])
        stills.append(timed(with_stills, data)[0])
    ratios = sorted(b / a for a, b in zip(plain, stills, strict=True))
    print(
        f"with poster and thumbnails: {statistics.median(stills) * 1000:.0f} ms against "
        f"{statistics.median(plain) * 1000:.0f} ms without; ratio {statistics.median(ratios):.3f} "
        f"(median of {rounds} rounds' ratios; goal <= 1.15)"
    )
    return statistics.median(ratios)


def bench_pipeline(rounds: int) -> None:
    import requests

    from devtools.emulators import api, sign_up

    data = clip(seconds=10, fps=30, width=640, height=360, textured=True)
    coach = sign_up(f"bench-coach-{time.time_ns()}@example.com", "password123", role="coach")
    athlete = sign_up(f"bench-athlete-{time.time_ns()}@example.com", "password123")
    invite = api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}).json()
    api("POST", f"/api/invitations/{invite['invitationId']}/accept", athlete).raise_for_status()
    ours(data)  # warm up
    from sessionbase.store.client import firestore_client

    db = firestore_client()
    latencies, own, queued, ran = [], [], [], []
    for _ in range(rounds):
        own.append(timed(ours, data)[0])
        body = {"athleteId": athlete.uid, "event": "Bench", "sessionType": "Analysis"}
        session_id = api("POST", "/api/sessions", coach, json=body).json()["sessionId"]
        target = api(
            "POST",
            f"/api/sessions/{session_id}/upload",
            coach,
            json={"fileName": "bench.mp4", "contentType": "video/mp4", "size": len(data)},
        ).json()
        requests.put(target["uploadUrl"], data=data, headers={"Content-Type": "video/mp4"})
        uploaded = time.perf_counter()
        while True:
            session = api("GET", f"/api/sessions/{session_id}", coach).json()
            if session.get("analysisStatus") in ("completed", "failed"):
                break
            time.sleep(0.05)
        latencies.append(time.perf_counter() - uploaded)
        assert session["analysisStatus"] == "completed", session
        job = db.collection("analysisJobs").document(session["analysisJobId"]).get().to_dict()
        queued.append((job["startedAt"] - job["createdAt"]).total_seconds())
        ran.append((job["finishedAt"] - job["startedAt"]).total_seconds())
    latency, analyzer = statistics.median(latencies), statistics.median(own)
    print(f"upload finalized -> completed: median {latency:.2f} s over {rounds} uploads")
    print(
        f"  of which: job created -> task started {statistics.median(queued):.2f} s, "
        f"task started -> results written {statistics.median(ran):.2f} s (medians)"
    )
    print(f"analyzer alone on the same clip: median {analyzer:.2f} s")
    print(f"goal: latency <= 2 x analyzer + 1 s = {2 * analyzer + 1:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["analyzer", "stills", "pipeline"])
    parser.add_argument("-n", type=int, default=3, help="rounds")
    args = parser.parse_args()
    parts = {"analyzer": bench_analyzer, "stills": bench_stills, "pipeline": bench_pipeline}
    parts[args.part](args.n)


if __name__ == "__main__":
    main()
