"""Completion codes (``completionCodes/{code}``) and a session's note and attachment records."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sessionbase.models.completion import CompletionCodeRecord
from sessionbase.models.sessions import AttachmentRecord, NoteRecord
from sessionbase.store.client import record_of, unchanged_since
from sessionbase.store.keys import COMPLETION_CODES
from sessionbase.store.sessions import session_ref

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentReference, WriteBatch


def register_code(batch: WriteBatch, db: Client, code: str, record: CompletionCodeRecord) -> None:
    """Claim ``code`` (the batch fails with AlreadyExists if any session has it)."""
    batch.create(db.collection(COMPLETION_CODES).document(code), record.document())


def code(db: Client, code_: str) -> CompletionCodeRecord | None:
    """What a code completed, or None."""
    snapshot = db.collection(COMPLETION_CODES).document(code_).get()
    return record_of(snapshot, CompletionCodeRecord.model_validate)


def note_ref(db: Client, session_id: str, note_id: str | None = None) -> DocumentReference:
    """A note of the session (a new id when ``note_id`` is None)."""
    ref: DocumentReference = session_ref(db, session_id).collection("notes").document(note_id)
    return ref


def note(db: Client, session_id: str, note_id: str) -> tuple[NoteRecord, datetime] | None:
    """The note and its version, or None."""
    snapshot = note_ref(db, session_id, note_id).get()
    found = record_of(snapshot, NoteRecord.model_validate)
    return None if found is None else (found, snapshot.update_time)


def replace_note(
    batch: WriteBatch, db: Client, session_id: str, note_id: str, record: NoteRecord,
    *, version: datetime,
) -> None:  # fmt: skip
    """Write the note, if it is still at ``version``."""
    batch.update(
        note_ref(db, session_id, note_id), record.document(), option=unchanged_since(db, version)
    )


def delete_note(
    batch: WriteBatch, db: Client, session_id: str, note_id: str, *, version: datetime
) -> None:
    """Delete the note, if it is still at ``version``."""
    batch.delete(note_ref(db, session_id, note_id), option=unchanged_since(db, version))


def attachment_ref(db: Client, session_id: str, attachment_id: str) -> DocumentReference:
    """An attachment record of the session."""
    ref: DocumentReference = (
        session_ref(db, session_id).collection("attachments").document(attachment_id)
    )
    return ref


def attachment(db: Client, session_id: str, attachment_id: str) -> AttachmentRecord | None:
    """The attachment record, or None."""
    snapshot = attachment_ref(db, session_id, attachment_id).get()
    return record_of(snapshot, AttachmentRecord.model_validate)
