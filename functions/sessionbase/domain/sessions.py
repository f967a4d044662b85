"""Session decisions: what a new session holds, what an update changes, where a video goes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sessionbase.domain import policy
from sessionbase.errors import FailedPrecondition, FieldError, PermissionDenied, invalid_fields
from sessionbase.models.identity import Caller, Role
from sessionbase.models.invitations import InvitationRecord, InvitationStatus, LinkRecord
from sessionbase.models.sessions import (
    CreateWithAthlete,
    ItemRecord,
    SessionCreate,
    SessionRecord,
    SessionStatus,
    SessionType,
    SessionUpdate,
    YogaSessionCreate,
)

_IDENTITY_FIELDS = {
    "athleteId",
    "athleteEmail",
    "athleteName",
    "coachId",
    "coachEmail",
    "coachName",
}
# How far a yoga body's avg_accuracy may be from its poses' mean (rounding to whole points).
AVERAGE_TOLERANCE = 0.5
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, kw_only=True)
class Coach:
    """The coach fields of a new session (an admin may record a session with no coach)."""

    coachId: str | None
    coachEmail: str | None
    coachName: str | None


# ---- create ---------------------------------------------------------------------------------


def coach_of_new_session(caller: Caller, create: SessionCreate) -> Coach | None:
    """The coach of a session the caller creates; None for an athlete's own session.

    Identity comes from the token: fields a body repeats about the caller must match it, and an
    athlete cannot assign a coach (a coach links through an invitation).
    """
    if caller.role is Role.ATHLETE:
        policy.require_own_fields(
            (create.athleteId, caller.uid, "athleteId"),
            (create.athleteEmail, caller.email, "athleteEmail"),
        )
        for name in ("coachId", "coachEmail", "coachName"):
            if getattr(create, name) is not None:
                raise PermissionDenied(
                    "An athlete cannot assign a coach; a coach links through an invitation.",
                    errors=(FieldError(field=name, message="not allowed for athletes"),),
                )
        return None
    if caller.role is Role.COACH:
        policy.require_own_fields(
            (create.coachId, caller.uid, "coachId"),
            (create.coachEmail, caller.email, "coachEmail"),
        )
        return Coach(
            coachId=caller.uid,
            coachEmail=caller.email,
            coachName=create.coachName or caller.display_name,
        )
    # An admin may record a session for any coach, or none.
    return Coach(coachId=create.coachId, coachEmail=create.coachEmail, coachName=create.coachName)


def new_athlete_session(
    caller: Caller,
    create: SessionCreate,
    now: datetime,
    *,
    coach: Coach | None,
    link: LinkRecord | None,
) -> SessionRecord:
    """A new athlete session; ``link`` joins ``coach`` to the athlete the body names, if any.

    A coach names the athlete by uid (only if linked) or by e-mail: linked if possible, else the
    session is *pending*, with ``athleteId`` null until the athlete accepts this coach's
    invitation. An admin may name any athlete.
    """
    fields = create.model_dump(exclude_none=True, exclude=_IDENTITY_FIELDS)
    if coach is None:
        participants = self_as_athlete(caller, create.athleteName)
    else:
        participants = {**_named_athlete(caller, create, link), **coach.__dict__}
    if create.videoName:
        fields.update(analysisStatus="pending", perFrameStatus="pending", analysisProgress=0)
    return SessionRecord.model_validate(
        {**fields, **participants, "createdBy": caller.uid, "createdAt": now, "updatedAt": now}
    )


def self_as_athlete(caller: Caller, name: str | None = None) -> dict[str, str | None]:
    """The participant fields of a session the caller holds as its athlete, with no coach."""
    return {
        "athleteId": caller.uid,
        "athleteEmail": caller.email,
        "athleteName": name or caller.display_name,
        "coachId": None,
    }


def _named_athlete(
    caller: Caller, create: SessionCreate, link: LinkRecord | None
) -> dict[str, str | None]:
    if create.athleteId is None and create.athleteEmail is None:
        raise invalid_fields(
            [FieldError(field="athleteEmail", message="athleteId or athleteEmail required")]
        )
    # A linked athlete's session takes the name the athlete accepted with, unless one is given.
    name = create.athleteName or (link.athleteName if link else None)
    if create.athleteId is not None:
        if link is None and not caller.is_admin:
            raise PermissionDenied(
                "You are not linked to this athlete: invite them first.",
                errors=(FieldError(field="athleteId", message="no link to this athlete"),),
            )
        email = link.athleteEmail if link else create.athleteEmail
        if link and create.athleteEmail is not None and create.athleteEmail != email:
            raise invalid_fields(
                [FieldError(field="athleteEmail", message="is not the e-mail of this athleteId")]
            )
        return {"athleteId": create.athleteId, "athleteEmail": email, "athleteName": name}
    # By e-mail: linked already, or pending until the athlete accepts (domain/invitations.py).
    athlete_id = link.athleteId if link else None
    return {"athleteId": athlete_id, "athleteEmail": create.athleteEmail, "athleteName": name}


def with_accepted_athlete(
    session: SessionRecord, invitation: InvitationRecord | None
) -> SessionRecord:
    """A pending session takes the athlete who accepted its coach's invitation meanwhile."""
    if session.is_pending and invitation and invitation.status == InvitationStatus.ACCEPTED:
        return session.changed(athleteId=invitation.athleteId)
    return session


def with_video(session: SessionRecord, create: CreateWithAthlete, path: str) -> SessionRecord:
    """A video session: where its upload goes and the name the coach gave it."""
    return session.changed(
        originalVideoName=create.originalVideoName or create.videoName, videoPath=path
    )


def video_path(session_id: str, file_name: str) -> str:
    """The Storage path of a session's video (``sessions/{id}/video/{safe name}``)."""
    return f"sessions/{session_id}/video/{safe_file_name(file_name)}"


def safe_file_name(name: str, extensions: tuple[str, ...] = ()) -> str:
    """A Storage-safe file name (``a b#2.MP4`` -> ``a_b_2.MP4``): ASCII letters, digits, ``._-``
    only, so no control, bidi or path character survives.

    With ``extensions`` (those of the type the file is declared and checked to be: an
    attachment's), the name ends in one of them: ``x.hta`` declared a PDF is ``x.pdf``.
    Without, the uploader's extension is kept (a video's: the analyzer reads its bytes).
    """
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # a browser may send a full path
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = _UNSAFE_FILE_CHARS.sub("_", stem).strip("._")[:100] or "video"
    extension = _UNSAFE_FILE_CHARS.sub("", extension)[:10]
    if extensions and extension.lower() not in extensions:
        extension = extensions[0]
    return f"{stem}.{extension}" if extension else stem


def backend_owner(caller: Caller, session: SessionRecord) -> str:
    """Backend session ids are scoped to a coach: the session's coach, else the caller."""
    return session.coachId or caller.uid


def new_yoga_session(
    caller: Caller, yoga: YogaSessionCreate, now: datetime
) -> tuple[SessionRecord, list[ItemRecord]]:
    """The yoga seed's practice: a completed Practice session of the caller, an item per pose.

    ``duration`` is in minutes; a missing ``avg_accuracy`` is the mean of the poses' accuracies,
    and a given one must be that mean, give or take ``AVERAGE_TOLERANCE`` (a client's rounding).
    """
    seconds = round(yoga.duration * 60)
    average = yoga.avg_accuracy
    if yoga.poses:
        mean = sum(pose.accuracy for pose in yoga.poses) / len(yoga.poses)
        if average is None:
            average = mean
        elif abs(average - mean) > AVERAGE_TOLERANCE:
            raise invalid_fields(
                [
                    FieldError(
                        field="avg_accuracy",
                        message=f"does not match the poses' mean accuracy ({mean:.2f})",
                    )
                ]
            )
    session = SessionRecord.model_validate(
        {
            **self_as_athlete(caller),
            "createdBy": caller.uid,
            "sessionType": SessionType.PRACTICE,
            "event": "Yoga",
            "status": SessionStatus.COMPLETED,
            "actualStart": now - timedelta(seconds=seconds),
            "actualEnd": now,
            "durationSeconds": seconds,
            "duration": f"{yoga.duration:g} min",
            "itemCount": len(yoga.poses),
            "createdAt": now,
            "updatedAt": now,
            **({"avgAccuracy": round(average, 2)} if average is not None else {}),
        }
    )
    items = [
        ItemRecord(
            kind="pose",
            name=pose.pose_name,
            accuracy=pose.accuracy,
            feedback=list(pose.feedback),
            improvements=list(pose.improvements),
            position=position,
            at=now,
            createdAt=now,
        )
        for position, pose in enumerate(yoga.poses)
    ]
    return session, items


def require_deletable(session: SessionRecord) -> None:
    """A live group session is ended before it is deleted: its group lists it as active."""
    if session.groupId and session.status == SessionStatus.ACTIVE:
        raise FailedPrecondition("This live session is active: end it before deleting it.")


# A DELETE has finished, or died, this long after marking its session (an HTTP function's
# timeout is 60 s): a later one may finish the cascade.
DELETE_LEASE = timedelta(minutes=2)


def is_interrupted_delete(caller: Caller, marked: SessionRecord, now: datetime) -> bool:
    """Is ``marked`` (a session whose delete began) left by a DELETE that died, and may the
    caller, one of its managers, finish it?"""
    began = marked.deletingAt
    return (
        began is not None
        and now - began > DELETE_LEASE
        and policy.may_manage_session(caller, marked)
    )


# ---- archive --------------------------------------------------------------------------------


def require_changeable(session: SessionRecord) -> None:
    """An archived session is read-only until it is restored (its statistics still count it)."""
    if session.archived:
        raise FailedPrecondition("This session is archived: restore it before changing it.")


def archived(caller: Caller, session: SessionRecord, now: datetime) -> SessionRecord | None:
    """The session archived by the caller, or None if it is archived already (a retry).

    A live session still taking check-ins is ended first: archiving would freeze it open.
    """
    policy.require_archiver(caller, session)
    if session.archived:
        return None
    if session.status == SessionStatus.ACTIVE:
        raise FailedPrecondition("This session is live: end it before archiving it.")
    return session.changed(archived=True, archivedAt=now, archivedBy=caller.uid, updatedAt=now)


def restored(caller: Caller, session: SessionRecord, now: datetime) -> SessionRecord | None:
    """The session restored by the caller, or None if it is not archived (a retry)."""
    policy.require_archiver(caller, session)
    if not session.archived:
        return None
    return session.changed(archived=False, archivedAt=None, archivedBy=None, updatedAt=now)


# ---- update ---------------------------------------------------------------------------------


def updated_session(
    caller: Caller, session: SessionRecord, update: SessionUpdate, now: datetime
) -> tuple[SessionRecord, frozenset[str]]:
    """The session after the caller's update, and the fields to write (none: nothing changes).

    Refused, naming each field, if the caller may not change a field they sent, if the
    update would leave the scheduled end before the (stored or new) start, or if it changes the
    kind of a group session (``require_kind_kept``).
    """
    sent = set(update.model_fields_set)
    policy.require_editable(caller, session, sent)
    if not sent:
        return session, frozenset()
    require_kind_kept(session, update)
    updated = session.changed(**update.model_dump(include=sent), updatedAt=now)
    start, end = updated.scheduledStart, updated.scheduledEnd
    if start is not None and end is not None and end < start:
        raise invalid_fields([FieldError(field="scheduledEnd", message="ends before it starts")])
    return updated, frozenset(sent | {"updatedAt"})


def require_kind_kept(session: SessionRecord, update: SessionUpdate) -> None:
    """A group session (a live class, a group schedule's occurrence) is a Class for good: its
    start, check-ins and end depend on it, so an edit may not make it another kind (sending the
    type it has changes nothing and is accepted)."""
    wanted = update.sessionType
    if session.groupId and wanted is not None and wanted != session.sessionType:
        raise invalid_fields(
            [FieldError(field="sessionType", message="a group session stays a Class")]
        )
