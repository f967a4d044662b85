"""Video review (DESIGN.md §7): what playback, the analysis as data and the comparison of two
sessions take and answer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from sessionbase.models.base import Input, Output, Part
from sessionbase.models.fields import Id, QueryInt

# The analysis's series and keypoint frames, downsampled to ``points`` each (docs/decisions.md,
# "Video review: playback and analysis data"): 500 draws a phone-wide chart; 5000 is more than a
# 10-minute clip's pose samples and a desktop chart's pixels.
DEFAULT_POINTS = 500
MIN_POINTS = 2
MAX_POINTS = 5000
# b's offset on a's time base: at most the longest clip the analyzer takes (10 minutes) either way.
MAX_OFFSET_MS = 600_000


def _signed_digits(value: Any) -> Any:
    """A query-string integer that may be negative (``-250``); a callable sends a JSON number."""
    if isinstance(value, str):
        if not re.fullmatch(r"-?[0-9]{1,9}", value):
            raise ValueError("expected an integer (milliseconds, plain digits, may start with -)")
        return int(value)
    return value


QuerySignedInt = Annotated[int, BeforeValidator(_signed_digits)]


class AnalysisQuery(Input):
    """Query of ``GET /api/sessions/{id}/analysis``."""

    points: QueryInt = Field(default=DEFAULT_POINTS, ge=MIN_POINTS, le=MAX_POINTS)


class CompareQuery(Input):
    """Query of ``GET /api/sessions/compare``: b's time t is placed at t + offsetMs on a's axis."""

    a: Id
    b: Id
    offsetMs: QuerySignedInt = Field(default=0, ge=-MAX_OFFSET_MS, le=MAX_OFFSET_MS)
    points: QueryInt = Field(default=DEFAULT_POINTS, ge=MIN_POINTS, le=MAX_POINTS)


class VideoPlayback(Output):
    """``GET /api/sessions/{id}/video``: a short-lived URL of the video, and its measures.

    The URL answers ranged GETs (a player seeks); the measures are null before the analysis."""

    url: str
    expiresAt: dt.datetime
    contentType: str | None
    durationSeconds: float | None
    width: int | None
    height: int | None
    posterUrl: str | None


class AnalysisSummary(Part):
    """The session's own summary of its analysis: ``metrics`` and the ``pose`` block."""

    metrics: dict[str, Any] | None
    pose: dict[str, Any] | None


class ThumbnailStrip(Part):
    """The thumbnail sprite: tile i at column i % columns, row i // columns, time ``times[i]``."""

    url: str
    tileWidth: int
    tileHeight: int
    columns: int
    count: int
    times: list[float]


class AssetUrls(Part):
    """Short-lived URLs of the analysis's poster and thumbnails (null where there are none)."""

    posterUrl: str | None
    thumbnails: ThumbnailStrip | None


class LandmarkFrames(Part):
    """Pose keypoints, thinned: ``frames[i]`` at ``times[i]`` seconds.

    A frame is 33 ``[x, y, visibility]`` (x, y: 0..1 of the frame), or null: nobody seen."""

    times: list[float]
    frames: list[Any]


class SessionAnalysis(Output):
    """``GET /api/sessions/{id}/analysis``: the current job's figures and asset URLs.

    ``series``: each ``[[seconds, value|null], ...]``, at most ``points`` points."""

    sessionId: str
    jobId: str | None
    analysisStatus: str | None
    summary: AnalysisSummary
    series: dict[str, list[tuple[float, float | None]]]
    landmarks: LandmarkFrames | None
    assets: AssetUrls
    expiresAt: dt.datetime


class ComparedSession(Part):
    """One side of a comparison: its summary and its video (null: none to play)."""

    sessionId: str
    summary: AnalysisSummary
    video: VideoPlayback | None


class SeriesPair(Part):
    """One series of both sessions, their values at the comparison's ``times``."""

    a: list[float | None]
    b: list[float | None]


class SessionComparison(Output):
    """``GET /api/sessions/compare``: both sessions, and their series on a's time base."""

    offsetMs: int
    a: ComparedSession
    b: ComparedSession
    times: list[float]
    series: dict[str, SeriesPair]
