"""The pose tier's fixture photos (tests/fixtures/pose; its README says where each comes from)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PHOTOS = Path(__file__).resolve().parent.parent / "fixtures" / "pose"


def photo(name: str) -> Any:
    """``tests/fixtures/pose/{name}.png`` as a Pillow image."""
    from PIL import Image

    with Image.open(PHOTOS / f"{name}.png") as image:
        image.load()
        return image.copy()
