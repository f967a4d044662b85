"""The pose codebase (``functions_pose/``, its own venv) behind Hosting: the catalogue endpoints
answer through the rewrites placed before ``/api/**``, from the function ``pose_api``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from devtools.emulators import FUNCTIONS, PROJECT, REGION, api

ROOT = Path(__file__).resolve().parents[2]
POSE_KEYS = [
    "chair",
    "mountain",
    "tree",
    "downdog",
    "goddess",
    "lord",
    "lowlung",
    "side_plank",
    "staff",
    "t_pose",
    "warrior2",
]


def test_the_poses_are_listed_through_hosting(backend):
    reply = api("GET", "/api/poses")
    assert reply.status_code == 200, reply.text
    poses = reply.json()["poses"]
    assert [pose["key"] for pose in poses] == POSE_KEYS
    warrior = poses[-1]
    assert warrior == {
        "key": "warrior2",
        "name": "Warrior II",
        "sanskritName": "Virabhadrasana II",
        "description": warrior["description"],
    }
    assert all(pose["name"] and pose["description"] for pose in poses)
    assert next(p for p in poses if p["key"] == "t_pose")["sanskritName"] is None


def test_the_pose_function_answers_not_the_api(backend):
    """The rewrite sends the path to ``pose_api``, which the emulator serves from its own venv:
    the same path on the function's own URL answers alike."""
    direct = requests.get(f"{FUNCTIONS}/{PROJECT}/{REGION}/pose_api/api/poses", timeout=60)
    assert direct.status_code == 200, direct.text
    assert direct.json() == api("GET", "/api/poses").json()


def test_a_pose_info_gives_its_targets_and_key_points(backend):
    reply = api("GET", "/api/poses/warrior2/info")
    assert reply.status_code == 200, reply.text
    info = reply.json()
    assert (info["key"], info["name"]) == ("warrior2", "Warrior II")
    targets = {target["joint"]: target for target in info["targets"]}
    front_knee = {"joint": "leftKnee", "role": "front", "angle": 90, "tolerance": 15}
    assert targets["leftKnee"] == front_knee
    assert targets["rightKnee"]["role"] == "back"
    assert targets["trunk"]["angle"] == 0
    assert info["lead"] == {"limb": "leg", "role": "front"}
    assert info["keyPoints"]
    assert all(isinstance(line, str) for line in info["keyPoints"])


def test_an_unknown_pose_is_404_naming_the_supported_ones(backend):
    reply = api("GET", "/api/poses/handstand/info")
    assert reply.status_code == 404, reply.text
    body = reply.json()
    assert body["code"] == "not-found"
    assert "handstand" in body["detail"]
    assert all(key in body["detail"] for key in POSE_KEYS)


def test_the_model_and_limits_are_described(backend):
    reply = api("GET", "/api/enhanced-pose-info")
    assert reply.status_code == 200, reply.text
    info = reply.json()
    pinned = re.search(
        r"^mediapipe==(\S+)$", (ROOT / "functions_pose" / "requirements.txt").read_text(), re.M
    )
    assert pinned is not None
    assert info["model"]["package"] == "mediapipe"
    assert info["model"]["version"] == pinned[1]
    assert info["model"]["licence"] == "Apache-2.0"
    assert info["poses"] == POSE_KEYS
    assert info["limits"]["maxBytes"] > 0
    assert info["limits"]["batchMax"] >= 1


def answered_by_pose_api(reply: requests.Response) -> bool:
    """A path ``pose_api`` does not serve (yet) is 404 "No such pose endpoint"; a path it serves
    with another method is 405 (the API serves none of these paths)."""
    if reply.status_code == 405:
        return True
    return reply.status_code == 404 and reply.json()["detail"].startswith("No such pose endpoint")


@pytest.mark.parametrize(
    "path",
    [
        "/api/poses/tree/more",
        "/api/analyze",
        "/api/analyze/tree",
        "/api/analyze/tree/more",
        "/api/analyze-pose",
        "/api/batch-analyze",
        "/api/enhanced-pose-info",
    ],
)
def test_every_pose_rewrite_reaches_pose_api(backend, path):
    assert answered_by_pose_api(api("DELETE", path))


def test_other_api_paths_still_reach_the_api(backend):
    """The pose rewrites sit before ``/api/**`` and take only their own paths."""
    reply = api("GET", "/api/sessions")
    assert (reply.status_code, reply.json()["code"]) == (401, "unauthenticated")
    for path in ("/api/analyzers", "/api/posesx", "/api/analyze-poses"):
        assert not answered_by_pose_api(api("DELETE", path)), path


def test_a_wrong_method_on_a_pose_path_is_405(backend):
    reply = api("DELETE", "/api/poses")
    assert reply.status_code == 405, reply.text
    assert reply.headers["Allow"] == "GET, HEAD"
