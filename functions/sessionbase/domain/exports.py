"""Download my data, pure: the ZIP's files (names, README), CSV cells made safe for
spreadsheets, and times in the person's zone. services/exports.py gathers the data.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and a tab or carriage
return before one) as a formula; such a cell is written with a leading ``'``, which spreadsheets
show as text (OWASP, "CSV Injection"). Times are ISO 8601 with the offset of the person's profile
time zone at that instant, so a spreadsheet shows the wall-clock time the person lived.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sessionbase.domain.stats import zone

# How long the ZIP is kept after it is made (the job's ``expiresAt``), and how long the signed
# URL that GET /api/users/me/exports/{id} answers works.
EXPORT_KEPT = timedelta(days=7)
URL_LIFETIME = timedelta(hours=1)
# How long the download URLs listed in uploads.csv/json work: as long as the ZIP is kept (the
# longest a V4 signed URL may live is 7 days).
UPLOAD_URL_LIFETIME = EXPORT_KEPT
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

SESSION_COLUMNS = (
    "sessionId", "sessionType", "event", "status", "date", "scheduledStart", "actualStart",
    "actualEnd", "durationSeconds", "athleteName", "coachName", "groupId", "completionCode",
    "archived", "createdAt",
)  # fmt: skip
RESULT_COLUMNS = (
    "sessionId", "sessionType", "event", "analysisStatus", "motionIQ", "aclRisk", "riskLevel",
    "itemCount", "correctCount", "scorePercentage", "avgAccuracy", "videoRemovedAt", "createdAt",
)  # fmt: skip
ATTENDANCE_COLUMNS = ("sessionId", "groupId", "groupName", "status", "at", "sessionStartedAt")
NOTE_COLUMNS = ("sessionId", "noteId", "type", "text", "authorName", "createdAt", "updatedAt")
UPLOAD_COLUMNS = (
    "kind", "sessionId", "attachmentId", "fileName", "contentType", "size", "createdAt",
    "downloadUrl", "downloadUrlExpiresAt",
)  # fmt: skip

# Every file of the ZIP and what it holds (README.txt lists them in this order).
FILES: dict[str, str] = {
    "profile.json": "Your profile: name, e-mail, time zone, role, notification preferences.",
    "sessions.json": "Every session you are part of (as athlete, coach or creator, and the "
    "classes of your groups), as the API shows it.",
    "sessions.csv": "The same sessions, one row each.",
    "results.json": "The results of each session: analysis figures, analysis summary, "
    "practice scores.",
    "results.csv": "The results, one row per session.",
    "practice.json": "Your practice attempts: each answer or pose of your practice sessions.",
    "statistics.json": "Your statistics and practice summary, as of the export.",
    "notes.json": "The notes on your sessions.",
    "notes.csv": "The same notes, one row each.",
    "comments.json": "The video comments you wrote.",
    "attendance.json": "Your groups and your attendance of their classes.",
    "attendance.csv": "Your attendance, one row per class.",
    "notifications.json": "Your notifications inbox.",
    "invitations.json": "The invitations you sent and received.",
    "uploads.json": "Your own uploads (videos and attachments), each with a download link "
    "that works for 7 days from the export.",
    "uploads.csv": "The same uploads, one row each.",
    "README.txt": "This file.",
}


def safe_cell(value: Any) -> str:
    """A CSV cell: text as given, a formula-looking one prefixed with ``'``; None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_time(value: Any, timezone: str | None) -> Any:
    """A datetime in the person's zone as ISO 8601 with its offset; anything else unchanged."""
    if isinstance(value, datetime):
        return value.astimezone(zone(timezone)).isoformat()
    return value


def localised(value: Any, timezone: str | None) -> Any:
    """A JSON value with every datetime (and ISO date-time text from an Output) in the zone."""
    if isinstance(value, Mapping):
        return {key: localised(item, timezone) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [localised(item, timezone) for item in value]
    if isinstance(value, datetime):
        return local_time(value, timezone)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _looks_like_instant(value):
        try:
            return local_time(datetime.fromisoformat(value.replace("Z", "+00:00")), timezone)
        except ValueError:
            return value
    return value


def _looks_like_instant(text: str) -> bool:
    """ISO 8601 date-time with a zone, as pydantic writes one (``2026-01-05T10:00:00Z``)."""
    return (
        19 <= len(text) <= 40
        and text[4] == "-"
        and text[10:11] == "T"
        and (text.endswith("Z") or text[-6] in "+-")
    )


def csv_text(
    columns: Sequence[str], rows: Iterable[Mapping[str, Any]], timezone: str | None
) -> str:
    """A CSV (RFC 4180, CRLF) with a header row; cells safe, times in the person's zone."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(localised(row.get(column), timezone)) for column in columns])
    return out.getvalue()


def readme(*, name: str, uid: str, made_at: datetime, timezone: str | None) -> str:
    """README.txt: whose export, when, the time zone of its dates, and each file."""
    lines = [
        "Sessionbase: your data",
        "",
        f"Exported for {name} (account {uid}) on {local_time(made_at, timezone)}.",
        f"Dates and times are in your profile's time zone ({zone(timezone)}), ISO 8601 with the "
        "offset from UTC. In the CSV files, a cell that would start with =, +, - or @ starts "
        "with ' so that a spreadsheet shows it as text.",
        "",
        "Files:",
    ]
    lines += [f"  {file}: {what}" for file, what in FILES.items()]
    return "\n".join(lines) + "\n"


@dataclass
class Archive:
    """The ZIP being built: file name -> bytes, written in ``FILES`` order."""

    files: dict[str, bytes] = field(default_factory=dict)

    def add_json(self, name: str, value: Any, timezone: str | None) -> None:
        """A JSON file (times in the person's zone), pretty-printed."""
        text = json.dumps(localised(value, timezone), indent=2, ensure_ascii=False, default=str)
        self.files[name] = (text + "\n").encode()

    def add_text(self, name: str, text: str) -> None:
        """A text file (UTF-8; CSVs with a byte-order mark so spreadsheets read UTF-8)."""
        prefix = "\ufeff" if name.endswith(".csv") else ""
        self.files[name] = (prefix + text).encode()

    def zip_bytes(self) -> bytes:
        """The ZIP (deflated), its files in ``FILES`` order then any other."""
        order = [name for name in FILES if name in self.files]
        order += [name for name in self.files if name not in FILES]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in order:
                archive.writestr(name, self.files[name])
        return out.getvalue()
