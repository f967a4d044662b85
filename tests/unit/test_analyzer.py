"""analyzer.py, the built-in analyzer, on real videos made by PyAV: what it measures, and what it
refuses."""

from __future__ import annotations

import io
import wave

import pytest

from devtools.videos import clip, truncated
from sessionbase import analyzer


def measured(data: bytes, **kwargs) -> analyzer.Measurement:
    return analyzer.measure(io.BytesIO(data), **kwargs)


def test_a_clip_is_measured_as_it_was_made():
    result = measured(clip(seconds=2, fps=25, width=320, height=180))
    metrics = result.metrics()
    assert (metrics["width"], metrics["height"], metrics["frameRate"]) == (320, 180, 25.0)
    assert metrics["framesDecoded"] == 50
    assert len(result.motion) == 49
    assert metrics["durationSeconds"] == pytest.approx(2.0, abs=0.05)


def test_motion_shows_in_the_series_and_a_still_picture_shows_none():
    moving = measured(clip(seconds=1, moving=True)).metrics()
    still = measured(clip(seconds=1, moving=False)).metrics()
    assert moving["activeTimeFraction"] > 0.9
    assert moving["motionEnergyMean"] > 1.0
    assert moving["motionEnergyPeak"] >= moving["motionEnergyMean"]
    assert still["activeTimeFraction"] == 0.0
    assert still["motionEnergyPeak"] < analyzer.ACTIVE_THRESHOLD


@pytest.mark.parametrize(
    "how",
    [
        {"pix_fmt": "yuv420p10le"},  # 10-bit luma: two bytes a sample
        {"codec": "ffv1", "pix_fmt": "yuv420p10le", "container_format": "nut"},
        {"codec": "png", "pix_fmt": "rgb24", "container_format": "nut"},  # no YUV at all
        {"codec": "mjpeg", "pix_fmt": "yuvj420p", "container_format": "mjpeg"},  # full range
    ],
    ids=["10-bit-h264", "10-bit-lossless", "rgb", "full-range"],
)
def test_every_pixel_format_measures_on_one_scale(how):
    """The same picture, stored losslessly as 8-bit limited-range YUV, is the reference."""
    lossless = {"codec": "ffv1", "pix_fmt": "yuv420p", "container_format": "nut"}
    reference = measured(clip(seconds=1, **lossless)).metrics()
    other = measured(clip(seconds=1, **how)).metrics()
    assert other["framesDecoded"] == reference["framesDecoded"]
    assert other["motionEnergyMean"] == pytest.approx(reference["motionEnergyMean"], rel=0.05)


def test_a_change_of_resolution_restarts_the_series():
    # A raw MJPEG stream: two clips put end to end are one stream whose frames change size.
    mjpeg = {"seconds": 0.2, "codec": "mjpeg", "pix_fmt": "yuvj420p", "container_format": "mjpeg"}
    small = clip(width=64, height=48, **mjpeg)
    large = clip(width=96, height=64, **mjpeg)
    result = measured(small + large)
    assert result.frames_decoded == 10
    assert len(result.motion) == 8
    assert (result.width, result.height) == (96, 64)


def test_a_single_frame_has_no_motion():
    metrics = measured(clip(seconds=0.04)).metrics()
    assert metrics["framesDecoded"] == 1
    assert metrics["motionEnergyMean"] == metrics["activeTimeFraction"] == 0.0


def test_progress_is_reported_in_steps_of_ten_below_100():
    seen: list[int] = []
    measured(clip(seconds=2, fps=25), on_progress=seen.append)
    assert seen == sorted(set(seen))
    assert seen
    assert all(value % 10 == 0 and 0 < value < 100 for value in seen)


def test_the_series_document_says_what_its_numbers_are():
    result = measured(clip(seconds=0.4))
    document = result.series_document()
    assert document["unit"] == analyzer.SERIES_UNIT
    assert len(document["motionEnergy"]) == len(result.motion) == 9


def test_frames_larger_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(analyzer, "MAX_PIXELS", 100 * 100)
    with pytest.raises(analyzer.UnreadableVideo, match=r"\(320x180\) are larger than 8K"):
        measured(clip(seconds=0.2))


def wav_file() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\0\0" * 8000)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"this is not a video " * 50, "not a video that can be decoded"),
        (b"", "not a video that can be decoded"),
        (wav_file(), "no video stream"),
    ],
    ids=["text", "empty", "audio"],
)
def test_bytes_that_are_no_video_are_refused_with_a_reason(data, reason):
    with pytest.raises(analyzer.UnreadableVideo, match=reason):
        measured(data)


def test_a_truncated_video_is_refused():
    with pytest.raises(analyzer.UnreadableVideo, match="decoded"):
        measured(truncated(clip(seconds=2, textured=True)))
