"""Notifications: each person's inbox ``users/{uid}/notifications/{eventKey}``, the ``mail``
collection of Firebase's Trigger Email extension, and the devices push goes to
(``users/{uid}/devices/{deviceId}``).

Delivery writes only with ``create()``: the event key is the inbox document's id and the mail
document's id follows from it, so a second delivery of an event finds its documents and writes
nothing. The unread count is an aggregation query, exact and with no counter to keep: telling a
class of 200 costs 200 writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sessionbase.store.client import DocumentExists, DocumentMissing
from sessionbase.store.work import BATCH_LIMIT, Repository

if TYPE_CHECKING:
    from google.cloud.firestore import DocumentReference

    from sessionbase.models.notifications import NotificationRecord
    from sessionbase.models.sessions import PageAfter

PROFILES = "users"
INBOX = "notifications"
DEVICES = "devices"
MAIL = "mail"
# Uids per ``in`` query (Firestore allows 30 values).
IN_LIMIT = 30


@dataclass(frozen=True, kw_only=True)
class Letter:
    """What one event writes for one recipient: the inbox document and, if any, a mail one."""

    recipient: str  # a uid, or an address with no account (then ``inbox`` is None)
    key: str
    inbox: dict[str, Any] | None
    mail_id: str | None = None
    mail: dict[str, Any] | None = None

    @property
    def writes(self) -> int:
        return (self.inbox is not None) + (self.mail is not None)


@dataclass(frozen=True, kw_only=True)
class Device:
    """A registered web-push token."""

    uid: str
    device_id: str
    token: str


class Notifications(Repository):
    """Inboxes, mail and devices."""

    def _inbox(self, uid: str) -> Any:
        return self._collection(PROFILES).document(uid).collection(INBOX)

    def deliver(self, letters: Sequence[Letter]) -> list[Letter]:
        """Create each letter's documents, in batches of at most ``BATCH_LIMIT`` writes (a
        letter never split); the letters this call wrote, leaving out those written before.

        A batch is atomic: one that meets an existing document wrote nothing, and its letters
        are then created one by one, each skipped if it was delivered before.
        """
        delivered: list[Letter] = []
        for part in _parts(letters):
            if self._create(part):
                delivered += part
            else:
                delivered += [letter for letter in part if self._create([letter])]
        return delivered

    def _create(self, letters: Sequence[Letter]) -> bool:
        batch = self._batch()
        for letter in letters:
            if letter.inbox is not None:
                batch.create(self._inbox(letter.recipient).document(letter.key), letter.inbox)
            if letter.mail is not None and letter.mail_id is not None:
                batch.create(self._collection(MAIL).document(letter.mail_id), letter.mail)
        try:
            self._commit(batch)
        except DocumentExists:
            return False
        return True

    def page(
        self, uid: str, *, limit: int, after: PageAfter | None
    ) -> list[tuple[str, NotificationRecord]]:
        """The person's notifications, newest first (a malformed one is left out)."""
        from sessionbase.models.notifications import NotificationRecord

        inbox = self._inbox(uid)
        rows = []
        for snapshot in self._newest_first(inbox, inbox, limit=limit, after=after):
            record, _ = NotificationRecord.salvage(snapshot.to_dict())
            if record is not None:
                rows.append((snapshot.id, record))
        return rows

    def _unread_query(self, uid: str) -> Any:
        from google.cloud.firestore import FieldFilter

        return self._inbox(uid).where(filter=FieldFilter("readAt", "==", None))

    def unread(self, uid: str) -> int:
        """How many of the person's notifications are unread (one aggregation query)."""
        return self._count(self._unread_query(uid))

    def unread_among(self, uid: str, keys: Sequence[str]) -> list[str] | None:
        """Of these keys of the person's notifications, the unread ones (inside the unit's
        transaction); None if any of them is not one of theirs."""
        refs = [self._inbox(uid).document(key) for key in keys]
        unread = []
        for snapshot in self._read_all(refs):
            if not snapshot.exists:
                return None
            if (snapshot.to_dict() or {}).get("readAt") is None:
                unread.append(snapshot.id)
        return unread

    def mark_read(self, uid: str, keys: Iterable[str], at: datetime) -> None:
        """Stage ``readAt`` on these notifications."""
        for key in keys:
            self._writes.update(self._inbox(uid).document(key), {"readAt": at})

    def mark_all_read(self, uid: str, at: datetime) -> int:
        """Mark every unread notification of the person read, in batches; how many were."""
        marked = 0
        while True:
            refs: list[DocumentReference] = [
                snapshot.reference
                for snapshot in self._stream(self._unread_query(uid).limit(BATCH_LIMIT))
            ]
            if not refs:
                return marked
            try:
                self._in_batches(refs, lambda batch, ref: batch.update(ref, {"readAt": at}))
            except DocumentMissing:  # one was pruned meanwhile: that batch wrote nothing
                continue
            marked += len(refs)

    def prune(self, before: datetime, *, limit: int) -> int:
        """Delete notifications (anyone's) created before ``before``, at most ``limit``; how
        many were."""
        from google.cloud.firestore import FieldFilter

        pruned = 0
        while pruned < limit:
            query = (
                self._db.collection_group(INBOX)
                .where(filter=FieldFilter("createdAt", "<", before))
                .limit(min(BATCH_LIMIT, limit - pruned))
            )
            refs = [snapshot.reference for snapshot in query.stream()]
            if not refs:
                break
            self._in_batches(refs, lambda batch, ref: batch.delete(ref))
            pruned += len(refs)
        return pruned

    # ---- devices -------------------------------------------------------------------------------

    def put_device(self, uid: str, device_id: str, fields: dict[str, Any]) -> None:
        """Stage a device (replacing the one with its id)."""
        ref = self._collection(PROFILES).document(uid).collection(DEVICES).document(device_id)
        self._writes.set(ref, fields)

    def remove_device(self, uid: str, device_id: str) -> None:
        """Stage a device's removal (none there: nothing)."""
        ref = self._collection(PROFILES).document(uid).collection(DEVICES).document(device_id)
        self._writes.delete(ref)

    def devices(self, uids: Iterable[str]) -> list[Device]:
        """The devices of these people: one query per ``IN_LIMIT`` of them."""
        from google.cloud.firestore import FieldFilter

        everyone = sorted(set(uids))
        found = []
        for start in range(0, len(everyone), IN_LIMIT):
            chunk = everyone[start : start + IN_LIMIT]
            query = self._db.collection_group(DEVICES).where(filter=FieldFilter("uid", "in", chunk))
            for snapshot in query.stream():
                data = snapshot.to_dict() or {}
                token, uid = data.get("token"), data.get("uid")
                if isinstance(token, str) and isinstance(uid, str):
                    found.append(Device(uid=uid, device_id=snapshot.id, token=token))
        return found

    def forget_devices(self, devices: Sequence[Device]) -> None:
        """Delete these devices (their tokens are no longer valid), in batches of their own."""
        self._in_batches(
            devices,
            lambda batch, device: batch.delete(
                self._collection(PROFILES)
                .document(device.uid)
                .collection(DEVICES)
                .document(device.device_id)
            ),
        )


def _parts(letters: Sequence[Letter]) -> Iterable[list[Letter]]:
    """The letters in runs of at most ``BATCH_LIMIT`` writes."""
    part: list[Letter] = []
    writes = 0
    for letter in letters:
        if part and writes + letter.writes > BATCH_LIMIT:
            yield part
            part, writes = [], 0
        part.append(letter)
        writes += letter.writes
    if part:
        yield part
