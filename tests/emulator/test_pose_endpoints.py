"""The pose codebase (``functions_pose/``, its own venv) behind Hosting: the catalogue endpoints
answer through the rewrites placed before ``/api/**``, from the function ``pose_api``."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
import requests

from devtools.emulators import FUNCTIONS, PROJECT, REGION, api

ROOT = Path(__file__).resolve().parents[2]
# scikit-image's "camera" (CC0; tests/fixtures/pose/README.md): a real man, cut off at the knees.
CAMERA = (ROOT / "tests" / "fixtures" / "pose" / "camera.jpg").read_bytes()
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


# --- the photo endpoints (signed-in callers; multipart ``file``) ------------------------------


def png(width: int, height: int, grey: int = 128, *, pixels: bool = True) -> bytes:
    """A flat grey PNG made by hand (the test venv has no Pillow); ``pixels=False`` gives the
    header alone (IHDR, no image data): a size the photo reader must refuse undecoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    rows = b"".join(b"\x00" + bytes([grey]) * width for _ in range(height)) if pixels else b""
    data = chunk(b"IDAT", zlib.compress(rows)) if pixels else b""
    return b"\x89PNG\r\n\x1a\n" + header + data + chunk(b"IEND", b"")


def photo(data: bytes = CAMERA, kind: str = "image/jpeg", name: str = "photo.jpg"):
    return ("file", (name, data, kind))


def post(path: str, user, files=None, **kwargs) -> requests.Response:
    return api("POST", path, user, files=files, **kwargs)


def refused_naming(reply: requests.Response, field: str, status: int = 400) -> dict:
    """A clear error: the status, the error body naming ``field``, no stack trace."""
    assert reply.status_code == status, reply.text
    assert reply.headers["Content-Type"].startswith("application/json")
    assert "Traceback" not in reply.text
    assert 'File "' not in reply.text
    body = reply.json()
    assert set(body) <= {"detail", "code", "errors"}
    if status == 400:
        assert [error["field"] for error in body["errors"]] == [field], body
    return body


def assert_landmarks(answer: dict) -> None:
    assert len(answer["landmarks"]) == 33
    for point in answer["landmarks"]:
        assert set(point) == {"x", "y", "visibility"}
        assert 0 <= point["visibility"] <= 1
    # The man's face is near the middle of the photo, above its centre (nose: landmark 0;
    # measured at x 0.49, y 0.34 in the pose venv).
    nose = answer["landmarks"][0]
    assert 0.4 < nose["x"] < 0.6, nose
    assert 0.25 < nose["y"] < 0.45, nose


def test_a_real_photo_is_measured_and_no_supported_pose_said_honestly(make_user):
    """The model runs behind Hosting on a real photograph: 33 landmarks, the joint angles seen;
    a man with a camera is no supported yoga pose, and too little of his legs is seen."""
    reply = post("/api/analyze-pose", make_user(), files=[photo()])
    assert reply.status_code == 200, reply.text
    answer = reply.json()
    assert (answer["pose_name"], answer["accuracy"], answer["improvements"]) == (None, None, [])
    assert "No supported pose recognised" in answer["feedback"][0]
    assert {"leftElbow", "rightElbow", "trunk"} <= set(answer["angles"])
    assert all(0 <= angle <= 180 for angle in answer["angles"].values())
    assert_landmarks(answer)


def test_a_named_pose_on_a_photo_without_the_legs_is_refused_naming_file(make_user):
    """An accuracy from a few joints would overstate: the joints not seen are named."""
    reply = post("/api/analyze/mountain", make_user(), files=[photo()])
    body = refused_naming(reply, "file")
    assert "not enough of the body visible for Mountain Pose" in body["detail"]
    assert "knee" in body["detail"]


def test_a_batch_answers_each_photo_and_a_bad_one_sinks_nothing(make_user):
    files = [photo(), photo(b"not an image", "image/png", "x.png"), photo(png(8, 8))]
    reply = post("/api/batch-analyze", make_user(), files=files)
    assert reply.status_code == 200, reply.text
    first, second, third = reply.json()["results"]
    assert first["pose_name"] is None
    assert_landmarks(first)
    assert second["file"] == 1
    assert second["error"]["code"] == "invalid-argument"
    assert second["error"]["errors"][0]["field"] == "file"
    assert "not a JPEG, PNG or WebP image" in second["error"]["detail"]
    assert third["file"] == 2
    assert "at least 64 pixels" in third["error"]["detail"]


def test_a_batch_with_one_pose_name_scores_every_photo_against_it(make_user):
    reply = post(
        "/api/batch-analyze", make_user(), files=[photo(), photo()], data={"pose_name": "tree"}
    )
    assert reply.status_code == 200, reply.text
    for index, result in enumerate(reply.json()["results"]):
        assert result["file"] == index
        assert "not enough of the body visible for Tree Pose" in result["error"]["detail"]


def test_a_batch_refuses_too_many_photos_and_a_miscounted_pose_name(make_user):
    user = make_user()
    refused_naming(post("/api/batch-analyze", user, files=[photo(png(64, 64))] * 11), "file")
    three = [photo(png(64, 64))] * 3
    body = refused_naming(
        post("/api/batch-analyze", user, files=three, data={"pose_name": ["tree", "chair"]}),
        "pose_name",
    )
    assert "2 values of pose_name" in body["detail"]


TRUNCATED = CAMERA[: len(CAMERA) // 2]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([photo(b"hello, not a photo", "image/jpeg")], "not a JPEG, PNG or WebP image"),
        ([photo(TRUNCATED)], "truncated or corrupt"),
        ([photo(png(1, 1), "image/png")], "1×1 pixels"),
        ([photo(png(8000, 6000, pixels=False), "image/png")], "48.0 megapixels"),
        ([photo(png(256, 256), "image/png")], "No person was found"),
        ([photo(CAMERA, "text/plain")], "The file is text/plain"),
        ([("photo", ("p.jpg", CAMERA, "image/jpeg"))], "Unexpected field 'photo'"),
        ([photo(), photo()], "2 photos sent; at most 1"),
        (None, "multipart/form-data"),
    ],
    ids=[
        "not-an-image",
        "truncated",
        "1x1",
        "huge-header",
        "no-person",
        "wrong-type",
        "other-field",
        "two-files",
        "no-file",
    ],
)
def test_a_bad_photo_is_a_clear_400_naming_file(make_user, files, expected):
    user = make_user()
    field = "photo" if expected.startswith("Unexpected") else "file"
    reply = post("/api/analyze/tree", user, files=files)
    assert expected in refused_naming(reply, field)["detail"]


def test_an_empty_multipart_body_is_no_photo(make_user):
    user = make_user()
    reply = post("/api/analyze/tree", user, files=[photo(), ("note", (None, "x"))])
    assert "Unexpected field 'note'" in refused_naming(reply, "note")["detail"]
    reply = post("/api/analyze/tree", user, files=[("pose_name", (None, "tree"))])
    assert "No photo" in refused_naming(reply, "file")["detail"]


def test_a_body_over_the_cap_is_refused_while_reading(make_user):
    """Declared (Content-Length) and undeclared (chunked: read one byte past the cap)."""
    user = make_user()
    big = photo(b"\xff\xd8" + b"\0" * (21 * 1024 * 1024), "image/jpeg")
    body = refused_naming(post("/api/analyze/tree", user, files=[big]), "file")
    assert "larger than 20 MB" in body["detail"]
    boundary = "b0undary"
    framing = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n'
    head = (framing + "Content-Type: image/jpeg\r\n\r\n").encode()

    def chunked():
        yield head
        for _ in range(21):
            yield b"\0" * (1024 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    # Straight to the function: the Hosting emulator's proxy fails on any chunked request body
    # (500 "internal error while proxying", the function never called).
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", **user.bearer}
    url = f"{FUNCTIONS}/{PROJECT}/{REGION}/pose_api/api/analyze/tree"
    reply = requests.post(url, data=chunked(), headers=headers, timeout=60)
    assert "larger than 20 MB" in refused_naming(reply, "file")["detail"]


def test_an_unknown_pose_is_404_naming_the_supported_ones_before_the_photo(make_user):
    reply = post("/api/analyze/handstand", make_user(), files=[photo()])
    body = refused_naming(reply, "", status=404)
    assert "handstand" in body["detail"]
    assert all(key in body["detail"] for key in POSE_KEYS)


@pytest.mark.parametrize("path", ["/api/analyze/tree", "/api/analyze-pose", "/api/batch-analyze"])
def test_the_photo_endpoints_need_a_signed_in_caller(backend, path):
    reply = api("POST", path, files=[photo()])
    assert refused_naming(reply, "", status=401)["code"] == "unauthenticated"
