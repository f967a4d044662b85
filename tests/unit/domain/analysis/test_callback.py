"""domain/analysis/callback.py: what the backend's callback does to a job and to its session."""

from __future__ import annotations

import pytest

from sessionbase.domain.analysis import callback as decide
from sessionbase.domain.analysis.jobs import Step, started
from sessionbase.models.analysis import JobState
from tests.unit.domain.analysis.records import T0, callback, job
from tests.unit.factories import session_record as session


@pytest.mark.parametrize(
    ("acl_risk", "level"),
    [(None, None), (0, "LOW"), (29.99, "LOW"), (30, "MODERATE"), (59.99, "MODERATE"), (60, "HIGH")],
)
def test_risk_level_boundaries(acl_risk, level):
    assert decide.risk_level(acl_risk) == level


def test_a_final_callback_writes_only_what_the_backend_sent():
    fields = decide.callback_change(callback(status="completed", aclRisk=45.0, motionIQ=80)).fields
    assert fields == {
        "analysisStatus": "completed",
        "analysisProgress": 100,
        "analysisError": None,
        "motionIQ": 80,
        "aclRisk": 45.0,
        "riskLevel": "MODERATE",
    }
    sent = decide.callback_change(
        callback(status="completed", aclRisk=10, riskLevel="HIGH", processedVideoFilename="p.mp4")
    ).fields
    assert sent["riskLevel"] == "HIGH"
    assert sent["hasProcessedVideo"] is True


def test_progress_and_failure_callbacks():
    running = started(job(), T0).changed(progress=30)
    body = callback(status="processing", progress=20, perFrameStatus="processing")
    assert decide.callback_change(body, running).fields == {
        "analysisStatus": "processing",
        "analysisProgress": 30,
        "perFrameStatus": "processing",
    }
    assert decide.callback_change(callback(status="processing")).fields == {
        "analysisStatus": "processing"
    }
    failed = decide.callback_change(callback(status="failed")).fields
    assert failed["analysisStatus"] == "failed"
    assert "reported a failure" in failed["analysisError"]


def test_a_callback_moves_the_job_once():
    running = started(job(), T0)
    assert decide.job_after_callback(job(), callback(status="processing", progress=5), T0) is None
    moved = decide.job_after_callback(running, callback(status="processing", progress=100), T0)
    assert moved.progress == 99
    assert moved.state == JobState.RUNNING
    done = decide.job_after_callback(running, callback(status="completed"), T0)
    assert done.state == JobState.SUCCEEDED
    assert decide.job_after_callback(done, callback(status="completed"), T0) is None
    failed = decide.job_after_callback(running, callback(status="failed", error="bad"), T0)
    assert (failed.state, failed.error) == (JobState.FAILED, "bad")


def test_repeated_or_backwards_progress_moves_nothing():
    """Issue 21 (19): progress 50, 50, 30 answered ``applied: true`` each time and refreshed
    ``updatedAt``; only a step forward is a move."""
    at_50 = decide.job_after_callback(
        started(job(), T0), callback(status="processing", progress=50), T0
    )
    assert at_50.progress == 50
    for again in (50, 30, None):
        body = callback(status="processing", progress=again)
        assert decide.job_after_callback(at_50, body, T0) is None
        assert decide.callback_step(at_50, body, T0) == Step(None)
    assert decide.job_after_callback(at_50, callback(status="processing", progress=51), T0)


def test_without_a_job_a_callback_applies_only_when_it_moves_forward():
    fresh = session()
    assert decide.is_forward(fresh, callback(status="processing", progress=1))
    at_50 = session(analysisStatus="processing", analysisProgress=50)
    assert decide.is_forward(at_50, callback(status="processing", progress=60))
    assert not decide.is_forward(at_50, callback(status="processing", progress=50))
    assert decide.is_forward(at_50, callback(status="completed"))
    done = session(analysisStatus="completed")
    assert not decide.is_forward(done, callback(status="failed"))
    assert not decide.is_forward(done, callback(status="processing", progress=99))


def test_a_callback_step_changes_the_session_only_when_the_job_moves():
    running = started(job(), T0)
    moved = decide.callback_step(running, callback(status="completed", motionIQ=70), T0)
    assert moved.job.state == JobState.SUCCEEDED
    assert moved.session.fields["motionIQ"] == 70
    assert decide.callback_step(moved.job, callback(status="completed"), T0).session is None


def test_only_a_session_linked_with_link_backend_reports_without_a_job():
    from sessionbase.errors import FailedPrecondition, InvalidArgument

    without_job = callback(status="completed", motionIQ=80)
    linked = session(backendSessionId="b1")
    assert decide.reported_job(linked, without_job) is None
    # An athlete's own session, a practice: nothing asked the backend about them.
    for other in (session(), session(sessionType="Practice", status="active")):
        with pytest.raises(InvalidArgument) as refused:
            decide.reported_job(other, without_job)
        assert [e.field for e in refused.value.errors] == ["jobId"]
    # A linked session that has since been uploaded here has a job: its id is required.
    with pytest.raises(InvalidArgument):
        decide.reported_job(session(backendSessionId="b1", analysisJobId="j1"), without_job)
    uploaded = session(analysisJobId="j1")
    assert decide.reported_job(uploaded, callback(status="completed", jobId="j1")) == "j1"
    with pytest.raises(FailedPrecondition):
        decide.reported_job(uploaded, callback(status="completed", jobId="j0"))
