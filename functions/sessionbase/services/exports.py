"""Download my data (issue 27): the job, its task that builds the ZIP, and reading the job.

``POST /api/users/me/export`` records a job ``dataExports/{id}`` and queues the task
``runDataExport``, which builds the ZIP in one run (docs/decisions.md, "Download my data") and
stores it at ``exports/{uid}/{id}.zip`` (no client reads it through Storage: only the signed URL
``GET /api/users/me/exports/{id}`` answers).

The ZIP holds nothing the person could not already read: every record comes from the API's own
services, called with a ``Context`` whose caller is the person (their role as their profile
records it), so every read passes the same permission checks as their own requests. Where the
export reads a repository directly (practice items, attachments, a group's classes, attendance),
it does so only for sessions that ``services/access.readable`` (or ``policy.may_read_session``)
has let the person read, and for attendance only their own document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from sessionbase.domain import exports as decide
from sessionbase.domain import notifications as events
from sessionbase.domain import policy
from sessionbase.errors import NotFound, Unavailable
from sessionbase.models.completion import DownloadRecord
from sessionbase.models.exports import (
    DataExportList,
    DataExportPublic,
    DataExportRecord,
    ExportStatus,
)
from sessionbase.models.fields import is_document_id
from sessionbase.models.identity import Caller, Role
from sessionbase.models.sessions import (
    AttachmentRecord,
    ChildPageQuery,
    ItemRecord,
    PageAfter,
    SessionListQuery,
    SessionPublic,
    SessionRecord,
)
from sessionbase.models.validation import parse
from sessionbase.services import access
from sessionbase.services.context import Context
from sessionbase.store.storage import ObjectStore
from sessionbase.store.work import Store

log = logging.getLogger(__name__)

# Exports GET /api/users/me/exports lists (newest first).
RECENT = 20
# Runs of the task before a job that keeps failing is marked failed (Cloud Tasks retries).
MAX_ATTEMPTS = 3
# The most sessions one export holds (a run fits the task's time limit: docs/decisions.md).
MAX_SESSIONS = 10_000
PAGE = 100
# ZIPs one daily run deletes at most (the next run goes on).
MAX_REMOVED_PER_RUN = 5_000
# Practice items read per session, at most.
MAX_ITEMS = 1000


def _not_found() -> NotFound:
    return NotFound("Export not found.")


# ---- the API ------------------------------------------------------------------------------------


def request_export(ctx: Context) -> DataExportPublic:
    """``POST /api/users/me/export``: start building a ZIP of everything about the caller;
    answers the queued job (202). Poll ``GET /api/users/me/exports/{id}``; the inbox says
    ``exportReady`` when it is done."""
    from sessionbase.store import tasks

    export_id = ctx.store.exports.new_id()
    record = DataExportRecord(
        uid=ctx.caller.uid,
        status=ExportStatus.QUEUED,
        createdAt=ctx.now,
        fileName=f"sessionbase-data-{ctx.now:%Y-%m-%d}.zip",
    )
    ctx.store.write(lambda unit: unit.exports.create(export_id, record))
    try:
        tasks.enqueue_export(export_id)
    except Exception:
        log.exception("export %s could not be queued", export_id)
        failed = record.changed(status=ExportStatus.FAILED, error="could not be queued")
        _save(ctx.store, export_id, failed)
        raise Unavailable() from None
    return DataExportPublic.of(export_id, record)


def get_export(ctx: Context, *, export_id: str) -> DataExportPublic:
    """``GET /api/users/me/exports/{exportId}``: one of the caller's exports (another's is 404);
    once done, with a signed URL for the ZIP that works for an hour (a fresh one each read)."""
    record = ctx.store.exports.get(export_id) if is_document_id(export_id) else None
    if record is None or record.uid != ctx.caller.uid:
        raise _not_found()
    public = DataExportPublic.of(export_id, record)
    if record.status != ExportStatus.DONE:
        return public
    gone = record.expiresAt is not None and record.expiresAt <= ctx.now
    if gone or record.path is None:
        return DataExportPublic.model_validate(
            {**public.model_dump(exclude_unset=True), "expired": True}
        )
    url = ctx.objects.download_url(record.path, decide.URL_LIFETIME)
    return DataExportPublic.model_validate(
        {
            **public.model_dump(exclude_unset=True),
            "url": url,
            "urlExpiresAt": ctx.now + decide.URL_LIFETIME,
        }
    )


def list_exports(ctx: Context) -> DataExportList:
    """``GET /api/users/me/exports``: the caller's recent exports, newest first (no URLs: read
    one export for its download URL)."""
    rows = ctx.store.exports.recent(ctx.caller.uid, limit=RECENT)
    return DataExportList(exports=[DataExportPublic.of(eid, record) for eid, record in rows])


def remove_expired(store: Store, objects: ObjectStore, now: datetime) -> int:
    """Delete the ZIPs kept past their ``expiresAt`` (the daily ``remove_expired_exports``);
    how many. The object goes first, then the job forgets its path (a run stopped between the
    two finds the job again, the object gone); a second run finds nothing and writes nothing."""
    removed = 0
    while removed < MAX_REMOVED_PER_RUN:
        rows = store.exports.due_for_removal(now, limit=PAGE)
        if not rows:
            break
        for export_id, job in rows:
            if job.path:
                objects.delete(job.path)
            _save(store, export_id, job.changed(path=None, removeAt=None, removedAt=now))
            removed += 1
    return removed


# ---- the task -----------------------------------------------------------------------------------


def run_export(
    store: Store, objects: ObjectStore, export_id: str, *, clock: Callable[[], datetime]
) -> ExportStatus | None:
    """Build one export (the ``runDataExport`` task); its status after this run, None when
    there is no such job. A job already done or failed is left alone (a repeated task); a run
    that fails raises (Cloud Tasks retries) until ``MAX_ATTEMPTS``, then marks it failed."""
    now = clock()
    found = store.exports.get_versioned(export_id)
    if found is None:
        return None
    job, version = found
    if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return ExportStatus(job.status)
    running = job.changed(status=ExportStatus.RUNNING, startedAt=now, attempts=job.attempts + 1)
    store.optimistic(lambda unit: unit.exports.replace(export_id, running, version=version))
    try:
        finished = _build(store, objects, export_id, running, clock)
    except Exception as error:
        log.exception("export %s failed (attempt %d)", export_id, running.attempts)
        if running.attempts < MAX_ATTEMPTS:
            raise
        finished = running.changed(
            status=ExportStatus.FAILED, finishedAt=clock(), error=type(error).__name__
        )
    _save(store, export_id, finished)
    if finished.status == ExportStatus.DONE:
        from sessionbase.services import notifications

        notifications.deliver(store, _ready(export_id, finished), clock())
    return ExportStatus(finished.status)


def _save(store: Store, export_id: str, record: DataExportRecord) -> None:
    def attempt(unit: Store) -> None:
        current = unit.exports.get_versioned(export_id)
        if current is not None:
            unit.exports.replace(export_id, record, version=current[1])

    store.optimistic(attempt)


def _ready(export_id: str, job: DataExportRecord) -> events.Event:
    return events.export_ready(export_id, uid=job.uid, file_name=job.fileName or "")


def _build(
    store: Store,
    objects: ObjectStore,
    export_id: str,
    job: DataExportRecord,
    clock: Callable[[], datetime],
) -> DataExportRecord:
    """Gather, zip, store; the job as done (or failed: the person has no account any more)."""
    ctx = _as_person(store, objects, job.uid, clock())
    if ctx is None:
        return job.changed(status=ExportStatus.FAILED, finishedAt=clock(), error="no account")
    archive = gather(ctx)
    data = archive.zip_bytes()
    path = f"exports/{job.uid}/{export_id}.zip"
    objects.write_bytes(path, data, "application/zip")
    done = clock()
    return job.changed(
        status=ExportStatus.DONE,
        finishedAt=done,
        expiresAt=done + decide.EXPORT_KEPT,
        removeAt=done + decide.EXPORT_KEPT,
        path=path,
        size=len(data),
        files=sorted(archive.files),
        error=None,
    )


def _as_person(store: Store, objects: ObjectStore, uid: str, now: datetime) -> Context | None:
    """A Context whose caller is the person, with the role their profile records now (not
    the one they had when they asked); None if their account is gone or disabled."""
    account = store.users.find(uid=uid)
    if account is None:
        return None
    profile = store.users.profile(uid)
    role = Role((profile.role if profile else None) or Role.ATHLETE)
    caller = Caller(
        uid=uid,
        email=account.email,
        email_verified=account.email_verified,
        name=account.name,
        role=role,
    )
    return Context(caller=caller, store=store, now=now, objects=objects)


# ---- gathering ----------------------------------------------------------------------------------


def gather(ctx: Context) -> decide.Archive:
    """Every file of the ZIP, read through the services as the person."""
    from sessionbase.models.invitations import InvitationListQuery
    from sessionbase.models.stats import StatsQuery
    from sessionbase.services import invitations, profiles, stats

    uid = ctx.caller.uid
    profile = profiles.get_my_profile(ctx)
    tz = profile.timezone
    archive = decide.Archive()
    archive.add_json("profile.json", profile.to_json(), tz)

    sessions = dict(_own_sessions(ctx))
    groups, classes, attendance = _classes(ctx)
    for sid, session in classes:
        sessions.setdefault(sid, session)
    rows = [SessionPublic.of(sid, s).to_json() for sid, s in sessions.items()]
    archive.add_json("sessions.json", {"sessions": rows}, tz)
    archive.add_text("sessions.csv", decide.csv_text(decide.SESSION_COLUMNS, rows, tz))

    results = [_results(ctx, sid, session) for sid, session in sessions.items()]
    archive.add_json("results.json", {"results": results}, tz)
    archive.add_text("results.csv", decide.csv_text(decide.RESULT_COLUMNS, results, tz))

    practice = [
        {"sessionId": sid, "sessionType": s.sessionType, "items": items}
        for sid, s in sessions.items()
        if (items := _items(ctx, sid, s))
    ]
    archive.add_json("practice.json", {"practice": practice}, tz)

    statistics = {
        "sessions": stats.session_stats(ctx, StatsQuery()).to_json(),
        "practice": stats.analytics_summary(ctx).to_json(),
    }
    archive.add_json("statistics.json", statistics, tz)

    notes = [note for sid in sessions for note in _notes(ctx, sid)]
    archive.add_json("notes.json", {"notes": notes}, tz)
    archive.add_text("notes.csv", decide.csv_text(decide.NOTE_COLUMNS, notes, tz))

    comments = [
        comment
        for sid, session in sessions.items()
        if session.videoName or session.videoRemovedAt
        for comment in _comments(ctx, sid)
        if comment.get("authorId") == uid
    ]
    archive.add_json("comments.json", {"comments": comments}, tz)

    archive.add_json("attendance.json", {"groups": groups, "attendance": attendance}, tz)
    archive.add_text("attendance.csv", decide.csv_text(decide.ATTENDANCE_COLUMNS, attendance, tz))
    archive.add_json("notifications.json", {"notifications": list(_notifications(ctx))}, tz)
    archive.add_json(
        "invitations.json",
        invitations.list_invitations(ctx, parse(InvitationListQuery, {})).to_json(),
        tz,
    )
    uploads = _uploads(ctx, sessions)
    archive.add_json("uploads.json", {"uploads": uploads}, tz)
    archive.add_text("uploads.csv", decide.csv_text(decide.UPLOAD_COLUMNS, uploads, tz))
    name = profile.displayName or ctx.caller.display_name
    archive.add_text("README.txt", decide.readme(name=name, uid=uid, made_at=ctx.now, timezone=tz))
    return archive


def _own_sessions(ctx: Context) -> Iterator[tuple[str, SessionRecord]]:
    """The sessions the person lists as their own (``GET /api/sessions``, archived or not), and
    those where they are the athlete (a coach's own practice)."""
    from sessionbase.services import sessions as service

    scopes: list[dict[str, str]] = [{}]
    if ctx.caller.role is not Role.ATHLETE:
        scopes.append({"athleteId": ctx.caller.uid})
    seen: set[str] = set()
    for scope in scopes:
        for archived in ("false", "true"):
            cursor: str | None = None
            while len(seen) < MAX_SESSIONS:
                query = parse(
                    SessionListQuery,
                    {**scope, "archived": archived, "limit": str(PAGE)}
                    | ({"cursor": cursor} if cursor else {}),
                )
                page = service.list_sessions(ctx, query)
                for public in page.sessions:
                    assert isinstance(public, SessionPublic)  # not the yoga shape
                    sid = public.sessionId
                    if sid not in seen:
                        seen.add(sid)
                        yield sid, _record(public)
                cursor = page.nextCursor
                if cursor is None:
                    break


def _record(public: Any) -> SessionRecord:
    return SessionRecord.model_validate(public.model_dump(exclude_unset=True))


def _classes(
    ctx: Context,
) -> tuple[list[dict[str, Any]], list[tuple[str, SessionRecord]], list[dict[str, Any]]]:
    """The person's groups, their classes the person may read, and the person's own attendance
    of each (``sessions/{id}/attendance/{uid}``)."""
    from sessionbase.services import groups as service

    uid = ctx.caller.uid
    groups = service.list_groups(ctx).groups
    classes: list[tuple[str, SessionRecord]] = []
    attendance: list[dict[str, Any]] = []
    for group in groups:
        for status in ("active", "completed"):
            after: PageAfter | None = None
            while len(classes) < MAX_SESSIONS:
                rows = ctx.store.sessions.page(
                    equals={"groupId": group.groupId, "status": status}, limit=PAGE, after=after
                )
                for sid, session in rows:
                    if not policy.may_read_session(ctx.caller, session, ctx.store.relations):
                        continue
                    classes.append((sid, session))
                    mine = ctx.store.groups.attendance(sid, uid)
                    attendance.append(
                        {
                            "sessionId": sid,
                            "groupId": group.groupId,
                            "groupName": group.name,
                            "status": mine.status if mine else "absent",
                            "at": mine.at if mine else None,
                            "sessionStartedAt": session.actualStart or session.createdAt,
                        }
                    )
                if len(rows) < PAGE:
                    break
                last_id, last = rows[-1]
                assert last.createdAt is not None
                after = PageAfter(created_at=last.createdAt, session_id=last_id)
    return [group.to_json() for group in groups], classes, attendance


def _results(ctx: Context, sid: str, session: SessionRecord) -> dict[str, Any]:
    """A session's results: its figures, and its analysis summary once analysed."""
    row: dict[str, Any] = {
        name: getattr(session, name, None) for name in decide.RESULT_COLUMNS if name != "sessionId"
    }
    row["sessionId"] = sid
    row["metrics"] = session.metrics
    if session.analysisStatus == "completed":
        from sessionbase.models.review import AnalysisQuery
        from sessionbase.services import review

        analysis = review.get_analysis(ctx, parse(AnalysisQuery, {}), session_id=sid)
        row["analysis"] = analysis.to_json().get("summary")
    return row


def _items(ctx: Context, sid: str, session: SessionRecord) -> list[dict[str, Any]]:
    """A practice session's answers or poses (only a session the person may read)."""
    if not (session.itemCount or session.avgAccuracy is not None):
        return []
    access.readable(ctx, sid)
    rows = ctx.store.sessions.children_page(sid, "items", ItemRecord, limit=MAX_ITEMS)
    return [{"itemId": iid, **item.model_dump(mode="json")} for iid, item in rows]


def _notes(ctx: Context, sid: str) -> Iterator[dict[str, Any]]:
    from sessionbase.services import sessions as service

    cursor: str | None = None
    while True:
        query = ChildPageQuery.model_validate({"limit": PAGE, "cursor": cursor})
        page = service.list_session_notes(ctx, query, session_id=sid)
        for note in page.sessionNotes:
            yield {"sessionId": sid, **note.to_json()}
        cursor = page.nextCursor
        if cursor is None:
            return


def _comments(ctx: Context, sid: str) -> list[dict[str, Any]]:
    from sessionbase.services import comments

    found: list[dict[str, Any]] = comments.list_comments(ctx, session_id=sid).to_json()["comments"]
    return found


def _notifications(ctx: Context) -> Iterator[dict[str, Any]]:
    from sessionbase.models.notifications import NotificationListQuery
    from sessionbase.services import notifications

    cursor: str | None = None
    while True:
        query = NotificationListQuery.model_validate({"limit": 100, "cursor": cursor})
        page = notifications.list_notifications(ctx, query)
        for row in page.notifications:
            yield row.to_json()
        cursor = page.nextCursor
        if cursor is None:
            return


def _uploads(ctx: Context, sessions: dict[str, SessionRecord]) -> list[dict[str, Any]]:
    """The person's own uploads: attachments they uploaded and videos they uploaded, each with
    a download URL that works while the ZIP is kept; attachments handed out are recorded in the
    download log (``attachmentDownloads``) as every handed-out link is."""
    uid, lifetime = ctx.caller.uid, decide.UPLOAD_URL_LIFETIME
    expires = ctx.now + lifetime
    uploads: list[dict[str, Any]] = []
    handed: list[DownloadRecord] = []
    for sid, session in sessions.items():
        if session.videoPath and session.videoUploadedBy == uid:
            uploads.append(
                {
                    "kind": "video",
                    "sessionId": sid,
                    "fileName": session.videoName,
                    "contentType": session.contentType,
                    "size": session.fileSize,
                    "createdAt": session.videoUploadedAt,
                    "downloadUrl": ctx.objects.download_url(session.videoPath, lifetime),
                    "downloadUrlExpiresAt": expires,
                }
            )
        rows = ctx.store.sessions.children_page(
            sid, "attachments", AttachmentRecord, limit=MAX_ITEMS
        )
        for aid, attachment in rows:
            if attachment.uploadedBy != uid or not attachment.path:
                continue
            uploads.append(
                {
                    "kind": "attachment",
                    "sessionId": sid,
                    "attachmentId": aid,
                    "fileName": attachment.fileName,
                    "contentType": attachment.contentType,
                    "size": attachment.size,
                    "createdAt": attachment.createdAt,
                    "downloadUrl": ctx.objects.download_url(attachment.path, lifetime),
                    "downloadUrlExpiresAt": expires,
                }
            )
            handed.append(
                DownloadRecord(
                    sessionId=sid,
                    attachmentId=aid,
                    fileName=attachment.fileName,
                    uid=uid,
                    email=ctx.caller.email,
                    createdAt=ctx.now,
                )
            )
    for start in range(0, len(handed), 400):

        def record(unit: Store, part: list[DownloadRecord] = handed[start : start + 400]) -> None:
            for download in part:
                unit.completion.record_download(download)

        ctx.store.write(record)
    return uploads
