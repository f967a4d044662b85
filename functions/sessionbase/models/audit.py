"""The audit trail as admins read it: ``GET /api/audit`` (entries written by ``store/audit.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints, field_validator

from sessionbase.models.base import Input, Output, Record
from sessionbase.models.fields import DateOrTime, Id, QueryInt

# A document's path, as the entries name it: ``sessions/s1``, ``sessions/s1/notes/n1``.
DocumentPath = Annotated[
    str, StringConstraints(min_length=3, max_length=1500, pattern=r"^[^/\s]+(/[^/\s]+)*$")
]


class AuditRecord(Record):
    """``auditLog/{id}``: one request's (or one event's) changes."""

    operation: str
    uid: str | None = None  # None: the system (a trigger, task, schedule, script)
    role: str
    at: dt.datetime
    requestId: str | None = None
    documents: list[str] = []
    # {document, field, before, after} per sensitive field changed ("before" left out when the
    # request did not read the document first).
    changes: list[dict[str, Any]] = []


class AuditEntry(Output):
    """An entry of the audit trail: who (uid and role; the system has no uid), what (the
    operation), which documents, when, the request's trace id, and sensitive values."""

    id: str
    operation: str
    uid: str | None
    role: str
    at: dt.datetime
    requestId: str | None
    documents: list[str]
    changes: list[dict[str, Any]]


class AuditQuery(Input):
    """Query of ``GET /api/audit``: entries that touched a document, by an actor, in a range."""

    model_config = ConfigDict(populate_by_name=True)

    doc: DocumentPath | None = Field(
        default=None, description="a document path: entries that wrote it (`sessions/s1`)"
    )
    actor: Id | None = Field(default=None, description="a uid: entries of that person's requests")
    from_: DateOrTime | None = Field(default=None, alias="from")
    to: DateOrTime | None = None
    limit: QueryInt = Field(default=50, ge=1, le=100)
    cursor: Annotated[str, StringConstraints(max_length=1000)] | None = None

    @field_validator("doc")
    @classmethod
    def _even(cls, value: str | None) -> str | None:
        if value is not None and value.count("/") % 2 == 0:
            raise ValueError("a document path: collection/id, or collection/id/sub/id")
        return value

    def at_range(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """``from`` (inclusive) and ``to`` (exclusive; a bare date includes that whole day)."""
        from sessionbase.models.sessions import start_of

        return start_of(self.from_), start_of(self.to, next_day=True)


class AuditPage(Output):
    """A page of the audit trail, newest first, and the cursor of the next (or null)."""

    entries: list[AuditEntry]
    nextCursor: str | None
