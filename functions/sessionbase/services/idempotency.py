"""Idempotent requests: a keyed operation runs once per (caller, operation, key); a repeat within
a day answers the first answer and writes nothing (docs/decisions.md, "Idempotent creates").

Cross-cutting, so ``handlers/dispatch.py: execute`` calls it around any keyed operation's service;
the records are ``idempotency/{id}`` (``store/idempotency.py``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sessionbase.errors import Aborted, AlreadyExists, FieldError
from sessionbase.services.context import Context
from sessionbase.store.client import DocumentExists
from sessionbase.store.idempotency import KeyRecord, State, record_id
from sessionbase.store.work import Store

log = logging.getLogger(__name__)
# Visible ASCII, as Stripe's keys and a UUID are.
_KEY = re.compile(r"[\x21-\x7e]{1,255}")
# How long a repeat waits for the first request of its key to answer before it is 409 aborted.
REPEAT_WAIT = 10.0


def checked_key(value: Any, field: str) -> tuple[str | None, list[FieldError]]:
    """The key's value (None: none was sent), or the error naming ``field``: 1 to 255 visible
    ASCII characters."""
    if value is None:
        return None, []
    if not isinstance(value, str):
        return None, [FieldError(field=field, message="expected a string")]
    if not _KEY.fullmatch(value):
        message = "expected 1 to 255 visible ASCII characters (a UUID, say)"
        return None, [FieldError(field=field, message=message)]
    return value, []


def fingerprint(ids: dict[str, str], data: Any) -> str:
    """A hash of what the request asks (its ids and its input, in any key order)."""
    text = json.dumps(
        {"ids": ids, "input": data}, sort_keys=True, separators=(",", ":"), default=repr
    )
    return hashlib.sha256(text.encode()).hexdigest()


def once(
    ctx: Context,
    *,
    operation: str,
    status: int,
    field: str,
    key: str,
    request: str,
    run: Callable[[], Any],
) -> tuple[int, Any, bool]:
    """Run ``run`` once per key: claim the key, run, store the answer; a repeat answers it.

    A repeat that finds the key still running waits for its answer (``REPEAT_WAIT``), then is
    409 ``aborted`` with ``Retry-After``. The key sent with another request is 409
    ``already-exists``. A request that fails releases its key (it wrote nothing), so that it
    may be sent again. docs/decisions.md, "Idempotent creates".
    """
    record_key = record_id(ctx.caller.uid, operation, key)
    claim = KeyRecord.running(
        uid=ctx.caller.uid, operation=operation, fingerprint=request, now=ctx.now
    )
    held = _claim(ctx.store, record_key, claim, ctx.now, first=True)
    deadline, pause = time.monotonic() + REPEAT_WAIT, 0.05
    while held is not None:
        if held.fingerprint != request:
            raise AlreadyExists(
                f"This {field} was sent with another request; use a new one for each.",
                errors=(FieldError(field=field, message="already used for another request"),),
            )
        if held.state is State.DONE and held.status is not None and held.body is not None:
            return held.status, json.loads(held.body), True
        if time.monotonic() + pause > deadline:
            raise Aborted(
                f"The first request with this {field} is still running; retry.",
                errors=(FieldError(field=field, message="its first request is still running"),),
            )
        time.sleep(pause)
        pause = min(pause * 2, 0.5)
        # The time now, not the request's: a lease or a day may have run out while it waited.
        held = _claim(ctx.store, record_key, claim, datetime.now(UTC), first=False)
    try:
        body = run()
    except BaseException:
        _release(ctx.store, record_key)
        raise
    answer = replace(claim, state=State.DONE, status=status, body=json.dumps(body))
    ctx.store.write(lambda unit: unit.idempotency.complete(record_key, answer))
    return status, body, False


def _claim(
    store: Store, record_key: str, claim: KeyRecord, now: datetime, *, first: bool
) -> KeyRecord | None:
    """Claim the key (None), or the record of the request that holds it.

    The first try creates the claim blind (one write: a new key, the usual case); after that, or
    when the key is taken, it reads the record: one that expired (Firestore's TTL deletes late),
    was abandoned (its instance died before answering) or is not a record is taken over.
    """
    if first:
        try:
            store.write(lambda unit: unit.idempotency.claim(record_key, claim))
            return None
        except DocumentExists:
            pass

    def attempt(unit: Store) -> KeyRecord | None:
        found = unit.idempotency.get_versioned(record_key)
        if found is None:  # released meanwhile: its request failed
            unit.idempotency.claim(record_key, claim)
            return None
        held, version = found
        if held is None or held.expired(now) or held.abandoned(now):
            unit.idempotency.take_over(record_key, claim, version=version)
            return None
        return held

    return store.optimistic(attempt)


def _release(store: Store, record_key: str) -> None:
    """Drop a claim whose request failed; if that fails too, the lease frees it later."""
    try:
        store.write(lambda unit: unit.idempotency.release(record_key))
    except Exception:
        log.exception("could not release idempotency record %s", record_key)
