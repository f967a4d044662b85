"""Video review (DESIGN.md §7): an analysis's series on a time axis, thinned for a phone, and two
sessions' series aligned on one time grid.

Pure: no I/O. A series is a list of ``(seconds, value)`` points in time order, ``None`` where
nothing was measured (a frame without a person). Downsampling keeps, in each of ``limit // 2``
equal buckets of consecutive points, the smallest and the largest value (min/max buckets): every
peak and trough survives, and no point is invented (docs/decisions.md, "Video review: playback
and analysis data").
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Point = tuple[float, float | None]
# Times are given to the tenth of a millisecond: finer than any frame, and short in JSON.
TIME_DECIMALS = 4


def seconds(value: float) -> float:
    """A time as the API gives it."""
    return round(value, TIME_DECIMALS)


# ---- series on a time axis ---------------------------------------------------------------------


def motion_points(values: Sequence[float | None], *, frame_rate: float) -> list[Point]:
    """Motion energy on its time axis: value i is between frames i and i + 1, so at
    ``(i + 1) / frame_rate`` (the moment the second frame of the pair is shown)."""
    return [(seconds((i + 1) / frame_rate), value) for i, value in enumerate(values)]


def measure_points(times: Sequence[float], values: Sequence[float | None]) -> list[Point]:
    """A pose measure paired with the sampled times (a short file is cut to the shorter)."""
    return [(seconds(t), value) for t, value in zip(times, values, strict=False)]


# ---- downsampling ------------------------------------------------------------------------------


def downsample(series: Sequence[Point], limit: int) -> list[Point]:
    """At most ``limit`` (≥ 2) points of ``series``, in order: min/max buckets.

    The points are cut into ``limit // 2`` buckets of consecutive points; each bucket keeps its
    smallest and largest measured value (one point if they are the same), or one unmeasured point
    if it has no value at all, so a gap longer than a bucket stays a gap. The global maximum and
    minimum are always kept; a series within the limit is returned as it is.
    """
    if len(series) <= limit:
        return list(series)
    buckets = limit // 2
    kept: list[Point] = []
    for k in range(buckets):
        part = series[k * len(series) // buckets : (k + 1) * len(series) // buckets]
        measured = [(i, value) for i, (_, value) in enumerate(part) if value is not None]
        if not measured:
            kept.append(part[0])
            continue
        low = min(measured, key=lambda item: item[1])[0]
        high = max(measured, key=lambda item: item[1])[0]
        kept.extend(part[i] for i in sorted({low, high}))
    return kept


def evenly_spaced(count: int, limit: int) -> list[int]:
    """The indices of at most ``limit`` (≥ 2) of ``count`` frames, evenly spread, the first and
    the last included (keypoint frames are thinned this way: a skeleton is not a peak)."""
    if count <= limit:
        return list(range(count))
    return [round(k * (count - 1) / (limit - 1)) for k in range(limit)]


# ---- alignment ---------------------------------------------------------------------------------


def resample(
    series: Sequence[Point], times: Sequence[float], *, shift: float = 0.0
) -> list[float | None]:
    """The series' values at ``times``, the series' point at s placed at ``s + shift``.

    Linear interpolation between the two points around a time; None before the first point,
    after the last, and next to an unmeasured point.
    """
    at = [t for t, _ in series]
    values: list[float | None] = []
    for time in times:
        s = time - shift
        i = bisect.bisect_left(at, s - 1e-9)
        if i < len(at) and abs(at[i] - s) <= 1e-9:
            values.append(series[i][1])
        elif i == 0 or i == len(at):
            values.append(None)
        else:
            (t0, v0), (t1, v1) = series[i - 1], series[i]
            if v0 is None or v1 is None:
                values.append(None)
            else:
                values.append(v0 + (v1 - v0) * (s - t0) / (t1 - t0))
    return values


@dataclass(frozen=True)
class Aligned:
    """Two sessions' series on one grid: ``series[name]`` is (a's values, b's values)."""

    times: list[float]
    series: dict[str, tuple[list[float | None], list[float | None]]]


Span = tuple[float, float]


def align(
    a: Mapping[str, Sequence[Point]],
    b: Mapping[str, Sequence[Point]],
    *,
    spans: tuple[Span | None, Span | None],
    offset: float,
    limit: int,
) -> Aligned:
    """a's and b's series on one grid of a's time base, b's time t placed at ``t + offset``.

    The grid runs from the earlier start to the later end of the two clips (``spans``: each
    clip's (start, end) on its own axis, None if unknown; a series' own extent stands in), evenly,
    at the finest sampling step of any series, but never more than ``limit`` (≥ 2) times.
    """
    names = list(dict.fromkeys([*a, *b]))
    if not names:
        return Aligned([], {})
    extents = [
        span
        for span in (
            spans[0] or _extent(a.values()),
            _shifted(spans[1] or _extent(b.values()), offset),
        )
        if span is not None
    ]
    start, end = min(s for s, _ in extents), max(e for _, e in extents)
    step = min((_step(points) for points in [*a.values(), *b.values()]), default=math.inf)
    count = limit if step == math.inf else min(limit, math.floor((end - start) / step + 1e-9) + 1)
    count = max(2, count) if end > start else 1
    grid = [start + k * (end - start) / max(count - 1, 1) for k in range(count)]
    return Aligned(
        times=[seconds(t) for t in grid],
        series={
            name: (resample(a.get(name, []), grid), resample(b.get(name, []), grid, shift=offset))
            for name in names
        },
    )


def _extent(all_points: Iterable[Sequence[Point]]) -> Span | None:
    """From the first to the last point of any of the series."""
    times = [t for points in all_points for t, _ in points]
    return (min(times), max(times)) if times else None


def _shifted(span: Span | None, offset: float) -> Span | None:
    return None if span is None else (span[0] + offset, span[1] + offset)


def _step(points: Sequence[Point]) -> float:
    """The series' sampling step (its mean; infinite for fewer than two points)."""
    if len(points) < 2 or points[-1][0] <= points[0][0]:
        return math.inf
    return (points[-1][0] - points[0][0]) / (len(points) - 1)
