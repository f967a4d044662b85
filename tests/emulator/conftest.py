"""Fixtures of the emulator tier."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator

import pytest
from js_listeners import SDK, Listeners


@pytest.fixture
def listen(backend: None) -> Iterator[Callable[..., Listeners]]:
    """Start ``listen.mjs`` for a user: ``listen(user, targets)``; all are stopped at teardown.

    Needs Node and the Firebase JS SDK (``npm ci`` from package-lock.json, run by scripts/setup.sh).
    """
    if shutil.which("node") is None:
        pytest.fail("node is not on the PATH: install Node.js 20 (see README Prerequisites)")
    if not SDK.is_file():
        pytest.fail(
            f"{SDK.parent} is missing: the Firebase JS SDK is a devDependency in package.json; "
            "run scripts/setup.sh (npm ci)"
        )
    started: list[Listeners] = []

    def start(user, targets: list[dict]) -> Listeners:
        started.append(Listeners(user, targets))
        return started[-1]

    yield start
    for listeners in started:
        if listeners.process.poll() is None:
            listeners.process.kill()
            listeners.process.wait()
