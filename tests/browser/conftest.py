"""Browser tests: the reference web app (web/src, served by the Hosting emulator) in headless
Chromium, driven by Playwright for Python. Debian's chromium is launched by its path: no
browser download is possible here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Without these Chromium keeps trying Google's hosts, which this closed network refuses.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        pytest.skip("needs the emulator suite: run scripts/test.sh")
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium package (apt-get install chromium): /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def open_app(chromium, backend):
    """A new browser context (its own cookies and storage: another person) on the app."""
    from devtools.emulators import HOSTING

    contexts = []
    refused: list[str] = []  # what Hosting's Content-Security-Policy blocked (firebase.json)

    def open_(viewport=None):
        context = chromium.new_context(viewport=viewport or {"width": 1000, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.set_default_timeout(20_000)
        page.goto(f"{HOSTING}/")
        return page

    yield open_
    for context in contexts:
        context.close()
    assert refused == [], "the app did something its Content-Security-Policy refuses"
