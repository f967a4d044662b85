"""Download my data (issue 27): the export job ``dataExports/{id}`` and what the API answers."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sessionbase.models.base import Input, Output, Record
from sessionbase.models.fields import Id


class ExportStatus(StrEnum):
    """Where an export job is; it only moves forward."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class DataExportRecord(Record):
    """``dataExports/{id}`` as stored (internal to the functions: no client reads it directly)."""

    uid: str
    status: ExportStatus
    createdAt: dt.datetime
    startedAt: dt.datetime | None = None
    finishedAt: dt.datetime | None = None
    # When the ZIP is deleted (``EXPORT_KEPT`` after it was made); set once done.
    expiresAt: dt.datetime | None = None
    # Internal: the same time while the ZIP is still stored (the daily sweep's query field,
    # deleted with the ZIP), and when the ZIP was deleted.
    removeAt: dt.datetime | None = None
    removedAt: dt.datetime | None = None
    path: str | None = None  # exports/{uid}/{id}.zip
    fileName: str | None = None
    size: int | None = None
    files: list[str] | None = None  # the ZIP's file names
    error: str | None = None
    attempts: int = 0


# Fields of a job that never leave the server.
INTERNAL = frozenset({"path", "startedAt", "attempts", "removeAt", "removedAt"})


class DataExportPublic(Output):
    """An export job as its person reads it; ``url`` (a signed download URL, fresh on each read,
    valid until ``urlExpiresAt``) only once it is done and not yet expired."""

    id: str
    uid: str
    status: ExportStatus
    createdAt: dt.datetime
    finishedAt: dt.datetime | None = None
    expiresAt: dt.datetime | None = None
    fileName: str | None = None
    size: int | None = None
    files: list[str] | None = None
    error: str | None = None
    url: str | None = None
    urlExpiresAt: dt.datetime | None = None
    expired: bool | None = None

    @classmethod
    def of(cls, export_id: str, record: DataExportRecord) -> DataExportPublic:
        """The public view of a stored job (no URL: see ``services/exports.get_export``)."""
        fields = record.model_dump(exclude_unset=True, exclude=set(INTERNAL))
        return cls.model_validate({"id": export_id, **fields})


class DataExportList(Output):
    """``GET /api/users/me/exports``: the caller's recent exports, newest first."""

    exports: list[DataExportPublic]


class ExportTask(Input):
    """The body of a ``runDataExport`` task."""

    exportId: Id
