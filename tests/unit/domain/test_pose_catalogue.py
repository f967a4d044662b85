"""domain/pose/catalogue.py: what the pose endpoints say without the model, and that the model
they name is the one the pose codebase installs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sessionbase.domain.pose import catalogue
from sessionbase.domain.pose.yoga import POSES
from sessionbase.errors import NotFound

REQUIREMENTS = Path(__file__).resolve().parents[3] / "functions_pose" / "requirements.txt"


def test_every_pose_is_listed_with_its_names():
    listed = catalogue.poses()["poses"]
    assert [p["key"] for p in listed] == list(POSES)
    assert listed[0] == {
        "key": "chair",
        "name": "Chair Pose",
        "sanskritName": "Utkatasana",
        "description": POSES["chair"].description,
    }


def test_a_symmetric_pose_has_no_lead_and_every_target():
    info = catalogue.pose_info("mountain")
    assert info["lead"] is None
    assert len(info["targets"]) == len(POSES["mountain"].targets)
    assert info["targets"][0] == {"joint": "trunk", "role": None, "angle": 0, "tolerance": 10}
    assert info["keyPoints"] == list(POSES["mountain"].watch)


def test_an_unknown_pose_names_the_supported_ones():
    with pytest.raises(NotFound, match="supported: chair, mountain"):
        catalogue.pose_info("Warrior2")


def test_the_model_named_is_the_version_the_pose_codebase_pins():
    pinned = re.search(r"^mediapipe==(\S+)$", REQUIREMENTS.read_text(), re.MULTILINE)
    assert pinned is not None
    assert catalogue.MODEL.version == pinned[1]


def test_the_model_info_names_the_model_the_poses_and_the_limits_given():
    limits = catalogue.Limits(
        formats=("image/png",), max_bytes=1, max_pixels=2, min_side=3, batch_max=4
    )
    info = catalogue.enhanced_info(limits)
    assert info["model"]["version"] == catalogue.MODEL.version
    assert info["poses"] == list(POSES)
    assert info["limits"] == {
        "formats": ["image/png"],
        "maxBytes": 1,
        "maxPixels": 2,
        "minSide": 3,
        "batchMax": 4,
    }
