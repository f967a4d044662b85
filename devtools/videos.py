"""Real small videos made with PyAV, for the tests and the benchmarks: a moving square, a still
frame, a photographed person moving across the frame, broken files."""

from __future__ import annotations

import io
from pathlib import Path

# scikit-image's ``astronaut`` (NASA, public domain; tests/fixtures/pose/README.md).
PERSON = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pose" / "astronaut.png"


def clip(
    *,
    seconds: float = 2.0,
    fps: int = 25,
    width: int = 320,
    height: int = 180,
    moving: bool = True,
    textured: bool = False,
    codec: str = "libx264",
    pix_fmt: str = "yuv420p",
    container_format: str = "mp4",
) -> bytes:
    """An H.264 MP4 of a white square on grey, sliding across when ``moving``, else still.

    ``codec``, ``pix_fmt`` and ``container_format`` make the same picture another way (a 10-bit
    H.264, PNG frames in Matroska, a raw MJPEG stream).

    ``textured`` puts the square on a detailed background that pans, as a handheld camera's
    would: the bitrate and the decoder's work are then those of a real recording.
    """
    import av
    import numpy as np

    texture = None
    if textured:
        blocks = np.random.default_rng(7).integers(0, 256, (height // 4, width // 2, 3))
        texture = np.kron(blocks, np.ones((4, 4, 1))).astype(np.uint8)

    out = io.BytesIO()
    with av.open(out, "w", format=container_format) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        if codec == "libx264":
            stream.options = {"preset": "ultrafast"}
        side = max(8, height // 3)
        for index in range(int(seconds * fps)):
            if texture is None:
                image = np.full((height, width, 3), 64, np.uint8)
            else:
                shift = (index * 3) % width if moving else 0
                image = np.ascontiguousarray(texture[:, shift : shift + width])
            x = (index * 7) % (width - side) if moving else (width - side) // 2
            y = (height - side) // 2
            image[y : y + side, x : x + side] = 255
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def person_clip(
    *,
    seconds: float = 2.0,
    fps: int = 30,
    width: int = 640,
    height: int = 360,
    side: int = 300,
    preset: str = "ultrafast",
) -> tuple[bytes, list[int]]:
    """An H.264 MP4 of a real photo of a person (``PERSON``, scaled to ``side`` px) sliding left
    to right across a grey frame, and the photo's x offset in each frame (decoded with PyAV, so
    neither Pillow nor scikit-image is needed)."""
    import av
    import numpy as np

    with av.open(str(PERSON)) as photo:
        still = next(photo.decode(video=0))
        person = still.reformat(width=side, height=side, format="rgb24").to_ndarray()
    frames = round(seconds * fps)
    top = (height - side) // 2
    offsets = [round(index * (width - side) / max(1, frames - 1)) for index in range(frames)]
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": preset}  # "medium" is libx264's own default
        for x in offsets:
            image = np.full((height, width, 3), 96, np.uint8)
            image[top : top + side, x : x + side] = person
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue(), offsets


def truncated(data: bytes) -> bytes:
    """The first third of a video file: its header, then nothing decodable."""
    return data[: len(data) // 3]
