"""The web app's Firestore listeners honour firestore.rules for the data the API writes.

The Python Firestore client reads as the emulator's owner whatever credentials it is given, so
the listeners run in the Firebase JS SDK the web app uses: ``tests/js/listen.mjs`` signs in as a
real Auth-emulator user and attaches ``onSnapshot`` to documents and to the app's queries
(``where ... ==``, ``orderBy createdAt desc``), printing one JSON line per snapshot or error.
Users, links and sessions are made through the REST API; the listeners must see what the API shows
that user, in the API's order, be denied what it hides, and receive live updates the API writes.
"""

from __future__ import annotations

import time

import requests
from js_listeners import first

from devtools.emulators import FIRESTORE, OWNER, PROJECT, api, documents


def doc_target(name: str, session_id: str, snapshots: int = 1) -> dict:
    return {"name": name, "doc": f"sessions/{session_id}", "snapshots": snapshots}


def list_target(name: str, **equals: str) -> dict:
    return {"name": name, "collection": "sessions", "where": equals, "orderBy": "createdAt"}


def invite_and_accept(coach, athlete) -> None:
    reply = api("POST", "/api/invitations", coach, json={"athleteEmail": athlete.email})
    assert reply.status_code == 201, reply.text
    invitation_id = reply.json()["invitationId"]
    reply = api("POST", f"/api/invitations/{invitation_id}/accept", athlete)
    assert reply.status_code == 200, reply.text


def new_session(user, **body) -> str:
    reply = api("POST", "/api/sessions", user, json=body)
    assert reply.status_code == 201, reply.text
    return reply.json()["sessionId"]


def rest_list(user, query: str = "") -> list[str]:
    reply = api("GET", f"/api/sessions?{query}", user)
    assert reply.status_code == 200, reply.text
    return [s["sessionId"] for s in reply.json()["sessions"]]


def tie_created_at(session_ids: list[str]) -> None:
    """Give sessions one createdAt, as writes in the same microsecond would (only the tie-break,
    ``__name__ desc``, then orders them). Only that field is patched, as the owner."""
    by_id = {d["name"].rsplit("/", 1)[-1]: d for d in documents("sessions")}
    stamp = by_id[session_ids[0]]["fields"]["createdAt"]
    for session_id in session_ids[1:]:
        requests.patch(
            f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents/sessions/{session_id}",
            params={"updateMask.fieldPaths": "createdAt"},
            json={"fields": {"createdAt": stamp}},
            headers=OWNER,
            timeout=30,
        ).raise_for_status()


def test_listeners_follow_the_rules_for_api_data(make_user, listen):
    coach, athlete, other_athlete, unlinked_coach = (
        make_user("coach"),
        make_user(),
        make_user(),
        make_user("coach"),
    )
    invite_and_accept(coach, athlete)
    own = new_session(athlete, event="Vault", notes="first")
    coached = new_session(coach, athleteId=athlete.uid, event="Beam")
    tied = [new_session(athlete, event="Floor"), new_session(coach, athleteId=athlete.uid)]
    others = new_session(other_athlete, event="Bars")
    tie_created_at([coached, *tied])

    # The API's order: createdAt desc, then document id desc among equal createdAt.
    by_rest = rest_list(coach, f"athleteId={athlete.uid}")
    assert sorted(by_rest) == sorted([own, coached, *tied])
    assert rest_list(athlete) == by_rest  # the athlete's default scope: athleteId == me
    assert by_rest[-1] == own  # created first, not tied
    assert by_rest[:3] == sorted([coached, *tied], reverse=True)

    started = time.monotonic()
    # Three users' listeners at once; the athlete's own session doc waits for a second snapshot.
    as_athlete = listen(
        athlete,
        [
            doc_target("own session", own, snapshots=2),
            doc_target("another athlete's session", others),
            list_target("my sessions", athleteId=athlete.uid),
            {"name": "every session (no filter)", "collection": "sessions"},
        ],
    )
    as_coach = listen(
        coach,
        [
            doc_target("athlete's own session", own),
            doc_target("session I made for the athlete", coached),
            list_target("athlete's sessions", athleteId=athlete.uid),
        ],
    )
    as_unlinked = listen(
        unlinked_coach,
        [
            doc_target("athlete's own session", own),
            list_target("athlete's sessions", athleteId=athlete.uid),
        ],
    )

    # Live update: once the athlete's listener has the session, the athlete edits the note via REST.
    before = as_athlete.answer("own session")
    assert before["ok"], before
    assert before["ids"] == [own]
    assert before["docs"][0]["data"]["notes"] == "first"
    reply = api("PUT", f"/api/sessions/{own}", athlete, json={"notes": "changed via REST"})
    assert reply.status_code == 200, reply.text
    after = as_athlete.answer("own session", 2)
    assert after["ok"], after
    assert after["docs"][0]["data"]["notes"] == "changed via REST"
    assert after["docs"][0]["data"]["updatedAt"] > before["docs"][0]["data"]["updatedAt"]

    athlete_seen = as_athlete.finish()
    coach_seen = as_coach.finish()
    unlinked_seen = as_unlinked.finish()
    elapsed = time.monotonic() - started

    def outcome(records: list[dict]) -> list[str] | str:
        """The first answer: the ids it returned, or the error code."""
        answer = first(records)
        return answer["ids"] if answer["ok"] else answer["code"]

    seen = {"athlete": athlete_seen, "coach": coach_seen, "unlinked coach": unlinked_seen}
    outcomes = {(who, t): outcome(r) for who, by in seen.items() for t, r in by.items()}
    denied = "permission-denied"
    assert outcomes == {
        # The athlete: their own session and list; not another athlete's, no unfiltered query.
        ("athlete", "own session"): [own],
        ("athlete", "another athlete's session"): denied,
        ("athlete", "my sessions"): by_rest,
        ("athlete", "every session (no filter)"): denied,
        # The linked coach: the athlete's own session (through the link), theirs, the list.
        ("coach", "athlete's own session"): [own],
        ("coach", "session I made for the athlete"): [coached],
        ("coach", "athlete's sessions"): by_rest,
        # The unlinked coach: nothing of the athlete's.
        ("unlinked coach", "athlete's own session"): denied,
        ("unlinked coach", "athlete's sessions"): denied,
    }

    # The SDK's order (orderBy createdAt desc, implicit __name__ desc) is the API's, tie included.
    for records in (athlete_seen["my sessions"], coach_seen["athlete's sessions"]):
        keys = [(d["data"]["createdAt"], d["id"]) for d in first(records)["docs"]]
        assert keys == sorted(keys, reverse=True)
        assert len({created for created, _ in keys}) == 2  # three tied, one earlier
    print(f"\nweb listeners: 3 users, {len(outcomes)} targets, live update seen; {elapsed:.1f} s")
