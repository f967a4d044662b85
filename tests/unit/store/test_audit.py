"""store/audit.py: what an audit entry holds for the writes a unit staged, and that the entry
rides in the unit's own batch."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.cloud.firestore import DELETE_FIELD, SERVER_TIMESTAMP, ArrayUnion, Increment

from sessionbase.handlers.dispatch import trace_of
from sessionbase.models.identity import Caller, Role
from sessionbase.store.audit import Recorder, Scope, Trail, Write, audit_entry

AT = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
COACH = Caller(uid="c1", email="c@example.com", email_verified=True, name=None, role=Role.COACH)


def scope() -> Scope:
    return Scope.request("completeSession", COACH, AT, trace="abc")


class Ref:
    def __init__(self, path: str) -> None:
        self.path = path


class Writer:
    """Stands in for a WriteBatch: keeps what it was given."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Any, dict[str, Any]]] = []

    def create(self, ref: Ref, data: Any) -> None:
        self.calls.append(("create", ref.path, data, {}))

    def set(self, ref: Ref, data: Any, merge: Any = False) -> None:
        self.calls.append(("set", ref.path, data, {"merge": merge}))

    def update(self, ref: Ref, data: Any, option: Any = None) -> None:
        self.calls.append(("update", ref.path, data, {"option": option}))

    def delete(self, ref: Ref, option: Any = None) -> None:
        self.calls.append(("delete", ref.path, None, {"option": option}))


class Db:
    def collection(self, name: str) -> Any:
        class Collection:
            def document(self, id_: str) -> Ref:
                return Ref(f"{name}/{id_}")

        return Collection()


def values(union: Any) -> list[Any]:
    assert isinstance(union, ArrayUnion)
    return list(union.values)


def test_bookkeeping_alone_makes_no_entry():
    writes = [
        Write("idempotency/k1", "create", {"state": "running"}),
        Write("quotas/q1", "set", {"count": 1}),
    ]
    assert audit_entry(scope(), writes, {}) is None


def test_the_entry_names_who_what_which_documents_and_when():
    writes = [
        Write("sessions/s1", "update", {"status": "completed"}),
        Write("completionCodes/ABC", "create", {"sessionId": "s1"}),
        Write("sessions/s1", "update", {"updatedAt": AT}),
        Write("idempotency/k1", "update", {"state": "done"}),
    ]
    entry = audit_entry(scope(), writes, {})
    assert entry is not None
    assert {k: v for k, v in entry.items() if k not in ("documents", "changes")} == {
        "operation": "completeSession",
        "uid": "c1",
        "role": "coach",
        "at": AT,
        "requestId": "abc",
    }
    assert values(entry["documents"]) == ["sessions/s1", "completionCodes/ABC"]
    assert "changes" not in entry  # no sensitive field was written


def test_a_sensitive_field_keeps_its_value_before_and_after():
    seen = {"sessions/s1": {"completionCode": None, "actualStart": AT, "event": "Beam"}}
    writes = [Write("sessions/s1", "update", {"completionCode": "ABC-123", "actualStart": AT})]
    entry = audit_entry(scope(), writes, seen)
    assert entry is not None
    # actualStart did not change: only the code is recorded
    assert values(entry["changes"]) == [
        {"document": "sessions/s1", "field": "completionCode", "before": None, "after": "ABC-123"}
    ]


def test_before_is_left_out_when_the_request_did_not_read_the_document():
    writes = [
        Write(
            "users/u1",
            "set",
            {"role": "coach"},
        )
    ]
    entry = audit_entry(scope(), writes, {})
    assert entry is not None
    assert values(entry["changes"]) == [{"document": "users/u1", "field": "role", "after": "coach"}]


def test_a_create_has_nothing_before_and_a_delete_nothing_after():
    seen = {"sessions/s2": {"motionIQ": 71.5}}
    writes = [
        Write("sessions/s1", "create", {"motionIQ": 80.0}),
        Write("sessions/s2", "delete", None),
    ]
    entry = audit_entry(scope(), writes, seen)
    assert entry is not None
    assert values(entry["changes"]) == [
        {"document": "sessions/s1", "field": "motionIQ", "after": 80.0, "before": None},
        {"document": "sessions/s2", "field": "motionIQ", "after": None, "before": 71.5},
    ]


def test_a_replacing_set_records_a_sensitive_field_it_drops():
    seen = {"users/u1": {"role": "coach", "email": "u@example.com"}}
    entry = audit_entry(scope(), [Write("users/u1", "set", {"email": "u@example.com"})], seen)
    assert entry is not None
    assert values(entry["changes"]) == [
        {"document": "users/u1", "field": "role", "after": None, "before": "coach"}
    ]


def test_dotted_updates_and_transforms():
    seen = {"sessions/s1": {"metrics": {"jump": 1.0}}}
    writes = [
        Write(
            "sessions/s1",
            "update",
            {
                "metrics.jump": 2.5,
                "actualEnd": SERVER_TIMESTAMP,
                "riskLevel": DELETE_FIELD,
                "correctCount": Increment(1),
            },
        )
    ]
    entry = audit_entry(scope(), writes, seen)
    assert entry is not None
    changes = {c["field"]: c for c in values(entry["changes"])}
    assert (changes["metrics.jump"]["before"], changes["metrics.jump"]["after"]) == (1.0, 2.5)
    assert changes["actualEnd"]["after"] == AT  # the server's time is the request's, near enough
    assert "riskLevel" not in changes  # deleted, and it was not there
    assert changes["correctCount"]["after"] == "Increment"


def test_the_recorder_forwards_every_write_and_seals_the_entry_into_the_same_batch():
    writer = Writer()
    recorder = Recorder(writer, Trail(scope()))  # type: ignore[arg-type]
    recorder.create(Ref("sessions/s1"), {"event": "Beam"})  # type: ignore[arg-type]
    recorder.update(Ref("sessions/s1"), {"role": "x"}, option="precondition")  # type: ignore[arg-type]
    recorder.delete(Ref("sessions/s2"))  # type: ignore[arg-type]
    recorder.seal(Db())
    assert [c[:2] for c in writer.calls] == [
        ("create", "sessions/s1"),
        ("update", "sessions/s1"),
        ("delete", "sessions/s2"),
        ("set", f"auditLog/{recorder.trail.scope.entry_id}"),  # type: ignore[union-attr]
    ]
    assert writer.calls[1][3] == {"option": "precondition"}
    # the request's first entry is written whole; a later commit of the request merges into it
    assert writer.calls[3][3] == {"merge": False}
    assert writer.calls[3][2]["documents"] == ["sessions/s1", "sessions/s2"]
    later = Recorder(writer, recorder.trail)  # type: ignore[arg-type]
    later.create(Ref("users/u1/notifications/n1"), {"title": "Hi"})  # type: ignore[arg-type]
    later.seal(Db())
    assert writer.calls[-1][3] == {"merge": True}
    assert values(writer.calls[-1][2]["documents"]) == ["users/u1/notifications/n1"]


def test_an_event_always_merges_its_entry():
    writer = Writer()
    recorder = Recorder(writer, Trail(Scope.event("count_session_change", "e1", AT)))  # type: ignore[arg-type]
    recorder.create(Ref("athleteStats/a1"), {"totalSessions": 1})  # type: ignore[arg-type]
    recorder.seal(Db())
    assert writer.calls[-1][3] == {"merge": True}  # a redelivery may have written it already


def test_without_a_scope_nothing_is_added():
    writer = Writer()
    recorder = Recorder(writer, Trail())  # type: ignore[arg-type]
    recorder.create(Ref("sessions/s1"), {"event": "Beam"})  # type: ignore[arg-type]
    recorder.seal(Db())
    assert len(writer.calls) == 1


def test_requests_get_their_own_entries_and_a_redelivered_event_the_same():
    assert scope().entry_id != scope().entry_id
    first = Scope.event("count_session_change", "event-1", AT)
    again = Scope.event("count_session_change", "event-1", AT)
    assert first.entry_id == again.entry_id == "count_session_change-event-1"
    assert (first.uid, first.role) == (None, "system")


def test_the_trace_id_comes_from_the_platform_headers():
    assert trace_of({"X-Cloud-Trace-Context": "105445aa7843bc8bf206b120001000/1;o=1"}) == (
        "105445aa7843bc8bf206b120001000"
    )
    header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    assert trace_of({"traceparent": header}) == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert trace_of({}) is None


def test_a_task_is_named_by_cloud_tasks_through_its_retries():
    named = Scope.task("runDataExport", {"X-CloudTasks-TaskName": "t-7"}, "export-1", AT)
    assert named.entry_id == "runDataExport-t-7"
    assert Scope.task("runDataExport", {}, "export-1", AT).entry_id == "runDataExport-export-1"
