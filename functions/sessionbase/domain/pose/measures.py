"""Pose measures over a clip: each measure's series, peak, range of motion, left–right asymmetry.

A clip is a sequence of samples ``(time in seconds, Frame or None)`` in time order, None where
the model found no person. ``pose_series`` measures every frame (``angles.MEASURES``);
``summarise`` reduces the series to what a session's analysis stores (its ``pose`` block):

- **peak**: the largest value and the time of its first sample; for ``trunkLean`` (signed by the
  image's direction) the value furthest from upright, with its sign. FPPA's peak is thus the
  peak valgus (the most positive angle), the quantity screening studies report;
- **range of motion**: the largest value − the smallest, over the samples measured;
- **asymmetry**, per left/right pair: |left peak − right peak|, in degrees. Peaks, not paired
  samples, so that movements whose sides alternate (gait, running) are not asymmetric for
  their phase shift;
- **person fraction**: the frames with a person ÷ all frames (None for no frames);
- **view**: the view of most frames with a person (``angles.view``); a tie, or no person, is
  unknown.

Documents (``to_document``) use the stored names (camelCase), degrees rounded to 0.1, times to
the millisecond.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sessionbase.domain.pose.angles import MEASURES, View, measure, view
from sessionbase.domain.pose.landmarks import Frame

Sample = tuple[float, Frame | None]

# The left/right pairs, by the name their asymmetry is stored under.
PAIRS: dict[str, tuple[str, str]] = {
    name: (f"left{name[0].upper()}{name[1:]}", f"right{name[0].upper()}{name[1:]}")
    for name in ("kneeFlexion", "hipFlexion", "elbowFlexion", "shoulderAbduction", "kneeFppa")
}
# Measures whose peak is the value furthest from 0 (signed by direction), not the largest.
FURTHEST_FROM_ZERO = frozenset({"trunkLean"})


def _degrees(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass(frozen=True, slots=True, kw_only=True)
class PoseSeries:
    """Every frame's measures: ``values[name][i]`` is measure ``name`` at ``times[i]``.

    ``frames[i]`` is frame i's landmarks and ``views[i]`` its view, both None where there was
    no person.
    """

    times: tuple[float, ...]
    frames: tuple[Frame | None, ...]
    views: tuple[View | None, ...]
    values: dict[str, tuple[float | None, ...]]

    def to_document(self) -> dict[str, Any]:
        """The series as stored (``pose.json``): times, whether a person was found, the 33
        landmarks ``[x, y, visibility]`` (x and y to 1e-4 of the picture, visibility to 0.01;
        null without a person), views and each measure's values."""
        return {
            "times": [_seconds(time) for time in self.times],
            "person": [frame is not None for frame in self.frames],
            "landmarks": [None if frame is None else _points(frame) for frame in self.frames],
            "views": [None if found is None else str(found) for found in self.views],
            "measures": {
                name: [_degrees(value) for value in values] for name, values in self.values.items()
            },
        }


def _points(frame: Frame) -> list[list[float]]:
    return [
        [round(point.x, 4), round(point.y, 4), round(point.visibility, 2)] for point in frame.points
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureSummary:
    """One measure over the clip; all None when it was measured in no frame."""

    peak: float | None
    peak_time: float | None
    range_of_motion: float | None
    samples: int  # frames in which it was measured

    def to_document(self) -> dict[str, Any]:
        """As stored: ``peak``, ``peakTime``, ``rangeOfMotion``, ``samples``."""
        return {
            "peak": _degrees(self.peak),
            "peakTime": _seconds(self.peak_time),
            "rangeOfMotion": _degrees(self.range_of_motion),
            "samples": self.samples,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class PoseSummary:
    """What a session's analysis stores of a clip's pose (its ``pose`` block)."""

    frames: int
    person_fraction: float | None
    view: View
    views: dict[View, int]  # frames with a person, by view
    measures: dict[str, MeasureSummary]
    asymmetry: dict[str, float | None]  # by pair (``PAIRS``): |left peak − right peak|

    def to_document(self) -> dict[str, Any]:
        """The ``pose`` block: camelCase names, degrees to 0.1, times to the millisecond."""
        return {
            "frames": self.frames,
            "personFraction": None
            if self.person_fraction is None
            else round(self.person_fraction, 3),
            "view": str(self.view),
            "views": {str(found): self.views.get(found, 0) for found in View},
            "measures": {name: summary.to_document() for name, summary in self.measures.items()},
            "asymmetry": {name: _degrees(value) for name, value in self.asymmetry.items()},
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ClipCoverage:
    """How a clip was measured: by which model, at up to how many frames a second, and how far
    (``complete`` False when the model's time budget ran out before the clip's end)."""

    model: str
    sample_rate: float | None  # None: every frame
    measured_seconds: float | None  # the last frame measured, from the first; None: no frame
    complete: bool

    def to_document(self) -> dict[str, Any]:
        """As stored, first in the ``pose`` block and in ``pose.json``."""
        return {
            "model": self.model,
            "sampleRate": self.sample_rate,
            "measuredSeconds": _seconds(self.measured_seconds),
            "complete": self.complete,
        }


def pose_series(samples: Iterable[Sample]) -> PoseSeries:
    """Every measure of every sample; a ValueError if the times go backwards."""
    times: list[float] = []
    frames: list[Frame | None] = []
    views: list[View | None] = []
    values: dict[str, list[float | None]] = {name: [] for name in MEASURES}
    for time, frame in samples:
        if times and time < times[-1]:
            raise ValueError(f"the samples are not in time order ({time} after {times[-1]})")
        times.append(time)
        frames.append(frame)
        views.append(None if frame is None else view(frame))
        measured = {} if frame is None else measure(frame)
        for name, series in values.items():
            series.append(measured.get(name))
    return PoseSeries(
        times=tuple(times),
        frames=tuple(frames),
        views=tuple(views),
        values={name: tuple(series) for name, series in values.items()},
    )


def _summary(
    name: str, times: tuple[float, ...], values: tuple[float | None, ...]
) -> MeasureSummary:
    measured = [
        (time, value) for time, value in zip(times, values, strict=True) if value is not None
    ]
    if not measured:
        return MeasureSummary(peak=None, peak_time=None, range_of_motion=None, samples=0)
    furthest = name in FURTHEST_FROM_ZERO
    # max keeps the first of equal values: the peak's time is its first sample.
    peak_time, peak = max(measured, key=lambda sample: abs(sample[1]) if furthest else sample[1])
    found = [value for _, value in measured]
    return MeasureSummary(
        peak=peak,
        peak_time=peak_time,
        range_of_motion=max(found) - min(found),
        samples=len(measured),
    )


def _majority(views: Iterable[View]) -> View:
    counted = Counter(views).most_common(2)
    if not counted or (len(counted) == 2 and counted[0][1] == counted[1][1]):
        return View.UNKNOWN
    return counted[0][0]


def summarise(series: PoseSeries) -> PoseSummary:
    """A clip's ``PoseSummary`` from its series (definitions in the module's docstring)."""
    measures = {
        name: _summary(name, series.times, values) for name, values in series.values.items()
    }
    asymmetry: dict[str, float | None] = {}
    for pair, (left, right) in PAIRS.items():
        left_peak, right_peak = measures[left].peak, measures[right].peak
        if left_peak is None or right_peak is None:
            asymmetry[pair] = None
        else:
            asymmetry[pair] = abs(left_peak - right_peak)
    frames = len(series.times)
    people = [found for found in series.views if found is not None]
    return PoseSummary(
        frames=frames,
        person_fraction=len(people) / frames if frames else None,
        view=_majority(people),
        views=dict(Counter(people)),
        measures=measures,
        asymmetry=asymmetry,
    )
