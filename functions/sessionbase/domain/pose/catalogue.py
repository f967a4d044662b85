"""What the pose endpoints say about themselves, without the model (issue 23): the supported
poses (``GET /api/poses``), one pose's template (``GET /api/poses/{pose_name}/info``), and the
model with the limits of a photo (``GET /api/enhanced-pose-info``).

Pure: these answers are read off ``yoga.POSES`` and the constants below, so the pose codebase
answers them without importing the model (``import mediapipe`` alone is ~0.85 s). ``MODEL`` names
what ``functions_pose/requirements.txt`` pins (a unit test holds the two together); the limits of
a photo are the photo reader's (``sessionbase.pose_model``), handed in by the handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sessionbase.domain.pose.yoga import POSES, Pose, Target, supported


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """The pose model the codebase runs: what it is, the package that ships it, its licence."""

    name: str
    package: str
    version: str
    licence: str
    landmarks: int
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """What a photo sent to the analysis endpoints may be, and how many in one batch."""

    formats: tuple[str, ...]
    max_bytes: int
    max_pixels: int
    min_side: int
    batch_max: int


MODEL = Model(
    name="BlazePose GHUM (MediaPipe Pose, full: model_complexity=1)",
    package="mediapipe",
    version="0.10.14",
    licence="Apache-2.0",
    landmarks=33,
    source="bundled in the mediapipe wheel; never downloaded at run time",
)


def _summary(pose: Pose) -> dict[str, Any]:
    return {
        "key": pose.key,
        "name": pose.name,
        "sanskritName": pose.sanskrit_name,
        "description": pose.description,
    }


def _target(target: Target) -> dict[str, Any]:
    return {
        "joint": target.joint,
        "role": target.role,
        "angle": target.angle,
        "tolerance": target.tolerance,
    }


def poses() -> dict[str, Any]:
    """``GET /api/poses``: every supported pose, in the seed's order; ``key`` is the
    ``pose_name`` the other endpoints and the yoga session body take."""
    return {"poses": [_summary(pose) for pose in POSES.values()]}


def pose_info(key: str) -> dict[str, Any]:
    """``GET /api/poses/{key}/info``: the pose, its template and what to watch.

    Raises NotFound naming the supported keys (``yoga.supported``). ``targets`` are interior
    angles in degrees (180° straight; ``trunk`` is from upright), written with the leading limb
    on the left; ``lead`` says which limb leads in an asymmetric pose (scored either way round).
    """
    pose = supported(key)
    lead = None if pose.lead is None else {"limb": pose.lead[0], "role": pose.lead[1]}
    return {
        **_summary(pose),
        "targets": [_target(target) for target in pose.targets],
        "lead": lead,
        "keyPoints": list(pose.watch),
    }


def enhanced_info(limits: Limits) -> dict[str, Any]:
    """``GET /api/enhanced-pose-info``: the model, the poses and the limits of a photo."""
    return {
        "model": {
            "name": MODEL.name,
            "package": MODEL.package,
            "version": MODEL.version,
            "licence": MODEL.licence,
            "landmarks": MODEL.landmarks,
            "source": MODEL.source,
        },
        "method": "pose model keypoints, then joint angles scored against each pose's template",
        "poses": [pose.key for pose in POSES.values()],
        "limits": {
            "formats": list(limits.formats),
            "maxBytes": limits.max_bytes,
            "maxPixels": limits.max_pixels,
            "minSide": limits.min_side,
            "batchMax": limits.batch_max,
        },
    }
