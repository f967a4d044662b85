"""Data export jobs (``dataExports/{id}``): one per "download my data" request."""

from __future__ import annotations

from datetime import datetime

from sessionbase.models.exports import DataExportRecord
from sessionbase.store.client import record_of
from sessionbase.store.work import Repository

DATA_EXPORTS = "dataExports"


class Exports(Repository):
    """Export jobs, read and written by the export service and its task."""

    def new_id(self) -> str:
        """A fresh job id."""
        return str(self._collection(DATA_EXPORTS).document().id)

    def get(self, export_id: str) -> DataExportRecord | None:
        """The stored job, or None (inside the unit's transaction, if any)."""
        snapshot = self._read(self._collection(DATA_EXPORTS).document(export_id))
        return record_of(snapshot, DataExportRecord.model_validate)

    def get_versioned(self, export_id: str) -> tuple[DataExportRecord, datetime] | None:
        """The stored job and its update time, or None."""
        snapshot = self._read(self._collection(DATA_EXPORTS).document(export_id))
        found = record_of(snapshot, DataExportRecord.model_validate)
        return None if found is None else (found, snapshot.update_time)

    def recent(self, uid: str, *, limit: int) -> list[tuple[str, DataExportRecord]]:
        """The person's jobs, newest first (index ``uid``, ``createdAt`` descending)."""
        from google.cloud.firestore import FieldFilter, Query

        query = (
            self._collection(DATA_EXPORTS)
            .where(filter=FieldFilter("uid", "==", uid))
            .order_by("createdAt", direction=Query.DESCENDING)
            .limit(limit)
        )
        return [
            (snap.id, DataExportRecord.model_validate(snap.to_dict()))
            for snap in self._stream(query)
        ]

    def due_for_removal(self, now: datetime, *, limit: int) -> list[tuple[str, DataExportRecord]]:
        """Jobs whose ZIP is stored past its ``expiresAt`` (``removeAt``'s single-field index)."""
        from google.cloud.firestore import FieldFilter

        query = (
            self._collection(DATA_EXPORTS)
            .where(filter=FieldFilter("removeAt", "<", now))
            .order_by("removeAt")
            .limit(limit)
        )
        return [
            (snap.id, DataExportRecord.model_validate(snap.to_dict()))
            for snap in self._stream(query)
        ]

    # ---- writes (inside a unit of work) --------------------------------------------------------

    def create(self, export_id: str, record: DataExportRecord) -> None:
        """Stage a new job (fails the unit if one with this id exists)."""
        self._writes.create(self._collection(DATA_EXPORTS).document(export_id), record.document())

    def replace(self, export_id: str, record: DataExportRecord, *, version: datetime) -> None:
        """Stage the job's fields, if it is still at ``version``."""
        self._writes.update(
            self._collection(DATA_EXPORTS).document(export_id),
            record.document(),
            option=self._unchanged_since(version),
        )
