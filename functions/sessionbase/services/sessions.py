"""Athlete sessions (DESIGN.md §3–§4): create, read, list, update, delete, link, statistics."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sessionbase.errors import (
    FieldError,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    invalid_fields,
)
from sessionbase.models.identity import Caller, Role
from sessionbase.models.sessions import (
    ATHLETE_EDITABLE,
    COACH_EDITABLE,
    CreateWithAthlete,
    LinkBackendSession,
    SessionCreate,
    SessionListQuery,
    SessionType,
    SessionUpdate,
    StatsQuery,
    YogaSessionCreate,
    is_document_id,
    is_yoga_body,
    public_session,
    to_public,
)
from sessionbase.models.validation import parse
from sessionbase.services import access
from sessionbase.services.pagination import decode_cursor, encode_cursor, query_fingerprint
from sessionbase.store import sessions as store
from sessionbase.store.sessions import PageAfter

if TYPE_CHECKING:
    from google.cloud.firestore import Client
    from google.cloud.storage import Bucket

_IDENTITY_FIELDS = {
    "athleteId",
    "athleteEmail",
    "athleteName",
    "coachId",
    "coachEmail",
    "coachName",
}
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


# ---- create ---------------------------------------------------------------------------------


def create_session(*, db: Client, caller: Caller, body: Any, now: datetime) -> dict:
    """Create a session from either body ``POST /api/sessions`` accepts; returns ``{sessionId}``."""
    if is_yoga_body(body):
        data, items = _yoga_session(caller, parse(YogaSessionCreate, body), now)
    else:
        data, items = _athlete_session(db, caller, parse(SessionCreate, body), now), []
    session_id = store.new_session_id(db)
    store.create_session(db, session_id=session_id, data=data, items=items)
    return {"sessionId": session_id}


def create_with_athlete(
    *, db: Client, caller: Caller, body: Any, now: datetime, bucket: str
) -> dict:
    """A coach's video session for an athlete by e-mail, and where to upload the video."""
    create = parse(CreateWithAthlete, body)
    if caller.role is Role.ATHLETE:
        raise PermissionDenied("Only coaches create sessions for athletes.")
    session_id = store.new_session_id(db)
    path = f"sessions/{session_id}/video/{_safe_file_name(create.videoName)}"
    data = _athlete_session(db, caller, create, now)
    data.update(originalVideoName=create.originalVideoName or create.videoName, videoPath=path)
    store.create_session(db, session_id=session_id, data=data)
    return {
        "sessionId": session_id,
        "analysisStatus": "pending",
        "upload": {"bucket": bucket, "path": path},
    }


def link_backend_session(*, db: Client, caller: Caller, body: Any, now: datetime) -> dict:
    """The session for an analysis-backend session id: created once, the same id ever after."""
    link = parse(LinkBackendSession, body)
    if caller.role is Role.ATHLETE:
        raise PermissionDenied("Only coaches link backend sessions to athletes.")
    create = SessionCreate.model_validate(
        link.model_dump(exclude={"backendSessionId"}, exclude_none=True)
    )
    data = _athlete_session(db, caller, create, now)  # checks the athlete before any write
    data["backendSessionId"] = link.backendSessionId
    session_id, _ = store.get_or_create_for_backend(
        db,
        owner_id=data["coachId"] or caller.uid,
        backend_session_id=link.backendSessionId,
        data=data,
    )
    return {"sessionId": session_id}


def _athlete_session(db: Client, caller: Caller, create: SessionCreate, now: datetime) -> dict:
    """Stored fields of a new athlete session; identity always comes from the token."""
    data = create.model_dump(mode="python", exclude_none=True, exclude=_IDENTITY_FIELDS)
    if create.date is not None:
        data["date"] = create.date.isoformat()
    data.update(_participants(db, caller, create))
    if create.videoName:
        data.update(analysisStatus="pending", perFrameStatus="pending", analysisProgress=0)
    data.update(createdBy=caller.uid, createdAt=now, updatedAt=now)
    return data


def _participants(db: Client, caller: Caller, create: SessionCreate) -> dict:
    """Athlete and coach fields of a new session, checked against who the caller is."""
    if caller.role is Role.ATHLETE:
        access.require_own_fields(
            (create.athleteId, caller.uid, "athleteId"),
            (create.athleteEmail, caller.email, "athleteEmail"),
        )
        for name in ("coachId", "coachEmail", "coachName"):
            if getattr(create, name) is not None:
                raise PermissionDenied(
                    "An athlete cannot assign a coach; a coach links through an invitation.",
                    errors=(FieldError(field=name, message="not allowed for athletes"),),
                )
        return _self_as_athlete(caller, create.athleteName)
    if caller.role is Role.COACH:
        access.require_own_fields(
            (create.coachId, caller.uid, "coachId"),
            (create.coachEmail, caller.email, "coachEmail"),
        )
        coach = {
            "coachId": caller.uid,
            "coachEmail": caller.email,
            "coachName": create.coachName or caller.display_name,
        }
    else:  # an admin may record a session for any coach, or none
        coach = {
            "coachId": create.coachId,
            "coachEmail": create.coachEmail,
            "coachName": create.coachName,
        }
    return {**_athlete_of(db, caller, create, coach["coachId"]), **coach}


def _self_as_athlete(caller: Caller, name: str | None = None) -> dict:
    """The participant fields of a session the caller holds as its athlete, with no coach."""
    return {
        "athleteId": caller.uid,
        "athleteEmail": caller.email,
        "athleteName": name or caller.display_name,
        "coachId": None,
    }


def _athlete_of(db: Client, caller: Caller, create: SessionCreate, coach_id: str | None) -> dict:
    """The athlete a coach names: by uid if linked; by e-mail, linked if possible, else pending."""
    if create.athleteId is None and create.athleteEmail is None:
        raise invalid_fields(
            [FieldError(field="athleteEmail", message="athleteId or athleteEmail required")]
        )
    name = create.athleteName
    if create.athleteId is not None:
        link = coach_id and store.get_link(db, coach_id=coach_id, athlete_id=create.athleteId)
        if not link and not caller.is_admin:
            raise PermissionDenied(
                "You are not linked to this athlete: invite them first.",
                errors=(FieldError(field="athleteId", message="no link to this athlete"),),
            )
        email = link["athleteEmail"] if link else create.athleteEmail
        if link and create.athleteEmail is not None and create.athleteEmail != email:
            raise invalid_fields(
                [FieldError(field="athleteEmail", message="is not the e-mail of this athleteId")]
            )
        return {"athleteId": create.athleteId, "athleteEmail": email, "athleteName": name}
    link = coach_id and store.linked_athlete_by_email(
        db, coach_id=coach_id, athlete_email=create.athleteEmail
    )
    if link:
        return {
            "athleteId": link["athleteId"],
            "athleteEmail": create.athleteEmail,
            "athleteName": name,
        }
    # Not linked (yet): the session waits with athleteId null until the athlete accepts this
    # coach's invitation, which fills athleteId in (services/invitations.py).
    return {"athleteId": None, "athleteEmail": create.athleteEmail, "athleteName": name}


def _yoga_session(
    caller: Caller, yoga: YogaSessionCreate, now: datetime
) -> tuple[dict, list[dict]]:
    """A completed Practice session of the caller, one item per pose (yoga seed)."""
    seconds = round(yoga.duration * 60)
    accuracies = [pose.accuracy for pose in yoga.poses]
    average = yoga.avg_accuracy
    if average is None and accuracies:
        average = sum(accuracies) / len(accuracies)
    data = {
        **_self_as_athlete(caller),
        "createdBy": caller.uid,
        "sessionType": SessionType.PRACTICE.value,
        "event": "Yoga",
        "status": "completed",
        "actualStart": now - timedelta(seconds=seconds),
        "actualEnd": now,
        "durationSeconds": seconds,
        "duration": f"{yoga.duration:g} min",
        "itemCount": len(yoga.poses),
        "createdAt": now,
        "updatedAt": now,
    }
    if average is not None:
        data["avgAccuracy"] = round(average, 2)
    items = [
        {
            "kind": "pose",
            "name": pose.pose_name,
            "accuracy": pose.accuracy,
            "feedback": list(pose.feedback),
            "improvements": list(pose.improvements),
            "at": now,
            "createdAt": now,
        }
        for pose in yoga.poses
    ]
    return data, items


def _safe_file_name(name: str) -> str:
    """A Storage-safe file name that keeps the extension (``a b#2.MP4`` -> ``a_b_2.MP4``)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # a browser may send a full path
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = _UNSAFE_FILE_CHARS.sub("_", stem).strip("._")[:100] or "video"
    extension = _UNSAFE_FILE_CHARS.sub("", extension)[:10]
    return f"{stem}.{extension}" if extension else stem


# ---- read -----------------------------------------------------------------------------------


def get_session(*, db: Client, caller: Caller, session_id: str) -> dict:
    """One session the caller may see, with its note records and attachments.

    The seed's short text field ``notes`` keeps its name, so the note records of the ``notes``
    subcollection come as ``sessionNotes`` (docs/decisions.md).
    """
    data = _readable(db, caller, session_id)
    notes = [{"noteId": nid, **to_public(n)} for nid, n in store.children(db, session_id, "notes")]
    attachments = [
        {"attachmentId": aid, **to_public(a)}
        for aid, a in store.children(db, session_id, "attachments")
    ]
    return {**public_session(session_id, data), "sessionNotes": notes, "attachments": attachments}


def _readable(db: Client, caller: Caller, session_id: str) -> dict:
    """The session's data if the caller may read it; otherwise it "does not exist"."""
    data = store.get_session(db, session_id) if is_document_id(session_id) else None
    if data is None or not access.can_read(db, caller, data):
        raise NotFound("Session not found.")
    return data


def list_sessions(*, db: Client, caller: Caller, params: Any) -> dict:
    """Sessions in one scope (the caller's own by default), filtered, newest first, paged."""
    query = parse(SessionListQuery, params)
    equals = {**_list_scope(db, caller, query), **query.filters()}
    created_from, created_before = query.created_range()
    fingerprint = query_fingerprint("sessions", caller.uid, equals, created_from, created_before)
    after = decode_cursor(query.cursor, fingerprint) if query.cursor else None
    rows = store.list_sessions(
        db,
        equals=equals,
        limit=query.limit + 1,
        after=after,
        created_from=created_from,
        created_before=created_before,
    )
    page, more = rows[: query.limit], len(rows) > query.limit
    next_cursor = None
    if more:
        last_id, last = page[-1]
        next_cursor = encode_cursor(
            fingerprint, PageAfter(created_at=last["createdAt"], session_id=last_id)
        )
    return {
        "sessions": [public_session(sid, data) for sid, data in page],
        "nextCursor": next_cursor,
    }


def _list_scope(db: Client, caller: Caller, query: SessionListQuery) -> dict[str, str]:
    """The equality filter that makes a list query one the caller may run (rules agree)."""
    if query.athleteId is not None:
        if not access.may_read_athlete(db, caller, query.athleteId):
            raise _may_not_list("athleteId")
        return {"athleteId": query.athleteId}
    if query.coachId is not None:
        if not access.may_read_coach(caller, query.coachId):
            raise _may_not_list("coachId")
        return {"coachId": query.coachId}
    if query.athleteEmail is not None:
        if caller.is_admin:
            return {"athleteEmail": query.athleteEmail}
        if caller.role is Role.COACH:  # the sessions this coach made for that address
            return {"athleteEmail": query.athleteEmail, "coachId": caller.uid}
        raise _may_not_list("athleteEmail")
    own = {Role.ATHLETE: "athleteId", Role.COACH: "coachId", Role.ADMIN: "createdBy"}
    return {own[caller.role]: caller.uid}


def _may_not_list(field: str) -> PermissionDenied:
    return PermissionDenied(
        "You may not list these sessions.",
        errors=(FieldError(field=field, message="not one you may list"),),
    )


# ---- update and delete ----------------------------------------------------------------------


def update_session(
    *, db: Client, caller: Caller, session_id: str, body: Any, now: datetime
) -> dict:
    """Change the fields the caller's role may change; returns the updated session."""
    update = parse(SessionUpdate, body)
    data = _readable(db, caller, session_id)
    sent = update.model_fields_set
    if caller.is_admin:
        allowed = sent
    elif caller.uid == data.get("athleteId") and caller.role is Role.ATHLETE:
        allowed = ATHLETE_EDITABLE
    elif access.can_manage(caller, data):
        allowed = COACH_EDITABLE
    else:
        allowed = frozenset()
    forbidden = sorted(sent - allowed)
    if forbidden:
        raise PermissionDenied(
            "You may not change " + ", ".join(forbidden) + ".",
            errors=tuple(FieldError(field=f, message="not editable by you") for f in forbidden),
        )
    changes = update.model_dump(mode="python", include=sent)
    if "date" in changes and changes["date"] is not None:
        changes["date"] = changes["date"].isoformat()
    merged = {**data, **changes}
    start, end = merged.get("scheduledStart"), merged.get("scheduledEnd")
    if start is not None and end is not None and end < start:
        raise invalid_fields([FieldError(field="scheduledEnd", message="ends before it starts")])
    if changes:
        changes["updatedAt"] = now
        if not store.update_session(db, session_id, changes):
            raise NotFound("Session not found.")  # deleted while this request ran
    return public_session(session_id, {**data, **changes})


def delete_session(*, db: Client, caller: Caller, session_id: str, bucket: Bucket) -> dict:
    """Delete a session, its subcollections and its Storage objects (its coach, creator, admin)."""
    from sessionbase.store.storage import delete_prefix

    data = _readable(db, caller, session_id)
    if not access.can_manage(caller, data):
        raise PermissionDenied("Only the session's coach, its creator or an admin may delete it.")
    # Objects first: if this fails, the record survives and the delete can be retried.
    objects = delete_prefix(bucket, f"sessions/{session_id}/")
    store.delete_session_tree(db, session_id)
    if data.get("_backendKey"):
        store.forget_backend_session(db, data["_backendKey"], session_id)
    return {"sessionId": session_id, "deleted": True, "deletedObjects": objects}


# ---- statistics -------------------------------------------------------------------------------


def session_stats(*, db: Client, caller: Caller, params: Any) -> dict:
    """``{"stats": ...}`` for an athlete or coach the caller may see.

    The figures come from ``athleteStats/{uid}`` / ``coachStats/{uid}``, which the statistics
    trigger maintains; until that trigger exists the documents are absent and ``stats`` is empty.
    """
    query = parse(StatsQuery, params)
    if query.athleteId and query.coachId:
        raise InvalidArgument(
            "Give athleteId or coachId, not both.",
            errors=(FieldError(field="coachId", message="not together with athleteId"),),
        )
    if query.coachId is not None:
        if not access.may_read_coach(caller, query.coachId):
            raise _may_not_list("coachId")
        return {"stats": to_public(store.stats_document(db, "coachStats", query.coachId))}
    athlete_id = query.athleteId or caller.uid
    if not access.may_read_athlete(db, caller, athlete_id):
        raise _may_not_list("athleteId")
    collection = (
        "coachStats" if query.athleteId is None and caller.role is Role.COACH else "athleteStats"
    )
    return {"stats": to_public(store.stats_document(db, collection, athlete_id))}
