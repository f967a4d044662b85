"""Group membership by invitation (issue 21, item 2): adding a member is an invitation the person
accepts, and the answer says nothing of whether an account exists until they do.

``addGroupMember`` used to be a user-lookup oracle: 404 for an unknown e-mail or uid, 201 with
the person's uid, e-mail and display name for a known one, and the person was in the group
without being asked.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from devtools.emulators import api, documents, field
from tests.uploads import ok

# What the answer to an invitation holds: the invitation, nothing of the person.
INVITED = {"invitationId", "groupId", "status", "expiresAt"}


def new_group(owner, name: str = "Rings") -> str:
    return ok(api("POST", "/api/groups", owner, json={"name": name}), 201)["groupId"]


def invite(owner, group_id: str, **address) -> dict:
    return ok(api("POST", f"/api/groups/{group_id}/members", owner, json=address), 201)


def accept(user, invitation_id: str):
    return api("POST", f"/api/invitations/{invitation_id}/accept", user)


def member_count(owner, group_id: str) -> int:
    return int(ok(api("GET", f"/api/groups/{group_id}", owner))["memberCount"])


def roster(owner, group_id: str) -> list[str]:
    return [m["uid"] for m in ok(api("GET", f"/api/groups/{group_id}/members", owner))["members"]]


def test_the_answer_is_the_same_whether_or_not_an_account_exists(make_user):
    owner, person = make_user("coach"), make_user()
    group_id = new_group(owner)
    nobody = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
    replies = {
        "known e-mail": api("POST", f"/api/groups/{group_id}/members", owner,
                            json={"email": person.email}),
        "unknown e-mail": api("POST", f"/api/groups/{group_id}/members", owner,
                              json={"email": nobody}),
        "known uid": api("POST", f"/api/groups/{group_id}/members", owner,
                         json={"userId": person.uid}),
        "unknown uid": api("POST", f"/api/groups/{group_id}/members", owner,
                           json={"userId": f"no-{uuid.uuid4().hex}"}),
    }  # fmt: skip
    assert {name: r.status_code for name, r in replies.items()} == dict.fromkeys(replies, 201), {
        name: r.text for name, r in replies.items()
    }
    bodies = {name: r.json() for name, r in replies.items()}
    assert set(bodies["known e-mail"]) == set(bodies["unknown e-mail"]) == INVITED | {"email"}
    assert set(bodies["known uid"]) == set(bodies["unknown uid"]) == INVITED | {"userId"}
    for body in bodies.values():
        assert (body["groupId"], body["status"]) == (group_id, "pending")
    assert bodies["known e-mail"]["email"] == person.email.lower()
    assert bodies["unknown e-mail"]["email"] == nobody
    assert bodies["known uid"]["userId"] == person.uid
    # Nothing of the person: no uid for an e-mail, no e-mail or name for a uid.
    text = replies["known e-mail"].text + replies["known uid"].text
    assert person.uid not in replies["known e-mail"].text
    assert person.email.lower() not in replies["known uid"].text
    assert "displayName" not in text
    # Nobody joined: the roster and the count are the owner's alone.
    assert roster(owner, group_id) == [owner.uid]
    assert member_count(owner, group_id) == 0
    assert api("GET", f"/api/groups/{group_id}", person).status_code == 404


def test_membership_begins_when_the_invited_person_accepts(make_user, listen):
    owner, person = make_user("coach"), make_user()
    group_id = new_group(owner, "Beam")
    invitation = invite(owner, group_id, email=person.email)
    # The invitee sees the invitation (the API and a direct read agree), the group not yet.
    [received] = ok(api("GET", "/api/invitations", person))["invitations"]
    assert (received["invitationId"], received["kind"], received["groupId"]) == (
        invitation["invitationId"],
        "group",
        group_id,
    )
    assert (received["groupName"], received["status"]) == ("Beam", "pending")
    watching = listen(person, [{"name": "inv", "doc": f"invitations/{invitation['invitationId']}"}])
    [seen] = watching.finish()["inv"]
    assert seen["ok"], seen
    assert api("GET", f"/api/groups/{group_id}", person).status_code == 404

    accepted = ok(accept(person, invitation["invitationId"]))
    assert (accepted["status"], accepted["kind"], accepted["groupId"]) == (
        "accepted",
        "group",
        group_id,
    )
    assert ok(api("GET", f"/api/groups/{group_id}", person))["memberCount"] == 1
    assert roster(owner, group_id) == [owner.uid, person.uid]
    [listed] = ok(api("GET", "/api/groups", person))["groups"]
    assert listed["groupId"] == group_id
    # No coach link is made by a group invitation.
    assert documents("links") == [] or all(
        field(d, "athleteId") != person.uid for d in documents("links")
    )
    # Inviting a member again: 409, the owner learns only what their roster already says.
    again = api("POST", f"/api/groups/{group_id}/members", owner, json={"email": person.email})
    assert (again.status_code, again.json()["code"]) == (409, "already-exists")
    by_uid = api("POST", f"/api/groups/{group_id}/members", owner, json={"userId": person.uid})
    assert by_uid.status_code == 409


def test_an_invitation_by_uid_is_accepted_by_that_account(make_user):
    owner, person, other = make_user("coach"), make_user(), make_user()
    group_id = new_group(owner)
    invitation = invite(owner, group_id, userId=person.uid)
    assert ok(api("GET", "/api/invitations", other))["invitations"] == []
    assert accept(other, invitation["invitationId"]).status_code == 404
    [received] = ok(api("GET", "/api/invitations", person))["invitations"]
    assert received["invitationId"] == invitation["invitationId"]
    ok(accept(person, invitation["invitationId"]))
    assert roster(owner, group_id) == [owner.uid, person.uid]


def test_a_stranger_cannot_accept_someone_elses_group_invitation(make_user):
    owner, person, stranger = make_user("coach"), make_user(), make_user()
    unverified = make_user(verified=False)
    group_id = new_group(owner)
    invitation_id = invite(owner, group_id, email=person.email)["invitationId"]
    for who in (stranger, owner):
        refused = accept(who, invitation_id)
        assert (refused.status_code, refused.json()["code"]) == (404, "not-found"), refused.text
    # An address nobody has verified does not accept, even its own account's.
    unverified_id = invite(owner, group_id, email=unverified.email)["invitationId"]
    refused = accept(unverified, unverified_id)
    assert (refused.status_code, refused.json()["code"]) == (404, "not-found"), refused.text
    assert roster(owner, group_id) == [owner.uid]
    assert member_count(owner, group_id) == 0
    assert documents(f"groups/{group_id}/members")[0]["name"].endswith(owner.uid)


def test_an_accept_delivered_twice_counts_once(make_user):
    owner, person, second = make_user("coach"), make_user(), make_user()
    group_id = new_group(owner)
    invitation_id = invite(owner, group_id, email=person.email)["invitationId"]
    ok(accept(person, invitation_id))
    twice = accept(person, invitation_id)
    assert (twice.status_code, twice.json()["code"]) == (409, "already-exists")
    assert member_count(owner, group_id) == 1

    # At once: one accept wins, the others find it accepted; one member, counted once.
    invitation_id = invite(owner, group_id, email=second.email)["invitationId"]
    with ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(lambda _: accept(second, invitation_id), range(6)))
    statuses = sorted(r.status_code for r in replies)
    assert statuses.count(200) == 1, [r.text for r in replies]
    assert set(statuses) <= {200, 409}, [r.text for r in replies]
    assert member_count(owner, group_id) == 2
    assert len(documents(f"groups/{group_id}/members")) == 3


def test_revoked_invitations_are_not_accepted_and_a_member_may_leave(make_user):
    owner, person = make_user("coach"), make_user()
    group_id = new_group(owner)
    invitation_id = invite(owner, group_id, email=person.email)["invitationId"]
    pending = api("POST", f"/api/groups/{group_id}/members", owner, json={"email": person.email})
    assert pending.status_code == 409  # one pending invitation per group and address
    ok(api("POST", f"/api/invitations/{invitation_id}/revoke", owner))
    assert accept(person, invitation_id).status_code == 400
    assert member_count(owner, group_id) == 0

    invitation_id = invite(owner, group_id, email=person.email)["invitationId"]  # invited anew
    ok(accept(person, invitation_id))
    left = api("DELETE", f"/api/groups/{group_id}/members/{person.uid}", person)
    assert left.status_code == 200, left.text
    assert member_count(owner, group_id) == 0
    assert api("GET", f"/api/groups/{group_id}", person).status_code == 404
    # Having left, the person can be invited again, and accepting counts once more.
    invitation_id = invite(owner, group_id, email=person.email)["invitationId"]
    ok(accept(person, invitation_id))
    assert member_count(owner, group_id) == 1


def test_only_the_owner_or_an_admin_invites(make_user):
    owner, member, outsider = make_user("coach"), make_user(), make_user("coach")
    group_id = new_group(owner)
    ok(accept(member, invite(owner, group_id, email=member.email)["invitationId"]))
    body = {"email": "someone@example.com"}
    assert api("POST", f"/api/groups/{group_id}/members", member, json=body).status_code == 403
    assert api("POST", f"/api/groups/{group_id}/members", outsider, json=body).status_code == 404
    bad = api("POST", f"/api/groups/{group_id}/members", owner, json={"email": "x", "y": 1})
    assert (bad.status_code, {e["field"] for e in bad.json()["errors"]}) == (400, {"email", "y"})
    assert not [
        d for d in documents("invitations") if field(d, "groupId") == group_id and
        field(d, "athleteEmail") == "someone@example.com"
    ]  # fmt: skip
