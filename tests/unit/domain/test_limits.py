"""domain/limits.py: fixed windows, the refusal's Retry-After, and the overrides' syntax."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessionbase.domain.limits import DEFAULTS, Limit, parse_limits, require_within
from sessionbase.errors import ResourceExhausted

HOURLY = Limit("invitations", 3, timedelta(hours=1), "invitations sent")


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)))
def test_a_moment_falls_in_exactly_one_window(moment: datetime):
    now = moment.replace(tzinfo=UTC)
    start, end = HOURLY.window_at(now)
    assert start <= now < end
    assert end - start == timedelta(hours=1)
    assert (start.minute, start.second, start.microsecond) == (0, 0, 0)


def test_within_the_limit_passes_and_past_it_is_refused_with_the_seconds_left():
    now = datetime(2026, 12, 6, 10, 59, 30, tzinfo=UTC)
    require_within(HOURLY, 2, 1, now)  # the third of three
    with pytest.raises(ResourceExhausted) as refused:
        require_within(HOURLY, 3, 1, now)
    assert refused.value.retry_after == 31
    assert refused.value.status == 429
    assert "at most 3 per hour" in refused.value.detail
    with pytest.raises(ResourceExhausted):  # a batch that would pass the limit
        require_within(HOURLY, 1, 3, now)


def test_overrides_replace_single_limits_and_bad_ones_are_named():
    limits = parse_limits("invitations=20/h, exports=1/d")
    assert (limits["invitations"].most, limits["invitations"].window) == (20, timedelta(hours=1))
    assert (limits["exports"].most, limits["exports"].window) == (1, timedelta(days=1))
    assert limits["uploads"] == DEFAULTS["uploads"]
    assert parse_limits("") == DEFAULTS
    for bad in ("sms=1/h", "invitations=x/h", "invitations=5/w", "invitations"):
        with pytest.raises(ValueError, match="expected name=N/m|h|d"):
            parse_limits(bad)
