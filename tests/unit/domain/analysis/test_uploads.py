"""domain/analysis/uploads.py: session objects, upload paths and checks, what an upload writes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sessionbase.domain.analysis import uploads
from sessionbase.domain.analysis.jobs import ANALYSIS_PREFIX
from sessionbase.domain.attachments import MAX_ATTACHMENT_BYTES
from sessionbase.errors import InvalidArgument
from tests.unit.domain.analysis.records import T0
from tests.unit.factories import session_record as session


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sessions/s1/video/jump.mp4", uploads.SessionObject("s1", "video", "jump.mp4")),
        ("sessions/s1/attachments/p.pdf", uploads.SessionObject("s1", "attachments", "p.pdf")),
        ("sessions/s1/video/nested/jump.mp4", None),
        ("sessions/s1/other/jump.mp4", None),
        ("analysis/s1/job/motion.json", None),
        ("sessions//video/jump.mp4", None),
    ],
)
def test_only_a_sessions_video_or_attachment_is_a_session_object(name, expected):
    assert uploads.session_object(name) == expected


def test_the_analysis_output_prefix_is_not_a_session_object():
    output = f"{ANALYSIS_PREFIX}/s1/job/motion.json"
    assert uploads.session_object(output) is None


def test_upload_paths_keep_one_video_and_many_attachments():
    assert uploads.upload_path("s1", "video", "a.mp4", token="ab") == "sessions/s1/video/a.mp4"
    assert uploads.upload_path("s1", "attachment", "p.pdf", token="ab") == (
        "sessions/s1/attachments/ab-p.pdf"
    )
    path = "sessions/s1/attachments/ab-p.pdf"
    assert uploads.attachment_id("b", path) == uploads.attachment_id("b", path)
    assert len(uploads.attachment_id("b", path)) == 20
    assert uploads.attachment_id("b", path) != uploads.attachment_id("b", path + "x")


def test_upload_checks_name_each_bad_field():
    with pytest.raises(InvalidArgument) as refused:
        uploads.check_upload("video", "application/pdf", uploads.MAX_VIDEO_BYTES + 1)
    assert {error.field for error in refused.value.errors} == {"contentType", "size"}
    with pytest.raises(InvalidArgument) as refused:
        uploads.check_upload("attachment", "application/x-msdownload", 10)
    assert [error.field for error in refused.value.errors] == ["contentType"]
    with pytest.raises(InvalidArgument):
        uploads.check_upload("attachment", "application/pdf", MAX_ATTACHMENT_BYTES + 1)
    uploads.check_upload("video", "video/mp4", uploads.MAX_VIDEO_BYTES)
    uploads.check_upload("attachment", "application/PDF", 10)


def test_an_upload_url_lasts_an_hour_or_what_a_slow_uplink_needs():
    assert uploads.upload_url_lifetime(10) == timedelta(hours=1)
    assert uploads.upload_url_lifetime(MAX_ATTACHMENT_BYTES) == timedelta(hours=1)
    two_gib = uploads.upload_url_lifetime(uploads.MAX_VIDEO_BYTES)
    assert timedelta(hours=2) < two_gib < timedelta(hours=3)  # 2 GiB at 2 Mbit/s


@pytest.mark.parametrize(
    ("size", "finished", "reason"),
    [
        (100, T0 + timedelta(minutes=59), None),
        (100, T0 + timedelta(hours=1), None),
        (101, T0, "The file is 101 bytes, not the 100 bytes declared for its upload."),
        (
            100,
            T0 + timedelta(hours=1, seconds=1),
            "The upload finished after its upload URL expired.",
        ),
    ],
)
def test_an_object_must_keep_its_upload_sessions_terms(size, finished, reason):
    terms = uploads.upload_terms(100, T0 + timedelta(hours=1))
    assert uploads.terms_rejection(terms, size, finished) == reason


@pytest.mark.parametrize(
    "metadata",
    [{"declaredSize": "ten"}, {"uploadExpiresAt": "soon"}, {"uploadExpiresAt": "2026-01-01T00:00"}],
)
def test_unreadable_terms_are_broken_and_no_terms_are_none(metadata):
    assert uploads.terms_rejection(metadata, 10, T0) == "The upload's terms are unreadable."
    assert uploads.terms_rejection({"uploadedBy": "u1"}, 10, T0) is None  # a rules-checked upload


# ---- what a new video does to its session ------------------------------------------------------


def test_an_older_generation_never_replaces_a_newer_upload():
    recorded = session(videoPath="sessions/s1/video/a.mp4", videoGeneration="200")
    assert uploads.is_newer_upload(recorded, "sessions/s1/video/b.mp4", "300")
    assert uploads.is_newer_upload(recorded, "sessions/s1/video/a.mp4", "200")  # redelivery
    assert not uploads.is_newer_upload(recorded, "sessions/s1/video/a.mp4", "199")
    assert uploads.is_newer_upload(session(), "sessions/s1/video/a.mp4", "1")
    odd = session(videoPath="sessions/s1/video/a.mp4", videoGeneration="x")
    assert not uploads.is_newer_upload(odd, "sessions/s1/video/a.mp4", "x")
    assert uploads.is_newer_upload(odd, "sessions/s1/video/a.mp4", "y")


def test_an_upload_sets_the_video_fields_and_starts_processing():
    fields = uploads.video_uploaded(
        file_name="a.mp4",
        path="sessions/s1/video/a.mp4",
        content_type="video/mp4",
        size=10,
        generation="5",
        job="j",
        now=T0,
    ).fields
    assert fields["analysisStatus"] == "processing"
    assert fields["analysisJobId"] == "j"
    assert fields["videoGeneration"] == "5"
    assert fields["fileSize"] == 10
    # The previous video's results are cleared (None deletes the field).
    assert {name: fields[name] for name in uploads.RESULT_FIELDS} == dict.fromkeys(
        uploads.RESULT_FIELDS
    )


def test_a_refused_upload_leaves_no_current_job_and_clears_the_old_results():
    fields = uploads.upload_refused("9", "too large", T0).fields
    assert fields["analysisJobId"] is None
    assert fields["videoGeneration"] == "9"
    assert fields["analysisStatus"] == "failed"
    assert fields["analysisError"] == "too large"
    assert fields["motionIQ"] is None
    assert fields["metrics"] is None


def test_a_too_large_video_is_refused_with_the_limit():
    fields = uploads.video_too_large("9", T0).fields
    assert fields["analysisError"] == f"The video is larger than {uploads.MAX_VIDEO_BYTES} bytes."
    assert fields["analysisJobId"] is None


def test_an_upload_records_when_it_landed_and_who_sent_it_and_forgets_an_earlier_removal():
    fields = uploads.video_uploaded(
        file_name="a.mp4",
        path="sessions/s1/video/a.mp4",
        content_type="video/mp4",
        size=10,
        generation="5",
        job="j",
        now=T0,
        uploaded_by="coach1",
    ).fields
    assert (fields["videoUploadedAt"], fields["videoUploadedBy"]) == (T0, "coach1")
    assert "videoRemovedAt" in fields
    assert fields["videoRemovedAt"] is None  # deletes the field
