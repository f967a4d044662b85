"""The athlete-session surface (issue 3) as the web app drives it: coach, athlete, others, admin."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests

from devtools.emulators import (
    FIRESTORE,
    PROJECT,
    api,
    bucket,
    call,
    document,
    documents,
    field,
    put_document,
)

DOCUMENTS = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents"


def invite_and_accept(coach, athlete):
    invitation = api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email})
    assert invitation.status_code == 201, invitation.text
    invitation_id = invitation.json()["invitationId"]
    accepted = api("POST", f"/api/invitations/{invitation_id}/accept", athlete)
    assert accepted.status_code == 200, accepted.text
    return accepted.json()


def put_invitation(invitation_id, coach, athlete, *, status, days_ago=0):
    """Set an invitation's state directly: the API has no clock to move."""
    created = datetime.now(UTC) - timedelta(days=days_ago)
    accepted = status == "accepted"
    put_document(
        f"invitations/{invitation_id}",
        {
            "coachId": coach.uid,
            "coachEmail": coach.email,
            "coachName": "c",
            "athleteEmail": athlete.email,
            "status": status,
            "createdAt": created,
            "expiresAt": created + timedelta(days=7),
            "acceptedAt": created if accepted else None,
            "athleteId": athlete.uid if accepted else None,
        },
    )


# What the statistics trigger (DESIGN.md §6) would have written, and how the API returns it.


def settled_stats(user, query: dict) -> dict:
    """The figures once the statistics trigger has counted the session (it runs asynchronously)."""
    deadline = time.monotonic() + 30
    while True:
        figures = api("GET", "/api/sessions/stats", user, params=query).json()["stats"]
        if figures["totalSessions"] == 1 or time.monotonic() > deadline:
            return figures
        time.sleep(0.3)


def new_session(user, **body):
    reply = api("POST", "/api/sessions", user, json=body)
    assert reply.status_code == 201, reply.text
    return reply.json()["sessionId"]


# ---- the seed's three usage examples ----------------------------------------------------------


def test_seed_examples_create_with_athlete_fetch_by_athlete_and_stats(make_user):
    coach = make_user("coach")
    athlete = make_user(email=None)
    # The seed's body, as written, with this coach's own identity in the coach fields.
    body = {
        "videoName": "athlete_vault.mp4",
        "athleteEmail": athlete.email,
        "athleteName": "John Doe",
        "event": "Vault",
        "sessionType": "Training",
        "coachId": coach.uid,
        "coachEmail": coach.email,
        "coachName": "Coach Smith",
    }
    created = api("POST", "/api/sessions/create-with-athlete", coach, json=body)
    assert created.status_code == 201, created.text
    reply = created.json()
    session_id = reply["sessionId"]
    assert reply["analysisStatus"] == "pending"
    assert reply["upload"] == {
        "bucket": "demo-sessionbase.appspot.com",
        "path": f"sessions/{session_id}/video/athlete_vault.mp4",
    }
    # Not linked yet: pending by e-mail, invisible to the athlete.
    assert api("GET", f"/api/sessions/{session_id}", athlete).status_code == 404

    accepted = invite_and_accept(coach, athlete)
    assert accepted["linkedSessions"] == 1

    listed = api("GET", f"/api/sessions?athleteId={athlete.uid}", athlete).json()
    assert [s["sessionId"] for s in listed["sessions"]] == [session_id]
    session = listed["sessions"][0]
    assert (session["athleteId"], session["coachId"], session["coachName"]) == (
        athlete.uid,
        coach.uid,
        "Coach Smith",
    )
    by_coach = api("GET", f"/api/sessions?athleteId={athlete.uid}", coach).json()
    assert [s["sessionId"] for s in by_coach["sessions"]] == [session_id]

    # Statistics: the trigger counts the session for the athlete and for the coach.
    athlete_stats = {"stats": settled_stats(athlete, {"athleteId": athlete.uid})}
    coach_stats = {"stats": settled_stats(coach, {"coachId": coach.uid})}
    for figures in (athlete_stats["stats"], coach_stats["stats"]):
        assert (figures["totalSessions"], figures["byEvent"]) == (1, {"Vault": 1})
        assert figures["bySessionType"] == {"Training": 1}
    assert coach_stats["stats"]["athleteCount"] == 1
    other_coach = make_user("coach")
    for who, user, query, expected in [
        ("linked coach", coach, {"athleteId": athlete.uid}, athlete_stats),
        ("the athlete", athlete, {"athleteId": athlete.uid}, athlete_stats),
        ("the athlete, own", athlete, {}, athlete_stats),
        ("the coach", coach, {"coachId": coach.uid}, coach_stats),
        ("the coach, own", coach, {}, coach_stats),
        ("another coach", other_coach, {"athleteId": athlete.uid}, None),
        ("another coach", other_coach, {"coachId": coach.uid}, None),
    ]:
        by_rest = api("GET", "/api/sessions/stats", user, params=query)
        by_callable = call("getSessionStats", query, user).json()
        if expected is None:
            refused = (by_rest.status_code, by_rest.json()["code"])
            assert refused == (403, "permission-denied"), (who, query)
            assert by_callable["error"]["status"] == "PERMISSION_DENIED", (who, query)
            continue
        assert (by_rest.status_code, by_rest.json()) == (200, expected), (who, query)
        assert by_callable == {"result": expected}, (who, query)


def test_contradicting_coach_fields_are_refused(make_user):
    coach, other = make_user("coach"), make_user("coach")
    body = {
        "videoName": "v.mp4",
        "athleteEmail": "someone@example.com",
        "athleteName": "S",
        "event": "Vault",
        "sessionType": "Training",
        "coachId": other.uid,
        "coachEmail": other.email,
    }
    reply = api("POST", "/api/sessions/create-with-athlete", coach, json=body)
    assert (reply.status_code, reply.json()["code"]) == (403, "permission-denied")
    assert {e["field"] for e in reply.json()["errors"]} == {"coachId", "coachEmail"}
    assert documents("sessions") == []


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"athleteEmail": "not-an-email", "videoName": "v.mp4"}, {"athleteEmail"}),
        ({"athleteEmail": "a@example.com"}, {"videoName"}),
        (
            {"athleteEmail": "a@example.com", "videoName": "v.mp4", "sessionType": "Nap"},
            {"sessionType"},
        ),
    ],
)
def test_create_with_athlete_bad_input(make_user, body, fields):
    reply = api("POST", "/api/sessions/create-with-athlete", make_user("coach"), json=body)
    assert reply.status_code == 400
    assert {e["field"] for e in reply.json()["errors"]} == fields
    assert documents("sessions") == []


def test_athletes_cannot_create_for_others(make_user):
    athlete, other = make_user(), make_user()
    reply = api("POST", "/api/sessions", athlete, json={"athleteId": other.uid})
    assert reply.status_code == 403
    body = {"athleteEmail": other.email, "videoName": "v.mp4"}
    assert api("POST", "/api/sessions/create-with-athlete", athlete, json=body).status_code == 403
    assert documents("sessions") == []


def test_coach_needs_a_link_to_name_an_athlete_by_uid(make_user):
    coach, athlete = make_user("coach"), make_user()
    refused = api("POST", "/api/sessions", coach, json={"athleteId": athlete.uid, "event": "Vault"})
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["field"] == "athleteId"
    invite_and_accept(coach, athlete)
    session_id = new_session(coach, athleteId=athlete.uid, event="Vault")
    assert api("GET", f"/api/sessions/{session_id}", athlete).json()["coachId"] == coach.uid
    # Once linked, creating by e-mail links straight away too.
    by_email = new_session(coach, athleteEmail=athlete.email, event="Beam")
    assert api("GET", f"/api/sessions/{by_email}", athlete).json()["athleteId"] == athlete.uid


# ---- invitations --------------------------------------------------------------------------------


def test_invitation_lifecycle_and_bad_input(make_user):
    coach, athlete, stranger = make_user("coach"), make_user(), make_user()
    pending = new_session(coach, athleteEmail=athlete.email, event="Floor")
    other_coach = make_user("coach")
    not_mine = new_session(other_coach, athleteEmail=athlete.email, event="Rings")

    invitation_id = api(
        "POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}
    ).json()["invitationId"]
    duplicate = api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email})
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "already-exists")
    assert (
        api("POST", "/api/invitations", athlete, json={"athleteEmail": "x@example.com"}).status_code
        == 403
    )
    bad = api("POST", "/api/invitations", coach, json={"athleteEmail": "nope"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "athleteEmail"

    # The invitee sees it; someone else cannot accept it and learns nothing.
    received = api("GET", "/api/invitations", athlete).json()["invitations"]
    assert [i["invitationId"] for i in received] == [invitation_id]
    foreign = api("POST", f"/api/invitations/{invitation_id}/accept", stranger)
    assert (foreign.status_code, foreign.json()["code"]) == (404, "not-found")

    accepted = api("POST", f"/api/invitations/{invitation_id}/accept", athlete).json()
    assert (accepted["status"], accepted["linkedSessions"]) == ("accepted", 1)
    link = documents("links")
    assert [(field(d, "coachId"), field(d, "athleteId")) for d in link] == [
        (coach.uid, athlete.uid)
    ]
    assert api("GET", f"/api/sessions/{pending}", athlete).json()["athleteId"] == athlete.uid
    # Another coach's pending session waits for that coach's own invitation.
    assert api("GET", f"/api/sessions/{not_mine}", athlete).status_code == 404

    twice = api("POST", f"/api/invitations/{invitation_id}/accept", athlete)
    assert (twice.status_code, twice.json()["code"]) == (409, "already-exists")
    again = api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email})
    assert again.status_code == 409
    revoke_late = api("POST", f"/api/invitations/{invitation_id}/revoke", coach)
    assert (revoke_late.status_code, revoke_late.json()["code"]) == (400, "failed-precondition")


def test_revoked_and_expired_invitations_cannot_be_accepted(make_user):
    coach, athlete = make_user("coach"), make_user()
    invitation_id = api(
        "POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}
    ).json()["invitationId"]
    assert api("POST", f"/api/invitations/{invitation_id}/revoke", athlete).status_code == 404
    assert api("POST", f"/api/invitations/{invitation_id}/revoke", coach).status_code == 200
    revoked = api("POST", f"/api/invitations/{invitation_id}/accept", athlete)
    assert (revoked.status_code, revoked.json()["code"]) == (400, "failed-precondition")

    # A fresh invitation after revoking, then eight days pass (set up directly: no time travel API).
    invitation_id = api(
        "POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}
    ).json()["invitationId"]
    put_invitation(invitation_id, coach, athlete, status="pending", days_ago=8)
    expired = api("POST", f"/api/invitations/{invitation_id}/accept", athlete)
    assert (expired.status_code, expired.json()["code"]) == (400, "failed-precondition")
    assert "expired" in expired.json()["detail"]
    assert documents("links") == []
    listed = api("GET", "/api/invitations", coach).json()["invitations"]
    assert [i["status"] for i in listed] == ["expired"]
    # An expired invitation can be renewed.
    assert (
        api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}).status_code
        == 201
    )


def test_unverified_email_cannot_accept(make_user):
    coach = make_user("coach")
    athlete = make_user(verified=False)
    invitation_id = api(
        "POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}
    ).json()["invitationId"]
    reply = api("POST", f"/api/invitations/{invitation_id}/accept", athlete)
    assert (reply.status_code, reply.json()["code"]) == (404, "not-found")
    assert documents("links") == []


@pytest.mark.parametrize("invitation_id", ["__x__", "a" * 1600, "nothex" * 4, "0" * 24, "a/b"])
def test_unknown_invitation_ids_are_404(make_user, invitation_id):
    athlete, coach = make_user(), make_user("coach")
    for user, action in ((athlete, "accept"), (coach, "revoke")):
        reply = api("POST", f"/api/invitations/{invitation_id}/{action}", user)
        assert (reply.status_code, reply.json()["code"]) == (404, "not-found"), action
        name = f"{action}Invitation"
        by_callable = call(name, {"invitationId": invitation_id}, user).json()["error"]
        assert by_callable["status"] == "NOT_FOUND", name


def test_coach_must_name_an_athlete(make_user):
    coach = make_user("coach")
    reply = api("POST", "/api/sessions", coach, json={"event": "Vault"})
    assert (reply.status_code, reply.json()["code"]) == (400, "invalid-argument")
    assert reply.json()["errors"][0]["field"] == "athleteEmail"
    reply = api("POST", "/api/sessions/link-backend", coach, json={"backendSessionId": "k"})
    assert reply.status_code == 400
    assert documents("sessions") == []


def test_session_created_while_the_athlete_accepts_is_linked(make_user):
    """The race: accept commits after the coach's link check but before the session is written.

    That moment is set up directly: the invitation is accepted, the link not yet readable. The
    create transaction reads the invitation and links the session itself.
    """
    coach, athlete = make_user("coach"), make_user()
    invitation_id = api(
        "POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}
    ).json()["invitationId"]
    put_invitation(invitation_id, coach, athlete, status="accepted")
    session_id = new_session(coach, athleteEmail=athlete.email, event="Vault")
    assert api("GET", f"/api/sessions/{session_id}", athlete).json()["athleteId"] == athlete.uid


def test_invitation_callables(make_user):
    coach, athlete = make_user("coach"), make_user()
    created = call("createInvitation", {"athleteEmail": athlete.email}, coach).json()["result"]
    accepted = call("acceptInvitation", {"invitationId": created["invitationId"]}, athlete).json()
    assert accepted["result"]["status"] == "accepted"
    missing_id = call("acceptInvitation", {}, athlete).json()["error"]
    assert missing_id["details"]["errors"][0]["field"] == "invitationId"


# ---- ending a link (issue 21, item 3) -----------------------------------------------------------


def rules_get(user, path):
    """A client's direct read under firestore.rules, as the web app's listeners make it."""
    return requests.get(f"{DOCUMENTS}/{path}", headers=user.bearer, timeout=30).status_code


def test_either_party_ends_a_link_and_access_through_it_stops_at_once(make_user):
    coach, athlete, stranger = make_user("coach"), make_user(), make_user("coach")
    invite_and_accept(coach, athlete)
    own = new_session(athlete, event="Vault")
    coached = new_session(coach, athleteId=athlete.uid, event="Beam")
    link_id = f"{coach.uid}_{athlete.uid}"
    through_link = [
        ("GET", f"/api/sessions/{own}"),
        ("GET", f"/api/sessions?athleteId={athlete.uid}"),
        ("GET", f"/api/sessions/stats?athleteId={athlete.uid}"),
    ]
    for method, path in through_link:
        assert api(method, path, coach).status_code == 200, path
    for path in (f"sessions/{own}", f"links/{link_id}"):
        assert rules_get(coach, path) == 200, path

    # Someone else's link does not exist for them; a malformed id names no link.
    for who, target in [(stranger, link_id), (athlete, "a/b"), (athlete, "x_y")]:
        refused = api("DELETE", f"/api/links/{target}", who)
        assert (refused.status_code, refused.json()["code"]) == (404, "not-found"), target

    ended = api("DELETE", f"/api/links/{link_id}", athlete)
    assert ended.status_code == 200, ended.text
    assert ended.json() == {
        "linkId": link_id,
        "coachId": coach.uid,
        "athleteId": athlete.uid,
        "ended": True,
    }
    # At once: the API and the rules refuse whatever the link gave.
    assert api("GET", f"/api/sessions/{own}", coach).status_code == 404
    for path in (f"/api/sessions?athleteId={athlete.uid}", through_link[2][1]):
        assert api("GET", path, coach).status_code == 403, path
    named = api("POST", "/api/sessions", coach, json={"athleteId": athlete.uid})
    assert named.status_code == 403
    for path in (f"sessions/{own}", f"links/{link_id}"):
        assert rules_get(coach, path) == 403, path
    # The sessions they made together stay, each party's, with their figures.
    for user in (coach, athlete):
        kept = api("GET", f"/api/sessions/{coached}", user)
        assert (kept.status_code, kept.json()["athleteId"]) == (200, athlete.uid)
    assert api("GET", f"/api/sessions/{own}", athlete).status_code == 200
    assert document(f"sessions/{coached}") is not None
    # Once: a second end finds nothing.
    again = api("DELETE", f"/api/links/{link_id}", coach)
    assert (again.status_code, again.json()["code"]) == (404, "not-found")

    # The coach may invite the athlete anew; the old invitation reads `ended`.
    sent = api("GET", "/api/invitations", coach).json()["invitations"]
    assert [i["status"] for i in sent] == ["ended"]
    relinked = invite_and_accept(coach, athlete)
    assert relinked["status"] == "accepted"
    assert api("GET", f"/api/sessions/{own}", coach).status_code == 200


def test_the_coach_ends_a_link_by_callable(make_user):
    coach, athlete = make_user("coach"), make_user()
    invite_and_accept(coach, athlete)
    own = new_session(athlete, event="Vault")
    link_id = f"{coach.uid}_{athlete.uid}"
    assert rules_get(coach, f"sessions/{own}") == 200
    ended = call("deleteLink", {"linkId": link_id}, coach).json()
    assert ended["result"] == {
        "linkId": link_id,
        "coachId": coach.uid,
        "athleteId": athlete.uid,
        "ended": True,
    }
    assert rules_get(coach, f"sessions/{own}") == 403
    assert api("GET", f"/api/sessions/{own}", coach).status_code == 404
    gone = call("deleteLink", {"linkId": link_id}, athlete).json()["error"]
    assert gone["status"] == "NOT_FOUND"
    missing_id = call("deleteLink", {}, athlete).json()["error"]
    assert missing_id["details"]["errors"][0]["field"] == "linkId"


# ---- who sees what ---------------------------------------------------------------------------


def test_visibility_by_role(make_user):
    coach, athlete, other_athlete = make_user("coach"), make_user(), make_user()
    other_coach, admin = make_user("coach"), make_user("admin")
    invite_and_accept(coach, athlete)
    own = new_session(athlete, event="Vault")
    coached = new_session(coach, athleteId=athlete.uid, event="Beam")

    for user in (coach, athlete, admin):
        for session_id in (own, coached):
            assert api("GET", f"/api/sessions/{session_id}", user).status_code == 200
    for user in (other_coach, other_athlete):
        for session_id in (own, coached):
            assert api("GET", f"/api/sessions/{session_id}", user).status_code == 404

    def ids(user, query=""):
        reply = api("GET", f"/api/sessions{query}", user)
        assert reply.status_code == 200, reply.text
        return {s["sessionId"] for s in reply.json()["sessions"]}

    assert ids(athlete) == {own, coached}
    assert ids(coach) == {coached}
    assert ids(coach, f"?athleteId={athlete.uid}") == {own, coached}
    assert ids(admin, f"?athleteId={athlete.uid}") == {own, coached}
    assert ids(admin, f"?coachId={coach.uid}") == {coached}
    assert ids(coach, f"?athleteEmail={athlete.email}") == {coached}
    for user, query in [
        (other_coach, f"?athleteId={athlete.uid}"),
        (other_athlete, f"?athleteId={athlete.uid}"),
        (athlete, f"?coachId={coach.uid}"),
        (other_coach, f"?coachId={coach.uid}"),
        (athlete, f"?athleteEmail={athlete.email}"),
    ]:
        reply = api("GET", f"/api/sessions{query}", user)
        assert (reply.status_code, reply.json()["code"]) == (403, "permission-denied"), query
    stats = api("GET", f"/api/sessions/stats?athleteId={athlete.uid}", other_coach)
    assert stats.status_code == 403


def test_filters_and_date_range(make_user):
    athlete = make_user()
    vault = new_session(athlete, event="Vault", sessionType="Training")
    beam = new_session(athlete, event="Beam", sessionType="Competition", status="completed")
    video = new_session(athlete, event="Vault", videoName="v.mp4")

    def ids(query):
        reply = api("GET", f"/api/sessions?{query}", athlete)
        assert reply.status_code == 200, reply.text
        return [s["sessionId"] for s in reply.json()["sessions"]]

    assert ids("event=Vault") == [video, vault]
    assert ids("sessionType=Competition") == [beam]
    assert ids("status=completed") == [beam]
    assert ids("analysisStatus=pending") == [video]
    assert ids("event=Vault&sessionType=Training") == [video, vault]
    today = datetime.now(UTC).date()
    assert ids(f"from={today}&to={today}") == [video, beam, vault]
    assert ids(f"to={today - timedelta(days=1)}") == []
    assert ids(f"from={today + timedelta(days=1)}") == []
    bad = api("GET", "/api/sessions?status=sleeping&from=yesterday", athlete)
    assert {e["field"] for e in bad.json()["errors"]} == {"status", "from"}


def test_pages_are_stable_under_inserts(make_user):
    athlete = make_user()
    first = [new_session(athlete, event=f"E{i}") for i in range(5)]
    page1 = api("GET", "/api/sessions?limit=2", athlete).json()
    new_session(athlete, event="inserted while paging")
    rest, cursor = [], page1["nextCursor"]
    while cursor:
        page = api("GET", f"/api/sessions?limit=2&cursor={cursor}", athlete).json()
        rest += [s["sessionId"] for s in page["sessions"]]
        cursor = page["nextCursor"]
    walked = [s["sessionId"] for s in page1["sessions"]] + rest
    assert walked == list(reversed(first))


@pytest.mark.parametrize("query", ["limit=0", "limit=10000", "limit=-1", "athleteId=a&coachId=b"])
def test_bad_list_queries(make_user, query):
    reply = api("GET", f"/api/sessions?{query}", make_user("admin"))
    assert (reply.status_code, reply.json()["code"]) == (400, "invalid-argument")


def test_cursor_from_another_query_is_refused(make_user):
    athlete = make_user()
    for i in range(3):
        new_session(athlete, event=f"E{i}")
    cursor = api("GET", "/api/sessions?limit=1", athlete).json()["nextCursor"]
    assert cursor
    reply = api("GET", f"/api/sessions?limit=1&event=E1&cursor={cursor}", athlete)
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["field"] == "cursor"


# ---- update and delete -----------------------------------------------------------------------


def test_put_accepts_only_what_the_role_may_change(make_user):
    coach, athlete, admin = make_user("coach"), make_user(), make_user("admin")
    invite_and_accept(coach, athlete)
    session_id = new_session(coach, athleteId=athlete.uid, event="Vault")
    path = f"/api/sessions/{session_id}"

    ok = api("PUT", path, athlete, json={"notes": "felt strong"})
    assert ok.status_code == 200
    assert ok.json()["notes"] == "felt strong"
    refused = api("PUT", path, athlete, json={"notes": "x", "event": "Beam"})
    assert (refused.status_code, [e["field"] for e in refused.json()["errors"]]) == (403, ["event"])
    results = api("PUT", path, coach, json={"motionIQ": 99, "riskLevel": "LOW"})
    assert results.status_code == 403
    assert {e["field"] for e in results.json()["errors"]} == {"motionIQ", "riskLevel"}
    assert api("PUT", path, coach, json={"event": "Beam"}).json()["event"] == "Beam"
    assert api("PUT", path, admin, json={"motionIQ": 87.5}).json()["motionIQ"] == 87.5
    unknown = api("PUT", path, coach, json={"athleteId": "someone-else"})
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (400, "athleteId")
    assert api("PUT", path, make_user("coach"), json={"notes": "x"}).status_code == 404

    times = {"scheduledStart": "2026-06-01T10:00:00Z", "scheduledEnd": "2026-06-01T11:00:00Z"}
    assert api("PUT", path, coach, json=times).status_code == 200
    backwards = api("PUT", path, coach, json={"scheduledEnd": "2026-06-01T09:00:00Z"})
    assert (backwards.status_code, backwards.json()["errors"][0]["field"]) == (400, "scheduledEnd")
    nulled = api("PUT", path, coach, json={"event": None, "sessionType": None})
    assert {e["field"] for e in nulled.json()["errors"]} == {"event", "sessionType"}

    stored = api("GET", path, athlete).json()
    assert (stored["event"], stored["notes"], stored["motionIQ"]) == ("Beam", "felt strong", 87.5)
    via_callable = call("updateSession", {"sessionId": session_id, "notes": "n2"}, athlete).json()
    assert via_callable["result"]["notes"] == "n2"


def test_delete_removes_subcollections_and_objects(make_user):
    coach, athlete, other_coach = make_user("coach"), make_user(), make_user("coach")
    invite_and_accept(coach, athlete)
    created = api(
        "POST",
        "/api/sessions/create-with-athlete",
        coach,
        json={"videoName": "run.mp4", "athleteEmail": athlete.email, "athleteName": "A"},
    ).json()
    session_id = created["sessionId"]
    objects = bucket()
    objects.blob(created["upload"]["path"]).upload_from_string(
        b"\x00\x00\x00\x18ftypmp42", content_type="video/mp4"
    )
    objects.blob(f"sessions/{session_id}/attachments/plan.pdf").upload_from_string(
        b"%PDF-1.4", content_type="application/pdf"
    )
    keep = objects.blob(f"sessions/{session_id}x/other.txt")  # a neighbour, not a child
    keep.upload_from_string(b"keep")
    now = datetime.now(UTC)
    put_document(
        f"sessions/{session_id}/notes/n1", {"text": "hi", "authorId": coach.uid, "createdAt": now}
    )

    # The files' landing is registered first (the video's job, the attachment's record): a file
    # landing while the session is being deleted is deleted by its trigger instead, and then the
    # DELETE does not count it.
    deadline = time.monotonic() + 30
    while True:
        got = api("GET", f"/api/sessions/{session_id}", athlete).json()
        if got.get("analysisJobId") and len(got["attachments"]) == 1:
            break
        assert time.monotonic() < deadline, f"the files were not registered: {got}"
        time.sleep(0.2)
    assert [n["noteId"] for n in got["sessionNotes"]] == ["n1"]
    assert api("DELETE", f"/api/sessions/{session_id}", athlete).status_code == 403
    assert api("DELETE", f"/api/sessions/{session_id}", other_coach).status_code == 404

    deleted = api("DELETE", f"/api/sessions/{session_id}", coach)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["deletedObjects"] == 2
    assert api("GET", f"/api/sessions/{session_id}", coach).status_code == 404
    assert documents(f"sessions/{session_id}/notes") == []
    assert [b.name for b in objects.list_blobs(prefix=f"sessions/{session_id}/")] == []
    assert keep.exists()


# ---- backend links -------------------------------------------------------------------------------


def test_link_backend_is_idempotent_even_when_concurrent(make_user):
    coach, athlete, other_coach = make_user("coach"), make_user(), make_user("coach")
    invite_and_accept(coach, athlete)
    body = {"backendSessionId": "mongo-42", "athleteId": athlete.uid, "event": "Vault"}
    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(
            pool.map(
                lambda _: api("POST", "/api/sessions/link-backend", coach, json=body), range(6)
            )
        )
    assert {r.status_code for r in replies} == {200}
    assert len({r.json()["sessionId"] for r in replies}) == 1
    again = call("linkBackendSession", body, coach).json()["result"]
    assert again == replies[0].json()
    assert len(documents("sessions")) == 1
    session = api("GET", f"/api/sessions/{again['sessionId']}", athlete).json()
    assert session["backendSessionId"] == "mongo-42"

    # Backend ids are per coach: another coach's "mongo-42" is their own session.
    body = {"backendSessionId": "mongo-42", "athleteEmail": "x@example.com"}
    theirs = api("POST", "/api/sessions/link-backend", other_coach, json=body)
    assert theirs.status_code == 200
    assert theirs.json()["sessionId"] != again["sessionId"]

    # Deleting the session frees the backend id: linking again makes a new session.
    assert api("DELETE", f"/api/sessions/{again['sessionId']}", coach).status_code == 200
    mine = {"backendSessionId": "mongo-42", "athleteId": athlete.uid}
    relinked = api("POST", "/api/sessions/link-backend", coach, json=mine)
    assert relinked.status_code == 200, relinked.text
    assert relinked.json()["sessionId"] not in (again["sessionId"], theirs.json()["sessionId"])
    missing = api("POST", "/api/sessions/link-backend", coach, json={"athleteId": athlete.uid})
    assert missing.json()["errors"][0]["field"] == "backendSessionId"
