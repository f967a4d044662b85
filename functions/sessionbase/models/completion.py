"""Completing and cancelling sessions, completion codes, notes and attachments (faculty seed)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sessionbase.models.base import Input, Output, Record
from sessionbase.models.fields import LongText, Moment, ShortText

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")


def completion_code(value: str) -> str:
    """A code as stored: trimmed, upper case, 3-40 letters, digits and hyphens."""
    code = value.strip().upper()
    if not _CODE.match(code):
        raise ValueError("3-40 letters, digits and hyphens, starting with a letter or digit")
    return code


# A completion code as people type it (``batch-001-dec19`` is ``BATCH-001-DEC19``).
CompletionCode = Annotated[str, StringConstraints(max_length=100), AfterValidator(completion_code)]
NoteType = Literal["general", "follow-up", "issue", "achievement"]
NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]


class SessionComplete(Input):
    """Body of ``POST /api/sessions/{id}/complete``: when it really ran, and how it is recorded."""

    actualStart: Moment
    actualEnd: Moment
    completionCode: CompletionCode | None = None
    notes: LongText | None = None

    @field_validator("actualEnd")
    @classmethod
    def _after_start(cls, end: dt.datetime, info: ValidationInfo) -> dt.datetime:
        start = info.data.get("actualStart")
        if start is not None and end <= start:
            raise ValueError("must be after actualStart")
        return end


class SessionCancel(Input):
    """Body of ``POST /api/sessions/{id}/cancel``."""

    reason: ShortText | None = None


class CompletionCodeRecord(Record):
    """``completionCodes/{code}``: which session a code completed (kept for the audit trail)."""

    sessionId: str
    completedBy: str
    completedAt: dt.datetime


class CompletionCodePublic(Output):
    """``GET /api/completion-codes/{code}``: what an admin verifying a code learns."""

    code: str
    sessionId: str
    completedBy: str
    completedAt: dt.datetime


class NoteCreate(Input):
    """Body of ``POST /api/sessions/{id}/notes``."""

    text: NoteText
    type: NoteType = "general"


class NoteUpdate(Input):
    """Body of ``PUT /api/sessions/{id}/notes/{noteId}``: the text, the type, or both."""

    text: NoteText | None = None
    type: NoteType | None = None

    @model_validator(mode="after")
    def _something(self) -> NoteUpdate:
        if self.text is None and self.type is None:
            raise ValueError("send text, type or both")
        return self


class NoteDeleted(Output):
    """``DELETE /api/sessions/{id}/notes/{noteId}``."""

    noteId: str
    deleted: bool


class AttachmentDeleted(Output):
    """``DELETE /api/sessions/{id}/attachments/{attachmentId}``: the record and its file."""

    attachmentId: str
    deleted: bool
    deletedObjects: int = Field(description="0 when the file was already gone")
