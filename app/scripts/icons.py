"""Draw the app's PNG icons and favicon.ico from its SVGs with Debian's Chromium (Playwright).

    .venv/bin/python app/scripts/icons.py

Run after changing app/public/icon.svg or icon-maskable.svg; the PNGs are committed, so the build
needs neither Chromium nor an image library.
"""

from __future__ import annotations

import base64
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

PUBLIC = Path(__file__).resolve().parents[1] / "public"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
ICONS = [
    ("icon.svg", 192, "icon-192.png"),
    ("icon.svg", 512, "icon-512.png"),
    ("icon.svg", 180, "apple-touch-icon.png"),
    ("icon.svg", 32, "favicon-32.png"),
    ("icon-maskable.svg", 512, "icon-maskable-512.png"),
]


def ico(png: bytes, size: int) -> bytes:
    """A one-image .ico holding the PNG as it is (Windows Vista and every browser read that)."""
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def main() -> None:
    """Draw every icon in ICONS, then wrap the 32 px one as favicon.ico."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for source, size, target in ICONS:
            page = browser.new_page(viewport={"width": size, "height": size})
            svg = base64.b64encode((PUBLIC / source).read_bytes()).decode()
            page.set_content(
                f'<body style="margin:0;background:transparent">'
                f'<img src="data:image/svg+xml;base64,{svg}" width="{size}" height="{size}"'
                f' style="display:block"></body>'
            )
            page.screenshot(path=str(PUBLIC / target), omit_background=True)
            page.close()
        browser.close()
    favicon = PUBLIC / "favicon-32.png"
    (PUBLIC / "favicon.ico").write_bytes(ico(favicon.read_bytes(), 32))
    favicon.unlink()


if __name__ == "__main__":
    main()
