"""Browser tests: the web app (app/, built into app/dist and served by the Hosting emulator) in
headless Chromium, driven by Playwright for Python. Debian's chromium is launched by its path: no
browser download is possible here. The harness is tests/browser/app.py."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.app import App

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
PERF = Path(__file__).resolve().parents[2] / "test-results" / "web-perf.txt"
_perf_lines: list[str] = []


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
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
def app(chromium: Any, backend: None, make_user: Callable[..., Any]) -> Iterator[App]:
    """The app on the Hosting emulator (tests/browser/app.py): ``app.open``, ``app.sign_in``,
    ``app.sign_in_as``. Any console or page error left unreported fails the test at its end."""
    from devtools.emulators import HOSTING

    opened = App(chromium, HOSTING, make_user)
    yield opened
    left = opened.close()
    assert not left, "console or page errors in the browser:\n" + "\n".join(left)


@pytest.fixture
def viewport() -> str:
    """Journeys run on a phone (390×844); ``check_screen`` also checks each screen they reach
    at a desktop's size (1280×800). Running every journey at both sizes cost CI two minutes of
    its twenty for the same screens."""
    return "phone"


@pytest.fixture
def perf() -> Callable[[str], None]:
    """Note a performance figure: written to test-results/web-perf.txt and shown in the summary
    at the end of the run (no -s needed)."""

    def note(line: str) -> None:
        PERF.parent.mkdir(parents=True, exist_ok=True)
        if not _perf_lines:
            PERF.write_text("")
        _perf_lines.append(line)
        with PERF.open("a") as out:
            out.write(line + "\n")

    return note


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _perf_lines:
        terminalreporter.section("web app performance (Chromium, Hosting emulator)")
        for line in _perf_lines:
            terminalreporter.write_line(line)
