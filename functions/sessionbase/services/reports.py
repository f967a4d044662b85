"""Reports (issue 27): CSV files for coaches and admins, an athlete's printable period report.

Each report reads through the repositories, lays its rows out in ``domain.reports`` (times in the
caller's profile zone, cells neutralised against formulas), writes the file to Storage under
``reports/{uid}/{id}.{csv|pdf}`` (no client access: storage.rules) and answers a signed URL to
it. Nothing is written to Firestore. Who may report on whom is ``domain.policy``'s: a person or
a group the caller may not see is answered 404, as a hidden record is.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sessionbase.domain import policy, reports
from sessionbase.domain.stats import zone
from sessionbase.errors import FieldError, InvalidArgument, NotFound
from sessionbase.models.reports import (
    MAX_ROWS,
    AthleteReportQuery,
    AttendanceReportQuery,
    CompletionReportQuery,
    Period,
    ReportFile,
    SessionReportQuery,
)
from sessionbase.models.sessions import PageAfter, SessionRecord
from sessionbase.services.context import Context
from sessionbase.store.storage import ObjectStore
from sessionbase.store.work import Store

log = logging.getLogger(__name__)
# How long a report's download link works (as attachments' links: services/sessions.py).
LINK_LIFETIME = timedelta(minutes=15)
# How long a report's file is kept (its link lasts LINK_LIFETIME; the daily
# ``remove_expired_exports`` schedule deletes older files: ``remove_old_reports``).
KEEP = timedelta(days=1)
PAGE = 500  # sessions read per query
CSV_TYPE = "text/csv; charset=utf-8"


def sessions_report(ctx: Context, query: SessionReportQuery) -> ReportFile:
    """``GET /api/reports/sessions``: sessions with their results in the period, as CSV.

    One athlete's (``athleteId``: the athlete, a linked coach, an admin), one coach's
    (``coachId``: the coach, an admin), or the caller's own: a coach's every coached session,
    an admin's every session. Sessions are those created in the period (as ``GET /api/sessions``
    ranges them), oldest first.
    """
    scope = policy.report_scope(
        ctx.caller,
        athlete_id=query.athleteId,
        coach_id=query.coachId,
        relations=ctx.store.relations,
    )
    if scope is None:
        raise NotFound("Athlete not found." if query.athleteId else "Coach not found.")
    name, tz = _zone(ctx)
    sessions = _sessions(ctx.store, scope, query, tz)
    rows = [reports.session_row(session_id, session, tz) for session_id, session in sessions]
    data = reports.to_csv(reports.session_header(name), rows)
    return _written(ctx, _file_name("sessions", query, "csv"), data, CSV_TYPE, len(rows))


def attendance_report(ctx: Context, query: AttendanceReportQuery) -> ReportFile:
    """``GET /api/reports/attendance``: a group's attendance over the period as a member ×
    session matrix (present, late, absent, excused), each member's counts and rate, as CSV.

    The group's owner or an admin; a member gets 403, anyone else 404 (the group is hidden).
    """
    group = ctx.store.groups.get(query.groupId)
    if group is None or not policy.may_read_group(
        ctx.caller, query.groupId, group, ctx.store.relations
    ):
        raise NotFound("Group not found.")
    policy.require_group_manager(ctx.caller, group)
    name, tz = _zone(ctx)
    sessions = _sessions(ctx.store, {"groupId": query.groupId}, query, tz)
    attendance = {sid: ctx.store.groups.attendance_of(sid) for sid, _ in sessions}
    members = ctx.store.groups.members(query.groupId)
    seen = {uid for records in attendance.values() for uid in records}
    named = {m.uid for m in members if m.displayName}
    names = ctx.store.users.display_names(seen - named)
    people = reports.attendees(members, seen, names)
    rows = [reports.attendance_row(person, sessions, attendance) for person in people]
    data = reports.to_csv(reports.attendance_header(sessions, name, tz), rows)
    return _written(ctx, _file_name("attendance", query, "csv"), data, CSV_TYPE, len(rows))


def completions_report(ctx: Context, query: CompletionReportQuery) -> ReportFile:
    """``GET /api/reports/completions`` (admins): every completion code given in the period,
    with who gave it and the session it completed, as CSV, oldest first."""
    policy.require_completions_reporter(ctx.caller)
    name, tz = _zone(ctx)
    start, end = reports.period(query.from_, query.to, tz)
    codes = ctx.store.completion.codes_between(start, end, limit=MAX_ROWS + 1)
    if len(codes) > MAX_ROWS:
        raise _too_many("completion codes")
    sessions = ctx.store.schedules.sessions(sorted({record.sessionId for _, record in codes}))
    names = ctx.store.users.display_names({record.completedBy for _, record in codes})
    rows = [
        reports.completion_row(
            code,
            completed_at=record.completedAt,
            completed_by=record.completedBy,
            by_name=names.get(record.completedBy),
            session_id=record.sessionId,
            session=sessions.get(record.sessionId),
            tz=tz,
        )
        for code, record in codes
    ]
    data = reports.to_csv(reports.completion_header(name), rows)
    return _written(ctx, _file_name("completions", query, "csv"), data, CSV_TYPE, len(rows))


def athlete_report(ctx: Context, query: AthleteReportQuery) -> ReportFile:
    """``GET /api/reports/athlete``: an athlete's printable period report (PDF): the period's
    figures, sessions per week (and each analysed session's Motion IQ), the table of sessions.

    The athlete themself (no ``athleteId``), a linked coach, an admin; anyone else 404.
    """
    from sessionbase.domain import report_pdf

    athlete_id = query.athleteId or ctx.caller.uid
    if not policy.may_read_athlete(ctx.caller, athlete_id, ctx.store.relations):
        raise NotFound("Athlete not found.")
    name, tz = _zone(ctx)
    found = _sessions(ctx.store, {"athleteId": athlete_id}, query, tz)
    sessions = [session for _, session in found]
    began = time.perf_counter()
    rendered = report_pdf.render(
        athlete=_athlete_name(ctx.store, athlete_id, sessions),
        zone=name,
        first=query.from_,
        last=query.to,
        figures=reports.figures(sessions, first=query.from_, last=query.to, tz=tz),
        rows=report_pdf.table_rows(sessions, tz),
        generated=ctx.now,
    )
    log.info(
        "period report: %d sessions, %d pages, %d bytes in %.0f ms",
        len(sessions),
        rendered.pages,
        len(rendered.data),
        1000 * (time.perf_counter() - began),
    )
    file_name = _file_name("period-report", query, "pdf")
    return _written(ctx, file_name, rendered.data, "application/pdf", len(sessions))


# ---- helpers -----------------------------------------------------------------------------------


def _zone(ctx: Context) -> tuple[str, ZoneInfo]:
    """The caller's profile time zone (UTC when none is set), by name and as a zone."""
    tz = zone(ctx.store.stats.timezone_of(ctx.caller.uid))
    return str(tz), tz


def _sessions(
    store: Store, equals: dict[str, str], query: Period, tz: ZoneInfo
) -> list[tuple[str, SessionRecord]]:
    """The sessions matching ``equals`` created in the query's period (its days in ``tz``),
    oldest first; more than ``MAX_ROWS`` is refused, naming the period."""
    start, end = reports.period(query.from_, query.to, tz)
    found: list[tuple[str, SessionRecord]] = []
    after: PageAfter | None = None
    while True:
        page = store.sessions.page(
            equals=equals, limit=PAGE, after=after, created_from=start, created_before=end
        )
        found += [(sid, s) for sid, s in page if s.deletingAt is None]
        if len(found) > MAX_ROWS:
            raise _too_many("sessions")
        if len(page) < PAGE:
            break
        last_id, last = page[-1]
        after = PageAfter(created_at=last.createdAt or start, session_id=last_id)
    return found[::-1]


def _too_many(what: str) -> InvalidArgument:
    message = f"more than {MAX_ROWS} {what} in this period: choose a shorter one"
    return InvalidArgument(
        f"A report holds at most {MAX_ROWS} rows.",
        errors=(FieldError(field="from", message=message), FieldError(field="to", message=message)),
    )


def _athlete_name(store: Store, athlete_id: str, sessions: list[SessionRecord]) -> str:
    """The athlete's profile name, else the name their latest session gives, else their e-mail,
    else their uid."""
    profile = store.users.profile(athlete_id)
    named = [s.athleteName for s in sessions if s.athleteName]
    return (
        (profile.displayName if profile else None)
        or (named[-1] if named else None)
        or (profile.email if profile else None)
        or athlete_id
    )


def _file_name(kind: str, query: Period, extension: str) -> str:
    return f"{kind}-{_day(query.from_)}-to-{_day(query.to)}.{extension}"


def _day(day: date) -> str:
    return day.isoformat()


def _written(ctx: Context, file_name: str, data: bytes, content_type: str, rows: int) -> ReportFile:
    """Store the report as ``reports/{uid}/{id}.{ext}`` and answer its signed URL."""
    extension = file_name.rsplit(".", 1)[-1]
    path = f"reports/{ctx.caller.uid}/{uuid.uuid4().hex}.{extension}"
    ctx.objects.write_bytes(path, data, content_type)
    expires: datetime = ctx.now + LINK_LIFETIME
    return ReportFile(
        url=ctx.objects.download_url(path, LINK_LIFETIME),
        fileName=file_name,
        expiresAt=expires,
        rows=rows,
    )


def remove_old_reports(objects: ObjectStore, now: datetime) -> int:
    """Delete report files made more than ``KEEP`` before ``now`` (their links long expired);
    how many. Idempotent: a second run finds none."""
    removed = 0
    for blob in objects.objects("reports/"):
        made = blob.time_created
        if made is not None and made < now - KEEP and objects.delete(blob.name):
            removed += 1
    return removed
