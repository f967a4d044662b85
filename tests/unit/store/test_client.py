"""store/client.py: ``together`` runs independent reads at once, answers them in order, and
raises an error once every read has finished."""

from __future__ import annotations

import threading
import time

import pytest

from sessionbase.store.client import together


def test_the_reads_run_at_the_same_time_and_answer_in_order():
    # Each read waits for the other two: run one after another, they would break the barrier.
    meeting = threading.Barrier(3, timeout=5)

    def read(value: str) -> str:
        meeting.wait()
        return value

    assert together(lambda: read("session"), lambda: read("notes"), lambda: read("files")) == [
        "session",
        "notes",
        "files",
    ]


def test_an_error_is_raised_once_every_read_has_finished():
    finished = []

    def slow() -> None:
        time.sleep(0.2)
        finished.append("slow")

    def failing() -> None:
        raise LookupError("not found")

    with pytest.raises(LookupError, match="not found"):
        together(failing, slow)
    assert finished == ["slow"]


def test_the_first_error_in_order_wins():
    def first() -> None:
        time.sleep(0.1)
        raise KeyError("first")

    def second() -> None:
        raise ValueError("second")

    with pytest.raises(KeyError):
        together(first, second)
