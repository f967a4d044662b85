"""analyzer.py, the built-in analyzer, on real videos made by PyAV: what it measures, and what it
refuses."""

from __future__ import annotations

import io
import wave
from datetime import timedelta

import pytest

from devtools.videos import clip, truncated
from sessionbase import analyzer
from sessionbase.domain.analysis.jobs import TASK_TIMEOUT


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
        {"codec": "ffv1", "pix_fmt": "yuv420p10le", "container_format": "matroska"},
        {"codec": "png", "pix_fmt": "rgb24", "container_format": "mov"},  # no YUV at all
        {"codec": "mjpeg", "pix_fmt": "yuvj420p", "container_format": "matroska"},  # full range
    ],
    ids=["10-bit-h264", "10-bit-lossless", "rgb", "full-range"],
)
def test_every_pixel_format_measures_on_one_scale(how):
    """The same picture, stored losslessly as 8-bit limited-range YUV, is the reference."""
    lossless = {"codec": "ffv1", "pix_fmt": "yuv420p", "container_format": "matroska"}
    reference = measured(clip(seconds=1, **lossless)).metrics()
    other = measured(clip(seconds=1, **how)).metrics()
    assert other["framesDecoded"] == reference["framesDecoded"]
    assert other["motionEnergyMean"] == pytest.approx(reference["motionEnergyMean"], rel=0.05)


def test_a_change_of_resolution_restarts_the_series():
    # MPEG transport streams put end to end are one stream whose frames change size.
    small = clip(seconds=0.2, width=64, height=48, container_format="mpegts")
    large = clip(seconds=0.2, width=96, height=64, container_format="mpegts")
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
    with pytest.raises(analyzer.VideoRefused, match=r"\(320x180\) are larger than 8K"):
        measured(clip(seconds=0.2))


# ---- untrusted input: issue 21 (9) -------------------------------------------------------------


@pytest.mark.parametrize(
    "how",
    [
        {"container_format": "mp4"},
        {"container_format": "mov"},
        {"codec": "libvpx-vp9", "container_format": "webm"},
        {"codec": "ffv1", "container_format": "matroska"},
        {"codec": "mpeg1video", "container_format": "mpeg"},
        {"container_format": "mpegts"},
    ],
    ids=["mp4", "mov", "webm", "mkv", "mpeg-ps", "mpeg-ts"],
)
def test_each_accepted_container_is_measured(how):
    assert measured(clip(seconds=0.4, **how)).frames_decoded >= 9


@pytest.mark.parametrize(
    "how",
    [
        {"codec": "ffv1", "container_format": "nut"},
        {"codec": "mjpeg", "pix_fmt": "yuvj420p", "container_format": "avi"},
        {"codec": "mjpeg", "pix_fmt": "yuvj420p", "container_format": "mjpeg"},  # raw stream
        {"codec": "libx264", "container_format": "flv"},
    ],
    ids=["nut", "avi", "raw-mjpeg", "flv"],
)
def test_other_containers_never_reach_their_demuxer(how):
    """Every FFmpeg demuxer used to be reachable by an upload; only four are now."""
    with pytest.raises(analyzer.VideoRefused, match="format is not accepted: send MP4"):
        measured(clip(seconds=0.4, **how))


def progress_of(data: bytes, **kwargs) -> list[int]:
    seen: list[int] = []
    measured(data, on_progress=seen.append, **kwargs)
    return seen


def test_a_video_longer_than_the_limit_is_refused_before_decoding(monkeypatch):
    data = clip(seconds=2)
    monkeypatch.setattr(analyzer, "MAX_DURATION", timedelta(seconds=1))
    seen: list[int] = []
    with pytest.raises(analyzer.VideoRefused, match="is 2 seconds long; .* up to 0 minutes"):
        measured(data, on_progress=seen.append)
    assert seen == []  # nothing decoded


def test_a_video_declaring_more_frames_than_the_limit_is_refused_before_decoding(monkeypatch):
    data = clip(seconds=2, fps=25)
    monkeypatch.setattr(analyzer, "MAX_FRAMES", 40)
    seen: list[int] = []
    with pytest.raises(analyzer.VideoRefused, match="declares 50 frames; the limit is 40"):
        measured(data, on_progress=seen.append)
    assert seen == []


def test_frames_past_the_limit_are_refused_while_decoding(monkeypatch):
    # A container that declares no frame count or duration (concatenated transport streams
    # declare the first's): the decoded frames are counted.
    part = clip(seconds=0.4, container_format="mpegts")
    monkeypatch.setattr(analyzer, "MAX_FRAMES", 15)
    with pytest.raises(analyzer.VideoRefused, match="more than 15 frames"):
        measured(part + part)


def test_a_larger_declared_resolution_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(analyzer, "MAX_SIDE", 300)
    seen: list[int] = []
    with pytest.raises(analyzer.VideoRefused, match=r"\(320x180\) are larger than 8K"):
        measured(clip(seconds=2), on_progress=seen.append)
    assert seen == []


def test_decoding_stops_at_the_time_budget():
    ticks = iter(range(1000))  # one second a frame
    with pytest.raises(analyzer.VideoRefused, match="longer than 5 seconds to decode"):
        measured(clip(seconds=1), budget=timedelta(seconds=5), clock=lambda: next(ticks))


def test_the_decode_budget_leaves_the_task_time_to_store_its_results():
    assert TASK_TIMEOUT - timedelta(minutes=1) > analyzer.DECODE_BUDGET
    assert timedelta(seconds=analyzer.MAX_FRAMES / 60) <= analyzer.MAX_DURATION


def wav_file() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\0\0" * 8000)
    return out.getvalue()


def audio_only_matroska() -> bytes:
    import av
    import numpy as np

    out = io.BytesIO()
    with av.open(out, "w", format="matroska") as container:
        stream = container.add_stream("pcm_s16le", rate=8000, layout="mono")
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 8000), np.int16), format="s16", layout="mono"
        )
        frame.sample_rate = 8000
        for packet in [*stream.encode(frame), *stream.encode()]:
            container.mux(packet)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"this is not a video " * 50, "not a video that can be decoded"),
        (b"", "not a video that can be decoded"),
        (wav_file(), "format is not accepted"),
        (audio_only_matroska(), "no video stream"),
    ],
    ids=["text", "empty", "wav", "audio"],
)
def test_bytes_that_are_no_video_are_refused_with_a_reason(data, reason):
    with pytest.raises(analyzer.UnreadableVideo, match=reason):
        measured(data)


def test_a_truncated_video_is_refused():
    with pytest.raises(analyzer.UnreadableVideo, match="decoded"):
        measured(truncated(clip(seconds=2, textured=True)))
