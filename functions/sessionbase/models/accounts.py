"""Deleting an account (issue 27): the job document and what the API answers about it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from sessionbase.models.base import Input, Output, Record


class DeletionStatus(StrEnum):
    """Where an account deletion stands; it only moves forward."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


class AccountDeletionRecord(Record):
    """``accountDeletions/{uid}``: one per person, kept when done as the tombstone that says when.

    It holds no name and no e-mail (those are read from the Auth account, deleted last): only
    the uid, who asked, the stable placeholder that replaces the uid in shared records, and the
    progress (the step, how many documents each step handled, the runs so far).
    """

    uid: str
    placeholder: str
    status: DeletionStatus = DeletionStatus.QUEUED
    step: str
    counts: dict[str, int] = Field(default_factory=dict)
    objects: int = 0  # Storage objects deleted
    runs: int = 0  # runs started (each continuation's task id carries the next number)
    # The other people's coach statistics that counted the person as an athlete: the zero
    # counter named after the uid is removed from them at the end.
    coaches: list[str] = Field(default_factory=list)
    requestedBy: str
    createdAt: dt.datetime
    updatedAt: dt.datetime
    finishedAt: dt.datetime | None = None


class AccountDeletionPublic(Output):
    """``202`` of ``DELETE /api/users/me`` and ``/api/users/{uid}``, and the admin's poll."""

    id: str = Field(description="the job's id: the person's uid (one job per person)")
    uid: str
    status: DeletionStatus
    step: str = Field(description="the step running now (`done` when finished)")
    steps: int = Field(description="how many steps a deletion has")
    stepsDone: int
    counts: dict[str, int] = Field(description="documents handled so far, per step")
    objects: int = Field(description="Storage objects deleted so far")
    createdAt: dt.datetime
    updatedAt: dt.datetime
    finishedAt: dt.datetime | None

    @classmethod
    def of(cls, record: AccountDeletionRecord, steps: tuple[str, ...]) -> AccountDeletionPublic:
        """The job as the API shows it (``steps``: the domain's step order)."""
        done = len(steps) if record.status == DeletionStatus.DONE else steps.index(record.step)
        return cls(
            id=record.uid,
            uid=record.uid,
            status=record.status,
            step=record.step,
            steps=len(steps),
            stepsDone=done,
            counts=record.counts,
            objects=record.objects,
            createdAt=record.createdAt,
            updatedAt=record.updatedAt,
            finishedAt=record.finishedAt,
        )


class AccountDeletionTask(Input):
    """The body of a ``runAccountDeletion`` task: whose deletion to run."""

    uid: str = Field(min_length=1, max_length=128)
