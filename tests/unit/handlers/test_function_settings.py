"""Every deployed function's settings, as ``firebase deploy`` reads them from each codebase's
``main`` (a fresh interpreter, as discovery loads it): memory, CPU, requests at once, instances and
timeout are chosen, not left to defaults (docs/decisions.md, "Function settings")."""

from __future__ import annotations

import json
import os

import pytest

from tests.unit.handlers.instances import FUNCTIONS, POSE, printed_when_discovered

# What the deploy manifest says of each function: memory (MB), CPU, concurrency, min and max
# instances, timeout (s). Unset values print as the SDK's reset marker, not a number.
PROBE = """
import json, os, main
found = {}
for name, handler in vars(main).items():
    e = getattr(handler, "__firebase_endpoint__", None)
    if e is not None:
        found[name] = [e.availableMemoryMb, e.cpu, e.concurrency, e.minInstances,
                       e.maxInstances, e.timeoutSeconds]
print(json.dumps({"functions": found, "threads": os.environ.get("THREADS")}, default=str))
"""
# Discovery without an analysis backend, and with one (the callback is deployed then).
BACKEND = {"SESSIONBASE_ANALYSIS_BACKEND_URL": "https://backend.example/analyze"}


def discovered(codebase, environ=None) -> tuple[dict[str, list], int]:
    # An earlier test that imported functions/main.py in this process left its THREADS here.
    left = os.environ.pop("THREADS", None)
    try:
        found = json.loads(printed_when_discovered(PROBE, environ or BACKEND, codebase))
    finally:
        if left is not None:
            os.environ["THREADS"] = left
    # Unset, the Functions Framework's server runs 4 threads per vCPU (one here).
    return found["functions"], int(found["threads"] or 4)


@pytest.fixture(scope="module")
def api_codebase():
    return discovered(FUNCTIONS)


@pytest.fixture(scope="module")
def pose_codebase():
    return discovered(POSE)


def test_every_function_has_its_settings_chosen(api_codebase, pose_codebase):
    for functions, threads in (api_codebase, pose_codebase):
        for name, (memory, cpu, concurrency, least, most, timeout) in functions.items():
            # set_global_options' own CPU default ("gcf_gen1") is a fraction of a vCPU, which
            # Cloud Run allows one request at a time only; the SDK leaves unset values to reset.
            assert cpu == 1, name
            assert all(isinstance(v, int) for v in (memory, concurrency, least, most, timeout)), (
                name
            )
            # A request beyond the server's threads would wait inside the instance, unseen by
            # the platform's scaling: an instance is sent no more than it serves at once.
            assert 1 <= concurrency <= threads, name
            assert least == 0, name  # no instance is kept warm (docs: cold start is cheap)
            assert most >= 1, name


def test_the_hot_path_and_the_heavy_functions(api_codebase, pose_codebase):
    functions, threads = api_codebase
    settings = {name: tuple(values) for name, values in functions.items()}
    assert settings["api"] == (512, 1, 8, 0, 100, 60)
    assert settings["createSession"] == settings["api"]  # callables: the same as the REST API
    assert settings["count_session_change"] == settings["api"]
    # Each data export builds its ZIP in memory: one at a time per instance, 1 GB, 30 minutes.
    assert settings["runDataExport"] == (1024, 1, 1, 0, 100, 1800)
    # The nightly recount reads every counted person's sessions: 9 minutes, not 1.
    assert settings["reconcile_statistics"][5] == 540
    assert threads == 8
    pose, pose_threads = pose_codebase
    assert {name: tuple(values) for name, values in pose.items()} == {
        "pose_api": (1024, 1, 1, 0, 20, 60),
        "analyzeSession": (1024, 1, 1, 0, 10, 540),  # SESSIONBASE_ANALYSES_AT_ONCE's default
    }
    assert pose_threads == 1


def test_the_analysis_queue_is_as_wide_as_the_setting_says():
    wider, _ = discovered(POSE, {**BACKEND, "SESSIONBASE_ANALYSES_AT_ONCE": "70"})
    assert wider["analyzeSession"][4] == 70  # one analysis per instance
    assert wider["pose_api"][4] == 20
