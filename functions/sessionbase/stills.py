"""Still pictures of a video, made by the built-in analyzer in its one decode: a poster and a
thumbnail strip (docs/decisions.md, "Video review: poster and thumbnails").

- **Poster**: the frame shown at ``POSTER_SECONDS`` (a clip's first frames are often black or a
  fade-in; a second in, the person is in place), or the last frame of a shorter clip; scaled
  down to ``POSTER_SIDE`` on its long side, a JPEG.
- **Thumbnails**: one frame every ``interval`` seconds from the first, ``THUMB_WIDTH`` px wide,
  laid out left to right, top to bottom, ``COLUMNS`` to a row, in one JPEG sprite; ``times``
  says when each was taken. The interval starts at one second and doubles whenever the strip
  would pass ``MAX_THUMBNAILS`` (every other tile is dropped), so any clip gets an even strip of
  at most that many tiles without knowing its length in advance.

``av`` and ``numpy`` are imported on first use. JPEGs are encoded with FFmpeg's MJPEG encoder
(through PyAV), so no imaging library is needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

POSTER_SECONDS = 1.0
POSTER_SIDE = 1280  # pixels, the long side
THUMB_WIDTH = 160  # pixels
COLUMNS = 10
MAX_THUMBNAILS = 100
FIRST_INTERVAL = 1.0  # seconds
JPEG_QUALITY = 3  # FFmpeg's MJPEG quantiser scale: 2 (best) … 31; 3 is visually lossless here


@dataclass(frozen=True, kw_only=True)
class Still:
    """One JPEG made from the video and what a client needs to show it."""

    data: bytes
    width: int
    height: int
    meta: dict[str, Any]  # stored beside the path: poster's atSeconds; the strip's layout

    def document(self, path: str) -> dict[str, Any]:
        """As listed on the session's ``analysisAssets``."""
        return {
            "path": path,
            "width": self.width,
            "height": self.height,
            "bytes": len(self.data),
            **self.meta,
        }


def fit(
    width: int, height: int, *, side: int | None = None, across: int | None = None
) -> tuple[int, int]:
    """``width``×``height`` scaled down to ``side`` on its long side, or to ``across`` wide; never
    up; both even (the encoder's 4:2:0 chroma needs it) and at least 2."""
    if across is not None:
        scale = min(1.0, across / width)
    else:
        scale = min(1.0, (side or max(width, height)) / max(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


class Stills:
    """Offered every decoded frame in order (``offer``), it keeps the poster and the tiles."""

    def __init__(self) -> None:
        self._start: float | None = None
        self._index = 0
        self._poster: tuple[float, Any] | None = None
        self._last: tuple[float, Any] | None = None
        self._tiles: list[tuple[float, Any]] = []
        self._interval = FIRST_INTERVAL
        self._next = 0.0
        # One scaler each for tiles and poster, kept: FFmpeg's scaler set up once, not per frame
        # (measured 0.8 ms a tile afresh, 0.2 ms reused).
        self._scalers: dict[str, Any] = {}

    def offer(self, frame: Any) -> bool:
        """Consider one decoded ``av.VideoFrame``; True if it was kept (poster or tile)."""
        time = frame.time
        if time is None:
            time = self._index / 30.0
        self._index += 1
        if self._start is None:
            self._start = float(time)
        elapsed = float(time) - self._start
        kept = False
        if self._poster is None:
            if elapsed >= POSTER_SECONDS:
                size = fit(frame.width, frame.height, side=POSTER_SIDE)
                self._poster = (elapsed, self._rgb("poster", frame, size))
                self._last = None
                kept = True
            else:
                self._last = (elapsed, frame)
        if elapsed + 1e-6 >= self._next:
            size = fit(frame.width, frame.height, across=THUMB_WIDTH)
            self._tiles.append((elapsed, self._rgb("tile", frame, size)))
            if len(self._tiles) > MAX_THUMBNAILS:
                self._tiles = self._tiles[::2]
                self._interval *= 2
            self._next = self._tiles[-1][0] + self._interval
            kept = True
        return kept

    def _rgb(self, use: str, frame: Any, size: tuple[int, int]) -> Any:
        """``frame`` as an RGB array of ``size``, through the scaler kept for ``use``."""
        scaler = self._scalers.get(use)
        if scaler is None:
            from av.video.reformatter import VideoReformatter

            scaler = self._scalers[use] = VideoReformatter()
        return scaler.reformat(frame, width=size[0], height=size[1], format="rgb24").to_ndarray()

    def poster(self) -> Still | None:
        """The poster (None when no frame was offered)."""
        if self._poster is None and self._last is not None:
            at, frame = self._last
            size = fit(frame.width, frame.height, side=POSTER_SIDE)
            self._poster = (at, self._rgb("poster", frame, size))
        if self._poster is None:
            return None
        at, image = self._poster
        height, width = image.shape[:2]
        return Still(data=jpeg(image), width=width, height=height, meta={"atSeconds": round(at, 3)})

    def thumbnails(self) -> Still | None:
        """The strip as one sprite (None when no frame was offered)."""
        if not self._tiles:
            return None
        import numpy as np

        tile_height, tile_width = self._tiles[0][1].shape[:2]
        columns = min(COLUMNS, len(self._tiles))
        rows = math.ceil(len(self._tiles) / columns)
        sprite = np.zeros((rows * tile_height, columns * tile_width, 3), np.uint8)
        for index, (_, image) in enumerate(self._tiles):
            row, column = divmod(index, columns)
            if image.shape[:2] != (tile_height, tile_width):  # the resolution changed midway
                continue
            top, left = row * tile_height, column * tile_width
            sprite[top : top + tile_height, left : left + tile_width] = image
        return Still(
            data=jpeg(sprite),
            width=columns * tile_width,
            height=rows * tile_height,
            meta={
                "tileWidth": tile_width,
                "tileHeight": tile_height,
                "columns": columns,
                "count": len(self._tiles),
                "times": [round(at, 3) for at, _ in self._tiles],
            },
        )


def jpeg(image: Any) -> bytes:
    """An RGB array (height × width × 3, even sides) as a baseline JPEG."""
    import av

    height, width = image.shape[:2]
    codec = av.CodecContext.create("mjpeg", "w")
    codec.width, codec.height, codec.pix_fmt = width, height, "yuvj420p"
    codec.time_base = Fraction(1, 25)
    codec.options = {"qmin": str(JPEG_QUALITY), "qmax": str(JPEG_QUALITY)}
    frame = av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuvj420p")
    return b"".join(bytes(packet) for packet in [*codec.encode(frame), *codec.encode(None)])
