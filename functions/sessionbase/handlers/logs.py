"""Production logs: one structured line per request, and every log record of ours as JSON.

Cloud Functions (gen 2, on Cloud Run) hands each JSON line a function prints to Cloud Logging as
a structured entry: ``severity`` and ``message`` are its own fields, as is
``logging.googleapis.com/trace`` (the request's trace, so the line sits under it in the trace
view); the rest lands in ``jsonPayload``. ``firebase_functions.logger.write`` prints such lines
(stdout, or stderr from ERROR up).

- ``request(...)``: the request's one line: operation, transport, caller uid and role, status,
  outcome (``ok``, ``replayed`` or the error code), latency, and the request id (the audit
  entry's id: a line and its change are found from each other). Never a token, a body or an
  e-mail address.
- ``install()``: the ``sessionbase`` loggers (warnings, errors with their stack) print JSON too,
  with ``severity`` from the level; called by the deployed entry points (functions/main.py).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

SEVERITY = {
    logging.DEBUG: "DEBUG",
    logging.INFO: "INFO",
    logging.WARNING: "WARNING",
    logging.ERROR: "ERROR",
    logging.CRITICAL: "CRITICAL",
}


@dataclass
class Seen:
    """What a request made known about itself by the time it ended (its log line's fields)."""

    uid: str | None = None
    role: str | None = None
    request_id: str | None = None


def request(
    *,
    operation: str,
    transport: str,
    seen: Seen,
    status: int,
    outcome: str,
    seconds: float,
    trace: str | None,
) -> None:
    """Print the request's one line (ERROR for a 5xx, WARNING for 429, else INFO)."""
    from firebase_functions import logger

    severity = "ERROR" if status >= 500 else "WARNING" if status == 429 else "INFO"
    latency = round(seconds * 1000, 1)
    entry: dict[str, Any] = {
        "severity": severity,
        "message": f"{operation} {status} {outcome} in {latency} ms",
        "operation": operation,
        "transport": transport,
        "uid": seen.uid,
        "role": seen.role,
        "status": status,
        "outcome": outcome,
        "latencyMs": latency,
        "requestId": seen.request_id,
    }
    if trace:
        entry["logging.googleapis.com/trace"] = f"projects/{_project()}/traces/{trace}"
    logger.write(entry)  # type: ignore[arg-type]


def _project() -> str:
    return os.environ.get("GCLOUD_PROJECT") or os.environ.get("GOOGLE_CLOUD_PROJECT") or "-"


class JsonLines(logging.Handler):
    """A log record as one JSON line: severity, message (with the stack of an error), logger."""

    def emit(self, record: logging.LogRecord) -> None:
        from firebase_functions import logger

        try:
            message = record.getMessage()
            if record.exc_info:  # Error Reporting reads the stack from the message
                message = f"{message}\n{logging.Formatter().formatException(record.exc_info)}"
            entry = {
                "severity": SEVERITY.get(record.levelno, "DEFAULT"),
                "message": message,
                "logger": record.name,
            }
            logger.write(entry)  # type: ignore[arg-type]
        except Exception:  # a log line must never fail a request
            self.handleError(record)


def install() -> None:
    """In a function instance (``FUNCTION_TARGET`` or Cloud Run's ``K_SERVICE`` set), make the
    ``sessionbase`` loggers print JSON lines (once; INFO and up). Elsewhere (tests, scripts) the
    loggers are left as they are."""
    if not (os.environ.get("FUNCTION_TARGET") or os.environ.get("K_SERVICE")):
        return
    package = logging.getLogger("sessionbase")
    if not any(isinstance(h, JsonLines) for h in package.handlers):
        package.addHandler(JsonLines())
        package.setLevel(logging.INFO)
        package.propagate = False  # not a second, plain-text copy through the root logger
