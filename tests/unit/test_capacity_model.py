"""devtools/capacity_model.py: a deployment's monthly units, totals, cost and bends, from counts
in the meter's shape (tests/unit/capacity_counts_fixture.json) and the real price table."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from devtools import capacity_model as model

HERE = Path(__file__).parent
FIXTURE = HERE / "capacity_counts_fixture.json"
PRICES = HERE.parent.parent / "docs" / "capacity" / "prices.json"
ANALYZE = model.FunctionSettings(
    memory_mib=1024, cpu=1.0, concurrency=80, max_instances=100, timeout_s=540
)


@pytest.fixture
def counts() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text())
    return data


@pytest.fixture
def actions(counts: dict[str, Any]) -> dict[str, model.Action]:
    return model.actions_from(counts)


@pytest.fixture
def prices() -> model.Prices:
    return model.Prices(json.loads(PRICES.read_text()))


def one_action(**counts: int) -> dict[str, model.Action]:
    return {"session_get": model.Action(id="session_get", title="t", unit="request", counts=counts)}


def test_the_reference_deployment_in_units_a_month():
    units = model.monthly_units(model.REFERENCE)
    sessions = 1000 * 3 * 52 / 12
    assert units["session_create"] == pytest.approx(sessions)
    assert units["upload_per_minute"] == pytest.approx(2 * sessions)
    assert units["session_get"] == pytest.approx(3 * sessions)
    assert units["practice_20"] == pytest.approx(1000 * 2 * 52 / 12)
    # 10 classes a week of 25, counted in units of 30 check-ins
    assert units["class_30"] == pytest.approx(10 * 52 / 12 * 25 / 30)
    assert units["home_coach"] == pytest.approx(50 * 3 * 365 / 12)
    assert units["export"] == pytest.approx(1050 * 0.02)


def test_a_scale_multiplies_people_and_classes_and_takes_its_busy_sizes():
    at = model.at_scale(model.REFERENCE, 100)
    assert (at.athletes, at.coaches, at.classes_per_week) == (100_000, 5_000, 1000)
    assert (at.busy_class_size, at.busy_coach_roster) == model.BUSY_SIZES[100]
    units_1, units_100 = model.monthly_units(model.REFERENCE), model.monthly_units(at)
    for action, n in units_1.items():
        assert units_100[action] == pytest.approx(100 * n), action


def test_totals_are_each_count_times_units(actions: dict[str, model.Action]):
    totals = model.monthly_totals(actions, {"session_create": 10, "practice_20": 2, "nope": 5})
    assert totals.counts["firestore_writes"] == 10 * 9 + 2 * 110
    assert totals.invocations["count_session_change"] == 10 * 1 + 2 * 22
    # the median of a function weighted by its invocations in each action
    expected = (10 * 1 * 0.12 + 2 * 22 * 0.11) / (10 + 44)
    assert totals.seconds["count_session_change"] == pytest.approx(expected)
    assert totals.documents_written["sessions/{}/items/{}"] == 2 * 20
    assert totals.unknown_actions == ("nope",)


def test_a_derived_action_invokes_each_timed_function_at_least_once():
    raw = {
        "title": "per minute",
        "unit": "minute of video",
        "counts": {},
        "invocations": {"analyzeSession": 0, "api": 2, "register_upload": 0},
        "seconds": {"analyzeSession": 9.6, "api": 0.0, "register_upload": 0.0},
    }
    derived = model.actions_from({"actions": {"v": {**raw, "derived": True}}})["v"]
    assert derived.invocations == {"analyzeSession": 1, "api": 2, "register_upload": 0}
    measured = model.actions_from({"actions": {"v": raw}})["v"]
    assert measured.invocations["analyzeSession"] == 0


def test_patterns_match_whatever_their_variables_are_called():
    assert model.pattern_key("/groups/{groupId}") == model.pattern_key("groups/{id}") == "groups/{}"
    assert model.collection_of("sessions/{id}/items/{itemId}") == "sessions/{}/items"
    assert model.collection_of("auditLog/{id}") == "auditLog"


@pytest.mark.parametrize(
    ("seconds", "billed"), [(0.047, 0.1), (0.1, 0.1), (0.1000001, 0.2), (45.0, 45.0), (0, 0.1)]
)
def test_billable_time_rounds_up_to_100_ms(seconds: float, billed: float):
    assert model.billed_seconds(seconds) == pytest.approx(billed)


def test_function_time_uses_each_functions_memory_and_cpu(actions: dict[str, model.Action]):
    totals = model.monthly_totals(actions, {"upload_per_minute": 100})
    time = model.compute(totals, {"analyzeSession": ANALYZE})
    assert time.vcpu_seconds["analyzeSession"] == pytest.approx(100 * 45.0)
    assert time.gib_seconds["analyzeSession"] == pytest.approx(100 * 45.0 * 1.0)
    # register_upload is not in the table: the SDK's defaults, 256 MiB and 1 vCPU
    assert time.gib_seconds["register_upload"] == pytest.approx(100 * 0.4 / 4)
    half = model.compute(totals, {"analyzeSession": replace(ANALYZE, memory_mib=512, cpu=0.5)})
    assert half.vcpu_seconds["analyzeSession"] == pytest.approx(100 * 45.0 * 0.5)
    assert half.gib_seconds["analyzeSession"] == pytest.approx(100 * 45.0 * 0.5)


def test_a_line_bills_only_past_its_free_tier():
    line = model.Line(
        what="w", quantity=150, unit="u", free=100, price=2, per=10, unconfirmed=False
    )
    assert (line.billed, line.cost) == (50, 10)
    under = replace(line, quantity=80)
    assert (under.billed, under.cost) == (0, 0)


def test_firestore_costs_counts_times_the_price_after_the_daily_free_quota(
    prices: model.Prices,
):
    d = model.REFERENCE
    n = model.monthly_units(d)["session_get"]
    costs = model.monthly_cost(d, one_action(firestore_reads=100), prices, {})
    firestore = costs[0]
    assert firestore.product == "Firestore"
    reads = firestore.lines[0]
    assert reads.quantity == pytest.approx(100 * n)
    free = 50_000 * 365 / 12
    assert reads.cost == pytest.approx((100 * n - free) * 0.06 / 100_000)
    assert firestore.unconfirmed  # the multi-region prices were read in copies of the page


def test_every_product_is_costed(actions: dict[str, model.Action], prices: model.Prices):
    costs = model.monthly_cost(model.REFERENCE, actions, prices, {"analyzeSession": ANALYZE})
    assert [p.product for p in costs] == [
        "Firestore",
        "Cloud Functions (gen 2)",
        "Cloud Tasks",
        "Cloud Storage",
        "Firebase Hosting",
        "Firebase Auth",
    ]
    at_1000 = model.monthly_cost(
        model.at_scale(model.REFERENCE, 1000), actions, prices, {"analyzeSession": ANALYZE}
    )
    for small, big in zip(costs, at_1000, strict=True):
        assert big.cost >= small.cost, small.product
    storage = costs[3]
    kept = model.monthly_units(model.REFERENCE)["upload_per_minute"] * 60 * model.MIB * 12
    assert storage.lines[0].quantity == pytest.approx(kept / model.GB)


def test_the_price_table_names_a_source_and_says_what_is_confirmed(prices: model.Prices):
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", prices.read)
    assert "us-central1" in prices.region
    products = {product for product, *_ in prices.figures()}
    assert products == {"firestore", "functions", "tasks", "storage", "hosting", "auth"}
    for product, section, name, figure in prices.figures():
        where = f"{product}.{section}.{name}"
        assert figure.source.startswith("https://"), where
        if not figure.confirmed:
            assert figure.note, f"{where} is unconfirmed and says nothing about why"


def test_a_missing_price_is_named(prices: model.Prices):
    with pytest.raises(KeyError, match="products.firestore.prices.nothing"):
        prices.figure("firestore", "prices", "nothing")


def test_a_class_checking_in_writes_its_group_once_an_interval(actions: dict[str, model.Action]):
    checks = model.bends(model.at_scale(model.REFERENCE, 100), actions, {})
    size = model.BUSY_SIZES[100][0]
    for pattern in ("groups/{}", "sessions/{}"):
        counted = next(c for c in checks if c.subject.startswith(f"`{pattern}`"))
        # 32 writes per 30 check-ins would be 2.2/s; the count writes them once per interval.
        assert 32 * size / 30 / 120 > 1
        assert counted.value == pytest.approx(1 / model.CHECK_IN_COUNT_DEFAULT)
        assert not counted.bends
    gate = next(c for c in checks if c.subject.startswith("`sessions/{}/live/{}`"))
    assert gate.value == pytest.approx(31 * size / 30 / 120 / model.GATE_SHARDS)
    assert model.hot_documents(checks) == []
    at_1000 = model.bends(model.at_scale(model.REFERENCE, 1000), actions, {})
    assert model.hot_documents(at_1000) == []


def test_coach_shards_divide_a_rosters_writes(actions: dict[str, model.Action]):
    d = model.at_scale(model.REFERENCE, 1000)
    checks = model.bends(d, actions, {})
    shard = next(c for c in checks if c.subject.startswith("`coachStats/{}/shards/{}`"))
    # per athlete: a session created (1 shard write) and updated (1); the video writes none
    writes = d.busy_coach_roster * (1 + 1)
    assert shard.value == pytest.approx(writes / d.coach_window_s / 10)
    events = next(c for c in checks if c.subject.startswith("`coachStats/{}/events/{}`"))
    assert events.value == pytest.approx(d.busy_coach_roster / d.coach_window_s / 10)


def test_the_auth_cache_needs_fewer_lookups_than_one_a_request(actions: dict[str, model.Action]):
    d = model.at_scale(model.REFERENCE, 100)
    checks = model.bends(d, actions, {})
    before = next(c for c in checks if c.subject.endswith("(before)"))
    after = next(c for c in checks if c.subject.endswith("(after)"))
    totals = model.monthly_totals(actions, model.monthly_units(d))
    assert before.value == pytest.approx(model.peak_per_second(model.http_invocations(totals), d))
    assert 0 < after.value < before.value
    # a window shorter than any gap between requests saves nothing
    no_cache = model.auth_lookups_after(replace(d, auth_cache_window_s=1e-6), totals, {})
    assert no_cache == pytest.approx(before.value)


def test_the_analysis_queue_lets_through_what_its_rate_limits_allow(
    actions: dict[str, model.Action],
):
    checks = model.bends(model.REFERENCE, actions, {"analyzeSession": ANALYZE})
    queue = next(c for c in checks if c.subject.startswith("analysis tasks"))
    assert queue.limit.value == pytest.approx(min(5, 10 / 45.0))
    calls = model.monthly_units(model.REFERENCE)["upload_per_minute"]
    assert queue.value == pytest.approx(calls / model.SECONDS_PER_MONTH * 4)
    # the queue's own limits, when the deployed settings carry them
    slow = replace(ANALYZE, dispatches_per_s=0.05, dispatches_at_once=4)
    checks = model.bends(model.REFERENCE, actions, {"analyzeSession": slow})
    queue = next(c for c in checks if c.subject.startswith("analysis tasks"))
    assert queue.limit.value == pytest.approx(0.05)


def test_the_first_bend_is_the_one_furthest_past_its_limit():
    limit = model.LIMITS["document_writes"]
    near = model.Check(subject="a", limit=limit, value=0.9, answer="")
    past = model.Check(subject="b", limit=limit, value=1.5, answer="")
    far = model.Check(subject="c", limit=limit, value=3.0, answer="")
    assert model.first_bend([near]) is None
    assert model.first_bend([near, far, past]) is far
    launch = model.Check(subject="d", limit=limit, value=9.0, answer="", at_launch=True)
    assert model.first_bend([launch, past]) is past  # a launch's ramp-up is shown, not ranked
    assert math.isclose(far.ratio, 3.0)
