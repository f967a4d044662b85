"""``auditLog/{id}``: reading the audit trail (its entries are written by ``store/audit.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sessionbase.store.keys import AUDIT_LOG
from sessionbase.store.work import Repository

if TYPE_CHECKING:
    from sessionbase.models.audit import AuditRecord
    from sessionbase.models.sessions import PageAfter


class AuditLog(Repository):
    """The audit trail, newest first, by document, actor and time."""

    def page(
        self,
        *,
        document: str | None,
        actor: str | None,
        since: datetime | None,
        before: datetime | None,
        limit: int,
        after: PageAfter | None,
    ) -> list[tuple[str, AuditRecord]]:
        """Entries that wrote ``document``, of ``actor``'s requests, at ``since`` or later and
        before ``before`` (each filter when given); an unreadable entry is left out."""
        from google.cloud.firestore import FieldFilter

        from sessionbase.models.audit import AuditRecord

        collection = self._collection(AUDIT_LOG)
        query: Any = collection
        if document is not None:
            query = query.where(filter=FieldFilter("documents", "array_contains", document))
        if actor is not None:
            query = query.where(filter=FieldFilter("uid", "==", actor))
        if since is not None:
            query = query.where(filter=FieldFilter("at", ">=", since))
        if before is not None:
            query = query.where(filter=FieldFilter("at", "<", before))
        rows = []
        for snapshot in self._newest_first(query, collection, limit=limit, after=after, field="at"):
            record, _ = AuditRecord.salvage(snapshot.to_dict())
            if record is not None:
                rows.append((snapshot.id, record))
        return rows
