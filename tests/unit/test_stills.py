"""stills.py: the poster and the thumbnail strip, from real decoded frames (PyAV) and, for long
clips, from stand-in frames that only say their time and size."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest

from devtools.videos import clip
from sessionbase import analyzer, stills


def decoded(data: bytes) -> list[av.VideoFrame]:
    import io

    with av.open(io.BytesIO(data)) as container:
        return list(container.decode(video=0))


def jpeg_size(data: bytes) -> tuple[int, int]:
    """A JPEG decoded with FFmpeg: its width and height (and it is a JPEG)."""
    import io

    assert data[:2] == b"\xff\xd8"
    with av.open(io.BytesIO(data), format="image2pipe") as container:
        frame = next(container.decode(video=0))
    return frame.width, frame.height


def test_a_clip_gets_its_poster_a_second_in_and_a_tile_a_second():
    made = stills.Stills()
    video = clip(seconds=3.5, fps=25, width=640, height=360)
    import io

    measured = analyzer.measure(io.BytesIO(video), observers=[made])
    assert measured.frames_decoded == 87
    poster = made.poster()
    assert poster is not None
    assert (poster.width, poster.height) == jpeg_size(poster.data) == (640, 360)
    assert poster.meta == {"atSeconds": 1.0}
    strip = made.thumbnails()
    assert strip is not None
    assert strip.meta == {
        "tileWidth": 160,
        "tileHeight": 90,
        "columns": 4,
        "count": 4,
        "times": [0.0, 1.0, 2.0, 3.0],
    }
    assert jpeg_size(strip.data) == (strip.width, strip.height) == (640, 90)
    assert strip.document("analysis/s/j/thumbnails.jpg")["bytes"] == len(strip.data)


def test_a_clip_shorter_than_a_second_gets_its_last_frame_as_poster():
    made = stills.Stills()
    for frame in decoded(clip(seconds=0.5, fps=10, width=320, height=180)):
        made.offer(frame)
    poster = made.poster()
    assert poster is not None
    assert poster.meta == {"atSeconds": 0.4}
    assert jpeg_size(poster.data) == (320, 180)


def test_a_long_clip_keeps_an_even_strip_of_at_most_100_tiles():
    # Ten minutes, a frame a second: one real 1920x1080 frame shown again and again, each time
    # stamped a second later (Stills converts what it keeps at once).
    frame = av.VideoFrame.from_ndarray(np.full((1080, 1920, 3), 128, np.uint8), format="rgb24")
    frame.time_base = Fraction(1, 1)
    made = stills.Stills()
    for second in range(10 * 60):
        frame.pts = second
        made.offer(frame)
    strip = made.thumbnails()
    assert strip is not None
    times = strip.meta["times"]
    assert strip.meta["count"] == len(times) <= stills.MAX_THUMBNAILS
    assert len(times) >= stills.MAX_THUMBNAILS // 2
    steps = {b - a for a, b in zip(times, times[1:], strict=False)}
    assert steps == {8.0}  # 1 s doubled three times: 600 s in 75 tiles
    assert (strip.meta["tileWidth"], strip.meta["tileHeight"], strip.meta["columns"]) == (
        160,
        90,
        10,
    )
    assert jpeg_size(strip.data) == (1600, 8 * 90)
    poster = made.poster()
    assert poster is not None
    assert (poster.width, poster.height) == (1280, 720)  # scaled down to the long side


@pytest.mark.parametrize(
    ("size", "options", "fitted"),
    [
        ((1920, 1080), {"side": 1280}, (1280, 720)),
        ((640, 360), {"side": 1280}, (640, 360)),  # never up
        ((1080, 1920), {"across": 160}, (160, 284)),
        ((333, 201), {"across": 160}, (160, 96)),  # even sides
    ],
)
def test_sizes_scale_down_to_even_sides(size, options, fitted):
    assert stills.fit(*size, **options) == fitted


def test_no_frame_no_stills():
    made = stills.Stills()
    assert made.poster() is None
    assert made.thumbnails() is None
