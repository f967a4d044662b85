"""Athlete, practice and class sessions: create, read, list (DESIGN.md §3–§4)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sessionbase.errors import FieldError, NotFound, PermissionDenied
from sessionbase.models.identity import Caller, Role
from sessionbase.models.sessions import (
    SessionCreate,
    SessionListQuery,
    SessionType,
    YogaSessionCreate,
    is_yoga_body,
    public_session,
)
from sessionbase.models.validation import parse
from sessionbase.services.pagination import decode_cursor, encode_cursor, query_fingerprint
from sessionbase.store import sessions as store
from sessionbase.store.sessions import PageAfter

if TYPE_CHECKING:
    from google.cloud.firestore import Client


def create_session(*, db: Client, caller: Caller, body: Any, now: datetime) -> dict:
    """Create a session from either body ``POST /api/sessions`` accepts; returns ``{sessionId}``."""
    if is_yoga_body(body):
        data, items = _yoga_session(caller, parse(YogaSessionCreate, body), now)
    else:
        data, items = _athlete_session(db, caller, parse(SessionCreate, body), now), []
    session_id = store.new_session_id(db)
    store.create_session(db, session_id=session_id, data=data, items=items)
    return {"sessionId": session_id}


def get_session(*, db: Client, caller: Caller, session_id: str) -> dict:
    """One session the caller may see; any other id is reported as not found."""
    data = store.get_session(db, session_id) if _plausible_id(session_id) else None
    if data is None or not can_read(db, caller, data):
        raise NotFound("Session not found.")
    return public_session(session_id, data)


def list_sessions(*, db: Client, caller: Caller, params: Any) -> dict:
    """The caller's own sessions, newest first, one page at a time."""
    query = parse(SessionListQuery, params)
    equals = {_own_field(caller): caller.uid}
    fingerprint = query_fingerprint("sessions", caller.uid, equals)
    after = decode_cursor(query.cursor, fingerprint) if query.cursor else None
    rows = store.list_sessions(db, equals=equals, limit=query.limit + 1, after=after)
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


def can_read(db: Client, caller: Caller, data: dict) -> bool:
    """The read policy of DESIGN.md §2, the same one firestore.rules enforces."""
    if caller.is_admin or caller.uid in (
        data.get("athleteId"),
        data.get("coachId"),
        data.get("createdBy"),
    ):
        return True
    athlete_id = data.get("athleteId")
    return bool(
        caller.role is Role.COACH
        and athlete_id
        and store.link_exists(db, coach_id=caller.uid, athlete_id=athlete_id)
    )


def _own_field(caller: Caller) -> str:
    """Which field makes a session the caller's "own" (no list parameter given)."""
    return {Role.ATHLETE: "athleteId", Role.COACH: "coachId", Role.ADMIN: "createdBy"}[caller.role]


def _plausible_id(session_id: str) -> bool:
    return 0 < len(session_id) <= 128 and "/" not in session_id


def _athlete_session(db: Client, caller: Caller, create: SessionCreate, now: datetime) -> dict:
    """Stored fields of a new athlete session; identity always comes from the token."""
    data = create.model_dump(
        mode="python",
        exclude_none=True,
        exclude={"athleteId", "athleteEmail", "athleteName", "coachId", "coachEmail", "coachName"},
    )
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
        _refuse_contradictions(
            (create.athleteId, caller.uid, "athleteId"),
            (create.athleteEmail, caller.email, "athleteEmail"),
        )
        for name in ("coachId", "coachEmail", "coachName"):
            if getattr(create, name) is not None:
                raise PermissionDenied(
                    "An athlete cannot assign a coach; a coach links through an invitation.",
                    errors=(FieldError(field=name, message="not allowed for athletes"),),
                )
        return {
            "athleteId": caller.uid,
            "athleteEmail": caller.email,
            "athleteName": create.athleteName or caller.display_name,
            "coachId": None,
        }
    if caller.role is Role.COACH:
        _refuse_contradictions(
            (create.coachId, caller.uid, "coachId"),
            (create.coachEmail, caller.email, "coachEmail"),
        )
    athlete = _athlete_of(db, caller, create)
    coach = {
        "coachId": create.coachId or caller.uid,
        "coachEmail": create.coachEmail or caller.email,
        "coachName": create.coachName or caller.display_name,
    }
    if caller.is_admin and create.coachId is None:
        coach = {"coachId": None}
    return {**athlete, **coach}


def _athlete_of(db: Client, caller: Caller, create: SessionCreate) -> dict:
    """The athlete a coach (or admin) names: by uid if linked, else pending by e-mail."""
    if create.athleteId is None and create.athleteEmail is None:
        raise PermissionDenied(
            "Name the athlete of this session.",
            errors=(
                FieldError(field="athleteEmail", message="athleteId or athleteEmail required"),
            ),
        )
    name = create.athleteName or (create.athleteEmail or "").split("@", 1)[0] or None
    if create.athleteId is not None:
        if not caller.is_admin and not store.link_exists(
            db, coach_id=caller.uid, athlete_id=create.athleteId
        ):
            raise PermissionDenied(
                "You are not linked to this athlete: invite them first.",
                errors=(FieldError(field="athleteId", message="no link to this athlete"),),
            )
        return {
            "athleteId": create.athleteId,
            "athleteEmail": create.athleteEmail,
            "athleteName": name,
        }
    # By e-mail only: the session waits (athleteId null) until the athlete accepts an invitation.
    return {"athleteId": None, "athleteEmail": create.athleteEmail, "athleteName": name}


def _refuse_contradictions(*checks: tuple[str | None, str | None, str]) -> None:
    """Fields the body may repeat about the caller must match the caller."""
    bad = [
        FieldError(field=name, message="does not match the signed-in user")
        for given, actual, name in checks
        if given is not None and given != actual
    ]
    if bad:
        raise PermissionDenied(
            "The request names someone other than the signed-in user.", errors=tuple(bad)
        )


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
        "athleteId": caller.uid,
        "athleteEmail": caller.email,
        "athleteName": caller.display_name,
        "coachId": None,
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
        }
        for pose in yoga.poses
    ]
    return data, items
