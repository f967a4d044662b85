"""The REST API and firestore.rules implement one read policy: they must agree.

Real users (Auth emulator tokens) read the same sessions twice: through the API, and straight from
Firestore under the rules, as the web app's listeners do. A session the API shows must be readable
under the rules and a hidden one (404) must be denied; a list the API refuses (403) must be a query
the rules deny, and a list it serves must be a query the rules allow.
"""

import requests

from devtools.emulators import FIRESTORE, PROJECT, api

DOCUMENTS = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents"


def rules_get(user, path):
    return requests.get(f"{DOCUMENTS}/{path}", headers=user.bearer, timeout=30).status_code


def rules_query(user, equals):
    where = [
        {"fieldFilter": {"field": {"fieldPath": k}, "op": "EQUAL", "value": {"stringValue": v}}}
        for k, v in sorted(equals.items())
    ]
    query = {
        "structuredQuery": {
            "from": [{"collectionId": "sessions"}],
            "where": {"compositeFilter": {"op": "AND", "filters": where}},
            "orderBy": [{"field": {"fieldPath": "createdAt"}, "direction": "DESCENDING"}],
            "limit": 21,
        }
    }
    reply = requests.post(f"{DOCUMENTS}:runQuery", json=query, headers=user.bearer, timeout=30)
    return reply.status_code


def test_rest_and_rules_agree(make_user):
    coach, athlete, other_athlete = make_user("coach"), make_user(), make_user()
    other_coach, admin = make_user("coach"), make_user("admin")
    invitation_id = api(
        "POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}
    ).json()["invitationId"]
    api("POST", f"/api/invitations/{invitation_id}/accept", athlete)

    def create(user, body):
        return api("POST", "/api/sessions", user, json=body).json()["sessionId"]

    sessions = {
        "athlete's own": create(athlete, {"event": "Vault"}),
        "coached": create(coach, {"athleteId": athlete.uid, "event": "Beam"}),
        "pending by e-mail": create(coach, {"athleteEmail": "later@example.com"}),
        "other athlete's": create(other_athlete, {"event": "Floor"}),
    }
    actors = {
        "coach": coach,
        "athlete": athlete,
        "other athlete": other_athlete,
        "other coach": other_coach,
        "admin": admin,
    }
    compared = 0
    seen: set[tuple[int, int]] = set()
    for actor_name, user in actors.items():
        for session_name, session_id in sessions.items():
            by_api = api("GET", f"/api/sessions/{session_id}", user).status_code
            by_rules = rules_get(user, f"sessions/{session_id}")
            assert (by_api, by_rules) in {(200, 200), (404, 403)}, (actor_name, session_name)
            seen.add((by_api, by_rules))
            compared += 1

    # List queries: (API query string, the Firestore query the API issues for it).
    lists = [
        (f"athleteId={athlete.uid}", {"athleteId": athlete.uid}),
        (f"coachId={coach.uid}", {"coachId": coach.uid}),
        (f"athleteId={other_athlete.uid}", {"athleteId": other_athlete.uid}),
        (f"athleteId={athlete.uid}&event=Beam", {"athleteId": athlete.uid, "event": "Beam"}),
    ]
    for actor_name, user in actors.items():
        # The default scope is the caller's own, and the coach's athleteEmail scope is narrowed
        # to their own sessions: the API issues these queries, so the rules must allow them.
        own = {"athlete": "athleteId", "other athlete": "athleteId", "admin": "createdBy"}
        extra = [("", {own.get(actor_name, "coachId"): user.uid})]
        if user.role == "coach":
            extra.append(
                (
                    "athleteEmail=later@example.com",
                    {"athleteEmail": "later@example.com", "coachId": user.uid},
                )
            )
        for query, equals in lists + extra:
            by_api = api("GET", f"/api/sessions?{query}", user).status_code
            by_rules = rules_query(user, equals)
            assert (by_api, by_rules) in {(200, 200), (403, 403)}, (actor_name, query)
            seen.add((by_api, by_rules))
            compared += 1
    assert compared == 20 + 5 * 4 + 5 + 2
    # Both sides agreeing to allow everything would pass the checks above: they must also refuse.
    assert seen == {(200, 200), (404, 403), (403, 403)}
