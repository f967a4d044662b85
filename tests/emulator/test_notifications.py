"""Notifications (issue 25) over the real stack, as the web app and the triggers raise them.

Every event goes through Hosting (REST) as the web app sends it, or, for the analysis, through a
real upload and the deployed trigger. Then the admin client reads what was written: the in-app
inbox ``users/{uid}/notifications/{eventKey}`` and the Trigger Email documents ``mail/{id}``.
Each event kind gives each recipient exactly one inbox document, a mail only when the recipient's
preferences allow it, and nothing to the person who acted; a repeated request (the same
Idempotency-Key, a second accept) or the emulator's second delivery of a Firestore event adds
nothing. Then the inbox API (list, unread count, mark read), devices, preferences, the rules on a
client's reads and writes, and the profile name carried by new tokens and records.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from devtools.emulators import (
    FIRESTORE,
    PROJECT,
    User,
    api,
    call,
    document,
    join_group,
    sign_in,
    sign_up,
    verify_email,
)
from devtools.videos import clip
from tests.preferences import DEFAULT_PREFERENCES
from tests.uploads import analysed, linked, new_session, ok, upload

DELIVERED_WITHIN = 20.0  # seconds from the request (or the analysis' end) to the inbox
BOTH_DELIVERIES = 3.0  # seconds to let the emulator's second delivery of a trigger's event land
DOCUMENTS = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents"
FCM_TOKEN = (
    "eXf3Jk2LQ0uYh7b8c9d0e1:APA91bH"
    + "Zq4x8S1vT2wB7nM3kL9pR5tY6uI0oP-aS_dF4gH8jK2lZ1xC3vB5nM7qW9eR0tY2uI4oP6aS8dF0gH2jK4lZ6x"
    + "C8vB0nM2qW4eR6tY8uI0oP2aS4dF6gH8jK0lZ2xC4vB6nM8qW0eR2tY4uI6oP8aS0dF2gH4jK6lZ8xC0vB2n"
)  # the shape of an FCM web-push registration token: 163 characters of [A-Za-z0-9_:-]


@pytest.fixture(scope="module")
def moving() -> bytes:
    return clip(seconds=2, width=160, height=96)


# ---- reading what was written, as the emulator's owner --------------------------------------


def db():
    from sessionbase.store.client import firestore_client

    return firestore_client()


def inbox(user: User) -> dict[str, dict]:
    """The person's inbox documents by id (the event key)."""
    notifications = db().collection("users").document(user.uid).collection("notifications")
    return {snapshot.id: snapshot.to_dict() for snapshot in notifications.stream()}


def every_inbox() -> dict[str, list[str]]:
    """Every inbox document of the project, by the uid of the person it is for."""
    found: dict[str, list[str]] = {}
    for snapshot in db().collection_group("notifications").stream():
        found.setdefault(snapshot.reference.parent.parent.id, []).append(snapshot.id)
    return found


def mails() -> list[dict]:
    return [snapshot.to_dict() for snapshot in db().collection("mail").stream()]


def recipients(mail: dict) -> list[str]:
    """``to`` as the Trigger Email extension reads it: one address or a list."""
    to = mail["to"]
    return [to] if isinstance(to, str) else list(to)


def mails_to(address: str, kind: str | None = None) -> list[dict]:
    return [
        m
        for m in mails()
        if address.lower() in recipients(m) and (kind is None or m.get("kind") == kind)
    ]


def footprint() -> dict[str, object]:
    """Every document of the project and its update time: "nothing written" is no change. The
    audit trail aside: each request that writes adds its entry (tests/emulator/test_audit.py)."""
    found: dict[str, object] = {}

    def walk(collections) -> None:
        for collection in collections:
            if collection.id == "auditLog":
                continue
            for ref in collection.list_documents():
                snapshot = ref.get()
                if snapshot.exists:
                    found[ref.path] = snapshot.update_time
                walk(ref.collections())

    walk(db().collections())
    return found


def eventually(read: Callable[[], object], done: Callable[[object], bool], what: str) -> object:
    deadline = time.monotonic() + DELIVERED_WITHIN
    while not done(value := read()):
        assert time.monotonic() < deadline, f"{what} not delivered in time: {value}"
        time.sleep(0.2)
    return value


def delivered(
    kind: str,
    link: str,
    to: list[User],
    *,
    mailed: list[User],
    not_to: list[User],
    triggered: bool = False,
) -> dict[str, str]:
    """One event of ``kind`` (its ``link``): exactly one inbox document for each of ``to``, one
    mail for each of ``mailed``, and neither for ``not_to`` (the actor, the others). A trigger's
    event is read again after the emulator's second delivery had time to land. Returns each
    recipient's event key, by uid."""

    def of_kind() -> dict[str, list[str]]:
        return {
            user.uid: sorted(
                key
                for key, data in inbox(user).items()
                if data.get("kind") == kind and data.get("link") == link
            )
            for user in to + not_to
        }

    eventually(of_kind, lambda found: all(found[u.uid] for u in to), f"{kind} to {len(to)}")
    if triggered:
        time.sleep(BOTH_DELIVERIES)
    found = of_kind()
    assert {uid: len(keys) for uid, keys in found.items()} == {
        **{u.uid: 1 for u in to},
        **{u.uid: 0 for u in not_to},
    }, found
    keys = {u.uid: found[u.uid][0] for u in to}
    for user in to:
        data = inbox(user)[keys[user.uid]]
        assert {"kind", "title", "body", "link", "createdAt", "readAt"} <= set(data), data
        assert data["readAt"] is None
        assert data["title"]
        assert "/" not in keys[user.uid]
    every_key = set(keys.values())
    for user in to + not_to:
        sent = [m for m in mails_to(user.email, kind) if m.get("eventKey") in every_key]
        expected = 1 if user in mailed else 0
        assert len(sent) == expected, (user.email, kind, sent)
        if sent:
            (mail,) = sent
            assert mail["eventKey"] == keys[user.uid]
            message = mail["message"]
            assert all(message.get(part) for part in ("subject", "text", "html")), mail
            assert mail["createdAt"] is not None
    return keys


def kinds(user: User) -> list[str]:
    return sorted(data["kind"] for data in inbox(user).values())


# ---- the web app's requests -----------------------------------------------------------------


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@example.com"


def invite(coach: User, email: str, headers: dict | None = None) -> str:
    body = {"athleteEmail": email}
    reply = api("POST", "/api/invitations", coach, json=body, headers=headers or {})
    return str(ok(reply, 201)["invitationId"])


def opened(*users: User) -> None:
    """Each opens the app as the web app's set-up does (``GET /api/users/me``): the profile
    records the token's verified address, the only one mail goes to (docs/decisions.md,
    "Notifications")."""
    for user in users:
        ok(api("GET", "/api/users/me", user))


def preferences(user: User, **table: dict[str, bool]) -> dict:
    return ok(api("PUT", "/api/users/me", user, json={"notifications": table}))


def listed(user: User, **params) -> dict:
    return ok(api("GET", "/api/notifications", user, params=params))


def mark(user: User, **body):
    return api("POST", "/api/notifications/read", user, json=body)


def claims(user: User) -> dict:
    payload = user.id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def keyed() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


# ---- the journey --------------------------------------------------------------------------------


def test_sign_up_verify_profile_accept_and_the_coachs_inbox_shows_accepted(make_user):
    coach = sign_up(unique("coach"), "password123", role="coach", name="Cora <Coach> & Co")
    opened(coach)
    address = unique("newcomer")
    session = {"videoName": "vault.mp4", "athleteEmail": address, "event": "Vault"}
    session_id = ok(api("POST", "/api/sessions/create-with-athlete", coach, json=session), 201)[
        "sessionId"
    ]
    invitation_id = invite(coach, address)

    # No account at that address: one mail to it, no inbox document anywhere.
    sent = eventually(
        lambda: mails_to(address, "invitationReceived"), bool, "the invitation's mail"
    )
    time.sleep(0.5)
    assert len(mails_to(address)) == 1, sent
    (mail,) = mails_to(address)
    assert recipients(mail) == [address]
    html = mail["message"]["html"]
    assert "Cora &lt;Coach&gt; &amp; Co" in html  # autoescaped
    assert "<Coach>" not in html
    assert "Cora <Coach> & Co" in mail["message"]["text"]
    assert every_inbox() == {}

    # Signs up, verifies, sets a profile; finds the invitation; accepts.
    newcomer = verify_email(sign_up(address, "password123", verified=False))
    profile = {"displayName": "Nora Newcomer", "timezone": "Europe/Berlin"}
    ok(api("PUT", "/api/users/me", newcomer, json=profile))
    newcomer = sign_in(newcomer.email, newcomer.password)  # the app's getIdToken(true)
    pending = ok(api("GET", "/api/invitations?for=me", newcomer))["invitations"]
    assert [(i["invitationId"], i["coachName"]) for i in pending] == [
        (invitation_id, "Cora <Coach> & Co")
    ]
    accepted = ok(api("POST", f"/api/invitations/{invitation_id}/accept", newcomer))
    assert accepted["linkedSessions"] == 1
    assert ok(api("GET", f"/api/sessions/{session_id}", newcomer))["athleteId"] == newcomer.uid

    # The coach's inbox: "accepted", naming the athlete by the profile's name; unread 1.
    delivered("invitationAccepted", "/invitations", [coach], mailed=[coach], not_to=[newcomer])
    shown = listed(coach)
    assert (shown["unread"], shown["nextCursor"]) == (1, None)
    (note,) = shown["notifications"]
    assert set(note) == {"id", "kind", "title", "body", "link", "createdAt", "readAt"}
    assert (note["kind"], note["link"], note["readAt"]) == (
        "invitationAccepted",
        "/invitations",
        None,
    )
    assert "Nora Newcomer" in note["title"] + note["body"]
    assert newcomer.email.split("@")[0] not in note["title"] + note["body"]
    assert listed(newcomer) == {"notifications": [], "unread": 0, "nextCursor": None}


# ---- each event kind ----------------------------------------------------------------------------


def test_invitations_received_accepted_and_declined_once_each(make_user):
    coach, athlete, second, owner = (
        make_user("coach"),
        make_user(),
        make_user(),
        make_user("coach"),
    )
    opened(coach, athlete, second, owner)
    preferences(athlete, invitationReceived={"email": False})
    preferences(coach, invitationAccepted={"email": False})

    # Received: the invitee's inbox; the athlete turned its mail off, the second did not.
    headers = keyed()
    first_id = invite(coach, athlete.email, headers=headers)
    assert invite(coach, athlete.email, headers=headers) == first_id  # a replay: no new event
    received = delivered(
        "invitationReceived", "/invitations", [athlete], mailed=[], not_to=[coach, second]
    )
    second_id = invite(coach, second.email)
    delivered(
        "invitationReceived", "/invitations", [athlete, second], mailed=[second], not_to=[coach]
    )

    # A resend is a new event (a new expiry): a second document, not the first again.
    ok(api("POST", f"/api/invitations/{first_id}/resend", coach))
    eventually(lambda: kinds(athlete), lambda k: len(k) == 2, "the resend")
    assert kinds(athlete) == ["invitationReceived", "invitationReceived"]
    assert received[athlete.uid] in inbox(athlete)
    assert mails_to(athlete.email) == []  # still off

    # Declined: the coach; declining again is 409 and adds nothing.
    ok(api("POST", f"/api/invitations/{first_id}/decline", athlete))
    delivered(
        "invitationDeclined", "/invitations", [coach], mailed=[coach], not_to=[athlete, second]
    )
    again = api("POST", f"/api/invitations/{first_id}/decline", athlete)
    assert again.status_code == 409, again.text

    # Accepted: the coach, who turned that mail off; a second accept is 409 and adds nothing.
    ok(api("POST", f"/api/invitations/{second_id}/accept", second))
    delivered("invitationAccepted", "/invitations", [coach], mailed=[], not_to=[second, athlete])
    again = api("POST", f"/api/invitations/{second_id}/accept", second)
    assert again.status_code == 409, again.text

    # A group invitation goes to the invited uid; its acceptance to the group's owner.
    group_id = ok(api("POST", "/api/groups", owner, json={"name": "Rings"}), 201)["groupId"]
    join_group(owner, group_id, second, by="userId")
    delivered("invitationAccepted", "/invitations", [owner], mailed=[owner], not_to=[second])
    eventually(lambda: kinds(second), lambda k: len(k) == 2, "the group's invitation")
    time.sleep(0.5)
    assert kinds(second) == ["invitationReceived", "invitationReceived"]
    assert kinds(coach) == ["invitationAccepted", "invitationDeclined"]
    assert kinds(athlete) == ["invitationReceived", "invitationReceived"]
    assert [m["kind"] for m in mails_to(coach.email)] == ["invitationDeclined"]


def test_a_class_started_and_members_marked_absent(make_user):
    owner = make_user("coach")
    members = [make_user() for _ in range(3)]
    group_id = ok(api("POST", "/api/groups", owner, json={"name": "Optics"}), 201)["groupId"]
    for member in members:
        join_group(owner, group_id, member, by="userId")
    opened(owner, *members)
    preferences(members[0], classStarted={"email": True})
    preferences(members[2], markedAbsent={"email": False})

    headers = keyed()
    started = ok(api("POST", f"/api/groups/{group_id}/sessions", owner, headers=headers), 201)
    replay = ok(api("POST", f"/api/groups/{group_id}/sessions", owner, headers=headers), 201)
    assert replay == started
    link = f"/classes/{group_id}"
    keys = delivered("classStarted", link, members, mailed=[members[0]], not_to=[owner])
    (key,) = set(keys.values())  # one event: one key, the same for every member
    assert started["sessionId"] in key

    session_id = started["sessionId"]
    ok(api("POST", f"/api/sessions/{session_id}/check-in", members[0]))
    ok(api("POST", f"/api/sessions/{session_id}/end", owner))
    delivered("markedAbsent", link, members[1:], mailed=[members[1]], not_to=[owner, members[0]])
    assert not {"classStarted", "markedAbsent"} & set(kinds(owner))


def test_analysis_comment_and_completion_reach_the_others_once(make_user, moving):
    coach, athlete = linked(make_user)
    opened(coach, athlete)
    preferences(athlete, analysisCompleted={"email": False})
    preferences(coach, commentAdded={"email": True})
    done, broken = new_session(coach, athlete), new_session(coach, athlete)
    with ThreadPoolExecutor(2) as pool:  # both analyses at once
        list(
            pool.map(
                lambda job: upload(coach, job[0], job[1], name=job[2]),
                [(done, moving, "jump.mp4"), (broken, b"notes, not a video\n" * 20, "x.mp4")],
            )
        )
    assert analysed(coach, done)["analysisStatus"] == "completed"
    assert analysed(coach, broken)["analysisStatus"] == "failed"

    # From the trigger on the session, delivered twice by the emulator: one document each.
    delivered(
        "analysisCompleted",
        f"/sessions/{done}",
        [coach, athlete],
        mailed=[coach],
        not_to=[],
        triggered=True,
    )
    delivered(
        "analysisFailed",
        f"/sessions/{broken}",
        [coach, athlete],
        mailed=[coach, athlete],
        not_to=[],
        triggered=False,  # the same wait was just had
    )

    # A comment by the athlete: the coach (who turned that mail on); a replay adds nothing.
    headers = keyed()
    path = f"/api/sessions/{done}/comments"
    comment = {"atMs": 500, "text": "Was my knee in?"}
    first = ok(api("POST", path, athlete, json=comment, headers=headers), 201)
    assert ok(api("POST", path, athlete, json=comment, headers=headers), 201) == first
    delivered("commentAdded", f"/sessions/{done}/review", [coach], mailed=[coach], not_to=[athlete])

    # Completed by the coach: the athlete; the retried request (with its code: how a retry is
    # told from a second completion) answers the same and adds nothing.
    body = {"actualStart": "2026-12-19T09:30:00+01:00", "actualEnd": "2026-12-19T10:45:00+01:00",
            "completionCode": f"N-{time.time_ns()}"}  # fmt: skip
    completed = ok(api("POST", f"/api/sessions/{done}/complete", coach, json=body))
    assert ok(api("POST", f"/api/sessions/{done}/complete", coach, json=body)) == completed
    delivered("sessionCompleted", f"/sessions/{done}", [athlete], mailed=[athlete], not_to=[coach])
    assert kinds(coach) == [  # and the athlete's acceptance, which linked them
        "analysisCompleted",
        "analysisFailed",
        "commentAdded",
        "invitationAccepted",
    ]
    assert kinds(athlete) == [
        "analysisCompleted",
        "analysisFailed",
        "invitationReceived",
        "sessionCompleted",
    ]


def test_a_role_change_reaches_the_person_and_not_the_admin(make_user):
    admin, person = make_user("admin"), make_user()
    opened(admin, person)
    ok(api("POST", f"/api/users/{person.uid}/role", admin, json={"role": "coach"}))
    delivered("roleChanged", "/profile", [person], mailed=[person], not_to=[admin])
    # The change revoked the person's sign-in (to the second): they sign in again after it.
    time.sleep(1.1)
    person = sign_in(person.email, person.password, role="coach")
    preferences(person, roleChanged={"email": False})
    ok(api("POST", f"/api/users/{person.uid}/role", admin, json={"role": None}))
    eventually(lambda: kinds(person), lambda k: len(k) == 2, "the second role change")
    time.sleep(0.5)
    assert kinds(person) == ["roleChanged", "roleChanged"]
    assert len(mails_to(person.email, "roleChanged")) == 1  # the first only
    assert every_inbox().keys() == {person.uid}


# ---- the inbox API ------------------------------------------------------------------------------


def test_the_inbox_lists_newest_first_counts_unread_and_marks_read(make_user):
    coach, athlete, other = make_user("coach"), make_user(), make_user()
    invitation_id = invite(coach, athlete.email)
    for _ in range(4):  # each resend is a new event: five notifications in all
        ok(api("POST", f"/api/invitations/{invitation_id}/resend", coach))
    invite(coach, other.email)
    eventually(lambda: (len(inbox(athlete)), len(inbox(other))), lambda n: n == (5, 1), "five")
    stored = inbox(athlete)
    newest_first = sorted(stored, key=lambda key: stored[key]["createdAt"], reverse=True)
    (theirs,) = inbox(other)

    # Pages of two, by cursor; the count is of every unread one.
    pages, cursor = [], None
    while True:
        page = listed(athlete, limit=2, **({"cursor": cursor} if cursor else {}))
        assert page["unread"] == 5
        pages.append([n["id"] for n in page["notifications"]])
        if not (cursor := page["nextCursor"]):
            break
    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:]]
    whole = listed(athlete)
    assert [n["id"] for n in whole["notifications"]] == newest_first
    assert all(n["kind"] == "invitationReceived" for n in whole["notifications"])
    for limit in (0, 101, "x"):
        refused = api("GET", "/api/notifications", athlete, params={"limit": limit})
        assert refused.status_code == 400, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == ["limit"]

    # One marked read; again: read 0. The count follows exactly.
    assert ok(mark(athlete, ids=[newest_first[1]])) == {"read": 1, "unread": 4}
    assert inbox(athlete)[newest_first[1]]["readAt"] is not None
    assert ok(mark(athlete, ids=[newest_first[1]])) == {"read": 0, "unread": 4}
    assert listed(athlete)["unread"] == 4
    assert listed(athlete)["notifications"][1]["readAt"] is not None

    # Another person's id, or none at all: 404 naming ids, and nothing is written.
    before = footprint()
    for ids in ([newest_first[0], theirs], ["no-such-notification"], [theirs]):
        refused = mark(athlete, ids=ids)
        assert refused.status_code == 404, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == ["ids"]
    assert footprint() == before
    assert listed(other)["unread"] == 1
    # Malformed bodies: 400, nothing written.
    for body, named in (
        ({}, {"ids", "all", "body"}),
        ({"ids": []}, {"ids"}),
        ({"ids": ["a"] * 101}, {"ids"}),
        ({"ids": [newest_first[0]], "all": True}, {"ids", "all", "body"}),
        ({"all": False}, {"all"}),
    ):
        refused = mark(athlete, **body)
        assert refused.status_code == 400, (body, refused.text)
        fields = {e["field"] for e in refused.json().get("errors", [])}
        assert fields, refused.text
        assert fields <= named, (body, refused.text)
    assert footprint() == before

    # All: the four left; then none. By callable as well.
    by_callable = call("markNotificationsRead", {"all": True}, athlete)
    assert by_callable.status_code == 200, by_callable.text
    assert by_callable.json()["result"] == {"read": 4, "unread": 0}
    assert ok(mark(athlete, all=True)) == {"read": 0, "unread": 0}
    listing = call("listNotifications", {"limit": 5}, athlete)
    assert listing.status_code == 200, listing.text
    assert listing.json()["result"]["unread"] == 0
    assert all(n["readAt"] is not None for n in listing.json()["result"]["notifications"])
    assert inbox(other)[theirs]["readAt"] is None  # untouched


def test_devices_are_registered_once_refused_when_not_a_token_and_removed(make_user):
    person = make_user()
    ok(api("GET", "/api/users/me", person))  # the profile exists
    before = footprint()
    for token in ("not a token", "short-token", "x" * 4097, "a/b" * 10, 12345678901234567890):
        refused = api("POST", "/api/users/me/devices", person, json={"token": token})
        assert refused.status_code == 400, (token, refused.text)
        assert [e["field"] for e in refused.json()["errors"]] == ["token"]
    assert footprint() == before

    first = ok(api("POST", "/api/users/me/devices", person, json={"token": FCM_TOKEN}), 201)
    assert set(first) == {"deviceId"}
    registered = footprint()
    assert registered != before  # the device is recorded somewhere
    again = ok(api("POST", "/api/users/me/devices", person, json={"token": FCM_TOKEN}), 201)
    assert again == first
    assert footprint().keys() == registered.keys()  # the same device, not a second one
    by_callable = call("registerDevice", {"token": FCM_TOKEN}, person)
    assert by_callable.status_code == 200, by_callable.text
    assert by_callable.json()["result"] == first

    removed = api("DELETE", f"/api/users/me/devices/{first['deviceId']}", person)
    assert ok(removed) == {"deviceId": first["deviceId"], "removed": True}
    assert footprint().keys() == before.keys()


def test_preferences_answer_the_whole_table_and_refuse_unknown_names(make_user):
    person = make_user()
    table = ok(api("GET", "/api/users/me", person))["notifications"]
    assert table == DEFAULT_PREFERENCES
    before = document(f"users/{person.uid}")
    for notifications, field in (
        ({"nope": {"email": False}}, "notifications.nope"),
        ({"classStarted": {"sms": True}}, "notifications.classStarted.sms"),
        ({"classStarted": {"inApp": False}}, "notifications.classStarted.inApp"),
        ({"classStarted": {"email": "no"}}, "notifications.classStarted.email"),
    ):
        refused = api("PUT", "/api/users/me", person, json={"notifications": notifications})
        assert refused.status_code == 400, (notifications, refused.text)
        assert [e["field"] for e in refused.json()["errors"]] == [field]
        assert document(f"users/{person.uid}") == before
    changed = preferences(person, classStarted={"email": True}, roleChanged={"push": False})
    expected = table | {
        "classStarted": {"email": True, "push": True},
        "roleChanged": {"email": True, "push": False},
    }
    assert changed["notifications"] == expected
    assert ok(api("GET", "/api/users/me", person))["notifications"] == expected


# ---- the rules ----------------------------------------------------------------------------------


def client_query(user: User, parent: str, collection: str, *, unread: bool = False):
    """A client's query on a subcollection, as the SDK sends it: (status, ids)."""
    query: dict = {"from": [{"collectionId": collection}]}
    if unread:
        query["where"] = {"unaryFilter": {"op": "IS_NULL", "field": {"fieldPath": "readAt"}}}
    reply = requests.post(
        f"{DOCUMENTS}/{parent}:runQuery" if parent else f"{DOCUMENTS}:runQuery",
        json={"structuredQuery": query},
        headers=user.bearer,
        timeout=10,
    )
    entries = reply.json() if reply.status_code == 200 else []
    if reply.status_code == 403 or any(
        e.get("error", {}).get("status") == "PERMISSION_DENIED" for e in entries
    ):
        return 403, []
    return reply.status_code, [
        e["document"]["name"].rsplit("/", 1)[1] for e in entries if "document" in e
    ]


def test_people_read_their_own_notifications_and_no_client_writes(make_user, listen):
    coach, athlete = make_user("coach"), make_user()
    invite(coach, athlete.email)
    (key,) = eventually(lambda: inbox(athlete), bool, "the invitation")
    path = f"users/{athlete.uid}/notifications/{key}"
    parent = f"users/{athlete.uid}"

    own = requests.get(f"{DOCUMENTS}/{path}", headers=athlete.bearer, timeout=10)
    assert own.status_code == 200, own.text
    assert client_query(athlete, parent, "notifications") == (200, [key])
    assert client_query(athlete, parent, "notifications", unread=True) == (200, [key])
    other = requests.get(f"{DOCUMENTS}/{path}", headers=coach.bearer, timeout=10)
    assert other.status_code == 403, other.text
    assert client_query(coach, parent, "notifications") == (403, [])
    assert client_query(athlete, "", "mail") == (403, [])  # others' addresses

    # The bell's listener: the unread ones, live; another person's is refused.
    target = {
        "name": "bell",
        "collection": f"users/{athlete.uid}/notifications",
        "where": {"readAt": None},
        "snapshots": 1,
    }
    mine, theirs = listen(athlete, [target]), listen(coach, [target])
    bell = mine.answer("bell")
    assert (bell["ok"], bell["ids"]) == (True, [key]), bell
    refused = theirs.answer("bell")
    assert (refused["ok"], refused.get("code")) == (False, "permission-denied")
    mine.finish()
    theirs.finish()

    # Nobody writes from a client: not the owner (marking read is the API's), not others.
    before = footprint()
    fields = {"fields": {"readAt": {"timestampValue": "2026-01-01T00:00:00Z"}}}
    for user in (athlete, coach):
        for method, url, body in (
            ("PATCH", f"{DOCUMENTS}/{path}?updateMask.fieldPaths=readAt", fields),
            ("PATCH", f"{DOCUMENTS}/{parent}/notifications/forged", fields),
            ("DELETE", f"{DOCUMENTS}/{path}", None),
            ("PATCH", f"{DOCUMENTS}/mail/forged", {"fields": {"to": {"stringValue": "x@y.z"}}}),
        ):
            reply = requests.request(method, url, json=body, headers=user.bearer, timeout=10)
            assert reply.status_code == 403, (user.email, method, url, reply.text)
    assert footprint() == before


# ---- names --------------------------------------------------------------------------------------


def test_a_fresh_token_carries_the_profile_name_into_new_records(make_user):
    coach, athlete = linked(make_user)
    ok(api("PUT", "/api/users/me", coach, json={"displayName": "Nadia Name"}))
    coach = sign_in(coach.email, coach.password, role="coach")  # getIdToken(true)
    assert claims(coach).get("name") == "Nadia Name"

    session_id = new_session(coach, athlete)
    for reader in (coach, athlete):
        assert ok(api("GET", f"/api/sessions/{session_id}", reader))["coachName"] == "Nadia Name"
    group_id = ok(api("POST", "/api/groups", coach, json={"name": "Beam"}), 201)["groupId"]
    assert ok(api("GET", f"/api/groups/{group_id}", coach))["ownerName"] == "Nadia Name"
