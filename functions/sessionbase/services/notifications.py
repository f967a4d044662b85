"""Notifications (DESIGN.md §7 "People"; docs/decisions.md "Notifications"): one service that
every event goes through, and the person's side of it (their inbox, marking read, devices).

``deliver`` runs after the change that raised the event committed (a service call, or a trigger
for what any path may change: the analysis). Per recipient it writes the inbox document and, when
their preferences allow, a ``mail`` document, with ``create()`` only: at most once per event key,
however often the event arrives. Push follows for the letters this delivery wrote, so a repeated
delivery pushes nothing either. A failure is logged and never fails the change that raised it:
the change has committed, and a notification is told at most once, never at the cost of it.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from sessionbase import push, settings
from sessionbase.domain import notifications as decide
from sessionbase.domain.notifications import Event, Words
from sessionbase.errors import FieldError, NotFound
from sessionbase.models.notifications import (
    Channel,
    DeviceRegister,
    DeviceRegistered,
    DeviceRemoved,
    NotificationList,
    NotificationListQuery,
    NotificationPublic,
    NotificationsMarked,
    NotificationsRead,
)
from sessionbase.models.sessions import SessionRecord
from sessionbase.models.users import UserRecord
from sessionbase.services.context import Context
from sessionbase.services.paging import newest_first
from sessionbase.store.notifications import Letter
from sessionbase.store.work import Store

log = logging.getLogger(__name__)

# Notifications one scheduled run prunes at most (the next run goes on).
PRUNE_LIMIT = 20_000


def deliver(
    store: Store, event: Event | None, now: datetime, *, transport: push.Transport | None = None
) -> list[str]:
    """Tell the event's recipients (inbox, mail, push as each allows); the recipients this call
    told, leaving out any told before. Never raises (see the module's docstring)."""
    if event is None or not (event.recipients or event.address):
        return []
    try:
        return _deliver(store, event, now, transport)
    except Exception:
        log.exception("notification %s was not delivered", event.key)
        return []


def name_of(store: Store, uid: str, fallback: str) -> str:
    """What people call this person in a notification: their profile's name (the one they
    chose, read now), else ``fallback`` (the name their token or the record carries)."""
    return store.users.display_names({uid}).get(uid, fallback)


def analysis_changed(
    store: Store, session_id: str, earlier: object, session: SessionRecord, *, now: datetime
) -> None:
    """From the sessions trigger: a session whose analysis has just completed or failed (its
    status was ``earlier`` before this write) tells its coach and athlete, once per run (the
    job, else the attempt)."""
    if session.analysisStatus == earlier:
        return
    run = session.analysisJobId or f"attempt{session.analysisAttempts or 0}"
    deliver(store, decide.analysis_finished(session_id, session, run=run), now)


def _deliver(
    store: Store, event: Event, now: datetime, transport: push.Transport | None
) -> list[str]:
    profiles = store.users.profiles(event.recipients) if event.recipients else {}
    words = decide.words(event, app_url=settings.app_url())
    inbox = {
        "kind": event.kind.value,
        "title": words.title,
        "body": words.body,
        "link": event.link,
        "createdAt": now,
        "readAt": None,
    }
    # Mail goes to the address Auth has verified, looked up for those who want mail of this kind.
    mailed = {
        uid
        for uid in event.recipients
        if decide.wants(
            (profiles.get(uid) or UserRecord()).notifications, event.kind, Channel.EMAIL
        )
    }
    accounts = store.users.accounts(mailed) if mailed else {}
    letters = []
    for uid in sorted(event.recipients):
        account = accounts.get(uid)
        address = account.email if account and account.email_verified else None
        letters.append(
            Letter(
                recipient=uid,
                key=event.key,
                inbox=inbox,
                mail_id=decide.mail_id(event.key, uid) if address else None,
                mail=_mail(address, words, event, now) if address else None,
            )
        )
    if event.address:
        letters.append(
            Letter(
                recipient=event.address,
                key=event.key,
                inbox=None,
                mail_id=decide.mail_id(event.key, event.address),
                mail=_mail(event.address, words, event, now),
            )
        )
    told = [letter.recipient for letter in store.notifications.deliver(letters)]
    log.info(
        "notification %s: %d of %d told, %d writes",
        event.key,
        len(told),
        len(letters),
        sum(letter.writes for letter in letters if letter.recipient in told),
    )
    pushed = [uid for uid in told if uid in event.recipients and _wants_push(profiles, uid, event)]
    if pushed and (transport is not None or settings.push_enabled()):
        _push(store, event, words, pushed, transport or push.FirebaseTransport())
    return told


def _wants_push(profiles: dict[str, UserRecord], uid: str, event: Event) -> bool:
    profile = profiles.get(uid) or UserRecord()
    return decide.wants(profile.notifications, event.kind, Channel.PUSH)


def _mail(address: str, words: Words, event: Event, now: datetime) -> dict[str, object]:
    """A document of the Trigger Email extension's ``mail`` collection."""
    return {
        "to": address,
        "message": {"subject": words.title, "text": words.text, "html": words.html},
        "kind": event.kind.value,
        "eventKey": event.key,
        "createdAt": now,
    }


def _push(
    store: Store, event: Event, words: Words, uids: list[str], transport: push.Transport
) -> None:
    pushes = [
        push.Push(
            device=device,
            key=event.key,
            title=words.title,
            body=words.body,
            url=settings.app_url() + event.link,
        )
        for device in store.notifications.devices(uids)
    ]
    invalid = push.send(pushes, transport)
    if invalid:
        store.notifications.forget_devices(invalid)


# ---- the person's inbox ----------------------------------------------------------------------


def list_notifications(ctx: Context, query: NotificationListQuery) -> NotificationList:
    """``GET /api/notifications``: the caller's, newest first, and how many are unread."""
    uid = ctx.caller.uid
    page, next_cursor = newest_first(
        ctx,
        query=("notifications", uid),
        cursor=query.cursor,
        limit=query.limit,
        fetch=lambda n, after: ctx.store.notifications.page(uid, limit=n, after=after),
        time_of=lambda record: record.createdAt,
    )
    return NotificationList(
        notifications=[
            NotificationPublic(id=nid, **record.model_dump(exclude_unset=False))
            for nid, record in page
        ],
        unread=ctx.store.notifications.unread(uid),
        nextCursor=next_cursor,
    )


def mark_read(ctx: Context, body: NotificationsRead) -> NotificationsMarked:
    """``POST /api/notifications/read``: these of the caller's notifications (all of them or
    none: an id that is not theirs is a 404 naming ``ids``), or every unread one."""
    uid, now = ctx.caller.uid, ctx.now
    if body.all:
        marked = ctx.store.notifications.mark_all_read(uid, now)
    else:
        keys = sorted(set(body.ids or ()))

        def mark(unit: Store) -> int:
            unread = unit.notifications.unread_among(uid, keys)
            if unread is None:
                raise NotFound(
                    "Notification not found.",
                    errors=(FieldError(field="ids", message="not one of your notifications"),),
                )
            unit.notifications.mark_read(uid, unread, now)
            return len(unread)

        marked = ctx.store.transaction(mark)
    return NotificationsMarked(read=marked, unread=ctx.store.notifications.unread(uid))


def register_device(ctx: Context, body: DeviceRegister) -> DeviceRegistered:
    """``POST /api/users/me/devices``: a web-push token of the caller's (the same token, the
    same device)."""
    device_id = hashlib.sha256(body.token.encode()).hexdigest()[:32]
    record = {"uid": ctx.caller.uid, "token": body.token, "createdAt": ctx.now}
    ctx.store.write(lambda unit: unit.notifications.put_device(ctx.caller.uid, device_id, record))
    return DeviceRegistered(deviceId=device_id)


def remove_device(ctx: Context, *, device_id: str) -> DeviceRemoved:
    """``DELETE /api/users/me/devices/{deviceId}``: the caller's (none there: answered alike)."""
    ctx.store.write(lambda unit: unit.notifications.remove_device(ctx.caller.uid, device_id))
    return DeviceRemoved(deviceId=device_id, removed=True)


def prune(store: Store, now: datetime) -> int:
    """Delete notifications older than ``SESSIONBASE_NOTIFICATION_DAYS``; how many were."""
    return store.notifications.prune(now - settings.notification_lifetime(), limit=PRUNE_LIMIT)
