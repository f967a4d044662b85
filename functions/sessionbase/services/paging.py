"""Pages of a list, newest first, with the signed cursor of the next page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sessionbase.domain import cursors
from sessionbase.models.sessions import PageAfter
from sessionbase.services.context import Context

R = TypeVar("R")


def newest_first(
    ctx: Context,
    *,
    query: tuple[object, ...],
    cursor: str | None,
    limit: int,
    fetch: Callable[[int, PageAfter | None], list[tuple[str, R]]],
    time_of: Callable[[R], datetime],
) -> tuple[list[tuple[str, R]], str | None]:
    """One page of ``fetch``'s rows (id and record, newest first) after ``cursor``, and the
    cursor of the next page (None: this is the last).

    ``query`` names the list and its filters: a cursor is good only for the query it was
    issued for (``domain/cursors.py``). ``fetch(n, after)`` answers at most ``n`` rows after the
    position; one more than the page is asked for, to know whether another page follows.
    """
    fingerprint = cursors.query_fingerprint(*query)
    key = ctx.store.meta.cursor_key()
    after = cursors.decode_cursor(cursor, fingerprint, key=key) if cursor else None
    rows = fetch(limit + 1, after)
    page = rows[:limit]
    if len(rows) <= limit:
        return page, None
    last_id, last = page[-1]
    position = PageAfter(created_at=time_of(last), session_id=last_id)
    return page, cursors.encode_cursor(fingerprint, position, key=key)
