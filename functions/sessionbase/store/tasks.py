"""Cloud Tasks: sending a job to the analysis task queue (DESIGN.md's ``analyze_session``)."""

from __future__ import annotations

import os

# The task-queue function (handlers/analysis.py); queue ids allow no underscores.
ANALYZE_QUEUE = "analyzeSession"


def enqueue_analysis(job_id: str, *, task_id: str) -> bool:
    """Queue the analysis of ``job_id``; False when a task with ``task_id`` was already queued.

    The task id makes a repeated enqueue a no-op (Cloud Tasks remembers ids for about an hour).
    The body is ``{"data": ...}``, the shape ``tasks_fn.on_task_dispatched`` reads.
    """
    import firebase_admin
    from firebase_admin import exceptions, functions

    try:
        app = firebase_admin.get_app()
    except ValueError:  # outside the functions (a maintenance script): the default app
        app = firebase_admin.initialize_app()
    queue = functions.task_queue(ANALYZE_QUEUE, app=app)
    try:
        queue.enqueue({"data": {"jobId": job_id}}, functions.TaskOptions(task_id=task_id))
    except (exceptions.AlreadyExistsError, exceptions.ConflictError):  # that id is queued already
        return False
    except ValueError as error:
        # Under the Cloud Tasks emulator, firebase-admin 7.7 cuts the first character off the
        # task name the emulator returns (it expects a leading "/") and then cannot parse it;
        # the task was created all the same (docs/decisions.md, "Analysis").
        if not os.environ.get("CLOUD_TASKS_EMULATOR_HOST") or "resource name" not in str(error):
            raise
    return True
