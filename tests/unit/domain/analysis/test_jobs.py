"""domain/analysis/jobs.py: job ids, the job state machine, the session's current job, steps.

The property test drives a job through random sequences of every writer's move (task starts,
progress, results, failures, sweeps, callbacks) and checks that no sequence moves it backwards.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessionbase.domain.analysis import jobs
from sessionbase.domain.analysis.callback import job_after_callback
from sessionbase.domain.analysis.sweep import requeued
from sessionbase.models.analysis import JobRecord, JobState
from tests.unit.domain.analysis.records import KEY, T0, callback, job
from tests.unit.factories import session_record as session


def test_a_job_id_is_stable_per_generation_and_differs_between_generations():
    first = jobs.job_id("b", "sessions/s1/video/a.mp4", "1")
    assert first == jobs.job_id("b", "sessions/s1/video/a.mp4", "1")
    assert len(first) == 32
    assert int(first, 16) >= 0
    assert first != jobs.job_id("b", "sessions/s1/video/a.mp4", "2")
    assert first != jobs.job_id("other", "sessions/s1/video/a.mp4", "1")


# ---- the job state machine ---------------------------------------------------------------------


def test_a_start_takes_the_job_and_a_duplicate_task_finds_it_taken():
    running = jobs.started(job(), T0)
    assert running is not None
    assert (running.state, running.attempts, running.leaseUntil) == (
        JobState.RUNNING,
        1,
        T0 + jobs.LEASE,
    )
    assert jobs.started(running, T0 + timedelta(minutes=1)) is None
    again = jobs.started(running, T0 + jobs.LEASE)
    assert again is not None
    assert again.attempts == 2


def test_a_released_job_starts_again_at_once():
    running = jobs.started(job(), T0)
    released = jobs.released(running, T0 + timedelta(seconds=5))
    assert released is not None
    assert not jobs.is_leased(released, T0 + timedelta(seconds=5))
    assert jobs.started(released, T0 + timedelta(seconds=6)).attempts == 2
    assert jobs.released(job(), T0) is None  # a queued job holds no lease


def test_an_interrupted_attempt_lets_go_while_attempts_remain_then_fails():
    """Issue 21 (18): every failure that will be retried releases the lease first."""
    first = jobs.started(job(), T0)
    retried = jobs.interrupted_step(first, "The analysis failed 1 times; last: x.", T0)
    assert (retried.job.state, retried.session) == (JobState.RUNNING, None)
    assert not jobs.is_leased(retried.job, T0)
    assert jobs.started(retried.job, T0).attempts == 2
    last = job(state=JobState.RUNNING, attempts=jobs.MAX_ATTEMPTS, leaseUntil=T0 + jobs.LEASE)
    given_up = jobs.interrupted_step(last, "The analysis failed 3 times; last: x.", T0)
    assert (given_up.job.state, given_up.job.error) == (
        JobState.FAILED,
        "The analysis failed 3 times; last: x.",
    )
    assert given_up.session.fields == {
        "analysisStatus": "failed",
        "analysisError": "The analysis failed 3 times; last: x.",
    }


def test_past_its_attempts_a_job_fails_instead_of_starting():
    worn = job(state=JobState.RUNNING, attempts=jobs.MAX_ATTEMPTS)
    after = jobs.started(worn, T0)
    assert after.state == JobState.FAILED
    assert "3 attempts" in after.error


def test_final_jobs_never_move():
    for final in (job(state=JobState.SUCCEEDED), job(state=JobState.FAILED, error="x")):
        assert jobs.started(final, T0) is None
        assert jobs.succeeded(final, T0) is None
        assert jobs.failed(final, "again", T0) is None
        assert jobs.progressed(final, 50, T0) is None
        assert requeued(final, T0 + timedelta(days=1)) is None
        assert jobs.released(final, T0) is None


def test_progress_only_goes_up_and_stops_short_of_done():
    running = jobs.started(job(), T0)
    assert jobs.progressed(job(), 10, T0) is None  # not running yet
    at_40 = jobs.progressed(running, 40, T0)
    assert at_40.progress == 40
    assert jobs.progressed(at_40, 40, T0) is None
    assert jobs.progressed(at_40, 30, T0) is None
    assert jobs.progressed(at_40, 100, T0).progress == 99
    assert jobs.succeeded(at_40, T0).progress == 100


MOVES = st.sampled_from(
    ["start", "progress", "succeed", "fail", "requeue", "release", "cb-progress", "cb-done"]
)


def apply_move(move: str, current: JobRecord, value: int, now: datetime) -> JobRecord | None:
    if move == "start":
        return jobs.started(current, now)
    if move == "progress":
        return jobs.progressed(current, value, now)
    if move == "succeed":
        return jobs.succeeded(current, now)
    if move == "fail":
        return jobs.failed(current, "broken", now)
    if move == "requeue":
        return requeued(current, now)
    if move == "release":
        return jobs.released(current, now)
    if move == "cb-progress":
        body = callback(status="processing", progress=value)
    else:
        body = callback(status="completed")
    return job_after_callback(current, body, now)


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
        if jobs.is_final(current):
            raise AssertionError(f"{move} moved a final job")
        current = after
    assert 0 <= current.attempts <= jobs.MAX_ATTEMPTS


# ---- the session's current job -----------------------------------------------------------------


def test_a_job_is_current_only_while_it_is_the_sessions_latest():
    assert jobs.is_current(session(analysisJobId="j1"), "j1")
    assert not jobs.is_current(session(analysisJobId="j2"), "j1")
    assert not jobs.is_current(session(), "j1")


def test_a_cancelled_session_is_not_analysed():
    assert jobs.may_analyse(session())
    assert not jobs.may_analyse(session(status="cancelled"))
    with pytest.raises(Exception, match="cancelled"):
        jobs.require_analysable(session(status="cancelled"))


# ---- steps: a job's move and its session's change ----------------------------------------------


def test_a_running_attempt_outlives_no_lease():
    # A task still running when its job's lease ends would let a duplicate task start it again.
    assert jobs.LEASE > jobs.TASK_TIMEOUT


def test_only_the_sessions_current_job_takes_its_step():
    def decide(current: JobRecord) -> jobs.Step:
        return jobs.progress_step(current, 50, T0)

    running = jobs.started(job(), T0)
    deleted = jobs.current_step(running, None, T0, decide)
    assert (deleted.job.state, deleted.job.error, deleted.session) == (
        JobState.FAILED,
        "The session was deleted.",
        None,
    )
    superseded = jobs.current_step(running, session(analysisJobId="newer"), T0, decide)
    assert (superseded.job.error, superseded.session) == ("Superseded by a newer upload.", None)
    cancelled = jobs.current_step(
        running, session(analysisJobId=KEY, status="cancelled"), T0, decide
    )
    assert cancelled.job.state == JobState.FAILED
    assert cancelled.session.fields == {
        "analysisStatus": "failed",
        "analysisError": "The session was cancelled before its analysis finished.",
    }
    current = jobs.current_step(running, session(analysisJobId=KEY), T0, decide)
    assert (current.job.progress, current.session.fields) == (50, {"analysisProgress": 50})


def test_a_start_shows_processing_and_a_worn_job_shows_its_failure():
    step = jobs.start_step(job(), T0)
    assert step.session.fields == {
        "analysisStatus": "processing",
        "analysisProgress": 0,
        "analysisAttempts": 1,
    }
    assert jobs.start_step(step.job, T0) == jobs.Step(None)  # taken: nothing written
    worn = jobs.start_step(job(attempts=jobs.MAX_ATTEMPTS), T0)
    assert worn.job.state == JobState.FAILED
    assert worn.session.fields == {"analysisStatus": "failed", "analysisError": worn.job.error}


def test_a_measured_video_completes_its_session_with_what_was_measured():
    running = jobs.started(job(), T0)
    path = jobs.analytics_path("s1", KEY)
    assert path == f"analysis/s1/{KEY}/motion.json"
    step = jobs.measured_step(
        running, jobs.Measured(metrics={"width": 320}, analytics_file=path), T0
    )
    assert step.job.state == JobState.SUCCEEDED
    assert step.session.fields == {
        "analysisStatus": "completed",
        "analysisProgress": 100,
        "perFrameStatus": "completed",
        "metrics": {"width": 320},
        "analyticsFile": path,
        "analyticsFilename": "motion.json",
        "pose": None,  # no pose model where it ran: a previous video's block does not stay
        "poseFile": None,
        "analysisAssets": None,
        "analysisError": None,
    }
    pose_file = jobs.pose_path("s1", KEY)
    assert pose_file == f"analysis/s1/{KEY}/pose.json"
    tracked = jobs.Measured(
        metrics={"width": 320}, analytics_file=path, pose={"frames": 3}, pose_file=pose_file
    )
    fields = jobs.measured_step(running, tracked, T0).session.fields
    assert (fields["pose"], fields["poseFile"]) == ({"frames": 3}, pose_file)
    assert jobs.release_step(running, T0).session is None
