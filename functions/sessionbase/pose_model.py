"""The pose model: body landmarks (``domain.pose.landmarks.Frame``) from a photo or a video.

Imported only by the pose codebase (``functions_pose``): the model is ``mediapipe==0.10.14``'s
legacy ``solutions.pose.Pose`` (BlazePose GHUM, ``model_complexity=1``, whose ``.tflite`` files
the wheel bundles, run offline; docs/decisions.md, "Where the pose model runs"). ``mediapipe``,
``av``, ``numpy`` and ``PIL`` are imported inside the functions, never when this module loads.

- ``photo_frame(data)``: one JPEG, PNG or WebP photo → ``PhotoResult`` (the frame, or no person).
  Refused with ``InvalidArgument`` naming the field ``file``: more than ``MAX_PHOTO_BYTES``; not
  one of those formats; more than ``MAX_PHOTO_PIXELS`` (read from the header, before a pixel is
  decoded); a side under ``MIN_PHOTO_SIDE``; truncated or corrupt. The photo is turned upright by
  its EXIF orientation (as a browser shows it), so landmarks are in the orientation the user sees;
  it is scaled down to ``PHOTO_SIDE`` on its long side before the model (JPEG by DCT scaling):
  the model's own inputs are 224 and 256 px, so nothing it uses is lost.
- ``video_samples(source)`` / ``VideoTracker``: a clip's frames at ``SAMPLE_FPS`` → the
  ``(seconds, Frame | None)`` samples ``domain.pose.measures.pose_series`` takes.

**One person.** The model reports one person per image: the person its detector scores highest
(usually the largest, most complete figure); it does not say how many people there were, and
anyone else is ignored. In a video, once found, that person is tracked from frame to frame.

**Threads and fork** (both measured, docs/decisions.md): a ``Pose`` built before the server
forks hangs in the child, and one ``Pose`` used by two threads at once crashed the process. So
no ``Pose`` is built at import; the photo model is one per process, built on first use, used
under ``_PHOTO_LOCK`` (and rebuilt if the process id changed since); each clip gets its own
video-mode ``Pose``, used by the one thread that decodes the clip.
"""

from __future__ import annotations

import io
import math
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sessionbase.domain.pose.landmarks import LANDMARKS, Frame, Point
from sessionbase.errors import FieldError, InvalidArgument

MODEL = "MediaPipe Pose (BlazePose GHUM, full), mediapipe 0.10.14"
MODEL_COMPLEXITY = 1
# Photos: a phone's 12 MP JPEG is 3–6 MB; larger byte counts are refused before anything is read.
MAX_PHOTO_BYTES = 20 * 1024 * 1024
# 24 MP (6000 × 4000) and no more, read from the header; a 40 MP photo is refused undecoded.
MAX_PHOTO_PIXELS = 24_000_000
MIN_PHOTO_SIDE = 64  # pixels, either way: a smaller image cannot show a body the model can see
# The photo is scaled down to this long side before the model (whose inputs are 224/256 px).
PHOTO_SIDE = 1920
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
PHOTO_FORMATS_NAMED = "JPEG, PNG or WebP"
FIELD = "file"
# Video: frames are sampled at up to this rate (one per 1/SAMPLE_FPS s slot; a clip at or below
# it keeps every frame). Measured: a 10 s 640×360 clip costs 8.3 s at every frame (30 fps) and
# 3.7 s at 15 fps on this 2-core machine; 15 samples a second still resolve a jump's landing.
SAMPLE_FPS = 15.0
# Video frames larger than this on the long side are scaled down before the model.
VIDEO_SIDE = 1280
# A clip's model time stops here: later frames are not measured (the summary says how far it
# got), so that the analyzer's decode budget (420 s) is left for motion and storing. At the
# measured ~25 ms a 640×360 sample, 240 s is about 9,600 samples, a ten-minute clip at 15 fps.
VIDEO_MODEL_BUDGET = 240.0  # seconds

_PHOTO_LOCK = threading.Lock()
_photo: dict[str, Any] = {}  # {"pid": the process that built it, "pose": the static-mode Pose}
_stale: list[Any] = []  # models inherited through fork: never used, never closed (closing hangs)


class PhotoRefused(InvalidArgument):
    """The upload is not a photo the model can be run on; the error names the field ``file``."""

    def __init__(self, message: str) -> None:
        super().__init__(message, errors=(FieldError(field=FIELD, message=message),))


class NoPersonFound(InvalidArgument):
    """The model found nobody in the photo (``PhotoResult.require``)."""

    def __init__(self) -> None:
        message = "No person was found in the photo."
        super().__init__(message, errors=(FieldError(field=FIELD, message=message),))


@dataclass(frozen=True, slots=True)
class PhotoResult:
    """The model's answer for one photo: ``frame`` is None when it found no person.

    ``width`` and ``height`` are the photo's, upright (after its EXIF orientation), in pixels;
    the frame's landmarks are normalised to that image and its ``aspect`` is width ÷ height.
    """

    frame: Frame | None
    width: int
    height: int

    @property
    def person(self) -> bool:
        """Whether the model found a person."""
        return self.frame is not None

    def require(self) -> Frame:
        """The frame, or ``NoPersonFound`` (a 400 naming ``file``) when nobody was found."""
        if self.frame is None:
            raise NoPersonFound()
        return self.frame


# --- photos ---------------------------------------------------------------------------------


def photo_frame(data: bytes) -> PhotoResult:
    """Run the model on one JPEG, PNG or WebP photo (see the module docstring for the limits)."""
    image, (width, height) = decode_photo(data)
    with _PHOTO_LOCK:
        results = _photo_pose().process(image)
    # The landmarks are normalised to the array the model saw (the photo, perhaps scaled down).
    return PhotoResult(_frame(results, image.shape[1] / image.shape[0]), width, height)


def decode_photo(data: bytes) -> tuple[Any, tuple[int, int]]:
    """The photo as an upright RGB uint8 array (height, width, 3), at most ``PHOTO_SIDE`` long,
    with the upright photo's own (width, height); or ``PhotoRefused`` saying what is wrong."""
    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError  # type: ignore[import-not-found,unused-ignore]

    if not isinstance(data, bytes | bytearray | memoryview):
        raise PhotoRefused("Send the photo as a file.")
    if len(data) == 0:
        raise PhotoRefused("The file is empty.")
    if len(data) > MAX_PHOTO_BYTES:
        megabytes = MAX_PHOTO_BYTES // (1024 * 1024)
        raise PhotoRefused(f"The photo is larger than {megabytes} MB.")
    try:
        # Reads the header only; only these formats' decoders are tried.
        image = Image.open(io.BytesIO(data), formats=PHOTO_FORMATS)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise PhotoRefused(f"The file is not a {PHOTO_FORMATS_NAMED} image.") from None
    with image:
        width, height = image.size
        if width * height > MAX_PHOTO_PIXELS:
            raise PhotoRefused(
                f"The photo is {width}×{height} ({width * height / 1e6:.1f} megapixels); "
                f"the limit is {MAX_PHOTO_PIXELS / 1e6:.0f} megapixels."
            )
        if min(width, height) < MIN_PHOTO_SIDE:
            raise PhotoRefused(
                f"The photo is {width}×{height} pixels; "
                f"it must be at least {MIN_PHOTO_SIDE} pixels each way."
            )
        try:
            if image.format == "JPEG":
                image.draft("RGB", _fit(width, height, PHOTO_SIDE))  # DCT scaling: ≥ that size
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = _to_rgb(upright)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            # Pillow: "image file is truncated", "broken data stream", bad chunks, …
            raise PhotoRefused(
                f"The photo could not be decoded: the {image.format} file is truncated or corrupt."
            ) from None
        size = (height, width) if upright is not image and _turned(image) else (width, height)
        if max(rgb.size) > PHOTO_SIDE:
            rgb = rgb.resize(_fit(rgb.size[0], rgb.size[1], PHOTO_SIDE), Image.Resampling.LANCZOS)
        array = np.asarray(rgb, dtype=np.uint8)
    return np.ascontiguousarray(array), size


def _turned(image: Any) -> bool:
    """Whether the photo's EXIF orientation turns it a quarter (5–8: width and height swap)."""
    return image.getexif().get(0x0112, 1) in (5, 6, 7, 8)


def _to_rgb(image: Any) -> Any:
    """8-bit RGB from any mode: alpha composited over white, 16-bit greys scaled to 8 bits."""
    from PIL import Image  # type: ignore[import-not-found,unused-ignore]

    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def _fit(width: int, height: int, side: int) -> tuple[int, int]:
    """(width, height) scaled so the long side is at most ``side``, proportions kept."""
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _photo_pose() -> Any:
    """This process's static-image ``Pose``; call with ``_PHOTO_LOCK`` held."""
    pid = os.getpid()
    if _photo.get("pid") != pid:
        if "pose" in _photo:  # built by the parent before a fork: unusable here
            _stale.append(_photo["pose"])
        _photo["pose"] = new_pose(static=True)
        _photo["pid"] = pid
    return _photo["pose"]


def new_pose(*, static: bool) -> Any:
    """A new MediaPipe ``Pose``: static-image mode (a detection per image) or video mode
    (detect once, then track). The caller uses it from one thread at a time and closes it."""
    from mediapipe.python.solutions import pose as mp_pose  # type: ignore[import-not-found,unused-ignore]

    # mediapipe 0.10.14 reads its answers through a protobuf 4 call that warns of its removal
    # (protobuf is pinned: requirements.txt); the warning says nothing to whoever reads the logs.
    warnings.filterwarnings("ignore", "SymbolDatabase.GetPrototype", UserWarning)
    return mp_pose.Pose(
        static_image_mode=static,
        model_complexity=MODEL_COMPLEXITY,
        smooth_landmarks=True,
        enable_segmentation=False,
        min_detection_confidence=0.5,
        min_tracking_confidence=0.5,
    )


def _frame(results: Any, aspect: float) -> Frame | None:
    """The model's landmarks as a ``Frame``, or None when it found no person.

    The model places all 33 landmarks, also beyond the picture's edges, and once it tracks a
    person it gives those guesses high visibility (a waist-up clip got knees below the frame
    at 0.9 and "knee flexion" of 115°). A point outside the picture is not seen: its
    visibility is recorded as 0, its place as the model put it.
    """
    found = getattr(results, "pose_landmarks", None)
    if found is None:
        return None
    points = tuple(
        _point(float(mark.x), float(mark.y), float(mark.visibility)) for mark in found.landmark
    )
    if len(points) != LANDMARKS:
        return None
    return Frame(points, aspect)


def _point(x: float, y: float, visibility: float) -> Point:
    inside = 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0
    return Point(x, y, visibility if inside else 0.0)


# --- video ----------------------------------------------------------------------------------


Sample = tuple[float, Frame | None]


class VideoTracker:
    """Runs a video-mode ``Pose`` over one clip's frames, sampling at most ``fps`` a second.

    Offer it every decoded frame in order (``offer``), from one thread; it keeps one frame per
    1/``fps`` s slot (a clip at or below ``fps`` keeps all of them; ``fps=None`` keeps every
    frame). ``samples`` are ``(seconds from the first frame, Frame | None)``. Use it as a context
    manager, or call ``close``: a tracker is one clip's, never shared or reused.

    The legacy API stamps the frames it is given 1/30 s apart whatever the true rate; that only
    tunes its landmark smoothing, not which frames are measured or their times here.
    """

    def __init__(
        self,
        fps: float | None = SAMPLE_FPS,
        *,
        side: int = VIDEO_SIDE,
        budget: float = VIDEO_MODEL_BUDGET,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if fps is not None and not fps > 0:
            raise ValueError("fps must be positive")
        self.fps = fps
        self.side = side
        self.samples: list[Sample] = []
        # The first frame not measured because the model's ``budget`` (seconds by ``clock``)
        # ran out, in seconds from the first frame; None while every sampled frame is measured.
        self.stopped_at: float | None = None
        self._budget = budget
        self._clock = clock
        self._spent = 0.0
        self._pose: Any = None
        self._start: float | None = None
        self._slot = -1
        self._index = 0

    def offer(self, frame: Any, seconds: float | None = None) -> bool:
        """Consider one decoded ``av.VideoFrame``; True if it was sampled and measured.

        ``seconds`` is its presentation time (default ``frame.time``; when neither is known the
        frames are taken as ``fps`` apart).
        """
        time = seconds if seconds is not None else frame.time
        index = self._index
        self._index += 1
        if time is None:
            time = index / (self.fps or 30.0)
        time = float(time)
        if self._start is None:
            self._start = time
        elapsed = time - self._start
        if self.fps is not None:
            slot = math.floor(elapsed * self.fps + 1e-6)
            if slot <= self._slot:
                return False
            self._slot = slot
        if self.stopped_at is not None:
            return False
        if self._spent >= self._budget:
            self.stopped_at = round(elapsed, 6)
            return False
        started = self._clock()
        found = self.measure(frame)
        self._spent += self._clock() - started
        self.samples.append((round(elapsed, 6), found))
        return True

    def measure(self, frame: Any) -> Frame | None:
        """Run the tracker's model on one frame (no sampling): its landmarks, or None."""
        width, height = frame.width, frame.height
        if max(width, height) > self.side:
            fitted = _fit(width, height, self.side)
            image = frame.to_ndarray(format="rgb24", width=fitted[0], height=fitted[1])
        else:
            image = frame.to_ndarray(format="rgb24")
        if self._pose is None:
            self._pose = new_pose(static=False)
        import numpy as np

        return _frame(self._pose.process(np.ascontiguousarray(image)), width / height)

    def close(self) -> None:
        """Release the model."""
        if self._pose is not None:
            self._pose.close()
            self._pose = None

    def __enter__(self) -> VideoTracker:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def video_samples(source: Any, fps: float | None = SAMPLE_FPS) -> list[Sample]:
    """Decode a clip with PyAV and run the pose model on its frames at up to ``fps`` a second.

    ``source`` is a path, a binary file, or an open ``av`` input container (left open). Only the
    first video stream is read. This does not apply the analyzer's limits (format whitelist,
    size, duration, decode budget): the analyzer decodes once and offers each frame to a
    ``VideoTracker`` itself; this is the plain path for tests and benchmarks.
    """
    import av

    owned = not isinstance(source, av.container.InputContainer)
    container = av.open(source, mode="r") if owned else source
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        with VideoTracker(fps) as tracker:
            for frame in _frames(container, stream):
                tracker.offer(frame)
            return tracker.samples
    finally:
        if owned:
            container.close()


def _frames(container: Any, stream: Any) -> Iterator[Any]:
    yield from container.decode(stream)
