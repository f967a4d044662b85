"""services/notifications.deliver against the Firestore emulator, in this process: batches of a
large audience, at most once per event key (a whole redelivery, and one after a partial first
run), push through a recording stand-in for the messaging API (which cannot be reached offline)
with invalid tokens forgotten, and pruning by age."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from firebase_admin import messaging

from sessionbase.domain import notifications as events
from sessionbase.services import notifications
from sessionbase.store.client import firestore_client
from sessionbase.store.work import BATCH_LIMIT, Store

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


class Recording:
    """Stands in for FCM: records every message; the tokens in ``gone`` are unregistered."""

    def __init__(self, gone: frozenset[str] = frozenset()) -> None:
        self.sent: list[messaging.Message] = []
        self.gone = gone

    def send_each(self, messages: list[messaging.Message]) -> list[Exception | None]:
        self.sent += messages
        return [
            messaging.UnregisteredError("unregistered") if m.token in self.gone else None
            for m in messages
        ]


@pytest.fixture
def store(backend: None) -> Store:
    return Store(firestore_client())


def class_of(n: int, session: str = "s1") -> events.Event:
    members = [f"m{i:03d}" for i in range(n)]
    return events.class_started(
        session, group_id="g1", group="Yoga", teacher="Tess", members=members, by="owner"
    )


def inbox_keys(db, uid: str) -> list[str]:
    return [d.id for d in db.collection("users").document(uid).collection("notifications").get()]


def test_a_large_class_is_told_once_in_batches_and_a_redelivery_writes_nothing(store):
    db = firestore_client()
    event = class_of(BATCH_LIMIT + 50)  # two batches
    told = notifications.deliver(store, event, NOW)
    assert len(told) == BATCH_LIMIT + 50
    stored = db.collection_group("notifications").get()
    assert len(stored) == BATCH_LIMIT + 50
    first = stored[0].to_dict()
    assert first["readAt"] is None
    assert (first["kind"], first["link"], first["title"]) == (
        "classStarted",
        "/classes/g1",
        "Yoga has started",
    )
    # E-mail is off for classes by default: no mail at all.
    assert db.collection("mail").get() == []
    assert notifications.deliver(store, event, NOW + timedelta(seconds=1)) == []
    again = db.collection_group("notifications").get()
    assert len(again) == BATCH_LIMIT + 50
    assert {d.to_dict()["createdAt"] for d in again} == {NOW}  # the second changed nothing


def test_a_redelivery_after_a_partial_run_tells_only_those_not_told(store):
    db = firestore_client()
    event = class_of(10)
    # The first delivery reached m003 only (a member told before, or a batch of another run).
    notifications.deliver(store, dataclasses.replace(event, recipients=frozenset({"m003"})), NOW)
    told = notifications.deliver(store, event, NOW)
    assert sorted(told) == [f"m{i:03d}" for i in range(10) if i != 3]
    assert all(inbox_keys(db, f"m{i:03d}") == [event.key] for i in range(10))


def test_mail_follows_each_persons_verified_address_and_choice(store):
    import firebase_admin
    from firebase_admin import auth

    if not firebase_admin._apps:  # this process's Admin SDK, on the Auth emulator
        firebase_admin.initialize_app()
    db = firestore_client()
    accounts = {"a": True, "b": False, "c": True}  # b has not verified: no mail
    for uid, verified in accounts.items():
        auth.create_user(uid=uid, email=f"{uid}@example.com", email_verified=verified)
    # c turned mail off for role changes; d has no account at all.
    db.document("users/c").set({"notifications": {"roleChanged": {"email": False}}})
    for uid in [*accounts, "d"]:
        notifications.deliver(store, events.role_changed(uid, role="coach", version=2), NOW)
        notifications.deliver(store, events.role_changed(uid, role="coach", version=2), NOW)
    mail = [d.to_dict() for d in db.collection("mail").get()]
    assert [m["to"] for m in mail] == ["a@example.com"]
    assert mail[0]["message"]["subject"] == "Your role is now coach"
    assert "https://" in mail[0]["message"]["text"]
    assert "<a href=" in mail[0]["message"]["html"]
    assert all(inbox_keys(db, uid) == [f"roleChanged-{uid}-2"] for uid in [*accounts, "d"])


def test_push_goes_to_each_device_once_and_forgets_unregistered_tokens(store):
    db = firestore_client()
    devices = {"m000": ["tok-a", "tok-b"], "m001": ["tok-gone"], "m002": []}
    for uid, tokens in devices.items():
        for n, token in enumerate(tokens):
            db.document(f"users/{uid}/devices/d{n}").set({"uid": uid, "token": token})
    db.document("users/m002").set({"notifications": {"classStarted": {"push": False}}})
    db.document("users/m002/devices/d0").set({"uid": "m002", "token": "tok-off"})
    sent = Recording(gone=frozenset({"tok-gone"}))
    notifications.deliver(store, class_of(3), NOW, transport=sent)
    assert sorted(m.token for m in sent.sent) == ["tok-a", "tok-b", "tok-gone"]
    assert {m.notification.title for m in sent.sent} == {"Yoga has started"}
    assert {m.data["eventKey"] for m in sent.sent} == {class_of(3).key}
    assert db.document("users/m001/devices/d0").get().exists is False
    assert db.document("users/m000/devices/d0").get().exists is True
    # Delivered again: nobody is pushed twice.
    again = Recording()
    notifications.deliver(store, class_of(3), NOW, transport=again)
    assert again.sent == []


def test_pruning_deletes_only_notifications_past_their_lifetime(store):
    db = firestore_client()
    old, recent = NOW - timedelta(days=91), NOW - timedelta(days=89)
    notifications.deliver(store, class_of(3, "old"), old)
    notifications.deliver(store, class_of(2, "recent"), recent)
    assert notifications.prune(store, NOW) == 3
    left = db.collection_group("notifications").get()
    assert sorted(d.id for d in left) == ["classStarted-recent"] * 2


def test_marking_all_read_goes_past_one_batch_and_leaves_others_alone(store):
    db = firestore_client()
    inbox = db.collection("users").document("ada").collection("notifications")
    for start in range(0, BATCH_LIMIT + 20, BATCH_LIMIT):
        batch = db.batch()
        for n in range(start, min(start + BATCH_LIMIT, BATCH_LIMIT + 20)):
            batch.set(inbox.document(f"k{n}"), {"kind": "classStarted", "readAt": None})
        batch.commit()
    notifications.deliver(store, class_of(1), NOW)  # m000's, not ada's
    assert store.notifications.unread("ada") == BATCH_LIMIT + 20
    assert store.notifications.mark_all_read("ada", NOW) == BATCH_LIMIT + 20
    assert store.notifications.unread("ada") == 0
    assert store.notifications.unread("m000") == 1
