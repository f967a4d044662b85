"""The Firestore client, created on first use so that importing handlers stays cheap."""

from __future__ import annotations

import functools
import os
import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sessionbase.errors import Aborted
from sessionbase.settings import project_id
from sessionbase.threads import Pool

if TYPE_CHECKING:
    from google.auth.credentials import Credentials
    from google.cloud.firestore import Client, DocumentSnapshot, Transaction, WriteBatch

T = TypeVar("T")
# Seconds a transaction keeps retrying while it loses to concurrent ones.
CONTENTION_BUDGET = 20.0
R = TypeVar("R")


# Threads for together(): enough for the reads of every request an instance serves at once
# (a Cloud Functions instance serves up to 80 with concurrency on; each get needs three).
READ_THREADS = 64


_READERS = Pool("firestore-read", READ_THREADS)


def together(*reads: Callable[[], Any]) -> list[Any]:
    """Run independent reads at once and return their results in order: a request waits for
    the slowest round trip instead of their sum. If one raises, the first (in order) is raised
    once all have finished, so none is left running behind the answer.

    A read must not call ``together`` itself: waiting on the pool from inside it can deadlock.
    """
    futures = [_READERS.submit(read) for read in reads]
    errors = [future.exception() for future in futures]
    for error in errors:
        if error is not None:
            raise error
    return [future.result() for future in futures]


@functools.cache
def firestore_client() -> Client:
    """The process-wide Firestore client (emulator-aware)."""
    from google.cloud import firestore

    if os.environ.get("FIRESTORE_EMULATOR_HOST"):
        # firebase_admin.firestore.client() insists on Google credentials even for the emulator.
        return firestore.Client(project=project_id(), credentials=emulator_credentials())
    from firebase_admin import firestore as admin_firestore

    client: Client = admin_firestore.client()
    return client


def emulator_credentials() -> Credentials:
    """No credentials: what the Firestore and Storage emulators accept."""
    from google.auth.credentials import AnonymousCredentials

    credentials: Credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
    return credentials


def run_transaction(db: Client, body: Callable[[Transaction], T]) -> T:
    """Run ``body`` in a Firestore transaction, again with backoff while it loses to others.

    ``body`` is a service's short shell: it reads, asks the domain, and writes; it may run more
    than once. Under contention a transaction is aborted (at a read or at the commit); it is
    retried with exponential backoff and jitter for up to ``CONTENTION_BUDGET`` seconds, then
    ``Aborted`` (409) is raised, so contention never becomes a 500.
    """
    from google.api_core import exceptions
    from google.cloud import firestore

    deadline = time.monotonic() + CONTENTION_BUDGET
    delay = 0.02
    while True:
        try:
            result: T = firestore.transactional(body)(db.transaction(max_attempts=1))
            return result
        except (exceptions.Aborted, ValueError) as error:
            lost = isinstance(error, exceptions.Aborted) or isinstance(
                error.__cause__, exceptions.Aborted
            )
            if not lost:
                raise
            if time.monotonic() + delay > deadline:
                raise Aborted("Too many concurrent changes to the same record; retry.") from None
        time.sleep(random.uniform(0, delay))  # full jitter
        delay = min(delay * 2, 1.0)


def retry_on_conflict(
    attempt: Callable[[], T],
    *,
    also: tuple[type[Exception], ...] = (),
    exists_is_conflict: bool = True,
) -> T:
    """Run ``attempt`` again, with backoff, while it loses a write race; ``Aborted`` after a while.

    ``attempt`` reads what it needs afresh and commits one batch whose writes carry preconditions
    (a document's update time, or that it does not exist yet): a concurrent change makes the whole
    batch fail and nothing is written. Optimistic writes like this stay exact under
    contention, in production and in the emulator alike (the Firestore emulator's transactions
    starve each other under contention: firebase-tools issue 6758). ``also`` names more
    exceptions that mean "read again" (``DocumentMissing``: a document was deleted meanwhile);
    without ``exists_is_conflict``, ``DocumentExists`` reaches the caller instead.

    Services reach this through ``Store.optimistic`` (store/work.py).
    """
    from google.api_core import exceptions

    exists = (DocumentExists,) if exists_is_conflict else ()
    conflicts: tuple[type[Exception], ...] = (exceptions.FailedPrecondition, *exists, *also)
    deadline = time.monotonic() + CONTENTION_BUDGET
    delay = 0.01
    while True:
        try:
            return attempt()
        except conflicts:  # someone else wrote first
            if time.monotonic() + delay > deadline:
                raise Aborted("Too many concurrent changes to the same record; retry.") from None
        time.sleep(random.uniform(0, delay))
        delay = min(delay * 2, 0.5)


class DocumentExists(Exception):
    """A batch created a document that exists: nothing of the batch was written."""


class DocumentMissing(Exception):
    """A batch updated or deleted a document that is gone: nothing of the batch was written."""


def commit(batch: WriteBatch) -> None:
    """Commit the batch atomically, once.

    Without the client's automatic retries: a retried commit that had in fact been applied would
    fail its own preconditions and report a conflict that never happened. A lost race raises
    FailedPrecondition (see ``retry_on_conflict``); a create of an existing document
    ``DocumentExists``, an update or delete of a missing one ``DocumentMissing``.
    """
    from google.api_core import exceptions

    try:
        batch.commit(retry=None)
    except exceptions.AlreadyExists:
        raise DocumentExists from None
    except exceptions.NotFound:
        raise DocumentMissing from None


def unchanged_since(db: Client, version: datetime) -> Any:
    """The precondition that a document is still at ``version`` (its update time when read)."""
    return db.write_option(last_update_time=version)


def record_of(snapshot: DocumentSnapshot[Any], model: Callable[[dict[str, Any]], R]) -> R | None:
    """The record a snapshot holds, or None if the document does not exist."""
    return model(snapshot.to_dict() or {}) if snapshot.exists else None
