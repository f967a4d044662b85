"""Completing and cancelling sessions, completion codes, notes and attachments (faculty seed)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sessionbase.models.base import Input, Output, Record
from sessionbase.models.fields import DateOrTime, Id, LongText, Moment, QueryInt, ShortText

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


# ---- download tracking (who was given which attachment's download link, when) -----------------


class DownloadRecord(Record):
    """``attachmentDownloads/{id}``: one download link handed out (internal: no client reads it)."""

    sessionId: str
    attachmentId: str
    fileName: str | None = None
    uid: str
    email: str | None = None
    createdAt: dt.datetime


class DownloadPublic(Output):
    """One download link handed out: to whom, for which attachment, when."""

    downloadId: str
    sessionId: str
    attachmentId: str
    fileName: str | None = None
    uid: str
    email: str | None = None
    createdAt: dt.datetime


class DownloadListQuery(Input):
    """Query of ``GET /api/attachments/downloads`` (admins): one session's, or everyone's."""

    model_config = ConfigDict(populate_by_name=True)

    sessionId: Id | None = None
    from_: DateOrTime | None = Field(default=None, alias="from")
    to: DateOrTime | None = None
    limit: QueryInt = Field(default=50, ge=1, le=100)
    cursor: Annotated[str, StringConstraints(max_length=1000)] | None = None

    def created_range(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """``from`` (inclusive) and ``to`` (exclusive; a bare date includes that whole day)."""
        from sessionbase.models.sessions import start_of

        return start_of(self.from_), start_of(self.to, next_day=True)


class DownloadList(Output):
    """A page of download records, newest first, and the cursor of the next (or null)."""

    downloads: list[DownloadPublic]
    nextCursor: str | None
