"""Uploads and video analysis (DESIGN.md §4-5): upload requests, jobs, the backend callback."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator, model_validator

from sessionbase.models.base import Input, Output, Record
from sessionbase.models.fields import (
    FileName,
    FiniteFloat,
    Id,
    LongText,
    MetricName,
    MetricValue,
)
from sessionbase.models.sessions import AnalysisStatus, RiskLevel

ContentType = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, pattern=r"^[a-z0-9.+-]+/[a-z0-9.+-]+$", max_length=100
    ),
]
Score = Annotated[FiniteFloat, Field(ge=0, le=100)]


class UploadRequest(Input):
    """Body of ``POST /api/sessions/{id}/upload``: what the client is about to upload."""

    fileName: FileName
    contentType: ContentType
    # Always declared: the upload session is created for exactly this many bytes
    # (x-upload-content-length), and the finalize trigger deletes an object of another size.
    size: int = Field(ge=1, le=2**63 - 1)
    # A session's video (analysed) or an attachment (DESIGN.md §4).
    kind: Literal["video", "attachment"] = "video"


class UploadUrl(Output):
    """A resumable upload session: PUT the bytes to ``uploadUrl`` before ``expiresAt``."""

    uploadUrl: str
    bucket: str
    path: str
    expiresAt: dt.datetime


class JobState(StrEnum):
    """An analysis job's state; it only moves forward (DESIGN.md §5)."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class JobRecord(Record):
    """``analysisJobs/{jobId}``: the analysis of one uploaded generation of a session's video."""

    sessionId: str
    bucket: str
    path: str
    generation: str
    state: JobState
    attempts: int = 0
    # Tasks the sweep sent again for a job that made no progress.
    requeues: int = 0
    progress: int = 0
    error: str | None = None
    createdAt: dt.datetime
    updatedAt: dt.datetime
    startedAt: dt.datetime | None = None
    # Until when the running attempt holds the job (see domain/analysis/jobs.py LEASE).
    leaseUntil: dt.datetime | None = None
    finishedAt: dt.datetime | None = None


class RejectedUploadRecord(Record):
    """``sessions/{id}/rejectedUploads/{key}``: an attachment whose bytes did not match its
    declared type (the file itself was deleted)."""

    path: str
    fileName: str
    declaredType: str | None
    size: int
    uploadedBy: str | None
    reason: str
    createdAt: dt.datetime


class AnalysisTask(Input):
    """The payload of an ``analyze_session`` task."""

    jobId: Id


class AnalysisCallback(Input):
    """Body of ``POST /api/analysis/callback`` from the analysis backend (DESIGN.md §4)."""

    sessionId: Id | None = None
    backendSessionId: Id | None = None
    # Backend ids are per coach: one names the coach who linked it (the session's coach).
    coachId: Id | None = Field(default=None, validate_default=True)
    jobId: Id | None = None
    status: Literal[AnalysisStatus.PROCESSING, AnalysisStatus.COMPLETED, AnalysisStatus.FAILED]
    progress: int | None = Field(default=None, ge=0, le=100)
    motionIQ: Score | None = None
    aclRisk: Score | None = None
    riskLevel: RiskLevel | None = None
    metrics: dict[MetricName, MetricValue] | None = Field(default=None, max_length=200)
    perFrameStatus: AnalysisStatus | None = None
    processedVideoFilename: FileName | None = None
    analyticsFilename: FileName | None = None
    error: LongText | None = None

    @field_validator("coachId")
    @classmethod
    def _coach_with_backend_id(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A backend id is matched within the coach who linked it: the two come together."""
        if (info.data.get("backendSessionId") is None) != (value is None):
            raise ValueError("give coachId (the coach who linked it) with backendSessionId only")
        return value

    @model_validator(mode="after")
    def _one_session(self) -> AnalysisCallback:
        """Exactly one of ``sessionId`` and ``backendSessionId`` names the session."""
        if (self.sessionId is None) == (self.backendSessionId is None):
            raise ValueError("give exactly one of sessionId and backendSessionId")
        return self


class CallbackResult(Output):
    """What a callback did: ``applied`` is false for a duplicate or a step backwards."""

    sessionId: str
    jobId: str | None
    analysisStatus: AnalysisStatus
    applied: bool
