"""Analysis decisions: object paths, job ids, the job state machine, callbacks, signatures, types.

The property test drives a job through random sequences of every writer's move (task starts,
progress, results, failures, sweeps, callbacks) and checks that no sequence moves it backwards.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessionbase.domain import analysis, attachments, signatures
from sessionbase.errors import InvalidArgument, Unauthenticated
from sessionbase.models.analysis import AnalysisCallback, JobRecord, JobState
from sessionbase.models.sessions import SessionRecord

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
SECRET = "s3cret"


def job(**changes) -> JobRecord:
    return analysis.new_job("s1", "bucket", "sessions/s1/video/a.mp4", "17", T0).changed(**changes)


def session(**fields) -> SessionRecord:
    return SessionRecord.model_validate(
        {"athleteId": "a", "coachId": "c", "createdAt": T0, "status": "scheduled", **fields}
    )


def callback(**fields) -> AnalysisCallback:
    return AnalysisCallback.model_validate({"sessionId": "s1", **fields})


# ---- objects and ids ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sessions/s1/video/jump.mp4", analysis.SessionObject("s1", "video", "jump.mp4")),
        ("sessions/s1/attachments/p.pdf", analysis.SessionObject("s1", "attachments", "p.pdf")),
        ("sessions/s1/video/nested/jump.mp4", None),
        ("sessions/s1/other/jump.mp4", None),
        ("analysis/s1/job/motion.json", None),
        ("sessions//video/jump.mp4", None),
    ],
)
def test_only_a_sessions_video_or_attachment_is_a_session_object(name, expected):
    assert analysis.session_object(name) == expected


def test_the_analysis_output_prefix_is_not_a_session_object():
    output = f"{analysis.ANALYSIS_PREFIX}/s1/job/motion.json"
    assert analysis.session_object(output) is None


def test_a_job_id_is_stable_per_generation_and_differs_between_generations():
    first = analysis.job_id("b", "sessions/s1/video/a.mp4", "1")
    assert first == analysis.job_id("b", "sessions/s1/video/a.mp4", "1")
    assert len(first) == 32
    assert int(first, 16) >= 0
    assert first != analysis.job_id("b", "sessions/s1/video/a.mp4", "2")
    assert first != analysis.job_id("other", "sessions/s1/video/a.mp4", "1")


def test_upload_checks_name_each_bad_field():
    with pytest.raises(InvalidArgument) as refused:
        analysis.check_upload("video", "application/pdf", analysis.MAX_VIDEO_BYTES + 1)
    assert {error.field for error in refused.value.errors} == {"contentType", "size"}
    with pytest.raises(InvalidArgument) as refused:
        analysis.check_upload("attachment", "application/x-msdownload", 10)
    assert [error.field for error in refused.value.errors] == ["contentType"]
    with pytest.raises(InvalidArgument):
        analysis.check_upload("attachment", "application/pdf", attachments.MAX_ATTACHMENT_BYTES + 1)
    analysis.check_upload("video", "video/mp4", analysis.MAX_VIDEO_BYTES)
    analysis.check_upload("attachment", "application/PDF", None)


def test_an_older_generation_never_replaces_a_newer_upload():
    recorded = session(videoPath="sessions/s1/video/a.mp4", videoGeneration="200")
    assert analysis.is_newer_upload(recorded, "sessions/s1/video/b.mp4", "300")
    assert analysis.is_newer_upload(recorded, "sessions/s1/video/a.mp4", "200")  # redelivery
    assert not analysis.is_newer_upload(recorded, "sessions/s1/video/a.mp4", "199")
    assert analysis.is_newer_upload(session(), "sessions/s1/video/a.mp4", "1")
    odd = session(videoPath="sessions/s1/video/a.mp4", videoGeneration="x")
    assert not analysis.is_newer_upload(odd, "sessions/s1/video/a.mp4", "x")
    assert analysis.is_newer_upload(odd, "sessions/s1/video/a.mp4", "y")


def test_a_refused_upload_leaves_no_current_job_and_clears_the_old_results():
    fields = analysis.upload_refused("9", "too large", T0).fields
    assert fields["analysisJobId"] is None
    assert fields["videoGeneration"] == "9"
    assert fields["analysisStatus"] == "failed"
    assert fields["analysisError"] == "too large"
    assert fields["motionIQ"] is None
    assert fields["metrics"] is None


# ---- the job state machine ---------------------------------------------------------------------


def test_a_start_takes_the_job_and_a_duplicate_task_finds_it_taken():
    running = analysis.started(job(), T0)
    assert running is not None
    assert (running.state, running.attempts, running.leaseUntil) == (
        JobState.RUNNING,
        1,
        T0 + analysis.LEASE,
    )
    assert analysis.started(running, T0 + timedelta(minutes=1)) is None
    again = analysis.started(running, T0 + analysis.LEASE)
    assert again is not None
    assert again.attempts == 2


def test_a_released_job_starts_again_at_once():
    running = analysis.started(job(), T0)
    released = analysis.released(running, T0 + timedelta(seconds=5))
    assert released is not None
    assert not analysis.is_leased(released, T0 + timedelta(seconds=5))
    assert analysis.started(released, T0 + timedelta(seconds=6)).attempts == 2
    assert analysis.released(job(), T0) is None  # a queued job holds no lease


def test_past_its_attempts_a_job_fails_instead_of_starting():
    worn = job(state=JobState.RUNNING, attempts=analysis.MAX_ATTEMPTS)
    after = analysis.started(worn, T0)
    assert after.state == JobState.FAILED
    assert "3 attempts" in after.error


def test_final_jobs_never_move():
    for final in (job(state=JobState.SUCCEEDED), job(state=JobState.FAILED, error="x")):
        assert analysis.started(final, T0) is None
        assert analysis.succeeded(final, T0) is None
        assert analysis.failed(final, "again", T0) is None
        assert analysis.progressed(final, 50, T0) is None
        assert analysis.requeued(final, T0 + timedelta(days=1)) is None
        assert analysis.released(final, T0) is None


def test_progress_only_goes_up_and_stops_short_of_done():
    running = analysis.started(job(), T0)
    assert analysis.progressed(job(), 10, T0) is None  # not running yet
    at_40 = analysis.progressed(running, 40, T0)
    assert at_40.progress == 40
    assert analysis.progressed(at_40, 40, T0) is None
    assert analysis.progressed(at_40, 30, T0) is None
    assert analysis.progressed(at_40, 100, T0).progress == 99
    assert analysis.succeeded(at_40, T0).progress == 100


def test_the_sweep_resends_a_stuck_job_a_limited_number_of_times():
    stuck = job()
    assert analysis.requeued(stuck, T0 + analysis.STUCK_AFTER - timedelta(seconds=1)) is None
    later = T0
    for count in range(1, analysis.MAX_REQUEUES + 1):
        later += analysis.STUCK_AFTER
        stuck = analysis.requeued(stuck, later)
        assert (stuck.state, stuck.requeues, stuck.updatedAt) == (JobState.QUEUED, count, later)
    given_up = analysis.requeued(stuck, later + analysis.STUCK_AFTER)
    assert given_up.state == JobState.FAILED
    assert "never started" in given_up.error


def test_the_sweep_fails_a_stuck_job_whose_attempts_are_used_up():
    worn = job(state=JobState.RUNNING, attempts=analysis.MAX_ATTEMPTS)
    after = analysis.requeued(worn, T0 + analysis.STUCK_AFTER)
    assert after.state == JobState.FAILED
    assert "no progress for 30 minutes" in after.error


def test_stuck_since_is_the_stuck_threshold_before_now():
    assert analysis.stuck_since(T0) == T0 - analysis.STUCK_AFTER


MOVES = st.sampled_from(
    ["start", "progress", "succeed", "fail", "requeue", "release", "cb-progress", "cb-done"]
)


def apply_move(move: str, current: JobRecord, value: int, now: datetime) -> JobRecord | None:
    if move == "start":
        return analysis.started(current, now)
    if move == "progress":
        return analysis.progressed(current, value, now)
    if move == "succeed":
        return analysis.succeeded(current, now)
    if move == "fail":
        return analysis.failed(current, "broken", now)
    if move == "requeue":
        return analysis.requeued(current, now)
    if move == "release":
        return analysis.released(current, now)
    if move == "cb-progress":
        body = callback(status="processing", progress=value)
    else:
        body = callback(status="completed")
    return analysis.job_after_callback(current, body, now)


@given(st.lists(st.tuples(MOVES, st.integers(0, 100), st.integers(0, 3600)), max_size=30))
def test_no_sequence_of_moves_takes_a_job_backwards(steps):
    rank = {JobState.QUEUED: 0, JobState.RUNNING: 1, JobState.SUCCEEDED: 2, JobState.FAILED: 2}
    current, now = job(), T0
    for move, value, seconds in steps:
        now += timedelta(seconds=seconds)
        after = apply_move(move, current, value, now)
        if after is None:
            continue
        assert rank[after.state] >= rank[current.state]
        assert after.attempts >= current.attempts
        assert after.requeues >= current.requeues
        if after.state == current.state == JobState.RUNNING and after.attempts == current.attempts:
            assert after.progress >= current.progress
        if analysis.is_final(current):
            raise AssertionError(f"{move} moved a final job")
        current = after
    assert 0 <= current.attempts <= analysis.MAX_ATTEMPTS


# ---- what a job does to its session ------------------------------------------------------------


def test_a_job_is_current_only_while_it_is_the_sessions_latest():
    assert analysis.is_current(session(analysisJobId="j1"), "j1")
    assert not analysis.is_current(session(analysisJobId="j2"), "j1")
    assert not analysis.is_current(session(), "j1")


def test_an_upload_sets_the_video_fields_and_starts_processing():
    fields = analysis.video_uploaded(
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
    assert {name: fields[name] for name in analysis.RESULT_FIELDS} == dict.fromkeys(
        analysis.RESULT_FIELDS
    )


def test_a_cancelled_session_is_not_analysed():
    assert analysis.may_analyse(session())
    assert not analysis.may_analyse(session(status="cancelled"))
    with pytest.raises(Exception, match="cancelled"):
        analysis.require_analysable(session(status="cancelled"))


@pytest.mark.parametrize(
    ("acl_risk", "level"),
    [(None, None), (0, "LOW"), (29.99, "LOW"), (30, "MODERATE"), (59.99, "MODERATE"), (60, "HIGH")],
)
def test_risk_level_boundaries(acl_risk, level):
    assert analysis.risk_level(acl_risk) == level


def test_a_final_callback_writes_only_what_the_backend_sent():
    fields = analysis.callback_change(
        callback(status="completed", aclRisk=45.0, motionIQ=80)
    ).fields
    assert fields == {
        "analysisStatus": "completed",
        "analysisProgress": 100,
        "analysisError": None,
        "motionIQ": 80,
        "aclRisk": 45.0,
        "riskLevel": "MODERATE",
    }
    sent = analysis.callback_change(
        callback(status="completed", aclRisk=10, riskLevel="HIGH", processedVideoFilename="p.mp4")
    ).fields
    assert sent["riskLevel"] == "HIGH"
    assert sent["hasProcessedVideo"] is True


def test_progress_and_failure_callbacks():
    running = analysis.started(job(), T0).changed(progress=30)
    body = callback(status="processing", progress=20, perFrameStatus="processing")
    assert analysis.callback_change(body, running).fields == {
        "analysisStatus": "processing",
        "analysisProgress": 30,
        "perFrameStatus": "processing",
    }
    assert analysis.callback_change(callback(status="processing")).fields == {
        "analysisStatus": "processing"
    }
    failed = analysis.callback_change(callback(status="failed")).fields
    assert failed["analysisStatus"] == "failed"
    assert "reported a failure" in failed["analysisError"]


def test_a_callback_moves_the_job_once():
    running = analysis.started(job(), T0)
    assert analysis.job_after_callback(job(), callback(status="processing", progress=5), T0) is None
    moved = analysis.job_after_callback(running, callback(status="processing", progress=100), T0)
    assert moved.progress == 99
    assert moved.state == JobState.RUNNING
    done = analysis.job_after_callback(running, callback(status="completed"), T0)
    assert done.state == JobState.SUCCEEDED
    assert analysis.job_after_callback(done, callback(status="completed"), T0) is None
    failed = analysis.job_after_callback(running, callback(status="failed", error="bad"), T0)
    assert (failed.state, failed.error) == (JobState.FAILED, "bad")


def test_without_a_job_a_callback_applies_only_when_it_moves_forward():
    fresh = session()
    assert analysis.is_forward(fresh, callback(status="processing", progress=1))
    at_50 = session(analysisStatus="processing", analysisProgress=50)
    assert analysis.is_forward(at_50, callback(status="processing", progress=60))
    assert not analysis.is_forward(at_50, callback(status="processing", progress=50))
    assert analysis.is_forward(at_50, callback(status="completed"))
    done = session(analysisStatus="completed")
    assert not analysis.is_forward(done, callback(status="failed"))
    assert not analysis.is_forward(done, callback(status="processing", progress=99))


# ---- steps: a job's move and its session's change ----------------------------------------------

KEY = analysis.job_id("bucket", "sessions/s1/video/a.mp4", "17")  # the key of job()


def test_a_running_attempt_outlives_no_lease():
    # A task still running when its job's lease ends would let a duplicate task start it again.
    assert analysis.LEASE > analysis.TASK_TIMEOUT


def test_only_the_sessions_current_job_takes_its_step():
    def decide(current: JobRecord) -> analysis.Step:
        return analysis.progress_step(current, 50, T0)

    running = analysis.started(job(), T0)
    deleted = analysis.current_step(running, None, T0, decide)
    assert (deleted.job.state, deleted.job.error, deleted.session) == (
        JobState.FAILED,
        "The session was deleted.",
        None,
    )
    superseded = analysis.current_step(running, session(analysisJobId="newer"), T0, decide)
    assert (superseded.job.error, superseded.session) == ("Superseded by a newer upload.", None)
    cancelled = analysis.current_step(
        running, session(analysisJobId=KEY, status="cancelled"), T0, decide
    )
    assert cancelled.job.state == JobState.FAILED
    assert cancelled.session.fields == {
        "analysisStatus": "failed",
        "analysisError": "The session was cancelled before its analysis finished.",
    }
    current = analysis.current_step(running, session(analysisJobId=KEY), T0, decide)
    assert (current.job.progress, current.session.fields) == (50, {"analysisProgress": 50})


def test_a_start_shows_processing_and_a_worn_job_shows_its_failure():
    step = analysis.start_step(job(), T0)
    assert step.session.fields == {
        "analysisStatus": "processing",
        "analysisProgress": 0,
        "analysisAttempts": 1,
    }
    assert analysis.start_step(step.job, T0) == analysis.Step(None)  # taken: nothing written
    worn = analysis.start_step(job(attempts=analysis.MAX_ATTEMPTS), T0)
    assert worn.job.state == JobState.FAILED
    assert worn.session.fields == {"analysisStatus": "failed", "analysisError": worn.job.error}


def test_the_sweeps_step_leaves_the_session_unless_it_gives_up():
    resent = analysis.requeue_step(job(), T0 + analysis.STUCK_AFTER)
    assert (resent.job.requeues, resent.session) == (1, None)
    worn = job(state=JobState.RUNNING, attempts=analysis.MAX_ATTEMPTS)
    given_up = analysis.requeue_step(worn, T0 + analysis.STUCK_AFTER)
    assert given_up.session.fields["analysisStatus"] == "failed"
    assert analysis.requeue_step(job(), T0) == analysis.Step(None)  # not stuck yet


def test_a_measured_video_completes_its_session_with_what_was_measured():
    running = analysis.started(job(), T0)
    path = analysis.analytics_path("s1", KEY)
    assert path == f"analysis/s1/{KEY}/motion.json"
    step = analysis.measured_step(running, {"width": 320}, path, T0)
    assert step.job.state == JobState.SUCCEEDED
    assert step.session.fields == {
        "analysisStatus": "completed",
        "analysisProgress": 100,
        "perFrameStatus": "completed",
        "metrics": {"width": 320},
        "analyticsFile": path,
        "analyticsFilename": "motion.json",
        "analysisError": None,
    }
    assert analysis.release_step(running, T0).session is None


def test_a_callback_step_changes_the_session_only_when_the_job_moves():
    running = analysis.started(job(), T0)
    moved = analysis.callback_step(running, callback(status="completed", motionIQ=70), T0)
    assert moved.job.state == JobState.SUCCEEDED
    assert moved.session.fields["motionIQ"] == 70
    assert analysis.callback_step(moved.job, callback(status="completed"), T0).session is None


def test_a_too_large_video_is_refused_with_the_limit():
    fields = analysis.video_too_large("9", T0).fields
    assert fields["analysisError"] == f"The video is larger than {analysis.MAX_VIDEO_BYTES} bytes."
    assert fields["analysisJobId"] is None


def test_upload_paths_keep_one_video_and_many_attachments():
    assert analysis.upload_path("s1", "video", "a.mp4", token="ab") == "sessions/s1/video/a.mp4"
    assert analysis.upload_path("s1", "attachment", "p.pdf", token="ab") == (
        "sessions/s1/attachments/ab-p.pdf"
    )
    path = "sessions/s1/attachments/ab-p.pdf"
    assert analysis.attachment_id("b", path) == analysis.attachment_id("b", path)
    assert len(analysis.attachment_id("b", path)) == 20
    assert analysis.attachment_id("b", path) != analysis.attachment_id("b", path + "x")


# ---- signatures ---------------------------------------------------------------------------------


def test_a_signature_verifies_within_its_window_either_way():
    body = b'{"sessionId": "s1"}'
    header = signatures.sign(SECRET, body, 1_000_000)
    key = signatures.verify(SECRET, header, body, 1_000_000 + signatures.WINDOW_SECONDS)
    assert key == header.split("v1=")[1]
    signatures.verify(SECRET, header, body, 1_000_000 - signatures.WINDOW_SECONDS)
    with pytest.raises(Unauthenticated, match="expired"):
        signatures.verify(SECRET, header, body, 1_000_000 + signatures.WINDOW_SECONDS + 1)
    with pytest.raises(Unauthenticated, match="expired"):
        signatures.verify(SECRET, header, body, 1_000_000 - signatures.WINDOW_SECONDS - 1)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "v1=abc",
        "t=,v1=abc",
        "t=1000000",
        "t=\u00b2,v1=abc",  # a Unicode digit: refused, not a crash
        "t=1000000000000,v1=abc",
        "t=-5,v1=abc",
        "t=1000000,v1=" + "0" * 64,
    ],
)
def test_malformed_or_wrong_signatures_are_refused_alike(header):
    with pytest.raises(Unauthenticated, match="missing or invalid"):
        signatures.verify(SECRET, header, b"{}", 1_000_000)


def test_without_a_secret_no_callback_verifies():
    header = signatures.sign("", b"{}", 1_000_000)
    with pytest.raises(Unauthenticated, match="not configured"):
        signatures.verify("", header, b"{}", 1_000_000)


@given(st.binary(max_size=200), st.binary(min_size=1, max_size=200), st.integers(0, 2**33))
def test_a_signature_holds_for_its_body_only(body, other, timestamp):
    header = signatures.sign(SECRET, body, timestamp)
    assert signatures.verify(SECRET, header, body, timestamp)
    if other != body:
        with pytest.raises(Unauthenticated):
            signatures.verify(SECRET, header, other, timestamp)
    with pytest.raises(Unauthenticated):
        signatures.verify(SECRET + "x", header, body, timestamp)


# ---- attachments --------------------------------------------------------------------------------

PDF = b"%PDF-1.7\n" + b"\0" * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
MP4 = b"\0\0\0\x18ftypisom" + b"\0" * 40
MOV = b"\0\0\0\x14ftypqt  " + b"\0" * 40


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (PDF, "PDF"),
        (PNG, "PNG"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 10, "JPEG"),
        (b"GIF89a", "GIF"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "WebP"),
        (b"RIFF\0\0\0\0WAVEfmt ", "WAV"),
        (MP4, "MP4"),
        (MOV, "QuickTime"),
        (b"\0\0\0\x08wide", "QuickTime"),
        (b"\x1a\x45\xdf\xa3", "WebM"),
        (b"\0\0\x01\xba", "MPEG"),
        (b"ID3\x04", "MP3"),
        (b"\xff\xfb\x90", "MP3"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office (OLE2)"),
        (b"PK\x03\x04", "Office Open XML (zip)"),
    ],
)
def test_formats_are_recognised_from_their_first_bytes(head, name):
    assert attachments.sniff(head).name == name


@pytest.mark.parametrize(
    ("declared", "size", "head", "reason"),
    [
        ("application/pdf", 10, PDF, None),
        ("APPLICATION/PDF", 10, PDF, None),
        ("video/quicktime", 10, MP4, None),
        ("application/pdf", attachments.MAX_ATTACHMENT_BYTES + 1, PDF, "larger than 100 MB"),
        ("application/zip", 10, b"PK\x03\x04", "application/zip is not accepted"),
        (None, 10, PDF, "(none) is not accepted"),
        ("application/pdf", 10, b"MZ\x90\0", "but is a Windows executable"),
        ("application/pdf", 10, b"\x7fELF", "but is a Linux executable"),
        ("application/pdf", 10, b"#!/bin/sh", "but is a script"),
        ("application/pdf", 10, b"hello", "but is a file of an unrecognised type"),
        ("application/pdf", 0, b"", "but is an empty file"),
        ("image/png", 10, PDF, "but its bytes are PDF"),
    ],
)
def test_an_attachment_is_accepted_only_when_its_bytes_match_its_type(declared, size, head, reason):
    found = attachments.rejection(declared, size, head)
    if reason is None:
        assert found is None
    else:
        assert reason in found
