"""GET /api/health's Firestore check: bounded in time, remembered, and either ok or unavailable."""

from __future__ import annotations

import time

import pytest

from sessionbase.handlers import meta


@pytest.fixture(autouse=True)
def forget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meta, "_last", None)
    monkeypatch.setattr(meta, "CHECK_SECONDS", 0.2)


def test_a_read_that_answers_is_ok_and_remembered() -> None:
    calls: list[int] = []
    assert meta.firestore_state(lambda: calls.append(1)) == "ok"
    assert meta.firestore_state(lambda: calls.append(1)) == "ok"
    assert calls == [1]  # one read per REMEMBER_SECONDS per instance


def test_a_failing_or_slow_read_is_unavailable_within_the_bound() -> None:
    def fails() -> None:
        raise ConnectionError("no route to Firestore")

    assert meta.firestore_state(fails) == "unavailable"
    meta._last = None
    started = time.monotonic()
    assert meta.firestore_state(lambda: time.sleep(1)) == "unavailable"
    assert time.monotonic() - started < 0.5
