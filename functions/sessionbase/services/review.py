"""Video review (DESIGN.md §7): play a session's video, its analysis as data, two sessions compared.

Everything the analyzer wrote under ``analysis/{sid}/{job}/`` is closed to clients (storage.rules):
it is read here, or handed out as a short-lived signed URL (``DOWNLOAD_URL_LIFETIME``, as
attachments' downloads are). Only the session's current job's files are read, at the paths the
analyzer writes them to, so a path stored on a session can point nowhere else. No URL is ever
stored on a session (docs/decisions.md, "Video review: playback and analysis data").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sessionbase.domain import review
from sessionbase.domain.analysis.jobs import ANALYSIS_PREFIX, analytics_path, pose_path
from sessionbase.errors import NotFound
from sessionbase.models.review import (
    AnalysisQuery,
    AnalysisSummary,
    AssetUrls,
    ComparedSession,
    CompareQuery,
    LandmarkFrames,
    SeriesPair,
    SessionAnalysis,
    SessionComparison,
    ThumbnailStrip,
    VideoPlayback,
)
from sessionbase.models.sessions import AnalysisStatus, SessionRecord
from sessionbase.services.access import readable
from sessionbase.services.context import Context
from sessionbase.services.sessions import DOWNLOAD_URL_LIFETIME
from sessionbase.store.client import together

NO_VIDEO = "This session has no video."


def get_video(ctx: Context, *, session_id: str) -> VideoPlayback:
    """``GET /api/sessions/{id}/video``: a short-lived URL of the session's video (it answers
    ranged GETs, so a player seeks), its type, size and duration, and its poster's URL."""
    session = readable(ctx, session_id)
    video = _playback(ctx, session_id, session)
    if video is None:
        raise NotFound(NO_VIDEO)
    return video


def get_analysis(ctx: Context, query: AnalysisQuery, *, session_id: str) -> SessionAnalysis:
    """``GET /api/sessions/{id}/analysis``: the current job's summary, its series downsampled to
    ``points`` each, its keypoints thinned to ``points`` frames, and its assets' URLs; before the
    analysis completes, the status and empty series."""
    session = readable(ctx, session_id)
    files = _files(session, *together(*_file_reads(ctx, session_id, session)))
    pose = files.pose or {}
    landmarks = None
    times, frames = pose.get("times"), pose.get("landmarks")
    if isinstance(times, list) and isinstance(frames, list) and frames:
        picked = review.evenly_spaced(min(len(times), len(frames)), query.points)
        landmarks = LandmarkFrames(
            times=[review.seconds(times[i]) for i in picked], frames=[frames[i] for i in picked]
        )
    return SessionAnalysis(
        sessionId=session_id,
        jobId=session.analysisJobId,
        analysisStatus=session.analysisStatus,
        summary=_summary(session),
        series={
            name: review.downsample(points, query.points) for name, points in files.series.items()
        },
        landmarks=landmarks,
        assets=_assets(ctx, session_id, session),
        expiresAt=_expiry(ctx),
    )


def compare(ctx: Context, query: CompareQuery) -> SessionComparison:
    """``GET /api/sessions/compare``: two sessions' summaries, videos and series on one time grid
    of at most ``points`` times, b's time t placed at t + offsetMs on a's time base."""
    a, b = together(lambda: readable(ctx, query.a), lambda: readable(ctx, query.b))
    motion_a, pose_a, motion_b, pose_b = together(
        *_file_reads(ctx, query.a, a), *_file_reads(ctx, query.b, b)
    )
    files_a, files_b = _files(a, motion_a, pose_a), _files(b, motion_b, pose_b)
    aligned = review.align(
        files_a.series,
        files_b.series,
        spans=(_span(a), _span(b)),
        offset=query.offsetMs / 1000,
        limit=query.points,
    )
    return SessionComparison(
        offsetMs=query.offsetMs,
        a=_compared(ctx, query.a, a),
        b=_compared(ctx, query.b, b),
        times=aligned.times,
        series={name: SeriesPair(a=va, b=vb) for name, (va, vb) in aligned.series.items()},
    )


# ---- the session's video and assets --------------------------------------------------------------


def _has_video(session: SessionRecord) -> bool:
    """An accepted upload: its path, its generation and a job (a refused upload has no job, and
    a path alone is where a coach's upload is still to go)."""
    return bool(session.videoPath and session.videoGeneration and session.analysisJobId)


def _playback(ctx: Context, session_id: str, session: SessionRecord) -> VideoPlayback | None:
    if not _has_video(session):
        return None
    assert session.videoPath is not None
    metrics = session.metrics or {}
    return VideoPlayback(
        url=ctx.objects.download_url(session.videoPath, DOWNLOAD_URL_LIFETIME),
        expiresAt=_expiry(ctx),
        contentType=session.contentType,
        durationSeconds=_number(metrics.get("durationSeconds")),
        width=_whole(metrics.get("width")),
        height=_whole(metrics.get("height")),
        posterUrl=_poster_url(ctx, session_id, session),
    )


def _compared(ctx: Context, session_id: str, session: SessionRecord) -> ComparedSession:
    return ComparedSession(
        sessionId=session_id,
        summary=_summary(session),
        video=_playback(ctx, session_id, session),
    )


def _summary(session: SessionRecord) -> AnalysisSummary:
    return AnalysisSummary(metrics=session.metrics, pose=session.pose)


def _expiry(ctx: Context) -> datetime:
    return ctx.now + DOWNLOAD_URL_LIFETIME


def _asset(session_id: str, session: SessionRecord, name: str) -> dict[str, Any] | None:
    """The asset ``name`` of ``analysisAssets`` if it is the current job's (None: absent, null,
    or not where the analyzer writes that job's files)."""
    assets = session.analysisAssets
    asset = assets.get(name) if isinstance(assets, dict) else None
    if not isinstance(asset, dict) or not session.analysisJobId:
        return None
    path = asset.get("path")
    folder = f"{ANALYSIS_PREFIX}/{session_id}/{session.analysisJobId}/"
    if not isinstance(path, str) or not path.startswith(folder) or ".." in path:
        return None
    return asset


def _poster_url(ctx: Context, session_id: str, session: SessionRecord) -> str | None:
    poster = _asset(session_id, session, "poster")
    return (
        None if poster is None else ctx.objects.download_url(poster["path"], DOWNLOAD_URL_LIFETIME)
    )


def _assets(ctx: Context, session_id: str, session: SessionRecord) -> AssetUrls:
    strip = _asset(session_id, session, "thumbnails")
    thumbnails = None
    if strip is not None:
        thumbnails = ThumbnailStrip.model_validate(
            {
                **{key: strip.get(key) for key in ("tileWidth", "tileHeight", "columns", "count")},
                "times": strip.get("times") or [],
                "url": ctx.objects.download_url(strip["path"], DOWNLOAD_URL_LIFETIME),
            }
        )
    return AssetUrls(posterUrl=_poster_url(ctx, session_id, session), thumbnails=thumbnails)


# ---- the analysis's files ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Files:
    """What the current job's files hold: its series on their time axes, and the pose file."""

    series: dict[str, list[review.Point]]
    pose: dict[str, Any] | None


def _file_reads(ctx: Context, session_id: str, session: SessionRecord) -> list[Callable[[], Any]]:
    """The reads of the completed current job's motion and pose files, to run ``together``
    (nothing before completion; a file the session does not name, as with results from the
    analysis backend, which writes none, reads as None)."""
    job = session.analysisJobId
    if session.analysisStatus != AnalysisStatus.COMPLETED or not job:
        return [lambda: None, lambda: None]
    motion_at, pose_at = analytics_path(session_id, job), pose_path(session_id, job)
    return [
        lambda: ctx.objects.read_json(motion_at) if session.analyticsFile == motion_at else None,
        lambda: ctx.objects.read_json(pose_at) if session.poseFile == pose_at else None,
    ]


def _files(session: SessionRecord, motion: Any, pose: Any) -> _Files:
    """The series the files hold: motion energy, and each pose measure."""
    series: dict[str, list[review.Point]] = {}
    if isinstance(motion, dict) and isinstance(motion.get("motionEnergy"), list):
        rate = _number(motion.get("frameRate")) or _number((session.metrics or {}).get("frameRate"))
        if rate:
            series["motionEnergy"] = review.motion_points(motion["motionEnergy"], frame_rate=rate)
    if not isinstance(pose, dict):
        return _Files(series, None)
    times, measures = pose.get("times"), pose.get("measures")
    if isinstance(times, list) and isinstance(measures, dict):
        for name, values in measures.items():
            if isinstance(values, list):
                series[name] = review.measure_points(times, values)
    return _Files(series, pose)


def _span(session: SessionRecord) -> review.Span | None:
    """The clip on its own time axis: from 0 to its duration (None before the analysis)."""
    duration = _number((session.metrics or {}).get("durationSeconds"))
    return None if duration is None else (0.0, duration)


def _number(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok else None


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
