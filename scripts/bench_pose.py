"""Pose benchmarks (issue 23): the analyzer with the pose model, the photo endpoint, cold start.

    python scripts/bench_pose.py local [-n 7]    # no emulators: parts 1, 2, 4 (analysis), 5
    python scripts/bench_pose.py photo [-n 30]   # inside the emulator suite: parts 3, 4 (photo)

Run both with the pose codebase's interpreter, ``functions_pose/venv/bin/python`` and
``PYTHONPATH=functions:.`` (scripts/bench.sh pose does). Prints figures, asserts nothing: the
machines are shared, so every time is a median over repetitions, interleaved where compared.

1. Frames/s of the analyzer with pose (``analyzer.measure(path, observers=[VideoTracker()])``:
   decode, motion energy, pose at 15 fps) ÷ the pose model alone (``new_pose(static=False)``
   and ``process()`` on the very frames the tracker samples, as RGB arrays prepared beforehand:
   nothing decoded or converted). Both count the frames measured and include building and
   closing the model. Goal >= 0.8, judged on the median of the rounds' ratios (each round runs
   the two back to back), with the ratios of the medians and of the minima beside it.
2. The 10 s clip's whole analysis time with the tracker, beside the analyzer without it.
   Goal <= 5 s (half the clip).
3. (photo) ``POST /api/analyze/{pose}`` with a 1280×720 JPEG of a person, p50/p95 on a warm
   instance: through Hosting, straight to the Functions emulator, and the handler called in this
   process (model loaded, same ID token). The astronaut is seen waist-up, so the named-pose
   endpoint may refuse the photo (400, too little of the body): ``POST /api/analyze-pose`` (200),
   which runs the same decoding and model, is then timed instead, and the output says so.
4. Peak RSS of a fresh process that runs one 10 s analysis with pose (local), and of one that
   answers 30 photo requests in-process (photo): the process's own high-water mark (VmHWM) and
   ``getrusage``'s ``ru_maxrss`` (which can report the parent's peak after fork, hence both).
5. Cold start: scripts/bench_cold_start.py for the API (``functions/main.py``, target 1.15×
   the bare SDK imports) and with ``--codebase pose`` (``functions_pose/main.py``).

The clip: scikit-image's astronaut (tests/fixtures/pose, 300 px) moving left to right across a
640×360 H.264 clip, 30 fps, 10 s, made with PyAV as tests/pose/test_pose_video.py makes its clip.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ASTRONAUT = ROOT / "tests" / "fixtures" / "pose" / "astronaut.png"
W, H, SIDE, FPS, SECONDS = 640, 360, 300, 30, 10.0
PHOTO_SIZE = (1280, 720)
TARGET_RATIO, TARGET_SECONDS, COLD_START_ROUNDS = 0.8, 5.0, 15
# What the named-pose call asks for; the astronaut may not show enough of the body for it.
POSE = "mountain"


def clip() -> bytes:
    """The 10 s MP4 of the astronaut moving left to right (``devtools.videos.person_clip``, with
    libx264's default preset, as an encoder that is not racing would use)."""
    from devtools.videos import person_clip

    return person_clip(seconds=SECONDS, fps=FPS, width=W, height=H, side=SIDE, preset="medium")[0]


def photo() -> bytes:
    """A 1280×720 JPEG: the astronaut (512 px) scaled to 720 px high, centred on grey."""
    from PIL import Image

    width, height = PHOTO_SIZE
    with Image.open(ASTRONAUT) as image:
        person = image.convert("RGB").resize((height, height), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", PHOTO_SIZE, (90, 90, 90))
    canvas.paste(person, ((width - height) // 2, 0))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=90)
    return out.getvalue()


def sampled_images(path: str) -> list[Any]:
    """The RGB arrays of the frames a ``VideoTracker`` samples from the clip (its own slots)."""
    import av
    import numpy as np

    from sessionbase import pose_model

    class Collector(pose_model.VideoTracker):
        """A tracker that keeps each sampled frame as the model would get it, and runs nothing."""

        def __init__(self) -> None:
            super().__init__()
            self.images: list[Any] = []

        def measure(self, frame: Any) -> None:
            self.images.append(np.ascontiguousarray(frame.to_ndarray(format="rgb24")))

    collector = Collector()
    with av.open(path) as container:  # decoded as the analyzer does: threads, first stream
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            collector.offer(frame)
    return collector.images


def model_only(images: list[Any]) -> int:
    """The floor: a video-mode ``Pose`` built, run on every image, closed; persons found."""
    from sessionbase import pose_model

    pose = pose_model.new_pose(static=False)
    try:
        return sum(pose.process(image).pose_landmarks is not None for image in images)
    finally:
        pose.close()


def analyzer_with_pose(path: str) -> list[Any]:
    """``analyzer.measure`` with a ``VideoTracker``: its samples."""
    from sessionbase import analyzer, pose_model

    with pose_model.VideoTracker() as tracker:
        analyzer.measure(path, observers=[tracker])
        return tracker.samples


def analyzer_alone(path: str) -> int:
    from sessionbase import analyzer

    return analyzer.measure(path).frames_decoded


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def megabytes(kilobytes: int) -> float:
    return kilobytes / 1024


# A fresh interpreter's peaks: VmHWM is this process's own; ru_maxrss (kB on Linux) may carry
# the parent's peak across fork and exec.
PEAKS = """
import resource
def peaks():
    hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return hwm, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

ANALYSIS_PEAK = (
    PEAKS
    + """
import sys
import av, numpy, mediapipe
from sessionbase import analyzer, pose_model
from sessionbase.domain.pose import measures
before = peaks()
with pose_model.VideoTracker() as tracker:
    analyzer.measure(sys.argv[1], observers=[tracker])
    summary = measures.summarise(measures.pose_series(tracker.samples))
print(len(tracker.samples), *before, *peaks())
"""
)


PEAK_NOTE = (
    " (VmHWM: the process's own peak RSS; getrusage's ru_maxrss\n"
    "   beside it, which carries the parent's peak over fork and exec when that is higher):"
)


def peak_report(what: str, out: str) -> None:
    count, hwm_before, _, hwm, maxrss = (int(value) for value in out.split())
    print(
        f"  {what} ({count}): {megabytes(hwm):.0f} MB (ru_maxrss {megabytes(maxrss):.0f} MB), "
        f"{megabytes(hwm - hwm_before):.0f} MB above the interpreter with its modules "
        f"imported ({megabytes(hwm_before):.0f} MB)"
    )


def local(rounds: int) -> None:
    """Parts 1, 2, 4 (analysis) and 5."""
    from sessionbase.domain.pose import measures

    print(f"Machine: {os.cpu_count()} CPUs; {sys.executable.removeprefix(str(ROOT) + '/')}")
    data = clip()
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/astronaut.mp4"
        Path(path).write_bytes(data)
        images = sampled_images(path)
        print(
            f"clip: {SECONDS:.0f} s, {W}x{H}, {FPS} fps, H.264, the astronaut ({SIDE} px) moving "
            f"across, {len(data) / 1e6:.2f} MB; the tracker samples {len(images)} frames"
        )
        samples = analyzer_with_pose(path)  # warm-up: imports, codec and model initialisation
        model_only(images)
        analyzer_alone(path)
        assert len(samples) == len(images), (len(samples), len(images))
        times: dict[str, list[float]] = {"model only": [], "analyzer + pose": [], "analyzer": []}
        steps: dict[str, Callable[[], object]] = {
            "model only": lambda: model_only(images),
            "analyzer + pose": lambda: analyzer_with_pose(path),
            "analyzer": lambda: analyzer_alone(path),
        }
        for n in range(rounds):
            for name in steps if n % 2 == 0 else reversed(steps):
                times[name].append(timed(steps[name]))
        median = {name: statistics.median(values) for name, values in times.items()}
        frames = len(images)
        print(f"\n1. Pose frames/s on the same {frames} frames (median of {rounds}, interleaved):")
        for name in ("analyzer + pose", "model only"):
            print(
                f"  {name:16} {frames / median[name]:6.1f} frames/s "
                f"({median[name] * 1000:.0f} ms; min {min(times[name]) * 1000:.0f} ms)"
            )
        # Paired by round (the two ran back to back), so a busy spell on the shared machine
        # weighs on both sides of one ratio; the ratios of the medians and minima beside it.
        paired = statistics.median(
            m / a for m, a in zip(times["model only"], times["analyzer + pose"], strict=True)
        )
        by_medians = median["model only"] / median["analyzer + pose"]
        by_minima = min(times["model only"]) / min(times["analyzer + pose"])
        verdict = "met" if paired >= TARGET_RATIO else "NOT met"
        print(
            f"  ratio analyzer / model only: {paired:.2f} (median of the rounds' ratios; "
            f"goal >= {TARGET_RATIO}: {verdict}), {by_medians:.2f} (medians), "
            f"{by_minima:.2f} (minima)"
        )
        print(
            "  (model only: the same frames as RGB arrays made beforehand, no decode; both "
            "build and close the model)"
        )

        started = time.perf_counter()
        summary = measures.summarise(measures.pose_series(samples))
        summarised = time.perf_counter() - started
        print(f"\n2. The {SECONDS:.0f} s clip's analysis time (median of {rounds}):")
        with_pose = median["analyzer + pose"] + summarised
        verdict = "met" if with_pose <= TARGET_SECONDS else "NOT met"
        print(
            f"  with pose    {with_pose:6.2f} s  (goal <= {TARGET_SECONDS:.0f} s: {verdict}); "
            f"of which the series and summary {summarised * 1000:.1f} ms"
        )
        print(f"  without pose {median['analyzer']:6.2f} s  (decode and motion energy only)")
        print(f"  (with pose, the least of the {rounds}: {min(times['analyzer + pose']):.2f} s)")
        print(
            f"  person found in {summary.person_fraction or 0:.0%} of {summary.frames} frames, "
            f"view {summary.view}"
        )

        print("\n4. Peak memory, fresh processes" + PEAK_NOTE)
        out = subprocess.run(
            [sys.executable, "-c", ANALYSIS_PEAK, path], check=True, capture_output=True, text=True
        ).stdout
        peak_report(f"one {SECONDS:.0f} s analysis with pose, frames sampled", out)

    print("\n5. Cold start (scripts/bench_cold_start.py), the API function:")
    for codebase in ("api", "pose"):
        if codebase == "pose":
            print("\n   and the pose codebase's function (pose_api):")
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "bench_cold_start.py"),
                "-n",
                str(COLD_START_ROUNDS),
                "--codebase",
                codebase,
            ],
            check=True,
        )
        sys.stdout.flush()


PHOTO_PEAK = (
    PEAKS
    + """
import io, sys
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request
from sessionbase.handlers.pose import dispatch
path, token, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(sys.argv[4], "rb").read()
def request():
    files = {"file": (io.BytesIO(data), "photo.jpg", "image/jpeg")}
    headers = {"Authorization": f"Bearer {token}"}
    builder = EnvironBuilder(path=path, method="POST", headers=headers, data=files)
    return Request(builder.get_environ())
before = peaks()
for _ in range(calls):
    assert dispatch(request()).status_code == 200
print(calls, *before, *peaks())
"""
)


def photo_endpoint(calls: int) -> None:
    """Parts 3 and 4 (photo), inside the emulator suite."""
    import requests
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    from devtools.emulators import FUNCTIONS, PROJECT, REGION, api, sign_up
    from devtools.measure import percentile
    from sessionbase.handlers.pose import dispatch

    data = photo()
    user = sign_up(f"bench-pose-{time.time_ns()}@example.com", "password123")

    def upload() -> dict[str, Any]:
        return {"files": {"file": ("photo.jpg", data, "image/jpeg")}}

    def in_process(path: str) -> Any:
        files = {"file": (io.BytesIO(data), "photo.jpg", "image/jpeg")}
        builder = EnvironBuilder(path=path, method="POST", headers=user.bearer, data=files)
        return dispatch(Request(builder.get_environ()))

    path, note = f"/api/analyze/{POSE}", ""
    first = api("POST", path, user, **upload())
    if first.status_code == 400:
        note = (
            f"  (POST {path} refused the photo: 400 {first.json().get('detail', '')!r}\n"
            "  so POST /api/analyze-pose is timed: the same decoding and model, then the pose "
            "recognised)\n"
        )
        path = "/api/analyze-pose"
    elif first.status_code != 200:
        raise SystemExit(f"POST {path}: {first.status_code} {first.text[:300]}")
    direct = f"{FUNCTIONS}/{PROJECT}/{REGION}/pose_api{path}"

    def expect_200(reply: Any) -> None:
        status = reply.status_code
        if status != 200:
            body = reply.text if hasattr(reply, "text") else reply.get_data(as_text=True)
            raise SystemExit(f"POST {path}: {status} {body[:300]}")

    steps: dict[str, Callable[[], None]] = {
        "through Hosting": lambda: expect_200(api("POST", path, user, **upload())),
        "direct": lambda: expect_200(
            requests.post(direct, headers=user.bearer, timeout=60, **upload())
        ),
        "in-process": lambda: expect_200(in_process(path)),
    }
    for step in steps.values():  # a warm instance, a loaded model, open connections
        for _ in range(3):
            step()
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(calls):
        for name, step in steps.items():
            times[name].append(timed(step) * 1000)
    # Printed at the end, in one piece: the emulators log each request to the same output.
    report = [
        f"3. POST {path}, a {PHOTO_SIZE[0]}x{PHOTO_SIZE[1]} JPEG of a person "
        f"({len(data) / 1000:.0f} kB), warm, {calls} interleaved rounds (ms):\n{note}"
        f"  {'':16} {'p50':>8} {'p95':>8}"
    ]
    for name, values in times.items():
        report.append(
            f"  {name:16} {statistics.median(values):8.1f} {percentile(values, 0.95):8.1f}"
        )
    report.append(
        "  (direct: to the Functions emulator, no Hosting; in-process: the handler called here)"
    )

    with tempfile.NamedTemporaryFile(suffix=".jpg") as file:
        file.write(data)
        file.flush()
        out = subprocess.run(
            [sys.executable, "-c", PHOTO_PEAK, path, user.id_token, "30", file.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    print("\n".join(report))
    print("\n4. Peak memory, fresh process" + PEAK_NOTE)
    peak_report(f"POST {path} in-process, calls", out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=("local", "photo"))
    parser.add_argument("-n", type=int, help="repetitions (local: 7; photo: 30 timed calls)")
    arguments = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # in order with the subprocesses' output
    if arguments.part == "local":
        local(arguments.n or 7)
    else:
        photo_endpoint(max(30, arguments.n or 30))


if __name__ == "__main__":
    main()
