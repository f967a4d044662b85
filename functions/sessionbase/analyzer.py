"""The built-in analyzer: what can honestly be measured from a video's pixels.

It decodes the video with PyAV (FFmpeg) and records duration, frame rate, resolution, frames
decoded and a motion-energy series: for each pair of consecutive frames, the mean absolute
difference of their luma (Y) planes, in full-range 0-255 levels (limited-range video, whose luma
spans 16-235, is scaled up, so the figures do not depend on how the video was encoded). It
measures nothing else; in particular it never produces ``motionIQ`` or ``aclRisk``, which only
an analysis backend that measures them may send.

Cost: frames are decoded with FFmpeg's own threads; the luma plane of 8-bit YUV is read straight
from the decoded frame (no colour conversion; other formats are converted to grey), into two reused
buffers, so memory stays flat however long the video is (the series is 4 bytes a frame). ``av`` and
``numpy`` are imported on first use, never when the functions load.

Untrusted input: a coach's upload reaches FFmpeg, so one upload must not cost more than one
bounded task. Only the demuxers of ``ACCEPTED_FORMATS`` may open it (FFmpeg's own
``format_whitelist``: any other is refused before its demuxer reads a byte past the probe); its
resolution, duration and frame count, as the container declares them, are checked before the
first frame is decoded; the frames decoded are checked again as they come (a container may lie);
and decoding stops at ``DECODE_BUDGET``. Each refusal is a ``VideoRefused`` saying which limit.
"""

from __future__ import annotations

import array
import errno
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO, Any, Protocol

# A frame interval counts as active when its motion energy exceeds this (luma levels, 0-255).
# Sensor and compression noise of a still scene stays well below it.
ACTIVE_THRESHOLD = 0.5
# Larger frames are refused: three frame buffers of 8K UHD (7680 x 4320) already take 130 MB.
MAX_PIXELS = 7680 * 4320
MAX_SIDE = 7680  # pixels, either way (8K UHD, landscape or portrait)
# The containers the analyzer opens, by FFmpeg demuxer name: MP4/QuickTime, WebM/Matroska, MPEG
# program and transport streams. What a phone or a camera records; nothing else reaches FFmpeg.
ACCEPTED_FORMATS = ("mov", "matroska", "mpeg", "mpegts")
ACCEPTED_FORMATS_NAMED = "MP4/QuickTime, WebM/Matroska or MPEG"
# A session's video is a recording of one performance: ten minutes is ample; at 60 frames a second
# that is 36,000 frames. Longer videos (as declared, or as decoded) are refused.
MAX_DURATION = timedelta(minutes=10)
MAX_FRAMES = 36_000
# Decoding stops after this long, leaving the task (TASK_TIMEOUT, 540 s) time to store the
# results; tests/unit/test_analyzer.py checks it stays below the task's timeout.
DECODE_BUDGET = timedelta(seconds=420)
# Decoded formats whose first plane is 8-bit luma, read as they are; others (10-bit, RGB,
# paletted) are converted to 8-bit grey first.
_EIGHT_BIT_LUMA = frozenset(
    {
        "yuv420p",
        "yuvj420p",
        "yuv422p",
        "yuvj422p",
        "yuv444p",
        "yuvj444p",
        "yuv440p",
        "yuvj440p",
        "yuv411p",
        "yuvj411p",
        "yuv410p",
        "yuva420p",
        "nv12",
        "nv21",
        "gray",
    }
)
SERIES_UNIT = "mean absolute luma difference between consecutive frames (full-range 0-255 levels)"
# Limited-range ("TV") luma spans 16-235; its differences are scaled by 255/219 to full range.
_LIMITED_TO_FULL = 255 / 219
_FULL_RANGE = 2  # AVCOL_RANGE_JPEG


class UnreadableVideo(Exception):
    """The bytes are not a video the decoder can read; the message says why, for a person."""


class VideoRefused(UnreadableVideo):
    """A video outside the analyzer's limits (format, resolution, duration, frames, decode
    time); the message names the limit. It would be refused again: the job fails at once."""


@dataclass
class Measurement:
    """What the analyzer measured in one video (``width``/``height``: its last frame's)."""

    duration_seconds: float
    frame_rate: float | None
    width: int
    height: int
    frames_decoded: int
    motion: array.array[float] = field(default_factory=lambda: array.array("f"))

    def metrics(self) -> dict[str, float | int | None]:
        """The session's ``metrics`` map: the measurements and the motion series' summary."""
        series = self.motion
        active = sum(1 for value in series if value > ACTIVE_THRESHOLD)
        return {
            "durationSeconds": round(self.duration_seconds, 3),
            "frameRate": None if self.frame_rate is None else round(self.frame_rate, 3),
            "width": self.width,
            "height": self.height,
            "framesDecoded": self.frames_decoded,
            "motionEnergyMean": round(sum(series) / len(series), 4) if series else 0.0,
            "motionEnergyPeak": round(max(series), 4) if series else 0.0,
            "activeTimeFraction": round(active / len(series), 4) if series else 0.0,
        }

    def series_document(self) -> dict[str, Any]:
        """The analytics file: the whole series, with what its numbers mean."""
        return {
            "unit": SERIES_UNIT,
            "frameRate": self.frame_rate,
            "activeThreshold": ACTIVE_THRESHOLD,
            "motionEnergy": [round(value, 4) for value in self.motion],
        }


class FrameObserver(Protocol):
    """Sees every decoded frame, in order (``pose_model.VideoTracker``, ``stills.Stills``)."""

    def offer(self, frame: Any) -> bool: ...


def measure(
    source: IO[bytes] | str,
    on_progress: Callable[[int], None] | None = None,
    *,
    observers: Sequence[FrameObserver] = (),
    budget: timedelta = DECODE_BUDGET,
    clock: Callable[[], float] = time.monotonic,
) -> Measurement:
    """Decode ``source`` (a path or a seekable binary file) and measure it.

    ``on_progress`` receives the percentage decoded (0-99) each time it grows by ten points.
    ``observers`` are offered each decoded frame after its checks (the pose codebase's
    ``pose_model.VideoTracker``: keypoints; ``stills.Stills``: poster and thumbnails), all from
    the same decode; their time counts in ``budget``.
    Raises ``UnreadableVideo`` for bytes that are not a decodable video, ``VideoRefused`` for a
    video outside the limits (decoding for longer than ``budget`` by ``clock``'s seconds).
    """
    import av
    import numpy as np

    deadline = clock() + budget.total_seconds()
    try:
        container = av.open(
            source, mode="r", options={"format_whitelist": ",".join(ACCEPTED_FORMATS)}
        )
    except (av.error.FFmpegError, ValueError) as error:
        if getattr(error, "errno", None) == errno.EINVAL:  # FFmpeg: not on the format whitelist
            raise VideoRefused(
                f"The video's format is not accepted: send {ACCEPTED_FORMATS_NAMED}."
            ) from None
        reason = _reason(error)
        raise UnreadableVideo(f"The file is not a video that can be decoded: {reason}.") from None
    with container:
        if not container.streams.video:
            raise UnreadableVideo("The file has no video stream.")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        rate = float(stream.average_rate) if stream.average_rate else None
        _check_declared(stream, container, rate)
        expected = _expected_frames(stream, container, rate)
        previous: Any = None
        current: Any = None
        difference: Any = None
        motion: array.array[float] = array.array("f")
        frames = 0
        reported = 0
        last_time = 0.0
        width = height = 0
        try:
            for frame in container.decode(stream):
                _check_frame_size(frame.width, frame.height)
                if frames >= MAX_FRAMES:
                    raise VideoRefused(f"The video has more than {MAX_FRAMES} frames.")
                if clock() > deadline:
                    seconds = int(budget.total_seconds())
                    raise VideoRefused(
                        f"The video took longer than {seconds} seconds to decode "
                        f"(decoded {frames} frames)."
                    )
                for observer in observers:
                    observer.offer(frame)
                luma, scale = _luma(frame, np)
                if previous is None or previous.shape != luma.shape:
                    # The first frame, or the resolution changed: no difference to take.
                    height, width = luma.shape
                    previous = np.empty_like(luma)
                    current = np.empty_like(luma)
                    difference = np.empty(luma.shape, dtype=np.int16)
                    np.copyto(previous, luma)
                else:
                    np.copyto(current, luma)
                    np.subtract(current, previous, out=difference, dtype=np.int16)
                    np.abs(difference, out=difference)
                    motion.append(float(difference.mean()) * scale)
                    previous, current = current, previous
                frames += 1
                if frame.time is not None:
                    last_time = float(frame.time)
                if on_progress and expected:
                    percent = min(99, frames * 100 // expected)
                    if percent >= reported + 10:
                        reported = percent - percent % 10
                        on_progress(reported)
        except av.error.FFmpegError as error:
            if frames == 0:
                reason = _reason(error)
                raise UnreadableVideo(f"The video could not be decoded: {reason}.") from None
            raise UnreadableVideo(
                f"The video could not be decoded past frame {frames}: {_reason(error)}."
            ) from None
        if frames == 0 or previous is None:
            raise UnreadableVideo("The video has no frames that can be decoded.")
        return Measurement(
            duration_seconds=_duration(container, stream, frames, rate, last_time),
            frame_rate=rate,
            width=int(width),
            height=int(height),
            frames_decoded=frames,
            motion=motion,
        )


def _check_frame_size(width: int, height: int) -> None:
    """Refuse frames above 8K UHD (``MAX_PIXELS``, ``MAX_SIDE``)."""
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise VideoRefused(f"The video's frames ({width}x{height}) are larger than 8K.")


def _check_declared(stream: Any, container: Any, rate: float | None) -> None:
    """Refuse, before decoding, a video whose container declares more than the limits allow."""
    context = stream.codec_context
    _check_frame_size(int(context.width or 0), int(context.height or 0))
    declared = _declared_duration(container, stream)
    if declared is not None and declared > MAX_DURATION.total_seconds():
        minutes = int(MAX_DURATION.total_seconds() // 60)
        raise VideoRefused(
            f"The video is {declared:.0f} seconds long; the analyzer takes up to {minutes} minutes."
        )
    frames = _expected_frames(stream, container, rate)
    if frames > MAX_FRAMES:
        raise VideoRefused(f"The video declares {frames} frames; the limit is {MAX_FRAMES}.")


def _declared_duration(container: Any, stream: Any) -> float | None:
    """The duration the container declares, in seconds (None when it declares none)."""
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return float(container.duration) / 1_000_000
    return None


def _reason(error: Exception) -> str:
    """FFmpeg's own words for a decoding error, without the file name it would quote."""
    return str(getattr(error, "strerror", None) or error).rstrip(".").lower()


def _luma(frame: Any, np: Any) -> tuple[Any, float]:
    """The frame's luma plane as a (height, width) uint8 view, and the factor to full range.

    8-bit YUV is read as decoded; anything else is converted to (full-range) 8-bit grey.
    """
    name = frame.format.name
    if name not in _EIGHT_BIT_LUMA:
        frame, name = frame.reformat(format="gray"), "gray"
    full = name == "gray" or name.startswith("yuvj") or frame.color_range == _FULL_RANGE
    plane = frame.planes[0]
    rows = np.frombuffer(plane, dtype=np.uint8).reshape(plane.height, plane.line_size)
    return rows[:, : plane.width], 1.0 if full else _LIMITED_TO_FULL


def _expected_frames(stream: Any, container: Any, rate: float | None) -> int:
    """How many frames the video should have, for progress (0 when unknown)."""
    if stream.frames:
        return int(stream.frames)
    if container.duration and rate:
        return int(container.duration / 1_000_000 * rate)
    return 0


def _duration(container: Any, stream: Any, frames: int, rate: float | None, last: float) -> float:
    """The video's duration in seconds: the stream's, the container's, else from the frames."""
    declared = _declared_duration(container, stream)
    if declared is not None:
        return declared
    if rate:
        return frames / rate
    return last
