"""The records the analysis tests start from: a queued job (and its key), a callback body."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sessionbase.domain.analysis import jobs
from sessionbase.models.analysis import AnalysisCallback, JobRecord
from sessionbase.models.validation import parse

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
BUCKET, VIDEO, GENERATION = "bucket", "sessions/s1/video/a.mp4", "17"
KEY = jobs.job_id(BUCKET, VIDEO, GENERATION)  # the key of job(): what a session points at


def job(**changes: Any) -> JobRecord:
    """The queued job of session ``s1``'s video, created at ``T0``, with ``changes``."""
    return jobs.new_job("s1", BUCKET, VIDEO, GENERATION, T0).changed(**changes)


def callback(**fields: Any) -> AnalysisCallback:
    """A callback body of the analysis backend about session ``s1``."""
    # As a request is validated: strict JSON types (an enum by its value).
    return parse(AnalysisCallback, {"sessionId": "s1", **fields})
