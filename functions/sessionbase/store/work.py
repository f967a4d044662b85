"""The store as services see it: repositories per collection, and the one unit of work.

A service never opens a batch, builds a document reference or commits. It reads through the
repositories of ``ctx.store`` and hands its writes to one of three units of work, each of which
owns its batch or transaction, the preconditions, the commit (without client retries) and the
retry on contention:

- ``store.write(body)``: one batch, committed once; for writes that need no read.
- ``store.optimistic(attempt)``: read, decide, write with preconditions (update times, "does
  not exist yet"); a lost race fails the whole batch, and ``attempt`` runs again.
- ``store.transaction(body)``: a Firestore transaction; reads inside it are locked.

Each hands its body a ``Store`` bound to the unit: ``unit.sessions.replace(...)`` stages a
write, ``unit.sessions.get(...)`` reads (inside the transaction, if there is one). Repositories
are imported when first used, so importing this module costs nothing (cold start).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sessionbase.store.client import (
    DocumentExists,
    commit,
    retry_on_conflict,
    run_transaction,
)

if TYPE_CHECKING:
    from google.cloud.firestore import (
        Client,
        CollectionReference,
        DocumentReference,
        DocumentSnapshot,
        Transaction,
        WriteBatch,
    )

    from sessionbase.store.comments import Comments
    from sessionbase.store.completion import Completion
    from sessionbase.store.groups import Groups
    from sessionbase.store.idempotency import Idempotency
    from sessionbase.store.invitations import Invitations
    from sessionbase.store.jobs import Jobs
    from sessionbase.store.meta import Meta
    from sessionbase.store.notifications import Notifications
    from sessionbase.store.practice import Practice
    from sessionbase.store.relations import Relations
    from sessionbase.store.schedules import Schedules
    from sessionbase.store.sessions import Sessions
    from sessionbase.store.stats import Stats
    from sessionbase.store.users import Users

T = TypeVar("T")
X = TypeVar("X")

# Writes per batch where a store function splits a large change (Firestore allows 500).
BATCH_LIMIT = 400


class NoUnitOfWork(RuntimeError):
    """A write was staged outside ``Store.write``, ``optimistic`` or ``transaction``."""


@dataclass(frozen=True)
class Unit:
    """The writer of one unit of work, and its transaction when it is one."""

    writer: WriteBatch | Transaction
    transaction: Transaction | None = None


class Repository:
    """One collection's reads and writes, bound to a client and, inside a unit, to its writer."""

    def __init__(self, db: Client, unit: Unit | None = None) -> None:
        self._db = db
        self._unit = unit

    def _collection(self, name: str) -> CollectionReference:
        return self._db.collection(name)

    def _read(self, ref: DocumentReference) -> DocumentSnapshot[Any]:
        """A document, read inside the unit's transaction when there is one."""
        transaction = self._unit.transaction if self._unit else None
        snapshot: DocumentSnapshot[Any] = ref.get(transaction=transaction)
        return snapshot

    def _read_all(self, refs: list[DocumentReference]) -> Iterable[DocumentSnapshot[Any]]:
        """These documents in one round trip, inside the unit's transaction when there is one."""
        transaction = self._unit.transaction if self._unit else None
        snapshots: Iterable[DocumentSnapshot[Any]] = self._db.get_all(refs, transaction=transaction)
        return snapshots

    def _stream(self, query: Any) -> Any:
        """A query's snapshots, read inside the unit's transaction when there is one."""
        transaction = self._unit.transaction if self._unit else None
        return query.stream(transaction=transaction)

    @property
    def _writes(self) -> WriteBatch | Transaction:
        """The unit's writer; writing outside a unit of work is a programming error."""
        if self._unit is None:
            raise NoUnitOfWork(f"{type(self).__name__}: write inside a unit of work")
        return self._unit.writer

    def _unchanged_since(self, version: datetime) -> Any:
        """The precondition that a document is still at ``version`` (its update time)."""
        return self._db.write_option(last_update_time=version)

    def _exists(self) -> Any:
        """The precondition that a document exists (an update or delete of a gone one fails)."""
        return self._db.write_option(exists=True)

    def _in_batches(self, items: Sequence[X], write: Callable[[WriteBatch, X], None]) -> None:
        """Write one change per item, committed in batches of ``BATCH_LIMIT`` of their own: for a
        change too large for one unit, where each part is final on its own (deleting a tree,
        marking a class's absentees)."""
        for start in range(0, len(items), BATCH_LIMIT):
            batch = self._db.batch()
            for item in items[start : start + BATCH_LIMIT]:
                write(batch, item)
            commit(batch)


class Store:
    """The repositories of one client (and unit of work), and the units of work themselves."""

    def __init__(self, db: Client, unit: Unit | None = None) -> None:
        self._db = db
        self._unit = unit

    # ---- the units of work ---------------------------------------------------------------------

    def write(self, body: Callable[[Store], T]) -> T:
        """Stage ``body``'s writes in one batch and commit it once (no read, no retry).

        Raises ``DocumentExists`` / ``DocumentMissing`` when a create meets an existing document
        or an update a gone one: nothing of the batch is written.
        """
        batch = self._db.batch()
        result = body(Store(self._db, Unit(batch)))
        commit(batch)
        return result

    def optimistic(
        self,
        attempt: Callable[[Store], T],
        *,
        also: tuple[type[Exception], ...] = (),
        exists_is_conflict: bool = True,
    ) -> T:
        """Run ``attempt`` (read, decide, stage writes with preconditions), commit, and again
        with backoff while it loses a write race; ``Aborted`` (409, ``Retry-After``) after the
        contention budget.

        A create that meets an existing document is a lost race unless ``exists_is_conflict``
        is False, when ``DocumentExists`` reaches the caller (a code that must be unique).
        ``also`` names more exceptions that mean "read again" (``DocumentMissing``).
        """

        def once() -> T:
            batch = self._db.batch()
            result = attempt(Store(self._db, Unit(batch)))
            if len(batch):  # an attempt that decided nothing changes writes nothing
                commit(batch)
            return result

        return retry_on_conflict(once, also=also, exists_is_conflict=exists_is_conflict)

    def transaction(self, body: Callable[[Store], T]) -> T:
        """Run ``body`` in a Firestore transaction (again while it loses to concurrent ones)."""
        return run_transaction(self._db, lambda t: body(Store(self._db, Unit(t, t))))

    # ---- the repositories ----------------------------------------------------------------------

    @functools.cached_property
    def sessions(self) -> Sessions:
        """``sessions/{id}``, their subcollections and the backend registry."""
        from sessionbase.store.sessions import Sessions

        return Sessions(self._db, self._unit)

    @functools.cached_property
    def comments(self) -> Comments:
        """Timestamped comments on sessions' videos."""
        from sessionbase.store.comments import Comments

        return Comments(self._db, self._unit)

    @functools.cached_property
    def completion(self) -> Completion:
        """Completion codes, notes and attachments."""
        from sessionbase.store.completion import Completion

        return Completion(self._db, self._unit)

    @functools.cached_property
    def groups(self) -> Groups:
        """Groups, members and live-session attendance."""
        from sessionbase.store.groups import Groups

        return Groups(self._db, self._unit)

    @functools.cached_property
    def idempotency(self) -> Idempotency:
        """Keyed requests and their first answers (``Idempotency-Key``, ``requestId``)."""
        from sessionbase.store.idempotency import Idempotency

        return Idempotency(self._db, self._unit)

    @functools.cached_property
    def invitations(self) -> Invitations:
        """Invitations from coaches to athletes' addresses."""
        from sessionbase.store.invitations import Invitations

        return Invitations(self._db, self._unit)

    @functools.cached_property
    def jobs(self) -> Jobs:
        """Analysis jobs and callback receipts."""
        from sessionbase.store.jobs import Jobs

        return Jobs(self._db, self._unit)

    @functools.cached_property
    def meta(self) -> Meta:
        """Deployment-wide internal values (the cursor key)."""
        from sessionbase.store.meta import Meta

        return Meta(self._db, self._unit)

    @functools.cached_property
    def notifications(self) -> Notifications:
        """Inboxes, Trigger Email's ``mail`` and push devices."""
        from sessionbase.store.notifications import Notifications

        return Notifications(self._db, self._unit)

    @functools.cached_property
    def practice(self) -> Practice:
        """Exercises, their answers and practice attempts."""
        from sessionbase.store.practice import Practice

        return Practice(self._db, self._unit)

    @functools.cached_property
    def relations(self) -> Relations:
        """Coach–athlete links and group membership (``domain.policy.Relations``)."""
        from sessionbase.store.relations import Relations

        return Relations(self._db, self._unit)

    @functools.cached_property
    def schedules(self) -> Schedules:
        """Weekly schedules."""
        from sessionbase.store.schedules import Schedules

        return Schedules(self._db, self._unit)

    @functools.cached_property
    def stats(self) -> Stats:
        """Statistics counters and contributions."""
        from sessionbase.store.stats import Stats

        return Stats(self._db, self._unit)

    @functools.cached_property
    def users(self) -> Users:
        """User profiles (``users/{uid}``) and Auth lookups."""
        from sessionbase.store.users import Users

        return Users(self._db, self._unit)


__all__ = ["BATCH_LIMIT", "DocumentExists", "NoUnitOfWork", "Repository", "Store", "Unit"]
