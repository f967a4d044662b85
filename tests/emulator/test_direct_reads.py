"""Direct reads show no more than the API (issue 21, item 14).

Each read goes straight to Firestore with the user's own ID token, as the web app's listeners and
queries do, after the documents were made through the API: the security rules decide. A coach
linked to an athlete read the athlete's whole profile (`users/{uid}`: e-mail, role, standing),
which no API answer gives a coach; a group member listed a class's attendance, and so the uids
of the whole roster, which only the group's owner sees in the API.
"""

from __future__ import annotations

import requests

from devtools.emulators import FIRESTORE, PROJECT, api
from tests.uploads import ok

DOCUMENTS = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents"


def client_get(user, path: str) -> requests.Response:
    """A client's read of one document: 200, 404 (allowed, missing) or 403 (refused)."""
    return requests.get(f"{DOCUMENTS}/{path}", headers=user.bearer, timeout=10)


def client_list(user, parent: str, collection: str) -> tuple[int, list[str]]:
    """A client's query over a whole (sub)collection: the status and the ids it returned."""
    url = f"{DOCUMENTS}/{parent}:runQuery" if parent else f"{DOCUMENTS}:runQuery"
    body = {"structuredQuery": {"from": [{"collectionId": collection}]}}
    reply = requests.post(url, json=body, headers=user.bearer, timeout=10)
    entries = reply.json() if reply.status_code == 200 else []
    if reply.status_code == 403 or any(
        e.get("error", {}).get("status") == "PERMISSION_DENIED" for e in entries
    ):
        return 403, []
    names = [e["document"]["name"].rsplit("/", 1)[1] for e in entries if "document" in e]
    return reply.status_code, names


def join(owner, group_id: str, person) -> None:
    """The owner adds the person by uid; an invitation (issue 21, item 2) is accepted."""
    added = ok(
        api("POST", f"/api/groups/{group_id}/members", owner, json={"userId": person.uid}), 201
    )
    if "invitationId" in added:
        ok(api("POST", f"/api/invitations/{added['invitationId']}/accept", person))


def test_a_linked_coach_reads_nothing_of_the_athletes_profile(make_user):
    """The athlete here is a coach too (an assistant who trains): their profile holds their
    e-mail and role, which the coach they accepted read directly until now."""
    admin, coach, assistant = make_user("admin"), make_user("coach"), make_user("coach")
    sent = ok(api("POST", "/api/invitations", coach, json={"athleteEmail": assistant.email}), 201)
    ok(api("POST", f"/api/invitations/{sent['invitationId']}/accept", assistant))

    read = client_get(coach, f"users/{assistant.uid}")
    assert read.status_code == 403, read.text  # was 200, with the e-mail and the role
    assert client_get(assistant, f"users/{assistant.uid}").status_code == 200  # their own
    assert client_get(admin, f"users/{assistant.uid}").status_code == 200
    # The link still gives the coach the athlete's sessions, as the API does.
    session = {"athleteId": assistant.uid, "event": "Vault", "sessionType": "Training"}
    session_id = ok(api("POST", "/api/sessions", coach, json=session), 201)["sessionId"]
    assert client_get(coach, f"sessions/{session_id}").status_code == 200


def test_a_member_reads_their_own_attendance_and_not_the_roll(make_user):
    owner, first, second = make_user("coach"), make_user(), make_user()
    group_id = ok(api("POST", "/api/groups", owner, json={"name": "Rings"}), 201)["groupId"]
    join(owner, group_id, first)
    join(owner, group_id, second)
    session_id = ok(api("POST", f"/api/groups/{group_id}/sessions", owner), 201)["sessionId"]
    for member in (first, second):
        ok(api("POST", f"/api/sessions/{session_id}/check-in", member))
    session = f"sessions/{session_id}"

    # The member: their own record, the session, the group; not the others' records.
    assert client_get(first, f"{session}/attendance/{first.uid}").status_code == 200
    assert client_get(first, session).status_code == 200
    assert client_get(first, f"groups/{group_id}").status_code == 200
    assert client_get(first, f"{session}/attendance/{second.uid}").status_code == 403
    assert client_list(first, session, "attendance") == (403, [])  # was 200, both uids
    assert client_get(first, f"groups/{group_id}/members/{second.uid}").status_code == 403

    # The owner's roll, as the web app's roster listens to it.
    status, uids = client_list(owner, session, "attendance")
    assert (status, sorted(uids)) == (200, sorted([first.uid, second.uid]))
