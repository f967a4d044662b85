"""Thread pools made on first use: importing a module that keeps one stays cheap."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

T = TypeVar("T")


class Pool:
    """A pool of threads made on its first use (importing stays cheap), once even when two first
    requests come at once. Each kind of work keeps a pool of its own, so that it never waits
    behind another kind (a caller's check behind the reads it runs beside)."""

    def __init__(self, name: str, threads: int) -> None:
        self._name = name
        self._threads = threads
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    def submit(self, task: Callable[[], T]) -> Future[T]:
        """Run ``task`` on one of the pool's threads."""
        with self._lock:
            if self._executor is None:
                from concurrent.futures import ThreadPoolExecutor

                self._executor = ThreadPoolExecutor(
                    max_workers=self._threads, thread_name_prefix=self._name
                )
        return self._executor.submit(task)
