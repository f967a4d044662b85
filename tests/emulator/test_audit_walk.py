"""The audit walk (issue 27): every mutating operation of the table leaves exactly one audit
entry, and a refused twin of the same request leaves none.

``EXAMPLES`` holds one valid request for every POST, PUT and DELETE operation of
``handlers/operations.py`` (who sends it, its path ids, its body, the documents it is known to
write) and a refused twin (a stranger, a bad body, no sign-in). An operation in neither
``EXAMPLES`` nor ``READ_ONLY`` fails ``test_every_mutating_operation_has_an_example``: a new
operation comes with its proof of auditing. Each request goes through Hosting as the web app
sends it; entries are read with the Admin client, counted by (uid, operation) before and after.

The asynchronous operations (exportMyData, deleteMyAccount, deleteUserAccount) create a job and
queue a task: the request's own entry is counted here; the task's writes are the system's
(test_data_export.py, test_account_deletion.py). The destructive ones work on records made for
them, and the three asynchronous ones come last.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest

from devtools import emulators
from devtools.emulators import api, join_group
from sessionbase.handlers.operations import OPERATIONS
from sessionbase.store.client import firestore_client
from tests.uploads import ok, upload

MUTATING = ("POST", "PUT", "DELETE")
# Operations that run through ``execute`` with a mutating method but change nothing by design.
# (None today: every POST, PUT and DELETE of the table writes something.)
READ_ONLY: frozenset[str] = frozenset()
# Written by triggers and tasks after earlier requests (system entries), not by the request
# under test: left out when checking that a refused request wrote nothing.
SYSTEM_WRITTEN = (
    "auditLog",
    "athleteStats",
    "coachStats",
    "statsContributions",
    "statsFailures",
    "eventMarkers",
    "_meta",
    "mail",
    "dataExports",
    "accountDeletions",
)
START, END = "2026-12-19T09:30:00+01:00", "2026-12-19T10:45:00+01:00"
DEVICE_TOKEN = "fcm-token-" + "x" * 40
# The world's athlete sessions (``s_<name>``): one per example that changes or deletes one.
SESSIONS = ("main", "update", "delete", "archive", "restore", "complete", "cancel", "video")
SESSIONS += ("files",)  # attachments whose reads record download links


def entries(**equal: Any) -> list[dict[str, Any]]:
    """The audit entries whose fields have these values (read with the Admin client)."""
    from google.cloud.firestore import FieldFilter

    query: Any = firestore_client().collection("auditLog")
    for name, value in equal.items():
        query = query.where(filter=FieldFilter(name, "==", value))
    return [{"id": s.id, **(s.to_dict() or {})} for s in query.stream()]


def database(*, ignoring: tuple[str, ...] = ()) -> dict[str, str]:
    """Every document of the project and its update time, but what the system writes."""
    return {
        path: at
        for path, at in emulators.update_times(without="auditLog").items()
        if not path.startswith(SYSTEM_WRITTEN)
        and "/notifications/" not in path
        and not any(uid in path for uid in ignoring)
    }


# ---- the world: people and records for every example, made once ------------------------------


def _user(role: str | None, name: str) -> emulators.User:
    email = f"walk-{name}-{uuid.uuid4().hex[:6]}@example.com"
    return emulators.sign_up(email, "password123", role=role)


def _invite(coach: emulators.User, email: str) -> str:
    sent = ok(api("POST", "/api/invitations", coach, json={"athleteEmail": email}), 201)
    return str(sent["invitationId"])


def _session(coach: emulators.User, athlete: emulators.User) -> str:
    body = {"athleteId": athlete.uid, "event": "Vault", "sessionType": "Analysis"}
    return str(ok(api("POST", "/api/sessions", coach, json=body), 201)["sessionId"])


def _wait(what: str, found: Callable[[], Any], within: float = 60.0) -> Any:
    deadline = time.monotonic() + within
    while not (value := found()):
        assert time.monotonic() < deadline, f"{what}: not in time"
        time.sleep(0.3)
    return value


@pytest.fixture(scope="module")
def world() -> SimpleNamespace:
    """People, sessions, notes, comments, attachments, invitations, groups, live sessions,
    practice sessions and a device: every record an example needs, made through the API (a
    video's measured length aside, written as an analysis leaves it). ``ids``: the records' ids,
    ``uid_<person>``, ``email_<person>``, ``link_<athlete>``."""
    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        pytest.skip("needs the emulator suite: run scripts/test.sh")
    emulators.reset()
    started = time.monotonic()
    coach, athlete, admin = _user("coach", "coach"), _user(None, "athlete"), _user("admin", "admin")
    stranger, athlete2 = _user(None, "stranger"), _user(None, "athlete2")
    invitee, decliner = _user(None, "invitee"), _user(None, "decliner")
    member, member2 = _user(None, "member"), _user(None, "member2")
    promoted, victim, leaver = _user(None, "promoted"), _user(None, "victim"), _user(None, "leaver")
    newcomer = _user(None, "newcomer")  # signs in for the first time in getMyProfile's example
    ok(api("POST", f"/api/invitations/{_invite(coach, athlete.email)}/accept", athlete))
    ok(api("POST", f"/api/invitations/{_invite(coach, athlete2.email)}/accept", athlete2))
    ids: dict[str, str] = {
        "inv_accept": _invite(coach, invitee.email),
        "inv_decline": _invite(coach, decliner.email),
        "inv_resend": _invite(coach, f"resend-{uuid.uuid4().hex[:6]}@example.com"),
        "inv_revoke": _invite(coach, f"revoke-{uuid.uuid4().hex[:6]}@example.com"),
    }
    for name in SESSIONS:
        ids[f"s_{name}"] = _session(coach, athlete)
    ok(api("POST", f"/api/sessions/{ids['s_restore']}/archive", coach))
    for name in ("update", "delete"):
        note = api("POST", f"/api/sessions/{ids['s_main']}/notes", coach, json={"text": name})
        ids[f"n_{name}"] = ok(note, 201)["noteId"]
    # A session with a measured video takes comments: its fields as an analysed upload leaves them.
    firestore_client().collection("sessions").document(ids["s_video"]).update(
        {
            "videoPath": f"sessions/{ids['s_video']}/video/walk.mp4",
            "videoGeneration": "1",
            "analysisJobId": "walk-job",
            "analysisStatus": "completed",
            "metrics": {"durationSeconds": 10.0},
        }
    )
    for name in ("update", "delete", "resolve"):
        body = {"atMs": 100, "text": name}
        comment = api("POST", f"/api/sessions/{ids['s_video']}/comments", coach, json=body)
        ids[f"c_{name}"] = ok(comment, 201)["commentId"]
    # Attachments: uploaded to their upload URLs, registered when the objects land (one to
    # delete, one whose reads record download links).
    for key in ("s_main", "s_files"):
        upload(coach, ids[key], b"%PDF-1.4 walk", name="walk.pdf", kind="attachment")
    sessions = firestore_client().collection("sessions")
    for key in ("s_main", "s_files"):
        children = sessions.document(ids[key]).collection("attachments")
        found = _wait("the attachment", lambda c=children: [s.id for s in c.stream()])
        ids[f"attachment_{key}"] = found[0]
    schedule = ok(
        api("POST", "/api/schedules", coach, json={"title": "Walk", "weekdays": ["MO"],
            "startTime": "09:30", "durationMinutes": 60, "timezone": "UTC",
            "startDate": "2027-01-04", "athleteId": athlete.uid}), 201)  # fmt: skip
    ids["occurrence"] = f"{schedule['scheduleId']}_20270104"
    ids["exercise"] = ok(
        api("POST", "/api/exercises", coach, json={"prompt": "2+2?", "answers": ["4"]}), 201
    )["exercise_id"]
    for name in ("submit", "end"):
        started_practice = ok(api("POST", "/api/exercises/session/start", athlete, json={}))
        ids[f"p_{name}"] = started_practice["session_id"]
    ids["device"] = ok(
        api("POST", "/api/users/me/devices", athlete, json={"token": DEVICE_TOKEN + "-old"}), 201
    )["deviceId"]
    for key in ("group", "group_start", "group_end"):
        made = api("POST", "/api/groups", coach, json={"name": f"Walk {key}"})
        ids[key] = ok(made, 201)["groupId"]
    join_group(coach, ids["group"], member)
    join_group(coach, ids["group"], member2)
    for key, group in (("live", "group"), ("live_end", "group_end")):
        live = api("POST", f"/api/groups/{ids[group]}/sessions", coach, json={})
        ids[key] = ok(live, 201)["sessionId"]
    people = {
        "coach": coach, "athlete": athlete, "admin": admin, "stranger": stranger,
        "athlete2": athlete2, "invitee": invitee, "decliner": decliner, "member": member,
        "member2": member2, "promoted": promoted, "victim": victim, "leaver": leaver,
        "newcomer": newcomer,
    }  # fmt: skip
    for name, person in people.items():
        ids[f"uid_{name}"], ids[f"email_{name}"] = person.uid, person.email
    for name in ("athlete2", "invitee"):
        ids[f"link_{name}"] = f"{coach.uid}_{people[name].uid}"
    print(f"\nthe audit walk's world: {time.monotonic() - started:.1f} s")
    return SimpleNamespace(people=people, ids=ids)


# ---- the examples ------------------------------------------------------------------------------

Paths = Callable[[dict[str, str], dict[str, Any]], list[str]]


@dataclass(frozen=True)
class Example:
    """One valid request of an operation and its refused twin.

    ``ids`` maps the path's ids to keys of the world's ids; ``body`` is sent as JSON (None: no
    body); ``writes`` gives the documents the entry must name, from the world's ids and the
    answer (a path ending in ``/``: some document under it). The twin is ``refused_by``
    (``None``: no sign-in) sending ``refused_body`` (default: the same body), answered one of
    ``refused_with``.
    """

    who: str
    writes: Paths
    ids: dict[str, str] = field(default_factory=dict)
    body: Callable[[dict[str, str]], Any] | None = None
    refused_by: str | None = "stranger"
    refused_body: Callable[[dict[str, str]], Any] | None = None
    refused_headers: dict[str, str] = field(default_factory=dict)
    refused_with: tuple[int, ...] = (403, 404)


def session(key: str) -> Paths:
    return lambda i, a: [f"sessions/{i[key]}"]


def new_session(i: dict[str, str], a: dict[str, Any]) -> list[str]:
    return [f"sessions/{a['sessionId']}"]


def const(**body: Any) -> Callable[[dict[str, str]], Any]:
    return lambda i: body


EXAMPLES: dict[str, Example] = {
    # ---- athlete sessions
    "createSession": Example(
        "coach", new_session, body=lambda i: {"athleteId": i["uid_athlete"], "event": "Beam"},
        refused_by="coach", refused_body=const(event=5), refused_with=(400,),
    ),
    "updateSession": Example(
        "coach", session("s_update"), ids={"sessionId": "s_update"}, body=const(event="Beam"),
    ),
    "archiveSession": Example("coach", session("s_archive"), ids={"sessionId": "s_archive"}),
    "restoreSession": Example("coach", session("s_restore"), ids={"sessionId": "s_restore"}),
    "createSessionWithAthlete": Example(
        "coach", new_session,
        body=lambda i: {"athleteId": i["uid_athlete"], "athleteEmail": i["email_athlete"],
                        "videoName": "jump.mp4"},
        refused_with=(403,),
    ),
    "linkBackendSession": Example(
        "coach", new_session,
        body=lambda i: {"backendSessionId": "walk-1", "athleteId": i["uid_athlete"]},
        refused_with=(403,),
    ),
    # a schedule's occurrence is stored when an upload to it is allowed
    "createUploadUrl": Example(
        "coach", session("occurrence"), ids={"sessionId": "occurrence"},
        body=const(fileName="jump.mp4", contentType="video/mp4", size=1000, kind="video"),
    ),
    # ---- completion, notes, attachments
    "completeSession": Example(
        "coach", lambda i, a: [f"sessions/{i['s_complete']}", "completionCodes/WALK-1"],
        ids={"sessionId": "s_complete"},
        body=const(actualStart=START, actualEnd=END, completionCode="walk-1"),
    ),
    "cancelSession": Example(
        "coach", session("s_cancel"), ids={"sessionId": "s_cancel"}, body=const(reason="ill"),
    ),
    "addSessionNote": Example(
        "athlete", lambda i, a: [f"sessions/{i['s_main']}/notes/{a['noteId']}"],
        ids={"sessionId": "s_main"}, body=const(text="sore knee"),
    ),
    "updateSessionNote": Example(
        "coach", lambda i, a: [f"sessions/{i['s_main']}/notes/{i['n_update']}"],
        ids={"sessionId": "s_main", "noteId": "n_update"}, body=const(text="edited"),
    ),
    "deleteSessionNote": Example(
        "coach", lambda i, a: [f"sessions/{i['s_main']}/notes/{i['n_delete']}"],
        ids={"sessionId": "s_main", "noteId": "n_delete"},
    ),
    "deleteAttachment": Example(
        "coach", lambda i, a: [f"sessions/{i['s_main']}/attachments/{i['attachment_s_main']}"],
        ids={"sessionId": "s_main", "attachmentId": "attachment_s_main"},
    ),
    # ---- comments
    "addSessionComment": Example(
        "athlete", lambda i, a: [f"sessions/{i['s_video']}/comments/{a['commentId']}"],
        ids={"sessionId": "s_video"}, body=const(atMs=500, text="knees"),
    ),
    "updateSessionComment": Example(
        "coach", lambda i, a: [f"sessions/{i['s_video']}/comments/{i['c_update']}"],
        ids={"sessionId": "s_video", "commentId": "c_update"}, body=const(text="edited"),
    ),
    "deleteSessionComment": Example(
        "coach", lambda i, a: [f"sessions/{i['s_video']}/comments/{i['c_delete']}"],
        ids={"sessionId": "s_video", "commentId": "c_delete"},
    ),
    "resolveSessionComment": Example(
        "coach", lambda i, a: [f"sessions/{i['s_video']}/comments/{i['c_resolve']}"],
        ids={"sessionId": "s_video", "commentId": "c_resolve"}, body=const(resolved=True),
    ),
    # ---- schedules, practice
    "createSchedule": Example(
        "coach", lambda i, a: [f"schedules/{a['scheduleId']}"],
        body=lambda i: {"title": "Walk 2", "weekdays": ["TU"], "startTime": "10:00",
                        "durationMinutes": 45, "timezone": "UTC", "startDate": "2027-01-05",
                        "athleteId": i["uid_athlete"]},
    ),
    "createExercise": Example(
        "coach",
        lambda i, a: [f"exercises/{a['exercise_id']}", f"exerciseAnswers/{a['exercise_id']}"],
        body=const(prompt="3+3?", answers=["6"]), refused_with=(403,),
    ),
    "startPracticeSession": Example(
        "athlete", lambda i, a: [f"sessions/{a['session_id']}"], body=const(),
        refused_by="athlete", refused_body=const(session_type=5), refused_with=(400,),
    ),
    "submitAnswer": Example(
        "athlete", lambda i, a: [f"sessions/{i['p_submit']}/items/"],
        body=lambda i: {"exercise_id": i["exercise"], "user_answer": "4", "time_taken": 3.5,
                        "session_id": i["p_submit"]},
    ),
    "endPracticeSession": Example(
        "athlete", session("p_end"), body=lambda i: {"session_id": i["p_end"]},
    ),
    # ---- users, notifications
    "updateMyProfile": Example(
        "athlete", lambda i, a: [f"users/{i['uid_athlete']}"], body=const(displayName="Ana"),
        refused_by="athlete", refused_body=const(displayName=""), refused_with=(400,),
    ),
    "markNotificationsRead": Example(
        "athlete", lambda i, a: [f"users/{i['uid_athlete']}/notifications/"], body=const(all=True),
        refused_by="athlete", refused_body=const(ids="x"), refused_with=(400,),
    ),
    "registerDevice": Example(
        "athlete", lambda i, a: [f"users/{i['uid_athlete']}/devices/{a['deviceId']}"],
        body=const(token=DEVICE_TOKEN), refused_by="athlete", refused_body=const(token="short"),
        refused_with=(400,),
    ),
    "removeDevice": Example(
        "athlete", lambda i, a: [f"users/{i['uid_athlete']}/devices/{i['device']}"],
        ids={"deviceId": "device"}, refused_by=None, refused_with=(401,),
    ),
    "setUserRole": Example(
        "admin", lambda i, a: [f"users/{i['uid_promoted']}"], ids={"uid": "uid_promoted"},
        body=const(role="coach"), refused_with=(403,),
    ),
    # ---- invitations and links
    "createInvitation": Example(
        "coach", lambda i, a: [f"invitations/{a['invitationId']}"],
        body=const(athleteEmail="walk-new@example.com"), refused_with=(403,),
    ),
    "acceptInvitation": Example(
        "invitee",
        lambda i, a: [f"invitations/{i['inv_accept']}", f"links/{i['link_invitee']}"],
        ids={"invitationId": "inv_accept"},
    ),
    "declineInvitation": Example(
        "decliner", lambda i, a: [f"invitations/{i['inv_decline']}"],
        ids={"invitationId": "inv_decline"},
    ),
    "resendInvitation": Example(
        "coach", lambda i, a: [f"invitations/{i['inv_resend']}"],
        ids={"invitationId": "inv_resend"},
    ),
    "revokeInvitation": Example(
        "coach", lambda i, a: [f"invitations/{i['inv_revoke']}"],
        ids={"invitationId": "inv_revoke"},
    ),
    "deleteLink": Example(
        "athlete2", lambda i, a: [f"links/{i['link_athlete2']}"], ids={"linkId": "link_athlete2"},
    ),
    # ---- groups and live sessions
    "createGroup": Example(
        "coach", lambda i, a: [f"groups/{a['groupId']}"], body=const(name="Walk new"),
        refused_with=(403,),
    ),
    "addGroupMember": Example(
        "coach", lambda i, a: [f"invitations/{a['invitationId']}"], ids={"groupId": "group"},
        body=const(email="walk-joiner@example.com"),
    ),
    "removeGroupMember": Example(
        "coach", lambda i, a: [f"groups/{i['group']}/members/{i['uid_member2']}"],
        ids={"groupId": "group", "userId": "uid_member2"},
    ),
    "startGroupSession": Example(
        "coach", new_session, ids={"groupId": "group_start"}, body=const(event="Drills"),
    ),
    "checkIn": Example(
        "member", lambda i, a: [f"sessions/{i['live']}/attendance/{i['uid_member']}"],
        ids={"sessionId": "live"},
    ),
    "endGroupSession": Example("coach", session("live_end"), ids={"sessionId": "live_end"}),
    # ---- destructive ones, on records of their own
    "deleteSession": Example("coach", session("s_delete"), ids={"sessionId": "s_delete"}),
    # ---- GETs that write (not required by the walk, which covers POST, PUT and DELETE): a
    # profile made on first use; the download links handed out with attachments, recorded
    "getMyProfile": Example(
        "newcomer", lambda i, a: [f"users/{i['uid_newcomer']}"], refused_by=None,
        refused_with=(401,),
    ),
    "getSession": Example(
        "athlete", lambda i, a: ["attachmentDownloads/"], ids={"sessionId": "s_files"},
    ),
    "listSessionAttachments": Example(
        "athlete", lambda i, a: ["attachmentDownloads/"], ids={"sessionId": "s_files"},
    ),
    # ---- asynchronous: a job and a task; the request's own entry is counted
    "exportMyData": Example(
        "athlete", lambda i, a: [f"dataExports/{a['id']}"], refused_by="athlete",
        refused_headers={"Idempotency-Key": "not a key"}, refused_with=(400,),
    ),
    "deleteUserAccount": Example(
        "admin", lambda i, a: [f"accountDeletions/{i['uid_victim']}"], ids={"uid": "uid_victim"},
        refused_with=(403,),
    ),
    "deleteMyAccount": Example(
        "leaver", lambda i, a: [f"accountDeletions/{i['uid_leaver']}"], refused_by=None,
        refused_with=(401,),
    ),
}  # fmt: skip
BY_NAME = {op.name: op for op in OPERATIONS}


def test_every_mutating_operation_has_an_example():
    """A new POST, PUT or DELETE operation needs an example here (its proof of auditing), or a
    place in READ_ONLY with the reason."""
    mutating = {op.name for op in OPERATIONS if op.method in MUTATING}
    missing = sorted(mutating - EXAMPLES.keys() - READ_ONLY)
    assert not missing, f"operations with no audit example: {missing}"
    assert not (EXAMPLES.keys() & READ_ONLY)
    unknown = EXAMPLES.keys() - {op.name for op in OPERATIONS}
    assert not unknown, f"examples of no operation (renamed or removed?): {sorted(unknown)}"


def _path(operation: Any, world: SimpleNamespace, ids: dict[str, str]) -> str:
    path = operation.path
    for name in operation.path_ids:
        path = path.replace(f"<{name}>", quote(world.ids[ids[name]], safe=""))
    assert "<" not in path, path
    return str(path)


def _send(operation: Any, path: str, user: Any, body: Any, headers: dict[str, str]):
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs["json"] = body
    return api(operation.method, path, user, **kwargs)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_one_entry_per_request_and_none_when_refused(world, name):
    example, operation = EXAMPLES[name], BY_NAME[name]
    i = world.ids
    path = _path(operation, world, example.ids)
    body = example.body(i) if example.body else None
    # the refused twin first: the records are as the valid request finds them
    refuser = world.people[example.refused_by] if example.refused_by else None
    refused_body = example.refused_body(i) if example.refused_body else body
    by_refuser = len(entries(uid=refuser.uid)) if refuser else 0
    of_operation = len(entries(operation=name))
    before = database(ignoring=(i["uid_victim"], i["uid_leaver"]))
    refused = _send(operation, path, refuser, refused_body, example.refused_headers)
    assert refused.status_code in example.refused_with, (refused.status_code, refused.text)
    assert len(entries(operation=name)) == of_operation, "a refused request left an entry"
    if refuser:
        assert len(entries(uid=refuser.uid)) == by_refuser, "a refused request left an entry"
    after = database(ignoring=(i["uid_victim"], i["uid_leaver"]))
    assert after == before, {p: after.get(p) for p in set(before) ^ set(after) | {
        p for p in before.keys() & after.keys() if before[p] != after[p]}}  # fmt: skip
    # the request itself: one entry, by the caller, naming what it wrote
    user = world.people[example.who]
    mine = {e["id"] for e in entries(uid=user.uid, operation=name)}
    reply = _send(operation, path, user, body, {})
    assert 200 <= reply.status_code < 300, (reply.status_code, reply.text)
    answer = reply.json()
    new = [e for e in entries(uid=user.uid, operation=name) if e["id"] not in mine]
    assert len(new) == 1, new
    [entry] = new
    assert (entry["role"], entry["at"] is not None) == (user.role, True)
    for expected in example.writes(i, answer):
        if expected.endswith("/"):
            assert any(d.startswith(expected) for d in entry["documents"]), (expected, entry)
        else:
            assert expected in entry["documents"], (expected, entry["documents"])


# ---- the asynchronous operations' tasks: their writes are the system's ------------------------

# operation -> (its task's function, the job's collection, whose job: a world person or None)
TASKS = {
    "exportMyData": ("runDataExport", "dataExports", None),
    "deleteUserAccount": ("runAccountDeletion", "accountDeletions", "victim"),
    "deleteMyAccount": ("runAccountDeletion", "accountDeletions", "leaver"),
}


@pytest.mark.parametrize("name", list(TASKS))
def test_the_task_an_operation_queued_writes_system_entries(world, name):
    """After the walk: the job each asynchronous example queued is finished by its task, whose
    writes (the job's document at least) have entries of the system (uid None)."""
    task, collection, person = TASKS[name]
    jobs = firestore_client().collection(collection)

    def finished() -> list[str]:
        done = [s for s in jobs.stream() if (s.to_dict() or {}).get("status") in ("done", "failed")]
        uid = world.ids[f"uid_{person}"] if person else None
        return [f"{collection}/{s.id}" for s in done if uid is None or s.id == uid]

    [job] = _wait(f"{name}'s job", finished)
    named = [e for e in entries(operation=task) if job in e["documents"]]
    assert named, f"no {task} entry names {job}"
    assert {(e["uid"], e["role"]) for e in named} == {(None, "system")}
