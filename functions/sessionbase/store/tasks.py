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


# The data-export task-queue function (handlers/privacy.py).
EXPORT_QUEUE = "runDataExport"


def enqueue_export(export_id: str) -> None:
    """Queue the building of export ``export_id`` (its id is the task's: a repeat is a no-op)."""
    import firebase_admin
    from firebase_admin import exceptions, functions

    try:
        app = firebase_admin.get_app()
    except ValueError:
        app = firebase_admin.initialize_app()
    queue = functions.task_queue(EXPORT_QUEUE, app=app)
    try:
        queue.enqueue({"data": {"exportId": export_id}}, functions.TaskOptions(task_id=export_id))
    except (exceptions.AlreadyExistsError, exceptions.ConflictError):
        return
    except ValueError as error:  # the emulator's task name quirk (see enqueue_analysis)
        if not os.environ.get("CLOUD_TASKS_EMULATOR_HOST") or "resource name" not in str(error):
            raise


# ---- issue 27: account deletion ----------------------------------------------------------------

# The task-queue function that runs account deletions (handlers/accounts.py).
ACCOUNT_DELETION_QUEUE = "runAccountDeletion"


def enqueue_account_deletion(uid: str, *, task_id: str) -> bool:
    """Queue a run of ``uid``'s account deletion; False when ``task_id`` was queued already
    (a repeated enqueue of the same run is a no-op)."""
    import firebase_admin
    from firebase_admin import exceptions, functions

    try:
        app = firebase_admin.get_app()
    except ValueError:  # outside the functions (a maintenance script): the default app
        app = firebase_admin.initialize_app()
    queue = functions.task_queue(ACCOUNT_DELETION_QUEUE, app=app)
    try:
        queue.enqueue({"data": {"uid": uid}}, functions.TaskOptions(task_id=task_id))
    except (exceptions.AlreadyExistsError, exceptions.ConflictError):
        return False
    except ValueError as error:  # firebase-admin 7.7 under the emulator: see enqueue_analysis
        if not os.environ.get("CLOUD_TASKS_EMULATOR_HOST") or "resource name" not in str(error):
            raise
    return True
