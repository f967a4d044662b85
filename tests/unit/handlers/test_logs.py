"""handlers/logs.py: one structured line per request, in Cloud Logging's shape, and log records
as JSON lines; never a token or an e-mail address."""

from __future__ import annotations

import json
import logging

from sessionbase.handlers import logs
from tests.tokens import unsigned_id_token
from tests.unit.handlers.request_builder import build_request

TOKEN_EMAIL = "coach@example.com"


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_a_refused_request_prints_one_line_with_its_outcome(capsys):
    from sessionbase.handlers.rest import dispatch

    token = unsigned_id_token(role="coach", email=TOKEN_EMAIL)
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Cloud-Trace-Context": "0af7651916cd43dd8448eb211c80319c/1;o=1",
    }
    request = build_request("POST", "/api/sessions", json={"sessionType": "Party"}, headers=headers)
    assert dispatch(request).status_code == 400
    captured = capsys.readouterr()
    [line] = [entry for entry in lines(captured.out) if entry.get("operation")]
    assert {k: line[k] for k in ("severity", "operation", "transport", "status", "outcome")} == {
        "severity": "INFO",
        "operation": "createSession",
        "transport": "rest",
        "status": 400,
        "outcome": "invalid-argument",
    }
    assert (line["role"], isinstance(line["uid"], str)) == ("coach", True)
    assert isinstance(line["latencyMs"], float)
    assert line["logging.googleapis.com/trace"].endswith("/traces/0af7651916cd43dd8448eb211c80319c")
    assert line["message"].startswith("createSession 400 invalid-argument in ")
    assert token not in captured.out + captured.err
    assert TOKEN_EMAIL not in captured.out + captured.err


def test_an_unauthenticated_request_names_no_one(capsys):
    from sessionbase.handlers.rest import dispatch

    assert dispatch(build_request("GET", "/api/sessions")).status_code == 401
    [line] = [e for e in lines(capsys.readouterr().out) if e.get("operation") == "listSessions"]
    assert (line["uid"], line["status"], line["outcome"]) == (None, 401, "unauthenticated")


def test_server_errors_are_errors_and_records_carry_their_stack(capsys):
    logs.request(
        operation="getSession",
        transport="callable",
        seen=logs.Seen(uid="u1", role="athlete", request_id="r1"),
        status=500,
        outcome="internal",
        seconds=0.0123,
        trace=None,
    )
    [line] = lines(capsys.readouterr().err)  # ERROR and up go to stderr
    assert (line["severity"], line["latencyMs"], line["requestId"]) == ("ERROR", 12.3, "r1")
    assert "logging.googleapis.com/trace" not in line
    handler = logs.JsonLines()
    try:
        raise ValueError("the cause")
    except ValueError:
        record = logging.getLogger("sessionbase.test").makeRecord(
            "sessionbase.test", logging.ERROR, __file__, 1, "failed: %s", ("x",), None
        )
        import sys

        record.exc_info = sys.exc_info()
    handler.emit(record)
    [entry] = lines(capsys.readouterr().err)
    assert entry["severity"] == "ERROR"
    assert entry["message"].startswith("failed: x\nTraceback")
    assert "ValueError: the cause" in entry["message"]
    assert entry["logger"] == "sessionbase.test"
