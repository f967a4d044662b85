"""Reading the audit trail (admins). Writing it is the units of work's (``store/audit.py``)."""

from __future__ import annotations

from sessionbase.domain import policy
from sessionbase.models.audit import AuditEntry, AuditPage, AuditQuery
from sessionbase.services.context import Context
from sessionbase.services.paging import newest_first


def list_audit(ctx: Context, query: AuditQuery) -> AuditPage:
    """``GET /api/audit`` (admin): who changed what, newest first; by document (``doc``), by
    actor (``actor``: a uid), in a time range (``from``, ``to``)."""
    policy.require_auditor(ctx.caller)
    since, before = query.at_range()
    page, next_cursor = newest_first(
        ctx,
        query=("audit", query.doc or "", query.actor or "", since, before),
        cursor=query.cursor,
        limit=query.limit,
        fetch=lambda n, after: ctx.store.audit_log.page(
            document=query.doc,
            actor=query.actor,
            since=since,
            before=before,
            limit=n,
            after=after,
        ),
        time_of=lambda record: record.at,
    )
    return AuditPage(
        entries=[AuditEntry(id=entry_id, **record.model_dump()) for entry_id, record in page],
        nextCursor=next_cursor,
    )
