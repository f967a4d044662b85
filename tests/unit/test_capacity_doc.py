"""devtools/capacity_doc.py: docs/capacity.md is what counts.json, prices.json and the model
render, and ``--check`` fails when it is not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from devtools import capacity_doc, capacity_model

FIXTURE = Path(__file__).parent / "capacity_counts_fixture.json"
SETTINGS = {
    "analyzeSession": capacity_model.FunctionSettings(
        memory_mib=1024,
        cpu=1.0,
        concurrency=80,
        max_instances=100,
        timeout_s=540,
        declared=("availableMemoryMb", "timeoutSeconds"),
    )
}


def fixture_counts() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text())
    return data


def prices() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(capacity_doc.PRICES.read_text())
    return data


def test_the_capacity_doc_is_current():
    if not capacity_doc.COUNTS.exists():
        pytest.skip("docs/capacity/counts.json is not written yet (the meter's harness writes it)")
    current = capacity_doc.DOC.read_text()
    assert capacity_doc.rendered_from_disk() == current, (
        f"docs/capacity.md is out of date: run {capacity_doc.COMMAND}"
    )


def test_a_render_is_deterministic_and_has_every_section():
    first = capacity_doc.render(fixture_counts(), prices(), SETTINGS)
    assert capacity_doc.render(fixture_counts(), prices(), SETTINGS) == first
    for heading in (
        "## What each action costs",
        "### How it counts",
        "## The reference deployment",
        "## Function settings used",
        "## Cost a month",
        "## Where it bends",
        "### Documents written more than once per second at ×100",
        "## The price table",
    ):
        assert heading in first
    for action in fixture_counts()["actions"]:
        assert f"`{action}`" in first
    assert "Fixture for the unit tests" in first  # counts.json's method text
    assert prices()["read"] in first


def test_the_check_fails_when_counts_change_and_the_doc_was_not_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    counts = tmp_path / "counts.json"
    shutil.copy(FIXTURE, counts)
    monkeypatch.setattr(capacity_doc, "COUNTS", counts)
    monkeypatch.setattr(capacity_doc, "DOC", tmp_path / "capacity.md")
    monkeypatch.setattr(capacity_doc, "deployed_settings", lambda: SETTINGS)
    assert capacity_doc.main(["--check"]) == 1  # no document yet
    assert capacity_doc.main([]) == 0
    assert capacity_doc.main(["--check"]) == 0
    data = fixture_counts()
    data["actions"]["session_list"]["counts"]["firestore_reads"] = 2100  # O(history) suddenly
    counts.write_text(json.dumps(data))
    assert capacity_doc.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().out


def test_settings_come_from_the_manifest_and_else_the_sdks_defaults():
    unset = "<Sentinel>"  # how the probe prints an option the SDK left unset
    plain = capacity_doc.settings_from_endpoint(
        {
            "availableMemoryMb": unset,
            "cpu": None,
            "concurrency": unset,
            "maxInstances": unset,
            "timeoutSeconds": unset,
        }
    )
    assert plain == capacity_model.DEFAULT_SETTINGS
    big = capacity_doc.settings_from_endpoint(
        {"availableMemoryMb": 4096, "cpu": None, "timeoutSeconds": 540}
    )
    assert (big.memory_mib, big.cpu, big.concurrency, big.timeout_s) == (4096, 2.0, 80, 540)
    assert big.declared == ("availableMemoryMb", "timeoutSeconds")
    small = capacity_doc.settings_from_endpoint({"cpu": 0.5})
    assert (small.cpu, small.concurrency) == (0.5, 1)  # below 1 vCPU, one request at a time
    gen1 = capacity_doc.settings_from_endpoint({"availableMemoryMb": 512, "cpu": "gcf_gen1"})
    assert (gen1.cpu, gen1.concurrency) == (0.333, 1)
    queue = capacity_doc.settings_from_endpoint(
        {
            "taskQueueTrigger": {
                "rateLimits": {"maxConcurrentDispatches": 10, "maxDispatchesPerSecond": 5}
            }
        }
    )
    assert (queue.dispatches_per_s, queue.dispatches_at_once) == (5.0, 10)


def test_the_deployed_functions_settings_are_what_deploy_discovers():
    settings = capacity_doc.deployed_settings()
    assert {"api", "analyzeSession", "count_session_change", "runDataExport"} <= set(settings)
    analyze = settings["analyzeSession"]
    assert (analyze.memory_mib, analyze.timeout_s) == (1024, 540)
    assert "availableMemoryMb" in analyze.declared
    # functions/main.py's global options reach a function that declares nothing of its own
    assert settings["api"].declared
