"""The capacity meter's pieces without emulators: the worker hook, what a write records, the
index-entry estimate, and the sums (devtools/meter.py, devtools/capacity.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from devtools import capacity, meter

ROOT = Path(__file__).resolve().parents[3]
HOOK = ROOT / "scripts" / "coverage_hook"


def writes(build) -> list[dict]:
    db = firestore.Client(project="demo", credentials=AnonymousCredentials())
    batch = db.batch()
    build(db, batch)
    return [meter._write(w) for w in batch._write_pbs]


def test_a_write_records_its_document_kind_and_fields():
    def build(db, batch):
        ref = db.collection("groups").document("g1")
        batch.create(ref, {"name": "A", "tags": ["x", "y", "x"], "owner": {"uid": "u", "n": 1}})
        batch.set(db.document("groups/g1/members/m1"), {"role": "member"})
        batch.update(ref, {"memberCount": firestore.Increment(1), "name": "B"})
        batch.delete(db.document("sessions/s1"))

    created, member, updated, deleted = writes(build)
    assert created == {
        "d": "groups/g1",
        "op": "create",
        "f": {"name": 0, "tags": -3, "owner.uid": 0, "owner.n": 0},  # 2 distinct elements
    }
    assert member == {"d": "groups/g1/members/m1", "op": "set", "f": {"role": 0}}
    assert updated == {"d": "groups/g1", "op": "update", "f": {"name": 0, "memberCount": 0}}
    assert deleted == {"d": "sessions/s1", "op": "delete"}


def test_index_entries_follow_the_indexes_file(tmp_path):
    spec = {
        "indexes": [
            {"collectionGroup": "sessions", "queryScope": "COLLECTION", "fields": [
                {"fieldPath": "coachId", "order": "ASCENDING"},
                {"fieldPath": "createdAt", "order": "DESCENDING"}]},
            {"collectionGroup": "sessions", "queryScope": "COLLECTION", "fields": [
                {"fieldPath": "tags", "arrayConfig": "CONTAINS"},
                {"fieldPath": "createdAt", "order": "DESCENDING"}]},
        ],
        "fieldOverrides": [
            {"collectionGroup": "sessions", "fieldPath": "notes", "indexes": []},
            {"collectionGroup": "sessions", "fieldPath": "coachId", "indexes": [
                {"order": "ASCENDING", "queryScope": "COLLECTION"},
                {"order": "ASCENDING", "queryScope": "COLLECTION_GROUP"}]},
        ],
    }  # fmt: skip
    path = tmp_path / "indexes.json"
    path.write_text(json.dumps(spec))
    indexes = capacity.Indexes.load(path)
    whole = {"d": "sessions/s", "op": "set", "f": {"coachId": 0, "createdAt": 0, "notes": 0}}
    # coachId: its override's 2; createdAt: 2; notes: exempt; the first composite: 1.
    assert indexes.entries(whole) == 2 + 2 + 0 + 1
    tagged = {**whole, "f": {**whole["f"], "tags": -4}}  # 3 elements
    assert indexes.entries(tagged) == 5 + 3 + 3
    # An update: the composites that name a changed field (createdAt is in both).
    assert indexes.entries({"d": "sessions/s", "op": "update", "f": {"createdAt": 0}}) == 2 + 2
    assert indexes.entries({"d": "sessions/s", "op": "delete"}) == 0


def test_the_sums_of_one_action():
    line = {"fn": "api", "pid": 1, "t": 0.0}
    events = [
        {**line, "k": "start", "n": 1, "rec": True},
        {**line, "k": "read", "via": "get", "docs": ["users/u", "links/l"]},
        {**line, "k": "read", "via": "query", "docs": [], "query": "sessions"},
        {**line, "k": "read", "via": "aggregation", "n": 2, "entries": 1500},
        {**line, "k": "read", "via": "get", "docs": ["_meta/cursorKey"]},
        {**line, "k": "commit", "writes": [
            {"d": "sessions/s", "op": "create", "f": {"a": 0}},
            {"d": "sessions/s/items/i", "op": "set", "f": {}},
            {"d": "groups/g", "op": "delete"}]},
        {**line, "k": "auth", "name": "get_user", "lookup": True},
        {**line, "k": "auth", "name": "verify_id_token", "lookup": False},
        {**line, "k": "task", "queue": "analyzeSession"},
        {**line, "k": "storage", "op": "write_json", "n": 1, "w": 10},
        {**line, "k": "storage", "op": "download_url", "n": 0, "signed": 1},
        {**line, "k": "end", "n": 1, "rec": True, "s": 0.5},
        {**line, "fn": "count_session_change", "k": "end", "n": 3, "rec": True, "s": 0.1},
        {**line, "fn": "count_session_change", "k": "duplicate", "event": "e"},
        {**line, "k": "end", "n": 9, "rec": False, "s": 0.1},  # started before recording
    ]  # fmt: skip
    client = capacity.Client(storage_operations=1, storage_bytes_written=100)
    client.listener_deliveries = 4
    found = capacity.tally(events, client, capacity.Indexes({}, {}))
    assert found["counts"] == {
        "firestore_reads": 2 + 1 + 2, "firestore_writes": 2, "firestore_deletes": 1,
        "index_entries": 2, "listener_deliveries": 4, "auth_lookups": 1, "tasks_enqueued": 1,
        "storage_operations": 2, "storage_bytes_written": 110, "storage_bytes_read": 0,
        "function_invocations": 2,
    }  # fmt: skip
    assert found["invocations"] == {"api": 1, "count_session_change": 1}
    assert found["documents_written"] == {"sessions/{id}": 1, "sessions/{id}/items/{id}": 1}
    assert found["details"]["once_per_instance_reads"] == {"_meta/{id}": 1}
    assert found["details"]["duplicate_deliveries_dropped"] == {"count_session_change": 1}
    assert found["details"]["signed_urls"] == 1


def test_the_worker_hook_loads_the_meter_only_in_a_function_worker(tmp_path):
    """sitecustomize starts the meter when SESSIONBASE_METER and FUNCTION_TARGET are set; the
    meter patches a module as it is imported, and the worker's own path stays as it was."""
    module = tmp_path / "lib" / "functions_framework"
    module.mkdir(parents=True)
    framework = """
        def create_app(*args, **kwargs):
            return App()

        class App:
            def wsgi_app(self, environ, start_response):
                start_response("200 OK", [])
                return [b"hi"]
    """
    (module / "__init__.py").write_text(textwrap.dedent(framework))
    program = textwrap.dedent("""
        import sys
        import functions_framework
        app = functions_framework.create_app()
        print(app.wsgi_app({"PATH_INFO": "/"}, lambda *a: None))
        print(any(p.endswith("devtools") for p in sys.path), "devtools" in sys.modules)
    """)
    meter_dir = tmp_path / "meter"
    env = {
        **os.environ,
        "PYTHONPATH": f"{HOOK}:{tmp_path / 'lib'}",
        "SESSIONBASE_METER": str(meter_dir),
        "FUNCTION_TARGET": "api",
    }
    env.pop("COVERAGE_PROCESS_START", None)
    done = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[b'hi']", "False False"]
    lines = [json.loads(x) for f in meter_dir.glob("*.jsonl") for x in f.read_text().splitlines()]
    assert [(x["k"], x["fn"]) for x in lines] == [("boot", "api"), ("start", "api"), ("end", "api")]
    # Not a worker (no FUNCTION_TARGET): nothing loaded, nothing written.
    del env["FUNCTION_TARGET"]
    other = tmp_path / "other"
    env["SESSIONBASE_METER"] = str(other)
    subprocess.run([sys.executable, "-c", "import functions_framework"], env=env, check=True)
    assert not other.exists()


@pytest.mark.parametrize(("path", "kind"), [("groups/a/members/b", "groups/{id}/members/{id}"),
                                            ("_meta/cursorKey", "_meta/{id}")])  # fmt: skip
def test_a_document_paths_kind(path, kind):
    assert capacity.pattern(path) == kind


def test_the_firestore_client_is_counted_as_its_responses_are_taken(tmp_path, monkeypatch):
    """The GAPIC methods wrapped on a stand-in client class: documents found or missing, a
    query's documents (at least 1), an aggregation's count, a commit's writes."""
    from google.cloud.firestore_v1.types import (
        AggregationResult,
        BatchGetDocumentsResponse,
        Document,
        RunAggregationQueryResponse,
        RunQueryResponse,
        Value,
    )

    root = "projects/p/databases/(default)/documents"

    class FirestoreClient:
        def batch_get_documents(self, request=None, **kwargs):
            return iter([BatchGetDocumentsResponse(found=Document(name=f"{root}/users/u")),
                         BatchGetDocumentsResponse(missing=f"{root}/links/l")])  # fmt: skip

        def run_query(self, request=None, **kwargs):
            return iter([RunQueryResponse()])  # nothing found (a response without a document)

        def run_aggregation_query(self, request=None, **kwargs):
            result = AggregationResult(aggregate_fields={"count": Value(integer_value=2500)})
            return iter([RunAggregationQueryResponse(result=result)])

        def commit(self, request=None, **kwargs):
            return "committed"

    for name in set(meter.FIRESTORE_METHODS) - set(vars(FirestoreClient)):
        setattr(FirestoreClient, name, lambda self, *a, **k: None)

    class Module:
        pass

    module = Module()
    module.FirestoreClient = FirestoreClient
    monkeypatch.setattr(meter, "DIRECTORY", str(tmp_path))
    monkeypatch.setattr(meter, "_recording", 1)
    meter._patch_firestore(module)
    client = FirestoreClient()
    assert len(list(client.batch_get_documents(request={}))) == 2
    source = {"from_": [{"collection_id": "comments"}]}
    query = {"parent": f"{root}/sessions/s", "structured_query": source}
    assert list(client.run_query(request=query)) == [RunQueryResponse()]
    list(client.run_aggregation_query(request={}))
    db = firestore.Client(project="demo", credentials=AnonymousCredentials())
    batch = db.batch()
    batch.set(db.document("a/b"), {"x": 1})
    assert client.commit(request={"writes": batch._write_pbs}) == "committed"
    lines = [json.loads(x) for f in tmp_path.glob("*.jsonl") for x in f.read_text().splitlines()]
    found = capacity.tally(lines, capacity.Client(), capacity.Indexes({}, {}))
    assert found["counts"]["firestore_reads"] == 2 + 1 + 3
    assert found["counts"]["firestore_writes"] == 1
    assert found["details"]["documents_read"] == {
        "users/{id}": 1, "links/{id}": 1, "empty query sessions/{id}/comments": 1,
        "aggregation (2500 counted)": 3,
    }  # fmt: skip


def test_while_counting_an_event_delivered_again_is_answered_without_running(tmp_path, monkeypatch):
    monkeypatch.setattr(meter, "DIRECTORY", str(tmp_path))
    monkeypatch.setattr(meter, "FUNCTION", "count_session_change")
    (tmp_path / "seen").mkdir()
    (tmp_path / meter.RECORDING).touch()
    ran = []

    def app(environ, start_response):
        ran.append(environ["HTTP_CE_ID"])
        start_response("200 OK", [])
        return [b"done"]

    metered = meter.metered_app(app)
    for event in ("e1", "e1", "e2"):
        metered({"HTTP_CE_ID": event, "PATH_INFO": "/"}, lambda *a: None)
    assert ran == ["e1", "e2"]
    lines = [json.loads(x) for f in tmp_path.glob("*.jsonl") for x in f.read_text().splitlines()]
    found = capacity.tally(lines, capacity.Client(), capacity.Indexes({}, {}))
    assert found["invocations"] == {"count_session_change": 2}
    assert found["details"]["duplicate_deliveries_dropped"] == {"count_session_change": 1}
    # Not counting: every delivery runs (the suite's other tests see the emulator as it is).
    (tmp_path / meter.RECORDING).unlink()
    metered({"HTTP_CE_ID": "e1", "PATH_INFO": "/"}, lambda *a: None)
    assert ran == ["e1", "e2", "e1"]
