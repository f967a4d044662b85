"""Deleting an account (issue 27): ``DELETE /api/users/me``, an admin's ``DELETE
/api/users/{uid}``, and the job that does the work.

The request records the job (``accountDeletions/{uid}``, one per person: asking again answers
the same job) and queues its first run; it deletes nothing itself. A run works through
``domain.accounts.STEPS``: each step queries what is left of the person in one place and handles
it a page at a time, each page one unit of work with the job's progress in it (at the version
read, so two runs at once never both commit a page). A run stops before its time budget and
queues the next (a task id per run: a repeated enqueue is a no-op). The Auth user goes last.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sessionbase import settings
from sessionbase.domain import accounts as decide
from sessionbase.domain import policy
from sessionbase.domain.analysis.jobs import ANALYSIS_PREFIX
from sessionbase.domain.notifications import mail_id
from sessionbase.errors import FailedPrecondition, NotFound
from sessionbase.models.accounts import (
    AccountDeletionPublic,
    AccountDeletionRecord,
    DeletionStatus,
)
from sessionbase.models.notifications import Kind
from sessionbase.models.sessions import SessionRecord
from sessionbase.services import stats, users
from sessionbase.services.context import Context
from sessionbase.store import tasks
from sessionbase.store.accounts import Found, lost_race
from sessionbase.store.client import DocumentExists, together
from sessionbase.store.storage import ObjectStore
from sessionbase.store.work import Store

log = logging.getLogger(__name__)
# Sessions per unit of work: as many of those a query finds (``SESSION_QUERY``) as fit in
# ``UNIT_WRITES``; a deleted one costs 2 writes (itself, its statistics' tombstone), a shared one
# up to 10 (itself, its contribution, the counters it moves for two people).
SESSION_QUERY = 200
UNIT_WRITES = 390
ALONE_WRITES = 2
SHARED_WRITES = 10
# Plain documents per unit of work (a membership costs 2 writes, a move 2).
PAGE = 150
# Documents under one deleted document, per unit (each a delete).
TREE_PAGE = 400
TICK = timedelta(microseconds=1)
CLASS_STARTED = Kind.CLASS_STARTED.value
# Groups whose classes are searched for the person's attendance (the groups they belong to).
MEMBERSHIPS_READ = 1000

Clock = Callable[[], datetime]
Continue = Callable[[str, int], None]


def delete_my_account(ctx: Context) -> AccountDeletionPublic:
    """``DELETE /api/users/me``: delete the caller's account and what is theirs (202, the job;
    asking again answers the same job)."""
    return _request(ctx, ctx.caller.uid)


def delete_user_account(ctx: Context, *, uid: str) -> AccountDeletionPublic:
    """``DELETE /api/users/{uid}`` (admin, not their own: ``/api/users/me``): delete that
    person's account (202, the job)."""
    policy.require_account_deleter(ctx.caller, uid)
    return _request(ctx, uid)


def get_account_deletion(ctx: Context, *, uid: str) -> AccountDeletionPublic:
    """``GET /api/account-deletions/{uid}`` (admin; the person too): the job's progress."""
    readable = policy.may_read_account_deletion(ctx.caller, uid)
    found = ctx.store.accounts.job(uid) if readable else None
    if found is None:
        raise NotFound("No account deletion for this user.")
    return _public(found[0])


def _public(job: AccountDeletionRecord) -> AccountDeletionPublic:
    return AccountDeletionPublic.of(job, decide.STEPS)


def _request(ctx: Context, uid: str) -> AccountDeletionPublic:
    found = ctx.store.accounts.job(uid)
    if found is not None:  # one job per person: queued, running, or the tombstone of a done one
        return _public(found[0])
    if ctx.store.users.account(uid) is None:
        raise NotFound("No such user.")
    standing = ctx.store.users.standing(uid)
    if standing.is_active_admin and ctx.store.users.other_active_admins(uid) < 1:
        raise FailedPrecondition(
            "The last admin's account is not deleted: make another admin first."
        )
    job = AccountDeletionRecord(
        uid=uid,
        placeholder=decide.placeholder(uid),
        step=decide.STEPS[0],
        runs=1,
        requestedBy=ctx.caller.uid,
        createdAt=ctx.now,
        updatedAt=ctx.now,
    )
    try:
        ctx.store.write(lambda unit: unit.accounts.create_job(job))
    except DocumentExists:  # another request made it first: the same job
        again = ctx.store.accounts.job(uid)
        assert again is not None
        return _public(again[0])
    queue_run(uid, 1)
    return _public(job)


def queue_run(uid: str, run: int) -> None:
    """Queue run number ``run`` of ``uid``'s deletion (the same run twice is one task)."""
    tasks.enqueue_account_deletion(uid, task_id=f"accountDeletion-{decide.placeholder(uid)}-{run}")


# ---- the job -------------------------------------------------------------------------------------


def run_deletion(
    store: Store,
    objects: ObjectStore,
    uid: str,
    *,
    clock: Clock,
    budget: timedelta | None = None,
    continue_later: Continue = queue_run,
) -> AccountDeletionRecord | None:
    """One run of ``uid``'s deletion: steps and pages until done, or until ``budget`` (the
    setting by default) is spent, when the next run is queued with ``continue_later``. Returns
    the job as left (None: there is no job). Every page is safe to run again."""
    limit = budget if budget is not None else settings.account_deletion_budget()
    started = clock()
    found = store.accounts.job(uid)
    if found is None:
        return None
    job, version = found
    account = store.users.account(uid)
    email = account.email.lower() if account is not None and account.email else None
    while job.status != DeletionStatus.DONE:
        if clock() - started >= limit:
            job = job.changed(runs=job.runs + 1, updatedAt=clock())
            store.write(functools.partial(_save, job, version))
            continue_later(uid, job.runs)
            return job
        try:
            _advance(store, objects, job, version, email, clock())
        except lost_race():
            # Another run wrote the job, or a record changed or went since it was read:
            # nothing of the page was written; read the job and what is left again.
            log.info("account deletion %s: a page lost a race; reading again", uid)
        again = store.accounts.job(uid)
        if again is None:  # removed by hand: nothing to finish
            return None
        job, version = again
    return job


def _advance(
    store: Store,
    objects: ObjectStore,
    job: AccountDeletionRecord,
    version: datetime,
    email: str | None,
    now: datetime,
) -> None:
    """One page of the job's current step, committed with the job's progress; a step that
    finds nothing left moves the job to the next."""
    step = job.step
    handled = 0
    if step == decide.LOCK:
        _lock(store, job, now)
    elif (field := decide.session_field(step)) is not None:
        value = email if field == decide.SESSION_EMAIL_FIELD else job.uid
        handled = 0 if value is None else _sessions(store, objects, job, version, field, value, now)
        if handled:
            return  # committed with the job: the next page, or an empty one ends the step
    elif step == decide.ATTENDANCE:
        handled = _attendance(store, job)
    elif step == decide.MEMBERSHIPS:
        handled = _memberships(store, job, version, now)
        if handled:
            return
    elif step in decide.SWEEP_OF:
        handled = _sweep(store, objects, job, version, decide.SWEEP_OF[step], email, now)
        if handled:
            return
    elif step == decide.STATISTICS:
        handled = _statistics(store, job)
    elif step == decide.PROFILE:
        handled = _tree(store, store.accounts.profile_root(job.uid))
    elif step == decide.AUTH:
        store.accounts.delete_account(job.uid)
    _next_step(store, job, version, handled, now)


def _progress(
    job: AccountDeletionRecord, handled: int, now: datetime, **changes: object
) -> AccountDeletionRecord:
    counts = dict(job.counts)
    if handled:
        counts[job.step] = counts.get(job.step, 0) + handled
    return job.changed(counts=counts, updatedAt=now, status=DeletionStatus.RUNNING, **changes)


def _next_step(
    store: Store, job: AccountDeletionRecord, version: datetime, handled: int, now: datetime
) -> None:
    following = decide.next_step(job.step)
    if following == decide.DONE:
        changed = _progress(job, handled, now, step=following, finishedAt=now)
        changed = changed.changed(status=DeletionStatus.DONE)
    else:
        changed = _progress(job, handled, now, step=following)
    store.write(lambda unit: unit.accounts.save_job(changed, version=version))


def _lock(store: Store, job: AccountDeletionRecord, now: datetime) -> None:
    """Disable the account and revoke its sign-ins: nothing new of theirs is written while
    the deletion runs (an account already gone is fine)."""
    with contextlib.suppress(NotFound):
        users.set_disabled(store, job.uid, True, by=job.requestedBy, now=now)


def _sessions(
    store: Store,
    objects: ObjectStore,
    job: AccountDeletionRecord,
    version: datetime,
    field: str,
    value: str,
    now: datetime,
) -> int:
    """One page of the sessions whose ``field`` names the person: theirs alone are deleted
    (objects, subcollections, the session; its statistics withdrawn with it), shared ones are
    de-identified with their statistics moved in the same unit. Returns how many."""
    email = value if field == decide.SESSION_EMAIL_FIELD else None
    rows: list[tuple[str, SessionRecord, datetime]] = []
    writes = 0
    for session_id, session, read_at in store.accounts.sessions_where(
        field, value, limit=SESSION_QUERY
    ):
        alone = decide.is_theirs_alone(session, job.uid)
        if not alone and not decide.deidentified(session, job.uid, email, job.placeholder):
            continue  # nothing to change: it would be found again and again
        cost = ALONE_WRITES if alone else SHARED_WRITES
        if writes + cost > UNIT_WRITES:
            break
        rows.append((session_id, session, read_at))
        writes += cost
    # Objects and subcollections first (if this fails, the records still say where), the
    # sessions' own round trips at once.
    alone_ids = [sid for sid, session, _ in rows if decide.is_theirs_alone(session, job.uid)]
    cleared = together(*(functools.partial(_clear, store, objects, sid) for sid in alone_ids))
    deleted = sum(cleared)
    for _, session, _ in rows:
        if not decide.is_theirs_alone(session, job.uid) and session.videoPath:
            # a video they uploaded to a shared session names them in its metadata
            objects.rename_uploader(session.videoPath, job.uid, job.placeholder)
    told = [
        told
        for session_id, session, _ in rows
        if not decide.is_theirs_alone(session, job.uid)
        for told in decide.told_of_completion(session, session_id, job.uid)
    ]
    _forget_told(store, told)
    coaches = set(job.coaches)
    for _, session, _ in rows:
        if session.athleteId == job.uid and session.coachId and session.coachId != job.uid:
            coaches.add(session.coachId)
    changed = _progress(job, len(rows), now, objects=job.objects + deleted, coaches=sorted(coaches))

    def page(unit: Store) -> None:
        for session_id, session, read_at in rows:
            if decide.is_theirs_alone(session, job.uid):
                # The version the trigger gives this deletion: its event then moves nothing.
                unit.accounts.bury_contribution(session_id, read_at + TICK)
                unit.accounts.delete(f"sessions/{session_id}")
            else:
                _deidentify(unit, session_id, session, read_at, job, email, now)
        unit.accounts.save_job(changed, version=version)

    if rows:
        store.write(page)
    return len(rows)


def _clear(store: Store, objects: ObjectStore, session_id: str) -> int:
    """A session's Storage objects and subcollections, before the session itself goes;
    returns how many objects were deleted."""
    deleted = objects.delete_prefix(f"sessions/{session_id}/")
    deleted += objects.delete_prefix(f"{ANALYSIS_PREFIX}/{session_id}/")
    _tree(store, f"sessions/{session_id}", keep_root=True)
    return deleted


def _deidentify(
    unit: Store,
    session_id: str,
    session: SessionRecord,
    read_at: datetime,
    job: AccountDeletionRecord,
    email: str | None,
    now: datetime,
) -> None:
    changes = decide.deidentified(session, job.uid, email, job.placeholder)
    if not changes:  # nothing of theirs left in it (a concurrent run did it)
        return
    kept = session.changed(**changes)
    if {"athleteId", "coachId"} & changes.keys():
        # Move its statistics to the placeholder in this unit, at a version after the counted
        # one: the trigger's event for this write then finds nothing to move.
        counted = unit.accounts.contribution_version(session_id)
        moved_at = max(now, (counted or read_at) + TICK)
        stats.stage_change(unit, session_id, kept, moved_at)
    unit.accounts.update(f"sessions/{session_id}", changes, version=read_at)


def _attendance(store: Store, job: AccountDeletionRecord) -> int:
    """The person's attendance in the classes of their groups is kept under the placeholder
    (the class's figures stay whole); returns how many records moved."""
    moved = 0
    for group_id, _ in store.groups.of_member(job.uid, limit=MEMBERSHIPS_READ):
        session_ids = store.accounts.group_sessions(group_id)
        for start in range(0, len(session_ids), PAGE):
            found = store.accounts.attendance_of(session_ids[start : start + PAGE], job.uid)
            if found:
                store.write(functools.partial(_move_all, found, job))
                moved += len(found)
    return moved


def _move_all(found: list[Found], job: AccountDeletionRecord, unit: Store) -> None:
    for record in found:
        parent = record.path.rsplit("/", 1)[0]
        unit.accounts.move(record, f"{parent}/{job.placeholder}")


def _memberships(store: Store, job: AccountDeletionRecord, version: datetime, now: datetime) -> int:
    """One page of the person's group memberships, ended (the group's count with them)."""
    found = store.accounts.matching("members", "uid", job.uid, group=True, limit=PAGE)
    groups = {record.path.split("/")[1] for record in found}
    existing = {gid for gid in groups if store.groups.get(gid) is not None}
    changed = _progress(job, len(found), now)

    def page(unit: Store) -> None:
        for record in found:
            group_id = record.path.split("/")[1]
            unit.accounts.delete(record.path)
            if group_id in existing:
                unit.groups.count_members(group_id, -1, now)
        unit.accounts.save_job(changed, version=version)

    if found:
        store.write(page)
    return len(found)


def _sweep(
    store: Store,
    objects: ObjectStore,
    job: AccountDeletionRecord,
    version: datetime,
    sweep: decide.Sweep,
    email: str | None,
    now: datetime,
) -> int:
    """One page of a plain kind of record (``domain.accounts.SWEEPS``)."""
    value = email if sweep.key is decide.Key.EMAIL else job.uid
    if value is None:
        return 0
    found = store.accounts.matching(
        sweep.collection, sweep.field, value, group=sweep.group, limit=PAGE
    )
    if sweep.action is decide.Action.DELETE and sweep.collection == "groups":
        for record in found:  # a group's members and what else is under it
            while _tree(store, record.path, keep_root=True):
                pass
    if sweep.action is decide.Action.DELETE:
        _forget_told(
            store,
            _told_of(store, sweep, found, job.uid),
            _told_of_classes(store, sweep, found, job.uid),
        )
    if sweep.collection == "attachments":  # the object names its uploader too
        for record in found:
            path = record.data.get("path")
            if isinstance(path, str) and path:
                objects.rename_uploader(path, job.uid, job.placeholder)
    changed = _progress(job, len(found), now)

    def page(unit: Store) -> None:
        for record in found:
            if sweep.action is decide.Action.DELETE:
                unit.accounts.delete(record.path)
            else:
                unit.accounts.update(record.path, {sweep.field: job.placeholder})
        unit.accounts.save_job(changed, version=version)

    if found:
        store.write(page)
    return len(found)


def _told_of(store: Store, sweep: decide.Sweep, found: list[Found], uid: str) -> list[decide.Told]:
    """What others' inboxes were told about the person in these records: their answers to
    invitations, invitations they sent, their comments (quoted with their name)."""
    told: list[decide.Told] = []
    for record in found:
        record_id = record.path.rsplit("/", 1)[1]
        if sweep.collection == "invitations":
            told += decide.told_of_invitation(record_id, record.data, uid)
        elif sweep.collection == "comments" and sweep.field == "authorId":
            session_id = record.path.split("/")[1]
            session = store.sessions.get(session_id)
            if session is not None:
                told += decide.told_of_comment(session, session_id, record_id, uid)
    return told


def _told_of_classes(store: Store, sweep: decide.Sweep, found: list[Found], uid: str) -> list[str]:
    """The members' notifications of the classes of groups they own (which name them as the
    one who started it), and their mail."""
    if sweep.collection != "groups":
        return []
    paths: list[str] = []
    for record in found:
        group_id = record.path.rsplit("/", 1)[1]
        for member in store.accounts.members_of(group_id):
            if member == uid:
                continue
            for path in store.accounts.inbox_linking(member, f"/classes/{group_id}", CLASS_STARTED):
                paths.append(path)
                paths.append(store.accounts.mail_path(mail_id(path.rsplit("/", 1)[1], member)))
    return paths


def _forget_told(store: Store, told: list[decide.Told], paths: list[str] | None = None) -> None:
    """Delete the notifications (inbox and mail) that quote the person to others: their text
    holds the person's name or address, and rewriting words once sent would misquote them."""
    found = set(paths or [])
    for item in set(told):
        if item.recipient is not None:
            found.update(store.accounts.inbox_with_prefix(item.recipient, item.prefix))
        found.update(store.accounts.mail_with_prefix(item.prefix))
    ordered = sorted(found)
    for start in range(0, len(ordered), TREE_PAGE):
        store.write(functools.partial(_delete_all, ordered[start : start + TREE_PAGE]))


def _statistics(store: Store, job: AccountDeletionRecord) -> int:
    """The person's statistics, whole; and the zero counters named after them that the
    statistics of coaches they had keep (their sessions count for the placeholder now)."""
    handled = 0
    for root in store.accounts.statistics_roots(job.uid):
        handled += _tree(store, root)
    for coach_id in job.coaches:
        shards = store.accounts.coach_shards_naming(coach_id, job.uid)
        if shards:
            store.write(functools.partial(_forget, shards, job.uid))
            handled += len(shards)
    return handled


def _forget(shards: list[str], uid: str, unit: Store) -> None:
    for path in shards:
        unit.accounts.forget_counter(path, uid)


def _save(job: AccountDeletionRecord, version: datetime, unit: Store) -> None:
    unit.accounts.save_job(job, version=version)


def _delete_all(paths: list[str], unit: Store) -> None:
    for path in paths:
        unit.accounts.delete(path)


def _tree(store: Store, root: str, *, keep_root: bool = False) -> int:
    """Delete the document at ``root`` and everything under it, ``TREE_PAGE`` documents a unit;
    returns how many documents were deleted."""
    handled = 0
    while True:
        below = store.accounts.descendants(root, limit=TREE_PAGE)
        if below:
            store.write(functools.partial(_delete_all, below))
            handled += len(below)
        if len(below) < TREE_PAGE:  # that was all of it
            break
    if not keep_root:
        store.write(lambda unit: unit.accounts.delete(root))
        handled += 1
    return handled
