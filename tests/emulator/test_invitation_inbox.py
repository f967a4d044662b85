"""The invitation inbox (issue 25): ``GET /api/invitations?for=me``, decline, resend, 30 days.

A person invited before they had an account signs up, verifies their address (through the Auth
emulator's out-of-band code, as the link in the mail does), finds the invitation in their inbox
with the coach's name, and accepts it. The invitee declines (the coach reads "declined"); the
coach resends a pending or lapsed invitation (a new expiry, the same invitation).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from devtools.emulators import (
    User,
    api,
    call,
    document,
    sign_up,
    verify_email,
)
from tests.uploads import ok


def inbox(user: User) -> list[dict]:
    return ok(api("GET", "/api/invitations?for=me", user))["invitations"]


def sent(coach: User) -> dict[str, dict]:
    return {i["invitationId"]: i for i in ok(api("GET", "/api/invitations", coach))["invitations"]}


def invite(coach: User, email: str) -> str:
    reply = api("POST", "/api/invitations", coach, json={"athleteEmail": email})
    return ok(reply, 201)["invitationId"]


def set_fields(path: str, **fields: object) -> None:
    """Change some fields of a document as the emulator's owner (the API has no clock to move,
    and no profile operation in this test's scope)."""
    from sessionbase.store.client import firestore_client

    collection, name = path.split("/")
    firestore_client().collection(collection).document(name).set(fields, merge=True)


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@example.com"


def test_a_person_invited_before_signing_up_finds_the_invitation_after_verifying(make_user):
    coach = sign_up(unique("coach"), "password123", role="coach", name="Cora Coach")
    address = unique("newcomer")
    invitation_id = invite(coach, address)

    # Signed up, not verified yet: the inbox holds nothing addressed to the e-mail, and the
    # invitation cannot be accepted (the same 404 as a wrong id).
    newcomer = sign_up(address, "password123", verified=False)
    assert inbox(newcomer) == []
    assert api("POST", f"/api/invitations/{invitation_id}/accept", newcomer).status_code == 404

    newcomer = verify_email(newcomer)
    found = inbox(newcomer)
    assert [i["invitationId"] for i in found] == [invitation_id]
    (shown,) = found
    assert (shown["status"], shown["kind"], shown["coachName"]) == (
        "pending",
        "coach",
        "Cora Coach",
    )
    lifetime = when(shown["expiresAt"]) - when(shown["createdAt"])
    assert lifetime == timedelta(days=30)
    # The coach's sent invitations are not their inbox.
    assert inbox(coach) == []

    # The inbox names the coach as their profile does now.
    set_fields(f"users/{coach.uid}", displayName="Cora Carter")
    assert inbox(newcomer)[0]["coachName"] == "Cora Carter"
    by_callable = call("listInvitations", {"for": "me"}, newcomer)
    assert by_callable.status_code == 200, by_callable.text
    assert [i["invitationId"] for i in by_callable.json()["result"]["invitations"]] == [
        invitation_id
    ]
    assert by_callable.json()["result"]["invitations"][0]["coachName"] == "Cora Carter"

    accepted = ok(api("POST", f"/api/invitations/{invitation_id}/accept", newcomer))
    assert (accepted["coachId"], accepted["athleteId"]) == (coach.uid, newcomer.uid)
    assert document(f"links/{coach.uid}_{newcomer.uid}") is not None
    assert inbox(newcomer) == []  # answered: no longer pending
    assert sent(coach)[invitation_id]["status"] == "accepted"


def test_the_inbox_refuses_another_value_of_for(make_user):
    person = make_user()
    reply = api("GET", "/api/invitations?for=everyone", person)
    assert reply.status_code == 400, reply.text
    assert [e["field"] for e in reply.json()["errors"]] == ["for"]


def test_the_inbox_names_a_coach_without_a_profile_name_as_the_invitation_does(make_user):
    coach, athlete = make_user("coach"), make_user()
    invitation_id = invite(coach, athlete.email)
    set_fields(f"users/{coach.uid}", displayName=None)
    (shown,) = inbox(athlete)
    assert shown["invitationId"] == invitation_id
    assert shown["coachName"] == coach.email.split("@")[0]  # the name it was sent with


def test_the_invitee_declines_and_the_coach_reads_declined(make_user):
    coach, athlete, stranger = make_user("coach"), make_user(), make_user()
    invitation_id = invite(coach, athlete.email)
    path = f"/api/invitations/{invitation_id}/decline"
    # Only the invited person declines: anyone else, the coach too, finds nothing.
    for other in (stranger, coach):
        assert api("POST", path, other).status_code == 404
    unverified = sign_up(unique("late"), "password123", verified=False)
    late_id = invite(coach, unverified.email)
    assert api("POST", f"/api/invitations/{late_id}/decline", unverified).status_code == 404
    assert sent(coach)[invitation_id]["status"] == "pending"

    declined = ok(api("POST", path, athlete))
    assert declined == {"invitationId": invitation_id, "status": "declined"}
    assert sent(coach)[invitation_id]["status"] == "declined"
    assert inbox(athlete) == []
    # Declined is an answer: accepting or declining again is 409, and no link is made.
    assert api("POST", f"/api/invitations/{invitation_id}/accept", athlete).status_code == 409
    assert api("POST", path, athlete).status_code == 409
    assert document(f"links/{coach.uid}_{athlete.uid}") is None
    # The coach may invite the address anew.
    assert invite(coach, athlete.email) == invitation_id
    assert [i["invitationId"] for i in inbox(athlete)] == [invitation_id]


def test_a_group_invitation_by_uid_is_in_the_inbox_and_declined_by_callable(make_user):
    owner = make_user("coach")
    person = sign_up(unique("member"), "password123", verified=False)
    group_id = ok(api("POST", "/api/groups", owner, json={"name": "Rings"}), 201)["groupId"]
    invited = api("POST", f"/api/groups/{group_id}/members", owner, json={"userId": person.uid})
    invitation_id = ok(invited, 201)["invitationId"]
    (shown,) = inbox(person)  # addressed to the account: no verified e-mail needed
    assert (shown["invitationId"], shown["kind"], shown["groupName"]) == (
        invitation_id,
        "group",
        "Rings",
    )
    reply = call("declineInvitation", {"invitationId": invitation_id}, person)
    assert reply.status_code == 200, reply.text
    assert reply.json()["result"]["status"] == "declined"
    assert sent(owner)[invitation_id]["status"] == "declined"
    roster = ok(api("GET", f"/api/groups/{group_id}/members", owner))["members"]
    assert [m["uid"] for m in roster] == [owner.uid]  # nobody joined


def test_the_coach_resends_a_pending_or_lapsed_invitation(make_user):
    coach, other_coach, athlete = make_user("coach"), make_user("coach"), make_user()
    invitation_id = invite(coach, athlete.email)
    path = f"/api/invitations/{invitation_id}/resend"
    for other in (athlete, other_coach):
        assert api("POST", path, other).status_code == 404

    # Lapsed: it reads expired and cannot be accepted; resending makes it pending again.
    lapsed_at = datetime.now(UTC) - timedelta(days=1)
    set_fields(f"invitations/{invitation_id}", expiresAt=lapsed_at)
    assert sent(coach)[invitation_id]["status"] == "expired"
    assert inbox(athlete) == []
    assert api("POST", f"/api/invitations/{invitation_id}/accept", athlete).status_code == 400

    before = datetime.now(UTC)
    resent = ok(api("POST", path, coach))
    assert (resent["invitationId"], resent["status"]) == (invitation_id, "pending")
    expires = when(resent["expiresAt"])
    assert before + timedelta(days=30) - timedelta(seconds=5) <= expires
    assert expires <= datetime.now(UTC) + timedelta(days=30)
    shown = sent(coach)[invitation_id]
    assert (shown["status"], when(shown["expiresAt"])) == ("pending", expires)
    assert [i["invitationId"] for i in inbox(athlete)] == [invitation_id]

    # Resent while pending: a new expiry again; by callable too.
    again = call("resendInvitation", {"invitationId": invitation_id}, coach)
    assert again.status_code == 200, again.text
    assert when(again.json()["result"]["expiresAt"]) >= expires

    ok(api("POST", f"/api/invitations/{invitation_id}/accept", athlete))
    refused = api("POST", path, coach)
    assert refused.status_code == 409, refused.text
    assert sent(coach)[invitation_id]["status"] == "accepted"


def test_a_revoked_invitation_is_not_resent(make_user):
    coach, athlete = make_user("coach"), make_user()
    invitation_id = invite(coach, athlete.email)
    ok(api("POST", f"/api/invitations/{invitation_id}/revoke", coach))
    reply = call("resendInvitation", {"invitationId": invitation_id}, coach)
    assert reply.status_code == 409, reply.text
    assert sent(coach)[invitation_id]["status"] == "revoked"


def test_accepting_for_another_address_or_unverified_is_refused_and_writes_nothing(make_user):
    coach, athlete, other = make_user("coach"), make_user(), make_user()
    invitation_id = invite(coach, athlete.email)
    unverified = sign_up(unique("unverified"), "password123", verified=False)
    unverified_id = invite(coach, unverified.email)
    for who, which in ((other, invitation_id), (unverified, unverified_id)):
        reply = api("POST", f"/api/invitations/{which}/accept", who)
        assert reply.status_code == 404, reply.text
        assert document(f"links/{coach.uid}_{who.uid}") is None
    statuses = {i: shown["status"] for i, shown in sent(coach).items()}
    assert statuses == {invitation_id: "pending", unverified_id: "pending"}
