"""Uploads (DESIGN.md §4-5): upload URLs, and what happens when an object lands in the bucket.

A video lands: one job per uploaded generation is created with the session's new video fields,
in one unit of work whose preconditions fail if the session changed meanwhile, and the job is
queued. An attachment lands: its bytes are checked against its declared type, and it is
registered (or rejected and deleted) only while its session exists.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import IO

from sessionbase.domain import attachments, policy
from sessionbase.domain.analysis import jobs, uploads
from sessionbase.domain.sessions import safe_file_name
from sessionbase.errors import FailedPrecondition, FieldError, InvalidArgument
from sessionbase.models.analysis import RejectedUploadRecord, UploadRequest, UploadUrl
from sessionbase.models.sessions import AttachmentPublic, AttachmentRecord
from sessionbase.services import schedules
from sessionbase.services.access import changeable_versioned
from sessionbase.services.context import Context
from sessionbase.store import tasks
from sessionbase.store.client import DocumentMissing
from sessionbase.store.storage import DOWNLOAD_TOKENS, ObjectStore
from sessionbase.store.work import Store

log = logging.getLogger(__name__)


# ---- upload URLs ------------------------------------------------------------------------------


def create_upload_url(ctx: Context, body: UploadRequest, *, session_id: str) -> UploadUrl:
    """``POST /api/sessions/{id}/upload``: a resumable upload session for a video or attachment."""
    session, version = changeable_versioned(ctx, session_id)
    policy.require_uploader(ctx.caller, session, body.kind)
    uploads.check_upload(body.kind, body.contentType, body.size)
    if body.kind != "video" and version is not None:  # an occurrence not stored has none
        full = attachments.room_for_attachment(
            ctx.store.sessions.children_count(session_id, "attachments")
        )
        if full is not None:
            raise FailedPrecondition(full)
    # An attachment is stored under an extension of its declared type (which its bytes must
    # then be); a video keeps its own.
    extensions = (
        attachments.TYPE_EXTENSIONS.get(body.contentType, ()) if body.kind != "video" else ()
    )
    name = safe_file_name(body.fileName, extensions)
    if version is None:
        # A schedule's occurrence, stored now that the upload is allowed: the object's landing
        # registers it only under a stored session.
        schedules.materialize(ctx, session_id, session)
    path = uploads.upload_path(session_id, body.kind, name, token=secrets.token_hex(6))
    expires = ctx.now + uploads.upload_url_lifetime(body.size)
    url = ctx.objects.upload_session(
        path,
        content_type=body.contentType,
        size=body.size,
        origin=ctx.origin,
        metadata={
            "uploadedBy": ctx.caller.uid,
            "fileName": body.fileName,
            **uploads.upload_terms(body.size, expires),
        },
    )
    return UploadUrl(uploadUrl=url, bucket=ctx.objects.name, path=path, expiresAt=expires)


# ---- an attachment sent in the request itself (the faculty compatibility endpoint) -------------


@dataclass(frozen=True)
class FormFile:
    """An attachment received in a multipart request: the uploader's name and declared type,
    its size, and a seekable stream of its bytes (werkzeug's spooled file)."""

    file_name: str
    content_type: str
    size: int
    stream: IO[bytes]
    description: str | None = None

    def read(self, start: int, length: int) -> bytes:
        """Up to ``length`` bytes from ``start`` (``domain.attachments.Sample``)."""
        self.stream.seek(start)
        return self.stream.read(max(length, 0))


def store_attachment(ctx: Context, upload: FormFile, *, session_id: str) -> AttachmentPublic:
    """An attachment sent with the request (multipart, up to the function's request limit):
    allowed as an upload URL would be, its bytes checked against its declared type before
    anything is written, streamed to Storage, and registered as the finalize trigger registers
    any attachment (the trigger, seeing it again, rewrites the same record)."""
    session, version = changeable_versioned(ctx, session_id)
    policy.require_uploader(ctx.caller, session, "attachment")
    uploads.check_upload("attachment", upload.content_type, upload.size)
    if version is not None:
        full = attachments.room_for_attachment(
            ctx.store.sessions.children_count(session_id, "attachments")
        )
        if full is not None:
            raise FailedPrecondition(full)
    reason = attachments.rejection(upload.content_type, upload)
    if reason is not None:
        raise InvalidArgument(reason, errors=(FieldError(field="file", message=reason),))
    extensions = attachments.TYPE_EXTENSIONS.get(upload.content_type.lower(), ())
    name = safe_file_name(upload.file_name, extensions)
    if version is None:
        schedules.materialize(ctx, session_id, session)
    path = uploads.upload_path(session_id, "attachment", name, token=secrets.token_hex(6))
    metadata = {"uploadedBy": ctx.caller.uid, "fileName": upload.file_name}
    if upload.description:
        metadata["description"] = upload.description
    blob = ctx.objects.write_stream(
        path,
        upload.stream,
        size=upload.size,
        content_type=upload.content_type.lower(),
        metadata=metadata,
    )
    stored = StoredObject(
        bucket=ctx.objects.name,
        name=path,
        generation=str(blob.generation),
        size=int(blob.size if blob.size is not None else upload.size),
        content_type=blob.content_type,
        metadata=dict(blob.metadata or metadata),
        time_created=blob.time_created,
    )
    outcome = object_finalized(ctx.store, ctx.objects, stored, ctx.now)
    if outcome is not Registration.ATTACHMENT:
        raise FailedPrecondition(f"The attachment was not registered: {outcome}.")
    attachment_id = uploads.attachment_id(stored.bucket, path)
    record = ctx.store.completion.attachment(session_id, attachment_id)
    if record is None:
        raise FailedPrecondition("The attachment was removed meanwhile.")
    return AttachmentPublic.model_validate(
        {"attachmentId": attachment_id, **record.model_dump(exclude_unset=True)}
    )


# ---- an object landed in the bucket (the finalize trigger) ------------------------------------


@dataclass(frozen=True)
class StoredObject:
    """The metadata of a finalized object, as the Storage event carries it."""

    bucket: str
    name: str
    generation: str
    size: int
    content_type: str | None
    metadata: dict[str, str] = field(default_factory=dict)
    time_created: datetime | None = None


class Registration(StrEnum):
    """What registering a finalized object did (for the log, the sweep and the tests)."""

    IGNORED = "ignored"  # not a session's video or attachment, or another bucket's
    BROKEN_TERMS = "late, or not the size declared: deleted"
    DUPLICATE = "duplicate delivery"  # this generation has its job already
    NO_SESSION = "no such session: deleted"
    CANCELLED = "session cancelled: not analysed"  # kept, not analysed
    OLDER = "older than the session's video: ignored"
    TOO_LARGE = "too large: deleted"
    QUEUED = "queued"  # a job was created and its task sent
    GONE = "gone before it was read"
    REJECTED = "rejected and deleted"  # an attachment whose bytes are not its declared type
    SESSION_DELETED = "session deleted meanwhile: deleted"
    ATTACHMENT = "attachment registered"


def object_finalized(
    store: Store, objects: ObjectStore, obj: StoredObject, now: datetime, *, retry: str = ""
) -> Registration:
    """Register a session's upload; returns what was done (for the log and the tests).

    ``retry`` marks a registration by the sweep: its task gets an id of its own, since Cloud
    Tasks refuses an id used in the last hour.
    """
    target = uploads.session_object(obj.name)
    if target is None or obj.bucket != objects.name:
        outcome = Registration.IGNORED
    else:
        if DOWNLOAD_TOKENS in obj.metadata:  # no permanent link: downloads are API-signed
            objects.strip_download_tokens(obj.name, obj.generation)
        outcome = _registered(store, objects, obj, target, now, retry)
    log.info("object %s (generation %s): %s", obj.name, obj.generation, outcome)
    return outcome


def _registered(
    store: Store,
    objects: ObjectStore,
    obj: StoredObject,
    target: uploads.SessionObject,
    now: datetime,
    retry: str,
) -> Registration:
    if target.kind == "video":
        return _video_uploaded(store, objects, obj, target, now, retry)
    return _attachment_uploaded(store, objects, obj, target, now)


def _video_uploaded(
    store: Store,
    objects: ObjectStore,
    obj: StoredObject,
    target: uploads.SessionObject,
    now: datetime,
    retry: str,
) -> Registration:
    job_id = jobs.job_id(obj.bucket, obj.name, obj.generation)
    broken = uploads.terms_rejection(obj.metadata, obj.size, obj.time_created or now)

    def register(unit: Store) -> Registration:
        if unit.jobs.exists(job_id):
            return Registration.DUPLICATE
        found = unit.sessions.get_versioned(target.session_id)
        if found is None:
            objects.delete(obj.name, obj.generation)
            return Registration.NO_SESSION
        session, version = found
        if not jobs.may_analyse(session):
            return Registration.CANCELLED
        if not uploads.is_newer_upload(session, obj.name, obj.generation):
            return Registration.OLDER
        if obj.size > uploads.MAX_VIDEO_BYTES:
            objects.delete(obj.name, obj.generation)
            refused = uploads.video_too_large(obj.generation, now)
            unit.sessions.patch(target.session_id, refused.fields, version=version)
            return Registration.TOO_LARGE
        if broken is not None:
            objects.delete(obj.name, obj.generation)
            refused = uploads.upload_refused(obj.generation, broken, now)
            unit.sessions.patch(target.session_id, refused.fields, version=version)
            return Registration.BROKEN_TERMS
        job = jobs.new_job(target.session_id, obj.bucket, obj.name, obj.generation, now)
        uploaded = uploads.video_uploaded(
            file_name=target.file_name,
            path=obj.name,
            content_type=obj.content_type,
            size=obj.size,
            generation=obj.generation,
            job=job_id,
            now=now,
            uploaded_by=obj.metadata.get("uploadedBy"),
        )
        unit.jobs.create(job_id, job)
        unit.sessions.patch(target.session_id, uploaded.fields, version=version)
        return Registration.QUEUED

    # A second delivery loses the job's create and reads again: then it finds the job.
    outcome = store.optimistic(register, also=(DocumentMissing,))
    if outcome is Registration.QUEUED:
        # A lost enqueue leaves the job queued with no progress: the sweep sends it again.
        tasks.enqueue_analysis(job_id, task_id=f"{job_id}{retry}")
    return outcome


def _attachment_uploaded(
    store: Store,
    objects: ObjectStore,
    obj: StoredObject,
    target: uploads.SessionObject,
    now: datetime,
) -> Registration:
    session_id = target.session_id
    if not store.sessions.exists(session_id):
        objects.delete(obj.name, obj.generation)
        return Registration.NO_SESSION
    reason = uploads.terms_rejection(obj.metadata, obj.size, obj.time_created or now)
    if reason is None:
        sample = objects.sample(obj.name, obj.generation, obj.size, attachments.SNIFF_BYTES)
        if sample is None:
            return Registration.GONE
        reason = attachments.rejection(obj.content_type, sample) or (
            attachments.extension_rejection(obj.content_type, obj.name)
        )
    if reason is not None:
        return _rejected(store, objects, obj, target, reason, now)
    attachment_id = uploads.attachment_id(obj.bucket, obj.name)
    record = AttachmentRecord(
        path=obj.name,
        fileName=attachments.shown_name(
            obj.metadata.get("fileName") or target.file_name, obj.content_type
        ),
        contentType=(obj.content_type or "").lower(),
        size=obj.size,
        description=obj.metadata.get("description"),
        uploadedBy=obj.metadata.get("uploadedBy"),
        createdAt=obj.time_created or now,
    )

    def put(unit: Store) -> None:
        # Counted after the session's version is read (every attachment written touches the
        # session, so two landing at once cannot both take the last place). Upload URLs given
        # while the session had room can land after it filled up; a re-delivery replaces.
        if not store.sessions.has_attachment(session_id, attachment_id):
            full = attachments.room_for_attachment(
                store.sessions.children_count(session_id, "attachments")
            )
            if full is not None:
                raise _NoRoom(full)
        unit.sessions.put_attachment(session_id, attachment_id, record)

    try:
        registered = _beside_session(store, session_id, now, put)
    except _NoRoom as full:
        return _rejected(store, objects, obj, target, str(full), now)
    if not registered:
        objects.delete(obj.name, obj.generation)
        return Registration.SESSION_DELETED
    return Registration.ATTACHMENT


class _NoRoom(Exception):
    """The session holds as many attachments as it may (the message says so)."""


def _rejected(
    store: Store,
    objects: ObjectStore,
    obj: StoredObject,
    target: uploads.SessionObject,
    reason: str,
    now: datetime,
) -> Registration:
    """Delete an attachment refused on landing and record why, for its uploader."""
    session_id = target.session_id
    objects.delete(obj.name, obj.generation)
    rejection = RejectedUploadRecord(
        path=obj.name,
        fileName=target.file_name,
        declaredType=obj.content_type,
        size=obj.size,
        uploadedBy=obj.metadata.get("uploadedBy"),
        reason=reason,
        createdAt=now,
    )
    key = jobs.job_id(obj.bucket, obj.name, obj.generation)
    _beside_session(
        store,
        session_id,
        now,
        lambda unit: unit.sessions.reject_upload(session_id, key, rejection),
    )
    log.info("attachment %s rejected: %s", obj.name, reason)
    return Registration.REJECTED


def _beside_session(
    store: Store, session_id: str, now: datetime, write: Callable[[Store], None]
) -> bool:
    """Write a session's child record only while the session exists (False if it is gone, or
    its delete began: ``Sessions.mark_deleting``).

    The unit also writes the session at the version read, which fails if the session was
    deleted or marked meanwhile (then it is read again), so no child is left behind a deleted
    session.
    """

    def body(unit: Store) -> bool:
        found = unit.sessions.get_versioned(session_id)
        if found is None:
            return False
        unit.sessions.touch(session_id, now, version=found[1])
        write(unit)
        return True

    return store.optimistic(body, also=(DocumentMissing,))
