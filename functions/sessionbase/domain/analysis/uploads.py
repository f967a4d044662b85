"""Uploads (DESIGN.md §4-5): object paths and ids, upload checks, what a new video does to its
session.

Pure: no I/O. One video per session (a new upload supersedes the old one's analysis);
attachments accumulate. A late event of an older upload never replaces a newer one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sessionbase.domain.analysis.jobs import SessionChange, job_id
from sessionbase.domain.attachments import DECLARED_TYPES, MAX_ATTACHMENT_BYTES
from sessionbase.errors import FieldError, InvalidArgument
from sessionbase.models.sessions import AnalysisStatus, SessionRecord

MAX_VIDEO_BYTES = 2 * 1024**3  # storage.rules: maxVideoBytes()
# An upload URL is valid for the time a real upload needs: an hour, or longer for a file that
# takes longer than that at SLOWEST_UPLINK (2 GiB: 2.4 h). Cloud Storage keeps a resumable session
# open a week whatever we ask, so the expiry is enforced where the object lands: the session
# records it in the object's metadata, and the finalize trigger deletes an object finished later,
# or of another size than declared (``terms_rejection``; docs/decisions.md).
UPLOAD_URL_LIFETIME = timedelta(hours=1)
SLOWEST_UPLINK = 250_000  # bytes per second (2 Mbit/s)
DECLARED_SIZE = "declaredSize"  # object metadata fixed by the upload session
UPLOAD_EXPIRES = "uploadExpiresAt"
_OBJECT = re.compile(r"^sessions/(?P<session>[^/]+)/(?P<kind>video|attachments)/(?P<file>[^/]+)$")
_VIDEO_TYPE = re.compile(r"^video/[a-z0-9][a-z0-9.+-]*$")

ObjectKind = Literal["video", "attachments"]

# Session fields that belong to one video's analysis: a new upload clears them.
RESULT_FIELDS = frozenset(
    {
        "analysisError",
        "motionIQ",
        "aclRisk",
        "riskLevel",
        "metrics",
        "perFrameStatus",
        "hasProcessedVideo",
        "processedVideoUrl",
        "processedVideoFilename",
        "analyticsFile",
        "analyticsFilename",
        "pose",
        "poseFile",
        "analysisAssets",
    }
)


@dataclass(frozen=True)
class SessionObject:
    """An object under ``sessions/{sessionId}/video|attachments/{file}``."""

    session_id: str
    kind: ObjectKind
    file_name: str


def session_object(name: str) -> SessionObject | None:
    """What an object name refers to, or None for any other object (ignored by the trigger)."""
    match = _OBJECT.match(name)
    if match is None:
        return None
    kind: ObjectKind = "video" if match["kind"] == "video" else "attachments"
    return SessionObject(match["session"], kind, match["file"])


def attachment_id(bucket: str, path: str) -> str:
    """The record id of an uploaded attachment: one per path, so a re-upload of the same name
    replaces its record and a repeated event rewrites it."""
    return job_id(bucket, path, "")[:20]


def upload_path(
    session_id: str, kind: Literal["video", "attachment"], file_name: str, token: str
) -> str:
    """Where an upload of ``kind`` goes; ``file_name`` is already Storage-safe.

    One video per session: a new upload replaces it (and supersedes its analysis). Attachments
    accumulate: ``token`` gives each a name of its own, so no upload overwrites another's file.
    """
    if kind == "video":
        return f"sessions/{session_id}/video/{file_name}"
    return f"sessions/{session_id}/attachments/{token}-{file_name}"


def is_video_type(content_type: str | None) -> bool:
    """A declared video content type (``video/*``), as storage.rules accepts."""
    return bool(content_type) and _VIDEO_TYPE.match(str(content_type).lower()) is not None


def upload_url_lifetime(size: int) -> timedelta:
    """How long an upload URL for ``size`` bytes stays valid."""
    return max(UPLOAD_URL_LIFETIME, timedelta(seconds=size / SLOWEST_UPLINK))


def upload_terms(size: int, expires: datetime) -> dict[str, str]:
    """The object metadata an upload session fixes: the size declared, and its expiry."""
    return {DECLARED_SIZE: str(size), UPLOAD_EXPIRES: expires.isoformat()}


def terms_rejection(metadata: dict[str, str], size: int, finished: datetime) -> str | None:
    """Why an object that landed breaks its upload session's terms, or None.

    An object without terms was uploaded by a client under storage.rules (which bound its
    size themselves) or by the functions; malformed terms count as broken.
    """
    declared, expires = metadata.get(DECLARED_SIZE), metadata.get(UPLOAD_EXPIRES)
    try:
        if declared is not None and int(declared) != size:
            return f"The file is {size} bytes, not the {declared} bytes declared for its upload."
        if expires is not None and finished > datetime.fromisoformat(expires):
            return "The upload finished after its upload URL expired."
    except (ValueError, TypeError):  # not a number, not an aware ISO date
        return "The upload's terms are unreadable."
    return None


def check_upload(kind: str, content_type: str, size: int) -> None:
    """Refuse an upload request the bucket would refuse anyway, naming each bad field."""
    errors: list[FieldError] = []
    if kind == "video" and not is_video_type(content_type):
        errors.append(FieldError(field="contentType", message="expected a video/* type"))
    if kind == "attachment" and content_type.lower() not in DECLARED_TYPES:
        errors.append(FieldError(field="contentType", message="not an accepted attachment type"))
    limit = MAX_VIDEO_BYTES if kind == "video" else MAX_ATTACHMENT_BYTES
    if size > limit:
        errors.append(FieldError(field="size", message=f"larger than {limit} bytes"))
    if errors:
        raise InvalidArgument("The upload cannot be accepted.", errors=tuple(errors))


# ---- what a new video does to its session ------------------------------------------------------


def video_uploaded(
    *,
    file_name: str,
    path: str,
    content_type: str | None,
    size: int,
    generation: str,
    job: str,
    now: datetime,
    uploaded_by: str | None = None,
) -> SessionChange:
    """The session after a new upload: its video (when it landed, who uploaded it), processing,
    the old video's results cleared (and a removal by the retention schedule forgotten)."""
    return SessionChange(
        {
            **dict.fromkeys(RESULT_FIELDS),
            "videoPath": path,
            "videoName": file_name,
            "originalVideoName": file_name,
            "contentType": content_type,
            "fileSize": size,
            "videoUploadedAt": now,
            "videoUploadedBy": uploaded_by,
            "videoRemovedAt": None,
            "videoGeneration": generation,
            "analysisJobId": job,
            "analysisStatus": AnalysisStatus.PROCESSING.value,
            "analysisProgress": 0,
            "analysisAttempts": 0,
            "updatedAt": now,
        }
    )


def video_removed(now: datetime) -> SessionChange:
    """The session after the retention schedule removed its video: no path or URL to it, no
    upload time (so the schedule never picks it again), when it was removed; its name, type,
    size and every analysis figure are kept (docs/decisions.md, "Video retention")."""
    return SessionChange(
        {
            "videoPath": None,
            "videoUrl": None,
            "videoUploadedAt": None,
            "videoRemovedAt": now,
            "updatedAt": now,
        }
    )


def is_newer_upload(session: SessionRecord, path: str, generation: str) -> bool:
    """True unless the session already records a newer upload than this one.

    Generations are Cloud Storage's object versions (microsecond timestamps), so a late event of
    an older upload never replaces a newer one.
    """
    if session.videoGeneration is None:
        return True
    try:
        return int(generation) >= int(session.videoGeneration)
    except ValueError:
        return path != session.videoPath or generation != session.videoGeneration


def upload_refused(generation: str, error: str, now: datetime) -> SessionChange:
    """The session after an upload is refused (and deleted): no analysis is current."""
    return SessionChange(
        {
            **dict.fromkeys(RESULT_FIELDS),
            "videoGeneration": generation,
            "analysisJobId": None,
            "analysisStatus": AnalysisStatus.FAILED.value,
            "analysisError": error,
            "updatedAt": now,
        }
    )


def video_too_large(generation: str, now: datetime) -> SessionChange:
    """The session after a video larger than ``MAX_VIDEO_BYTES`` is refused (and deleted)."""
    return upload_refused(generation, f"The video is larger than {MAX_VIDEO_BYTES} bytes.", now)
