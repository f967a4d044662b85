"""Reports (issue 27): the rows of the CSV reports and the figures of an athlete's period report.

Pure: the services read the records, these functions lay them out. Every time is shown in one
zone (the caller's profile zone), named in the column headers; every text cell goes through
``neutralised`` so that a spreadsheet never runs a cell as a formula.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sessionbase.models.groups import AttendanceRecord, AttendanceStatus, MemberRecord
from sessionbase.models.sessions import SessionRecord

# A cell a spreadsheet reads as a formula (or that some turn into one after a tab or a line
# break): OWASP's list for CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | None
# The file starts with a UTF-8 byte order mark: spreadsheets then read names as UTF-8.
BOM = "\ufeff"


def neutralised(text: str) -> str:
    """``text`` as a cell no spreadsheet runs: one starting with ``= + - @``, a tab or a carriage
    return gets a leading apostrophe (shown as text; the rest is kept as it was)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Cell) -> str:
    """A value as a CSV cell: None empty, a number as written (numbers carry no formula),
    text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(round(value, 2)) if isinstance(value, float) else str(value)
    return neutralised(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """The CSV file (UTF-8 with a byte order mark, CRLF lines, the ``csv`` module's quoting)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell(name) for name in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return (BOM + out.getvalue()).encode("utf-8")


def local(moment: datetime | None, tz: ZoneInfo) -> str | None:
    """A moment in ``tz`` as spreadsheets read a date and time (``2026-03-02 17:05``)."""
    return None if moment is None else moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def period(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The moments ``[start, end)`` of the days ``first`` to ``last`` (both included) in ``tz``."""
    start = datetime(first.year, first.month, first.day, tzinfo=tz)
    after = last + timedelta(days=1)
    return start, datetime(after.year, after.month, after.day, tzinfo=tz)


def when(session: SessionRecord) -> datetime | None:
    """When a session took place, as well as it is known: its actual start, else its scheduled
    start, else its creation."""
    return session.actualStart or session.scheduledStart or session.createdAt


# ---- sessions with results -------------------------------------------------------------------


def session_header(zone: str) -> list[str]:
    """The columns of the sessions report; time columns name the zone."""
    return [
        "Session ID",
        f"Date ({zone})",
        "Athlete",
        "Athlete e-mail",
        "Coach",
        "Type",
        "Event",
        "Status",
        f"Actual start ({zone})",
        f"Actual end ({zone})",
        "Duration (s)",
        "Analysis",
        "Motion IQ",
        "ACL risk",
        "Risk level",
        "Score %",
        "Items",
        "Correct",
        "Accuracy %",
        "Completion code",
        "Notes",
        "Archived",
        f"Created ({zone})",
    ]


def session_row(session_id: str, session: SessionRecord, tz: ZoneInfo) -> list[Cell]:
    """One session's cells, in ``session_header``'s order."""
    return [
        session_id,
        local(when(session), tz),
        session.athleteName,
        session.athleteEmail,
        session.coachName,
        session.sessionType,
        session.event,
        session.status,
        local(session.actualStart, tz),
        local(session.actualEnd, tz),
        session.durationSeconds,
        session.analysisStatus,
        session.motionIQ,
        session.aclRisk,
        session.riskLevel,
        session.scorePercentage,
        session.itemCount,
        session.correctCount,
        session.avgAccuracy,
        session.completionCode,
        session.notes,
        bool(session.archived),
        local(session.createdAt, tz),
    ]


# ---- attendance of a group ---------------------------------------------------------------------

STATUSES = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)


@dataclass(frozen=True, kw_only=True)
class Attendee:
    """A row of the attendance matrix: a member now, or someone who attended and has left."""

    uid: str
    name: str | None
    email: str | None
    member: bool


def attendees(
    members: Iterable[MemberRecord],
    seen: Iterable[str],
    names: dict[str, str],
) -> list[Attendee]:
    """The matrix's rows: the group's members (not its owner), then anyone with an attendance
    record who is no longer one; each group by name (then uid)."""
    current = {m.uid: m for m in members if m.role == "member"}
    rows = [
        Attendee(uid=uid, name=m.displayName or names.get(uid), email=m.email, member=True)
        for uid, m in current.items()
    ]
    rows += [
        Attendee(uid=uid, name=names.get(uid), email=None, member=False)
        for uid in sorted(set(seen) - current.keys())
    ]
    return sorted(rows, key=lambda a: (not a.member, (a.name or a.email or "").lower(), a.uid))


def rate(counts: Counter[str]) -> float | None:
    """A member's attendance rate in percent: present or late out of the sessions they were
    expected at (present, late or absent; excused ones left out); None when there were none."""
    attended = counts[AttendanceStatus.PRESENT] + counts[AttendanceStatus.LATE]
    expected = attended + counts[AttendanceStatus.ABSENT]
    return None if expected == 0 else round(100 * attended / expected, 1)


def attendance_header(
    sessions: Sequence[tuple[str, SessionRecord]], zone: str, tz: ZoneInfo
) -> list[str]:
    """Member, e-mail, a column per session (its start in ``tz``, and its event), the counts."""
    columns = []
    for _, session in sessions:
        start = local(when(session), tz) or ""
        columns.append(f"{start} {session.event}".strip() if session.event else start)
    counts = [status.value.capitalize() for status in STATUSES]
    return [f"Member (sessions in {zone})", "E-mail", *columns, *counts, "Rate %"]


def attendance_row(
    person: Attendee,
    sessions: Sequence[tuple[str, SessionRecord]],
    attendance: dict[str, dict[str, AttendanceRecord]],
) -> list[Cell]:
    """One person's statuses per session (empty: no record, e.g. not a member then), counts,
    rate."""
    statuses = [
        (attendance.get(session_id, {}).get(person.uid) or _NONE).status
        for session_id, _ in sessions
    ]
    counts = Counter(s for s in statuses if s)
    name = person.name or person.email or person.uid
    return [
        name if person.member else f"{name} (left)",
        person.email,
        *statuses,
        *(counts[status] for status in STATUSES),
        rate(counts),
    ]


@dataclass(frozen=True)
class _NoRecord:
    status: str | None = None


_NONE = _NoRecord()


# ---- completions with codes ----------------------------------------------------------------------


def completion_header(zone: str) -> list[str]:
    """The columns of the completions report."""
    return [
        "Completion code",
        f"Completed ({zone})",
        "Completed by",
        "Completed by ID",
        "Session ID",
        "Athlete",
        "Coach",
        "Type",
        "Event",
        f"Actual start ({zone})",
        f"Actual end ({zone})",
        "Duration (s)",
    ]


def completion_row(
    code: str,
    *,
    completed_at: datetime,
    completed_by: str,
    by_name: str | None,
    session_id: str,
    session: SessionRecord | None,
    tz: ZoneInfo,
) -> list[Cell]:
    """One code's cells; a session deleted since leaves its cells empty (the code is kept)."""
    s = session or SessionRecord()
    return [
        code,
        local(completed_at, tz),
        by_name,
        completed_by,
        session_id,
        s.athleteName,
        s.coachName,
        s.sessionType,
        s.event,
        local(s.actualStart, tz),
        local(s.actualEnd, tz),
        s.durationSeconds,
    ]


# ---- an athlete's period report ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PeriodFigures:
    """What the period report states: only figures the sessions record."""

    sessions: int
    completed: int
    cancelled: int
    by_type: dict[str, int]
    timed_sessions: int  # sessions with a recorded duration
    total_seconds: int
    analysed: int  # sessions with a Motion IQ
    mean_motion_iq: float | None
    scored: int  # practice sessions with a score
    mean_score: float | None
    per_week: list[tuple[date, int]]  # each week's Monday (in the zone) and its sessions
    motion_iq: list[tuple[datetime, float]]  # each analysed session's time and Motion IQ


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, rounded to one decimal; None for no values."""
    return round(math.fsum(values) / len(values), 1) if values else None


def monday(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def figures(
    sessions: Sequence[SessionRecord], *, first: date, last: date, tz: ZoneInfo
) -> PeriodFigures:
    """The period's figures; ``per_week`` has every week of ``first``..``last`` (zeros too)."""
    weeks: Counter[date] = Counter()
    for session in sessions:
        moment = when(session)
        if moment is not None:
            weeks[monday(moment.astimezone(tz).date())] += 1
    all_weeks = []
    week = monday(first)
    while week <= last:
        all_weeks.append((week, weeks[week]))
        week += timedelta(days=7)
    durations = [s.durationSeconds for s in sessions if s.durationSeconds is not None]
    iq = [s.motionIQ for s in sessions if s.motionIQ is not None]
    scores = [s.scorePercentage for s in sessions if s.scorePercentage is not None]
    return PeriodFigures(
        sessions=len(sessions),
        completed=sum(1 for s in sessions if s.status == "completed"),
        cancelled=sum(1 for s in sessions if s.status == "cancelled"),
        by_type=dict(sorted(Counter(str(s.sessionType or "—") for s in sessions).items())),
        timed_sessions=len(durations),
        total_seconds=sum(durations),
        analysed=len(iq),
        mean_motion_iq=mean(iq),
        scored=len(scores),
        mean_score=mean(scores),
        per_week=all_weeks,
        motion_iq=sorted(
            (moment, s.motionIQ)
            for s in sessions
            if s.motionIQ is not None and (moment := when(s)) is not None
        ),
    )


def hours_minutes(seconds: int) -> str:
    """``3 h 05 min``."""
    hours, rest = divmod(seconds // 60, 60)
    return f"{hours} h {rest:02d} min"
