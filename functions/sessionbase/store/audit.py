"""The audit trail: who changed which documents, written in the same commit as the change.

A request (or a trigger's event, a task, a schedule's run) is a ``Scope``. Every unit of work of
a ``Store`` that has one records the writes it stages (a ``Recorder`` around its batch or
transaction) and, just before it commits, adds one more write to the same batch or transaction:
``auditLog/{scope id}``: whole the first time, merged after (array unions), so that a request
whose work takes several commits (the change, then its notifications) still has exactly one
entry, and a change is never committed without it. The entry is written blind, so it costs one
write in a commit that happens anyway, and no read. Values of the fields in ``SENSITIVE`` are
recorded before (as the request last read the document, when it did) and after.

Bookkeeping that changes nobody's data is not audited: the audit log itself, idempotency records
and rate-limit counters (``UNAUDITED``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sessionbase.store.keys import AUDIT_LOG, IDEMPOTENCY, QUOTAS

if TYPE_CHECKING:
    from google.cloud.firestore import DocumentReference, DocumentSnapshot, Transaction, WriteBatch

    from sessionbase.models.identity import Caller
    from sessionbase.store.standing import Gate

# Top-level collections whose writes are bookkeeping, not anybody's data.
UNAUDITED = frozenset({AUDIT_LOG, IDEMPOTENCY, QUOTAS})
# Fields whose values the entry keeps, before and after: completion codes, roles, actual times,
# analysis results and practice scores.
SENSITIVE = frozenset(
    {
        "completionCode",
        "role",
        "actualStart",
        "actualEnd",
        "analysisStatus",
        "motionIQ",
        "aclRisk",
        "riskLevel",
        "metrics",
        "pose",
        "correctCount",
        "scorePercentage",
    }
)
SYSTEM = "system"
# How many documents read a scope remembers for "before" values (a deletion task reads thousands).
SEEN_AT_MOST = 1000  # the role recorded for triggers, tasks, schedules and scripts


@dataclass(frozen=True, kw_only=True)
class Scope:
    """On whose behalf, and as what, a Store's writes are made: one audit entry."""

    entry_id: str
    operation: str  # the API operation, or the function (trigger, task, schedule, script)
    uid: str | None  # None: the system
    role: str
    at: datetime
    request_id: str | None = None  # the platform's trace id, when the request carried one
    # The id is new (a request's, a run's): its first entry is written whole, not merged. An
    # event's id repeats when the event is delivered again, so its entries always merge.
    fresh: bool = True

    @classmethod
    def request(
        cls, operation: str, caller: Caller, at: datetime, trace: str | None = None
    ) -> Scope:
        """An API request. Its id is ours (a client cannot choose it, so cannot write into
        another request's entry); the platform's trace id, if any, is kept beside it."""
        return cls(
            entry_id=uuid.uuid4().hex,
            operation=operation,
            uid=caller.uid,
            role=str(caller.role),
            at=at,
            request_id=trace,
        )

    @classmethod
    def event(cls, function: str, event_id: str, at: datetime) -> Scope:
        """A trigger's or task's delivery: a redelivery of the same event merges into the same
        entry (and, the trigger being idempotent, usually writes nothing at all)."""
        return cls(
            entry_id=f"{function}-{event_id}".replace("/", "_")[:1500],
            operation=function,
            uid=None,
            role=SYSTEM,
            at=at,
            request_id=event_id,
            fresh=False,
        )

    @classmethod
    def task(cls, function: str, headers: Any, fallback: str, at: datetime) -> Scope:
        """A Cloud Tasks delivery: one entry per task, which keeps its name
        (``X-CloudTasks-TaskName``) through its retries; ``fallback`` names it without one."""
        return cls.event(function, headers.get("X-CloudTasks-TaskName") or fallback, at)

    @classmethod
    def run(cls, function: str, at: datetime) -> Scope:
        """A scheduled function's run or a maintenance script."""
        return cls(entry_id=uuid.uuid4().hex, operation=function, uid=None, role=SYSTEM, at=at)


@dataclass
class Trail:
    """A Store's scope and the documents its reads saw (the "before" of sensitive fields); and,
    for a request, the check of its caller's standing that its first read makes
    (``store/standing.py``)."""

    scope: Scope | None = None
    gate: Gate | None = None
    # path -> the snapshot last read (its data is taken only for a sensitive field's "before")
    seen: dict[str, Any] = field(default_factory=dict)
    sealed: bool = False  # an entry was staged before (and may have been committed)

    def saw(self, snapshot: DocumentSnapshot[Any]) -> None:
        """Remember a document as it was read (None: it did not exist)."""
        if self.scope is not None:
            path = snapshot.reference.path
            self.seen.pop(path, None)  # the latest read is last
            self.seen[path] = snapshot
            if len(self.seen) > SEEN_AT_MOST:  # a long task's reads: keep the latest only
                del self.seen[next(iter(self.seen))]

    def saw_all(
        self, snapshots: Iterable[DocumentSnapshot[Any]]
    ) -> Iterator[DocumentSnapshot[Any]]:
        """``snapshots``, each remembered as it passes."""
        for snapshot in snapshots:
            self.saw(snapshot)
            yield snapshot


@dataclass(frozen=True)
class Write:
    """One staged write: the document, what was done, and the data given."""

    path: str
    kind: str  # create, set, merge, update, delete
    data: dict[str, Any] | None


class Recorder:
    """A batch or transaction that remembers the writes staged on it (``Repository._writes``)."""

    def __init__(self, writer: WriteBatch | Transaction, trail: Trail) -> None:
        self.writer = writer
        self.trail = trail
        self.writes: list[Write] = []

    def create(self, reference: DocumentReference, document_data: dict[str, Any]) -> None:
        self.writes.append(Write(reference.path, "create", document_data))
        self.writer.create(reference, document_data)

    def set(
        self,
        reference: DocumentReference,
        document_data: dict[str, Any],
        merge: bool | list[str] = False,
    ) -> None:
        self.writes.append(Write(reference.path, "merge" if merge else "set", document_data))
        self.writer.set(reference, document_data, merge=merge)

    def update(
        self, reference: DocumentReference, field_updates: dict[str, Any], option: Any = None
    ) -> None:
        self.writes.append(Write(reference.path, "update", field_updates))
        self.writer.update(reference, field_updates, option=option)

    def delete(self, reference: DocumentReference, option: Any = None) -> None:
        self.writes.append(Write(reference.path, "delete", None))
        self.writer.delete(reference, option=option)

    def seal(self, db: Any) -> None:
        """Add the scope's audit entry for the writes staged so far (none: nothing to add)."""
        if self.trail.gate is not None:  # nothing is committed for a caller not yet checked
            self.trail.gate.settle(db)
        scope = self.trail.scope
        if scope is None:
            return
        first = not self.trail.sealed and scope.fresh
        entry = audit_entry(scope, self.writes, self.trail.seen, merged=not first)
        if entry is not None:
            ref = db.collection(AUDIT_LOG).document(scope.entry_id)
            # The scope's first entry is written whole (its id is new: nothing to merge into,
            # and a plain write is cheaper than transforms); later ones merge into it.
            self.writer.set(ref, entry, merge=not first)
            self.trail.sealed = True


def audit_entry(
    scope: Scope,
    writes: list[Write],
    seen: Mapping[str, Any],
    *,
    merged: bool = True,
) -> dict[str, Any] | None:
    """The entry for these writes, to merge into the scope's (``merged``: its lists as array
    unions) or to write whole; None when none of them is audited."""
    from google.cloud.firestore import ArrayUnion

    audited = [w for w in writes if w.path.split("/", 1)[0] not in UNAUDITED]
    if not audited:
        return None
    documents = list(dict.fromkeys(w.path for w in audited))
    changes = [change for w in audited for change in _changes(w, seen, scope.at)]
    entry: dict[str, Any] = {
        "operation": scope.operation,
        "uid": scope.uid,
        "role": scope.role,
        "at": scope.at,
        "requestId": scope.request_id,
        "documents": ArrayUnion(documents) if merged else documents,
    }
    if changes or not merged:
        entry["changes"] = ArrayUnion(changes) if merged else changes
    return entry


def _changes(write: Write, seen: Mapping[str, Any], at: datetime) -> list[dict[str, Any]]:
    """``{document, field, before, after}`` for each sensitive field the write changes; "before"
    is left out when the request did not read the document first (a create's is None)."""
    known = write.kind == "create" or write.path in seen
    before = None if write.kind == "create" else _data(seen.get(write.path))
    data = write.data or {}
    if write.kind == "update":
        fields = [key for key in data if key.split(".", 1)[0] in SENSITIVE]
    elif write.kind == "delete":
        fields = sorted(SENSITIVE & set(before or {}))
    elif write.kind == "set":
        fields = sorted(SENSITIVE & (set(data) | set(before or {})))
    else:  # create, merge
        fields = sorted(SENSITIVE & set(data))
    changes = []
    for name in fields:
        after = None if write.kind == "delete" else plain(data.get(name), at)
        change: dict[str, Any] = {"document": write.path, "field": name, "after": after}
        if known:
            change["before"] = _at(before or {}, name)
            if change["before"] == after:
                continue
        changes.append(change)
    return changes


def _data(document: Any) -> dict[str, Any] | None:
    """A document's data: a snapshot's (None when it did not exist), or a dict as it is."""
    if document is None or isinstance(document, dict):
        return document
    data: dict[str, Any] | None = document.to_dict() if document.exists else None
    return data


def _at(document: dict[str, Any], name: str) -> Any:
    """The value of field ``name`` (a dotted path, as an update names it) in ``document``."""
    value: Any = document
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def plain(value: Any, at: datetime) -> Any:
    """A written value as the entry keeps it: Firestore's transforms named, not applied."""
    if isinstance(value, dict):
        return {str(k): plain(v, at) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, at) for v in value]
    module = type(value).__module__
    if module.startswith("google.cloud.firestore"):
        from google.cloud.firestore import DELETE_FIELD, SERVER_TIMESTAMP

        if value is SERVER_TIMESTAMP:
            return at
        if value is DELETE_FIELD:
            return None
        return type(value).__name__  # Increment, ArrayUnion, ... (never a sensitive field today)
    return value
