"""store/idempotency.py: a key's record id, when a record stops counting, the shapes it refuses,
and the TTL policy that deletes records in production."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sessionbase.store.idempotency import KEEP, LEASE, KeyRecord, State, record_id

NOW = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


def claim() -> KeyRecord:
    return KeyRecord.running(uid="u1", operation="createSession", fingerprint="f", now=NOW)


def test_a_key_is_its_callers_and_its_operations():
    assert record_id("u1", "createSession", "k") == record_id("u1", "createSession", "k")
    assert record_id("u1", "createSession", "k") != record_id("u2", "createSession", "k")
    assert record_id("u1", "createSession", "k") != record_id("u1", "createGroup", "k")
    # The separator keeps ("u1", "xk") and ("u1x", "k") apart.
    assert record_id("u1", "createSession", "xk") != record_id("u1x", "createSession", "k")


def test_a_record_counts_for_a_day_and_a_claim_holds_for_its_lease():
    record = claim()
    assert timedelta(hours=24) == KEEP
    assert timedelta(seconds=60) < LEASE  # longer than a function may run
    assert not record.expired(NOW + KEEP - timedelta(seconds=1))
    assert record.expired(NOW + KEEP)
    assert not record.abandoned(NOW + LEASE - timedelta(seconds=1))
    assert record.abandoned(NOW + LEASE)
    answered = replace(record, state=State.DONE, status=201, body="{}")
    assert not answered.abandoned(NOW + LEASE)


def test_a_record_reads_back_as_written():
    answered = replace(claim(), state=State.DONE, status=201, body='{"sessionId": "s1"}')
    assert KeyRecord.from_document(answered.document()) == answered
    assert KeyRecord.from_document(claim().document()) == claim()


def test_a_document_that_is_not_a_record_reads_as_none():
    document = claim().document()
    assert KeyRecord.from_document({}) is None
    assert KeyRecord.from_document({**document, "state": "odd"}) is None
    assert KeyRecord.from_document({**document, "expiresAt": "tomorrow"}) is None
    # Done without its answer: nothing to answer a repeat with.
    assert KeyRecord.from_document({**document, "state": "done"}) is None


def test_firestore_deletes_records_by_their_expiry():
    config = json.loads((Path(__file__).parents[3] / "firestore.indexes.json").read_text())
    overrides = {(o["collectionGroup"], o["fieldPath"]): o for o in config["fieldOverrides"]}
    policy = overrides[("idempotency", "expiresAt")]
    assert policy["ttl"] is True
    assert policy["indexes"] == []  # a TTL field is not queried: no index to keep up
    assert "expiresAt" in claim().document()
