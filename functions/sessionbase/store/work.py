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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sessionbase.store.audit import Recorder, Scope, Trail
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

    from sessionbase.models.sessions import PageAfter
    from sessionbase.store.accounts import Accounts
    from sessionbase.store.audit_log import AuditLog
    from sessionbase.store.comments import Comments
    from sessionbase.store.completion import Completion
    from sessionbase.store.exports import Exports
    from sessionbase.store.groups import Groups
    from sessionbase.store.idempotency import Idempotency
    from sessionbase.store.invitations import Invitations
    from sessionbase.store.jobs import Jobs
    from sessionbase.store.limits import Limits
    from sessionbase.store.meta import Meta
    from sessionbase.store.notifications import Notifications
    from sessionbase.store.practice import Practice
    from sessionbase.store.relations import Relations
    from sessionbase.store.schedules import Schedules
    from sessionbase.store.sessions import Sessions
    from sessionbase.store.standing import Gate
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
    """The writer of one unit of work (recording its writes for the audit trail), and its
    transaction when it is one."""

    writer: Recorder
    transaction: Transaction | None = None


class Repository:
    """One collection's reads and writes, bound to a client and, inside a unit, to its writer."""

    def __init__(self, db: Client, unit: Unit | None = None, trail: Trail | None = None) -> None:
        self._db = db
        self._unit = unit
        self._trail = trail or Trail()

    def _collection(self, name: str) -> CollectionReference:
        return self._db.collection(name)

    def _read(self, ref: DocumentReference) -> DocumentSnapshot[Any]:
        """A document, read inside the unit's transaction when there is one (the request's
        first read brings its caller's standing along: ``store/standing.py``)."""
        transaction = self._unit.transaction if self._unit else None
        gate = self._trail.gate
        snapshot: DocumentSnapshot[Any]
        if gate is not None and gate.claim():
            (snapshot,) = gate.read_with(self._db, [ref], transaction)
        else:
            snapshot = ref.get(transaction=transaction)
        self._trail.saw(snapshot)
        return snapshot

    def _read_all(self, refs: list[DocumentReference]) -> Iterable[DocumentSnapshot[Any]]:
        """These documents in one round trip, inside the unit's transaction when there is one."""
        transaction = self._unit.transaction if self._unit else None
        gate = self._trail.gate
        snapshots: Iterable[DocumentSnapshot[Any]]
        if gate is not None and gate.claim():
            snapshots = gate.read_with(self._db, refs, transaction)
        else:
            snapshots = self._db.get_all(refs, transaction=transaction)
        return self._trail.saw_all(snapshots)

    def _stream(self, query: Any) -> Any:
        """A query's snapshots, read inside the unit's transaction when there is one."""
        transaction = self._unit.transaction if self._unit else None
        snapshots = query.stream(transaction=transaction)
        gate = self._trail.gate
        if gate is not None and gate.claim():
            snapshots = gate.beside(self._db, snapshots)
        return self._trail.saw_all(snapshots)

    def _count(self, query: Any) -> int:
        """How many documents ``query`` matches (one count aggregation: a read per 1,000
        documents counted, not one per document)."""
        return self._count_at(query)[0]

    def _count_at(self, query: Any) -> tuple[int, datetime]:
        """``_count``, with Firestore's time of the count (its read time)."""

        def counted() -> Iterator[tuple[int, datetime]]:
            (result,) = query.count().get()[0]
            yield int(result.value), result.read_time

        gate = self._trail.gate
        if gate is not None and gate.claim():
            return next(gate.beside(self._db, counted()))
        return next(counted())

    def _newest_first(
        self,
        query: Any,
        collection: CollectionReference,
        *,
        limit: int,
        after: PageAfter | None,
        field: str = "createdAt",
    ) -> Iterable[DocumentSnapshot[Any]]:
        """At most ``limit`` of ``query``'s documents (of ``collection``), newest first by
        ``field`` (ties by id), after the position ``after`` (``services/paging.py``)."""
        from google.cloud.firestore import Query

        query = query.order_by(field, direction=Query.DESCENDING).order_by(
            "__name__", direction=Query.DESCENDING
        )
        if after is not None:
            position = {field: after.created_at, "__name__": collection.document(after.session_id)}
            query = query.start_after(position)
        snapshots: Iterable[DocumentSnapshot[Any]] = self._stream(query.limit(limit))
        return snapshots

    @property
    def _writes(self) -> Recorder:
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

    def _in_batches(self, items: Sequence[X], write: Callable[[Recorder, X], None]) -> None:
        """Write one change per item, committed in batches of ``BATCH_LIMIT`` of their own: for a
        change too large for one unit, where each part is final on its own (deleting a tree,
        marking a class's absentees)."""
        for start in range(0, len(items), BATCH_LIMIT):
            batch = self._batch()
            for item in items[start : start + BATCH_LIMIT]:
                write(batch, item)
            self._commit(batch)

    def _batch(self) -> Recorder:
        """A batch of this repository's own (outside the unit of work), audited in its scope."""
        return Recorder(self._db.batch(), self._trail)

    def _commit(self, batch: Recorder) -> None:
        """Commit a batch of ``_batch`` once, with its audit entry."""
        batch.seal(self._db)
        commit(batch.writer)


class Store:
    """The repositories of one client (and unit of work), and the units of work themselves.

    ``audit`` says on whose behalf the writes are made: each unit of work then commits its
    entry of the audit trail with its writes (``store/audit.py``). Handlers give every Store
    one; a Store without (a test's, a benchmark's) audits nothing. ``gate``, a request's, is
    its caller's standing, checked with the first read (``store/standing.py``).
    """

    def __init__(
        self,
        db: Client,
        unit: Unit | None = None,
        *,
        audit: Scope | None = None,
        gate: Gate | None = None,
    ) -> None:
        self._db = db
        self._unit = unit
        self._trail = Trail(audit, gate)

    def _bound(self, writer: WriteBatch | Transaction, transaction: Transaction | None) -> Store:
        """This Store inside a unit of work whose writes go to ``writer`` (and are recorded)."""
        store = Store(self._db, Unit(Recorder(writer, self._trail), transaction))
        store._trail = self._trail  # the same scope, and the reads seen before the unit
        return store

    def _seal(self, store: Store) -> int:
        """Add the audit entry to ``store``'s unit; how many writes the body staged."""
        assert store._unit is not None
        staged = len(store._unit.writer.writes)
        store._unit.writer.seal(self._db)
        return staged

    @property
    def audit(self) -> Scope | None:
        """The scope this Store's writes are audited in."""
        return self._trail.scope

    def settle(self) -> None:
        """Make sure the caller's standing was checked (``store/standing.py``): before a request
        answers, whatever it read."""
        if self._trail.gate is not None:
            self._trail.gate.settle(self._db)

    # ---- the units of work ---------------------------------------------------------------------

    def write(self, body: Callable[[Store], T]) -> T:
        """Stage ``body``'s writes in one batch and commit it once (no read, no retry).

        Raises ``DocumentExists`` / ``DocumentMissing`` when a create meets an existing document
        or an update a gone one: nothing of the batch is written.
        """
        return self.write_at(body)[0]

    def write_at(self, body: Callable[[Store], T]) -> tuple[T, datetime]:
        """``write``, with Firestore's time of the commit."""
        batch = self._db.batch()
        unit = self._bound(batch, None)
        result = body(unit)
        self._seal(unit)
        commit(batch)
        committed = batch.commit_time
        assert committed is not None  # set by the commit
        return result, committed

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
            unit = self._bound(batch, None)
            result = attempt(unit)
            if self._seal(unit):  # an attempt that decided nothing changes writes nothing
                commit(batch)
            return result

        return retry_on_conflict(once, also=also, exists_is_conflict=exists_is_conflict)

    def transaction(self, body: Callable[[Store], T]) -> T:
        """Run ``body`` in a Firestore transaction (again while it loses to concurrent ones)."""

        def attempt(transaction: Transaction) -> T:
            unit = self._bound(transaction, transaction)
            result = body(unit)
            self._seal(unit)
            return result

        return run_transaction(self._db, attempt)

    # ---- the repositories ----------------------------------------------------------------------

    @functools.cached_property
    def accounts(self) -> Accounts:
        """Account deletion jobs and a person's documents everywhere (issue 27)."""
        from sessionbase.store.accounts import Accounts

        return Accounts(self._db, self._unit)

    @functools.cached_property
    def sessions(self) -> Sessions:
        """``sessions/{id}``, their subcollections and the backend registry."""
        from sessionbase.store.sessions import Sessions

        return Sessions(self._db, self._unit, self._trail)

    @functools.cached_property
    def audit_log(self) -> AuditLog:
        """The audit trail (``auditLog/{id}``), read by admins; written by the units of work."""
        from sessionbase.store.audit_log import AuditLog

        return AuditLog(self._db, self._unit, self._trail)

    @functools.cached_property
    def comments(self) -> Comments:
        """Timestamped comments on sessions' videos."""
        from sessionbase.store.comments import Comments

        return Comments(self._db, self._unit, self._trail)

    @functools.cached_property
    def exports(self) -> Exports:
        """Data export jobs ("download my data")."""
        from sessionbase.store.exports import Exports

        return Exports(self._db, self._unit, self._trail)

    @functools.cached_property
    def completion(self) -> Completion:
        """Completion codes, notes and attachments."""
        from sessionbase.store.completion import Completion

        return Completion(self._db, self._unit, self._trail)

    @functools.cached_property
    def groups(self) -> Groups:
        """Groups, members and live-session attendance."""
        from sessionbase.store.groups import Groups

        return Groups(self._db, self._unit, self._trail)

    @functools.cached_property
    def idempotency(self) -> Idempotency:
        """Keyed requests and their first answers (``Idempotency-Key``, ``requestId``)."""
        from sessionbase.store.idempotency import Idempotency

        return Idempotency(self._db, self._unit, self._trail)

    @functools.cached_property
    def invitations(self) -> Invitations:
        """Invitations from coaches to athletes' addresses."""
        from sessionbase.store.invitations import Invitations

        return Invitations(self._db, self._unit, self._trail)

    @functools.cached_property
    def jobs(self) -> Jobs:
        """Analysis jobs and callback receipts."""
        from sessionbase.store.jobs import Jobs

        return Jobs(self._db, self._unit, self._trail)

    @functools.cached_property
    def limits(self) -> Limits:
        """Rate-limit counters (``quotas``)."""
        from sessionbase.store.limits import Limits

        return Limits(self._db, self._unit, self._trail)

    @functools.cached_property
    def meta(self) -> Meta:
        """Deployment-wide internal values (the cursor key)."""
        from sessionbase.store.meta import Meta

        return Meta(self._db, self._unit, self._trail)

    @functools.cached_property
    def notifications(self) -> Notifications:
        """Inboxes, Trigger Email's ``mail`` and push devices."""
        from sessionbase.store.notifications import Notifications

        return Notifications(self._db, self._unit, self._trail)

    @functools.cached_property
    def practice(self) -> Practice:
        """Exercises, their answers and practice attempts."""
        from sessionbase.store.practice import Practice

        return Practice(self._db, self._unit, self._trail)

    @functools.cached_property
    def relations(self) -> Relations:
        """Coach–athlete links and group membership (``domain.policy.Relations``)."""
        from sessionbase.store.relations import Relations

        return Relations(self._db, self._unit, self._trail)

    @functools.cached_property
    def schedules(self) -> Schedules:
        """Weekly schedules."""
        from sessionbase.store.schedules import Schedules

        return Schedules(self._db, self._unit, self._trail)

    @functools.cached_property
    def stats(self) -> Stats:
        """Statistics counters and contributions."""
        from sessionbase.store.stats import Stats

        return Stats(self._db, self._unit, self._trail)

    @functools.cached_property
    def users(self) -> Users:
        """User profiles (``users/{uid}``) and Auth lookups."""
        from sessionbase.store.users import Users

        return Users(self._db, self._unit, self._trail)


__all__ = ["BATCH_LIMIT", "DocumentExists", "NoUnitOfWork", "Repository", "Store", "Unit"]
