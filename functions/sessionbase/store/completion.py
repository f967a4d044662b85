"""Completion codes (``completionCodes/{code}``) and a session's note and attachment records."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sessionbase.models.completion import CompletionCodeRecord, DownloadRecord
from sessionbase.models.sessions import AttachmentRecord, NoteRecord
from sessionbase.store.client import record_of
from sessionbase.store.keys import ATTACHMENT_DOWNLOADS, COMPLETION_CODES
from sessionbase.store.sessions import session_ref
from sessionbase.store.work import Repository

if TYPE_CHECKING:
    from google.cloud.firestore import DocumentReference

    from sessionbase.models.sessions import PageAfter


class Completion(Repository):
    """Completion codes, and the notes and attachment records of sessions."""

    def _note_ref(self, session_id: str, note_id: str | None = None) -> DocumentReference:
        """A note of the session (a new id when ``note_id`` is None)."""
        notes = session_ref(self._db, session_id).collection("notes")
        ref: DocumentReference = notes.document(note_id)
        return ref

    def _attachment_ref(self, session_id: str, attachment_id: str) -> DocumentReference:
        """An attachment record of the session."""
        attachments = session_ref(self._db, session_id).collection("attachments")
        ref: DocumentReference = attachments.document(attachment_id)
        return ref

    # ---- completion codes ----------------------------------------------------------------------

    def code(self, code: str) -> CompletionCodeRecord | None:
        """What a code completed, or None."""
        snapshot = self._read(self._collection(COMPLETION_CODES).document(code))
        return record_of(snapshot, CompletionCodeRecord.model_validate)

    def register_code(self, code: str, record: CompletionCodeRecord) -> None:
        """Claim ``code``: the unit fails with ``DocumentExists`` if any session has it."""
        self._writes.create(self._collection(COMPLETION_CODES).document(code), record.document())

    def codes_between(
        self, start: datetime, end: datetime, *, limit: int
    ) -> list[tuple[str, CompletionCodeRecord]]:
        """The codes given in ``[start, end)``, oldest first, at most ``limit`` (a report's)."""
        from google.cloud.firestore import FieldFilter

        query = (
            self._collection(COMPLETION_CODES)
            .where(filter=FieldFilter("completedAt", ">=", start))
            .where(filter=FieldFilter("completedAt", "<", end))
            .order_by("completedAt")
            .limit(limit)
        )
        found = []
        for snap in self._stream(query):
            record, _ = CompletionCodeRecord.salvage(snap.to_dict())
            if record is not None:
                found.append((snap.id, record))
        return found

    # ---- notes ---------------------------------------------------------------------------------

    def new_note_id(self, session_id: str) -> str:
        """A fresh Firestore auto-id for a note of the session."""
        return str(self._note_ref(session_id).id)

    def note(self, session_id: str, note_id: str) -> tuple[NoteRecord, datetime] | None:
        """The note and its version, or None."""
        snapshot = self._read(self._note_ref(session_id, note_id))
        found = record_of(snapshot, NoteRecord.model_validate)
        return None if found is None else (found, snapshot.update_time)

    def create_note(self, session_id: str, note_id: str, record: NoteRecord) -> None:
        """Create the note (the unit fails with ``DocumentExists`` if the id is taken)."""
        self._writes.create(self._note_ref(session_id, note_id), record.document())

    def replace_note(
        self, session_id: str, note_id: str, record: NoteRecord, *, version: datetime
    ) -> None:
        """Write the note, if it is still at ``version`` (else the unit fails)."""
        self._writes.update(
            self._note_ref(session_id, note_id),
            record.document(),
            option=self._unchanged_since(version),
        )

    def delete_note(self, session_id: str, note_id: str, *, version: datetime) -> None:
        """Delete the note, if it is still at ``version`` (else the unit fails)."""
        self._writes.delete(
            self._note_ref(session_id, note_id), option=self._unchanged_since(version)
        )

    # ---- attachments ---------------------------------------------------------------------------

    def attachment(self, session_id: str, attachment_id: str) -> AttachmentRecord | None:
        """The attachment record, or None."""
        snapshot = self._read(self._attachment_ref(session_id, attachment_id))
        return record_of(snapshot, AttachmentRecord.model_validate)

    def delete_attachment(self, session_id: str, attachment_id: str) -> None:
        """Delete the attachment record (its file is the caller's to remove first)."""
        self._writes.delete(self._attachment_ref(session_id, attachment_id))

    # ---- download tracking ---------------------------------------------------------------------

    def record_download(self, record: DownloadRecord) -> None:
        """Record one download link handed out (``attachmentDownloads``, a new id)."""
        self._writes.create(self._collection(ATTACHMENT_DOWNLOADS).document(), record.document())

    def downloads(
        self,
        *,
        session_id: str | None,
        limit: int,
        after: PageAfter | None,
        created_from: datetime | None,
        created_before: datetime | None,
    ) -> list[tuple[str, DownloadRecord]]:
        """Download records (of one session, or all), newest first."""
        from google.cloud.firestore import FieldFilter

        collection = self._collection(ATTACHMENT_DOWNLOADS)
        query: Any = collection
        if session_id is not None:
            query = query.where(filter=FieldFilter("sessionId", "==", session_id))
        if created_from is not None:
            query = query.where(filter=FieldFilter("createdAt", ">=", created_from))
        if created_before is not None:
            query = query.where(filter=FieldFilter("createdAt", "<", created_before))
        return [
            (snap.id, DownloadRecord.model_validate(snap.to_dict()))
            for snap in self._newest_first(query, collection, limit=limit, after=after)
        ]
