"""Fixtures shared by all the tiers; emulator fixtures skip when the suite is not running."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable

import pytest

from devtools import emulators


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test belongs to exactly one tier, taken from its folder."""
    for item in items:
        for tier in ("unit", "emulator", "backend", "browser", "pose"):
            if f"/tests/{tier}/" in str(item.path):
                item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture
def backend() -> None:
    """A clean emulator project (Firestore and Auth wiped) for one test."""
    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        pytest.skip("needs the emulator suite: run scripts/test.sh")
    emulators.reset()


_counter = itertools.count()


@pytest.fixture
def make_user(backend: None) -> Callable[..., emulators.User]:
    """Create signed-in users: ``make_user("coach")`` (unique e-mails per test)."""
    run = uuid.uuid4().hex[:6]

    def make(
        role: str = "athlete", *, email: str | None = None, verified: bool = True
    ) -> emulators.User:
        n = next(_counter)
        email = email or f"{role}{n}-{run}@example.com"
        return emulators.sign_up(
            email, "password123", role=None if role == "athlete" else role, verified=verified
        )

    return make


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--deep", action="store_true", help="the fuzz tier with 100 examples per operation"
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--deep"):
        os.environ.setdefault("SESSIONBASE_FUZZ_EXAMPLES", "100")
