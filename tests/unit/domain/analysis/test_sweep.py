"""domain/analysis/sweep.py: stuck jobs are sent again a limited number of times, then failed."""

from __future__ import annotations

from datetime import timedelta

from sessionbase.domain.analysis import sweep
from sessionbase.domain.analysis.jobs import MAX_ATTEMPTS, Step
from sessionbase.models.analysis import JobState
from tests.unit.domain.analysis.records import T0, job


def test_the_sweep_resends_a_stuck_job_a_limited_number_of_times():
    stuck = job()
    assert sweep.requeued(stuck, T0 + sweep.STUCK_AFTER - timedelta(seconds=1)) is None
    later = T0
    for count in range(1, sweep.MAX_REQUEUES + 1):
        later += sweep.STUCK_AFTER
        stuck = sweep.requeued(stuck, later)
        assert (stuck.state, stuck.requeues, stuck.updatedAt) == (JobState.QUEUED, count, later)
    given_up = sweep.requeued(stuck, later + sweep.STUCK_AFTER)
    assert given_up.state == JobState.FAILED
    assert "never started" in given_up.error


def test_the_sweep_fails_a_stuck_job_whose_attempts_are_used_up():
    worn = job(state=JobState.RUNNING, attempts=MAX_ATTEMPTS)
    after = sweep.requeued(worn, T0 + sweep.STUCK_AFTER)
    assert after.state == JobState.FAILED
    assert "no progress for 30 minutes" in after.error


def test_stuck_since_is_the_stuck_threshold_before_now():
    assert sweep.stuck_since(T0) == T0 - sweep.STUCK_AFTER


def test_the_sweeps_step_leaves_the_session_unless_it_gives_up():
    resent = sweep.requeue_step(job(), T0 + sweep.STUCK_AFTER)
    assert (resent.job.requeues, resent.session) == (1, None)
    worn = job(state=JobState.RUNNING, attempts=MAX_ATTEMPTS)
    given_up = sweep.requeue_step(worn, T0 + sweep.STUCK_AFTER)
    assert given_up.session.fields["analysisStatus"] == "failed"
    assert sweep.requeue_step(job(), T0) == Step(None)  # not stuck yet
