"""domain/review.py: an analysis's series on a time axis, downsampled for a phone (min/max buckets,
every peak kept), keypoint frames thinned, and two sessions' series aligned on one grid."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessionbase.domain import review
from sessionbase.domain.review import Point

VALUES = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))
LIMITS = st.integers(2, 60)


def timed(values: list[float | None]) -> list[Point]:
    """``values`` a tenth of a second apart, from 0."""
    return [(round(0.1 * i, 4), value) for i, value in enumerate(values)]


def is_subsequence(part: list[Point], whole: list[Point]) -> bool:
    rest = iter(whole)
    return all(any(point == other for other in rest) for point in part)


# ---- downsampling ------------------------------------------------------------------------------


@given(st.lists(VALUES, max_size=400), LIMITS)
def test_downsampling_never_answers_more_points_than_asked(values, limit):
    assert len(review.downsample(timed(values), limit)) <= limit


@given(st.lists(VALUES, max_size=400), LIMITS)
def test_downsampling_keeps_points_of_the_series_in_their_order(values, limit):
    series = timed(values)
    assert is_subsequence(review.downsample(series, limit), series)


@given(st.lists(VALUES, max_size=400), LIMITS)
def test_downsampling_keeps_the_global_maximum_and_minimum(values, limit):
    measured = [value for value in values if value is not None]
    kept = [value for _, value in review.downsample(timed(values), limit) if value is not None]
    if measured:
        assert max(kept) == max(measured)
        assert min(kept) == min(measured)
    else:
        assert kept == []


@given(st.lists(VALUES, max_size=60), st.integers(60, 100))
def test_a_series_within_the_limit_is_left_as_it_is(values, limit):
    assert review.downsample(timed(values), limit) == timed(values)


def test_an_unmeasured_stretch_stays_a_gap():
    series = timed([1.0] * 50 + [None] * 50 + [2.0] * 50)
    kept = review.downsample(series, 30)
    assert any(value is None for _, value in kept)
    assert [value for _, value in kept if value is not None] == sorted(
        value for _, value in kept if value is not None
    )


def test_a_single_spike_among_thousands_survives():
    values: list[float | None] = [0.1] * 10_000
    values[7_777] = 42.0
    kept = review.downsample(timed(values), 50)
    assert (round(0.1 * 7_777, 4), 42.0) in kept
    assert len(kept) <= 50


@given(st.integers(0, 500), LIMITS)
def test_evenly_spaced_frames_are_at_most_the_limit_first_and_last_kept(count, limit):
    picked = review.evenly_spaced(count, limit)
    assert len(picked) == min(count, limit)
    assert picked == sorted(set(picked))
    assert all(0 <= index < count for index in picked)
    if count:
        assert (picked[0], picked[-1]) == (0, count - 1)


# ---- series on a time axis ---------------------------------------------------------------------


def test_motion_value_i_is_between_frames_i_and_i_plus_one():
    assert review.motion_points([5.0, 6.0, 7.0], frame_rate=25.0) == [
        (0.04, 5.0),
        (0.08, 6.0),
        (0.12, 7.0),
    ]


def test_measure_points_pair_the_times_with_their_values():
    assert review.measure_points([0.0, 0.5, 1.0], [10.0, None, 12.5]) == [
        (0.0, 10.0),
        (0.5, None),
        (1.0, 12.5),
    ]


def test_measure_points_of_unequal_lengths_are_cut_to_the_shorter():
    assert review.measure_points([0.0, 0.5], [1.0, 2.0, 3.0]) == [(0.0, 1.0), (0.5, 2.0)]


# ---- alignment ---------------------------------------------------------------------------------


def test_resampling_interpolates_linearly_and_is_null_outside_or_unmeasured():
    series: list[Point] = [(0.0, 0.0), (1.0, 10.0), (2.0, None), (3.0, 30.0)]
    values = review.resample(series, [-0.5, 0.0, 0.25, 1.0, 1.5, 2.0, 3.0, 3.5])
    assert values == [None, 0.0, 2.5, 10.0, None, None, 30.0, None]


@given(
    st.lists(st.floats(-100, 100, allow_nan=False), min_size=2, max_size=50),
    st.integers(-5_000, 5_000),
)
def test_a_shifted_series_read_at_its_shifted_times_gives_its_own_values(values, offset_ms):
    series = timed(list(values))
    shift = offset_ms / 1000
    read = review.resample(series, [t + shift for t, _ in series], shift=shift)
    assert read == pytest.approx(values, abs=1e-6)


def test_compare_places_b_at_its_offset_on_a_common_grid():
    a = {"motionEnergy": [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)]}
    b = {"motionEnergy": [(0.0, 5.0), (1.0, 6.0)], "trunkLean": [(0.0, 3.0), (1.0, 3.0)]}
    aligned = review.align(a, b, spans=((0.0, 2.0), (0.0, 1.0)), offset=0.5, limit=100)
    # The grid covers both clips (a: 0-2 s, b: 0.5-1.5 s) at the finest sampling (1 s).
    assert aligned.times == [0.0, 1.0, 2.0]
    assert aligned.series["motionEnergy"] == ([0.0, 1.0, 2.0], [None, 5.5, None])
    assert aligned.series["trunkLean"] == ([None, None, None], [None, 3.0, None])


def test_compare_with_a_negative_offset_starts_the_grid_before_a():
    a = {"motionEnergy": [(0.0, 0.0), (0.5, 1.0), (1.0, 2.0)]}
    b = {"motionEnergy": [(0.0, 4.0), (0.5, 4.0), (1.0, 4.0)]}
    aligned = review.align(a, b, spans=((0.0, 1.0), (0.0, 1.0)), offset=-0.5, limit=100)
    assert aligned.times == [-0.5, 0.0, 0.5, 1.0]
    assert aligned.series["motionEnergy"] == ([None, 0.0, 1.0, 2.0], [4.0, 4.0, 4.0, None])


@given(
    st.floats(0.5, 600),
    st.floats(0.5, 600),
    st.integers(-600_000, 600_000),
    st.integers(2, 5000),
    st.sampled_from([1 / 60, 1 / 30, 1 / 15, 0.25]),
)
def test_the_grid_never_exceeds_the_limit_and_covers_both_clips(span_a, span_b, off, limit, step):
    a = {"motionEnergy": [(0.0, 1.0), (step, 1.0)]}
    offset = off / 1000
    aligned = review.align(a, {}, spans=((0.0, span_a), (0.0, span_b)), offset=offset, limit=limit)
    times = aligned.times
    assert 2 <= len(times) <= limit
    assert times == sorted(times)
    assert math.isclose(times[0], min(0.0, offset), abs_tol=1e-3)
    assert math.isclose(times[-1], max(span_a, offset + span_b), abs_tol=1e-3)
    assert all(len(side) == len(times) for pair in aligned.series.values() for side in pair)


def test_compare_without_series_has_no_grid():
    aligned = review.align({}, {}, spans=((0.0, 2.0), None), offset=0.0, limit=100)
    assert (aligned.times, aligned.series) == ([], {})
