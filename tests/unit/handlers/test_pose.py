"""handlers/pose.py, the pose codebase's ``pose_api``: its routes, its errors, and what its
instance imports (functions_pose/main.py through the ``sessionbase`` link, in a fresh process of
functions_pose/venv, the runtime scripts/setup.sh builds for it)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from flask import Flask

from sessionbase import pose_model
from sessionbase.domain.pose.yoga import POSES
from sessionbase.handlers import pose
from sessionbase.handlers.pose import dispatch
from tests.unit.handlers.request_builder import build_request

POSE_CODEBASE = Path(__file__).resolve().parents[3] / "functions_pose"


def send(method, path):
    response = dispatch(build_request(method, path))
    assert response.mimetype == "application/json"
    return response.status_code, json.loads(response.get_data()), response.headers


def test_the_poses_are_listed_in_the_seeds_order():
    status, body, _ = send("GET", "/api/poses")
    assert status == 200
    assert [pose["key"] for pose in body["poses"]] == list(POSES)
    assert len(body["poses"]) == 11


def test_a_trailing_slash_names_the_same_route():
    assert send("GET", "/api/poses/")[1] == send("GET", "/api/poses")[1]


def test_a_pose_info_is_its_template():
    status, body, _ = send("GET", "/api/poses/tree/info")
    assert status == 200
    assert body["key"] == "tree"
    assert body["lead"] == {"limb": "leg", "role": "standing"}
    assert [t["joint"] for t in body["targets"]] == [t.joint for t in POSES["tree"].targets]


def test_an_unknown_pose_is_404_naming_every_supported_one():
    status, body, _ = send("GET", "/api/poses/handstand/info")
    assert status == 404
    assert body["code"] == "not-found"
    assert all(key in body["detail"] for key in POSES)


@pytest.mark.parametrize(
    "path", ["/api/poses/tree", "/api/poses/tree/info/more", "/api/analyze/tree/x", "/api/nope"]
)
def test_a_path_it_does_not_serve_is_404(path):
    status, body, _ = send("GET", path)
    assert (status, body["code"]) == (404, "not-found")
    assert body["detail"] == f"No such pose endpoint: GET {path}."


def test_the_limits_described_are_the_photo_readers():
    status, body, _ = send("GET", "/api/enhanced-pose-info")
    assert status == 200
    limits = body["limits"]
    assert limits["formats"] == ["image/jpeg", "image/png", "image/webp"]
    assert (limits["maxBytes"], limits["maxPixels"]) == (
        pose_model.MAX_PHOTO_BYTES,
        pose_model.MAX_PHOTO_PIXELS,
    )
    assert 1280 * 720 <= limits["maxPixels"] < 40_000_000


@pytest.mark.parametrize(
    "path",
    ["/api/analyze/tree", "/api/analyze/handstand", "/api/analyze-pose", "/api/batch-analyze"],
)
def test_the_photo_endpoints_need_a_signed_in_caller_first(path):
    """No token: 401 before the pose name or the body is looked at (nothing is read or run)."""
    status, body, _ = send("POST", path)
    assert (status, body["code"]) == (401, "unauthenticated")
    assert "Sign in" in body["detail"]


def test_a_bad_token_is_401():
    response = dispatch(
        build_request("POST", "/api/analyze/tree", headers={"Authorization": "Basic abc"})
    )
    assert response.status_code == 401
    assert json.loads(response.get_data())["code"] == "unauthenticated"


def test_another_method_is_405_with_allow():
    status, body, headers = send("POST", "/api/enhanced-pose-info")
    assert (status, body["code"]) == (405, "invalid-argument")
    assert headers["Allow"] == "GET, HEAD"


@pytest.fixture
def cors_as_deployed(deployed):
    """As deployed (tests/unit/conftest.py), with the CORS wrapper built afresh for it."""
    pose._with_cors.cache_clear()
    yield deployed
    pose._with_cors.cache_clear()


def get_from(origin: str):
    headers = {"Origin": origin}
    with Flask(__name__).test_request_context("/api/poses", headers=headers):
        return pose.pose_api(build_request("GET", "/api/poses", headers=headers))


def test_as_deployed_only_the_sites_origins_get_a_cors_grant(cors_as_deployed):
    assert "Access-Control-Allow-Origin" not in get_from("https://evil.example").headers
    granted = get_from("https://demo-sessionbase.web.app")
    assert granted.status_code == 200
    assert granted.headers["Access-Control-Allow-Origin"] == "https://demo-sessionbase.web.app"


PROBE = """
import importlib.metadata, sys, main
print(importlib.metadata.version("protobuf"))
ours = sorted(m for m in sys.modules if m.startswith("sessionbase"))
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"pydantic", "mediapipe", "av", "numpy",
    "google.cloud.firestore", "cv2"} or m.startswith("google.cloud.firestore"))
names = sorted(k for k, v in vars(main).items() if hasattr(v, "__firebase_endpoint__"))
print(names, ours, heavy)
"""


def test_the_pose_api_instance_exports_itself_and_imports_nothing_of_the_api():
    assert (POSE_CODEBASE / "sessionbase").resolve() == (
        POSE_CODEBASE.parent / "functions" / "sessionbase"
    )
    done = subprocess.run(
        [str(POSE_CODEBASE / "venv" / "bin" / "python"), "-c", PROBE],
        cwd=POSE_CODEBASE,
        env={**os.environ, "FUNCTION_TARGET": "pose_api"},
        capture_output=True,
        text=True,
        check=True,
    )
    protobuf, listed = done.stdout.strip().splitlines()
    assert protobuf.startswith("4.")  # the pose codebase's own runtime (scripts/setup.sh)
    names, ours, heavy = listed.split("] [")
    assert names == "['pose_api'"
    assert set(ours.strip("[]").replace("'", "").split(", ")) == {
        "sessionbase",
        "sessionbase.domain",
        "sessionbase.domain.pose",
        "sessionbase.domain.pose.angles",
        "sessionbase.domain.pose.catalogue",
        "sessionbase.domain.pose.joints",
        "sessionbase.domain.pose.landmarks",
        "sessionbase.domain.pose.yoga",
        "sessionbase.errors",
        "sessionbase.handlers",
        "sessionbase.handlers.auth",  # verifies the ID token as the API does
        "sessionbase.handlers.exports",  # the codebase's function map (lazy)
        "sessionbase.handlers.logs",  # structured log lines (stdlib only)
        "sessionbase.handlers.pose",
        "sessionbase.threads",  # the Auth lookups' pool (stdlib only)
        "sessionbase.handlers.responses",
        "sessionbase.lazy",
        "sessionbase.models",  # lazy: only identity (a dataclass) is loaded, no pydantic
        "sessionbase.models.identity",
        "sessionbase.pose_model",
        "sessionbase.settings",
    }
    assert heavy == "]"


def test_an_analysis_is_the_yoga_body_with_angles_and_33_landmarks():
    """What ``POST /api/analyze/mountain`` answers for a person standing (hand-made landmarks):
    the fields the yoga session body accepts, validated by its own model."""
    from sessionbase.models.sessions import PoseIn
    from tests.unit.domain.poses import FRONT, body

    answer = json.loads(json.dumps(pose._assessed(POSES["mountain"], body(FRONT))))
    assert set(answer) == {
        "pose_name",
        "accuracy",
        "feedback",
        "improvements",
        "angles",
        "landmarks",
    }
    assert answer["pose_name"] == "mountain"
    assert 0 <= answer["accuracy"] <= 100
    assert len(answer["landmarks"]) == 33
    assert set(answer["landmarks"][0]) == {"x", "y", "visibility"}
    assert answer["angles"]["leftKnee"] == pytest.approx(180)
    fields = ("pose_name", "accuracy", "feedback", "improvements")
    PoseIn.model_validate({key: answer[key] for key in fields})


def test_too_little_of_the_body_refuses_a_named_pose_naming_file():
    from sessionbase.domain.pose.landmarks import Body
    from tests.unit.domain.poses import FRONT, body

    legless = body(FRONT, unseen=(Body.LEFT_KNEE, Body.RIGHT_KNEE, Body.LEFT_ANKLE))
    with pytest.raises(pose.InvalidArgument) as refused:
        pose._assessed(POSES["mountain"], legless)
    assert [error.field for error in refused.value.errors] == ["file"]
    assert "not enough of the body visible" in refused.value.detail


def test_recognising_too_little_of_a_body_is_no_supported_pose_with_its_landmarks():
    from sessionbase.domain.pose.landmarks import Body
    from tests.unit.domain.poses import FRONT, body

    legless = body(FRONT, unseen=(Body.LEFT_KNEE, Body.RIGHT_KNEE, Body.LEFT_ANKLE))
    answer = pose._recognised(legless)
    assert (answer["pose_name"], answer["accuracy"], answer["improvements"]) == (None, None, [])
    assert answer["feedback"] == [
        "No supported pose recognised: too little of the body is seen to score any of them."
    ]
    assert len(answer["landmarks"]) == 33


def test_pose_api_is_deployed_with_the_memory_its_photos_need():
    endpoint = pose.pose_api.__firebase_endpoint__
    assert (endpoint.availableMemoryMb, endpoint.timeoutSeconds) == (1024, 60)
