"""Revoked, disabled and deleted users lose access at once; roles change through the API
(issue 12, items 1, 2 and 5). Every check runs through Hosting (REST) and a callable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from devtools.emulators import (
    FIRESTORE,
    IDENTITY,
    OWNER,
    PROJECT,
    api,
    call,
    documents,
    field,
    put_document,
    sign_in,
)
from sessionbase import settings

ROOT = Path(__file__).resolve().parents[2]


def update_account(uid: str, **fields) -> None:
    """Change an account as the Admin SDK (or the console) would."""
    reply = requests.post(
        f"{IDENTITY}/projects/{PROJECT}/accounts:update",
        json={"localId": uid, **fields},
        headers=OWNER,
        timeout=10,
    )
    reply.raise_for_status()


def delete_account(uid: str) -> None:
    requests.post(
        f"{IDENTITY}/projects/{PROJECT}/accounts:delete",
        json={"localId": uid},
        headers=OWNER,
        timeout=10,
    ).raise_for_status()


def powers(user, other_uid: str) -> tuple[int, int]:
    """An admin-only cross-user read over REST, and the same over a callable."""
    rest = api("GET", f"/api/sessions?athleteId={other_uid}", user).status_code
    callable_ = call("listSessions", {"athleteId": other_uid}, user).status_code
    return rest, callable_


@pytest.mark.parametrize("how", ["revoked", "disabled", "deleted"])
def test_a_change_made_in_the_console_reaches_the_api_within_the_window(make_user, how):
    """Auth changes made outside Sessionbase are seen when an instance looks the Auth record up
    again: within SESSIONBASE_AUTH_RECORD_SECONDS (the suite shortens it; default 30)."""
    admin, athlete = make_user("admin"), make_user()
    assert powers(admin, athlete.uid) == (200, 200)  # the instances now keep the record
    time.sleep(1.1)  # revocation has one-second precision: be after the sign-in's second
    if how == "revoked":
        update_account(admin.uid, validSince=str(int(time.time())))
    elif how == "disabled":
        update_account(admin.uid, disableUser=True)
    else:
        delete_account(admin.uid)
    time.sleep(settings.auth_record_seconds() + 0.5)
    assert powers(admin, athlete.uid) == (401, 401)
    session = api("POST", "/api/sessions", admin, json={"athleteId": athlete.uid})
    assert session.status_code == 401


def test_the_recorded_role_is_the_one_a_request_runs_as(make_user):
    """users/{uid} decides the role, as in the security rules: a token whose claim differs (the
    claim is set after the record commits) runs as the recorded role, and writes nothing as the
    other."""
    coach, athlete, other = make_user("coach"), make_user(), make_user()
    put_document(f"users/{athlete.uid}", {"role": "coach", "roleVersion": 1})
    invited = api("POST", "/api/invitations", athlete, json={"athleteEmail": "new@example.com"})
    assert invited.status_code == 201, invited.text  # a coach now, though the token says athlete
    assert call("listSessions", {"coachId": athlete.uid}, athlete).status_code == 200
    put_document(f"users/{coach.uid}", {"role": None, "roleVersion": 2})
    refused = api("POST", "/api/invitations", coach, json={"athleteEmail": "x@example.com"})
    assert refused.status_code == 403  # no longer a coach, though the token says so
    assert powers(other, athlete.uid) == (403, 403)
    assert [d for d in documents("invitations") if field(d, "coachId") == coach.uid] == []


def test_a_role_change_applies_at_once_and_is_recorded(make_user):
    admin, other_admin, athlete = make_user("admin"), make_user("admin"), make_user()
    time.sleep(1.1)
    demoted = api("POST", f"/api/users/{other_admin.uid}/role", admin, json={"role": None})
    assert demoted.status_code == 200, demoted.text
    assert (demoted.json()["uid"], demoted.json()["role"]) == (other_admin.uid, None)
    # The old token, issued when they were an admin, is refused; a new sign-in is an athlete.
    assert powers(other_admin, athlete.uid) == (401, 401)
    again = sign_in(other_admin.email, other_admin.password)
    assert powers(again, athlete.uid) == (403, 403)
    promoted = call("setUserRole", {"uid": athlete.uid, "role": "coach"}, admin).json()["result"]
    assert promoted["role"] == "coach"
    coach = sign_in(athlete.email, athlete.password)
    invite = api("POST", "/api/invitations", coach, json={"athleteEmail": "x@example.com"})
    assert invite.status_code == 201
    [profile] = [d for d in documents("users") if d["name"].endswith(athlete.uid)]
    assert (field(profile, "role"), field(profile, "roleChangedBy")) == ("coach", admin.uid)
    assert field(profile, "email") == athlete.email


def test_who_may_change_roles_and_bad_requests(make_user):
    admin, coach = make_user("admin"), make_user("coach")
    path = f"/api/users/{coach.uid}/role"
    assert api("POST", path, coach, json={"role": "admin"}).status_code == 403
    own = api("POST", f"/api/users/{admin.uid}/role", admin, json={"role": "athlete"})
    assert (own.status_code, own.json()["code"]) == (400, "failed-precondition")
    bad = api("POST", path, admin, json={"role": "superuser"})
    assert [e["field"] for e in bad.json()["errors"]] == ["role"]
    missing = api("POST", path, admin, json={})
    assert [e["field"] for e in missing.json()["errors"]] == ["role"]
    assert (
        api("POST", "/api/users/no-such-user/role", admin, json={"role": "coach"}).status_code
        == 404
    )
    assert powers(coach, admin.uid) == (403, 403)  # nothing changed


@pytest.mark.parametrize("claim", [["admin"], 5, {"role": "admin"}, True])
def test_a_role_claim_of_the_wrong_type_is_no_role(make_user, claim):
    user, other = make_user(), make_user()
    update_account(user.uid, customAttributes=json.dumps({"role": claim}))
    fresh = sign_in(user.email, user.password)
    assert api("GET", "/api/sessions", fresh).status_code == 200
    assert call("listSessions", {}, fresh).status_code == 200
    assert powers(fresh, other.uid) == (403, 403)


def test_the_first_admin_is_made_by_a_command(make_user):
    user = make_user()
    env = {**os.environ, "GOOGLE_CLOUD_PROJECT": PROJECT}
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "grant_role.py"), user.email, "admin"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "role admin" in done.stdout
    admin = sign_in(user.email, user.password)
    assert powers(admin, make_user().uid) == (200, 200)
    unknown = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "grant_role.py"), "nobody@example.com", "coach"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert unknown.returncode == 1


# ---- the security rules honour revocation and role changes at once (issue 20, item 6) ----------
# Each read goes straight to Firestore with the user's own ID token, as the web app's listeners
# and queries do: the rules decide, not the API.


def firestore_get(user, path: str) -> int:
    """A client's read of one document (200 allowed, 403 refused by the rules)."""
    url = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents/{path}"
    return requests.get(url, headers=user.bearer, timeout=10).status_code


def firestore_query(user, collection: str) -> int:
    """A client's query over a whole collection: 200, or 403 when the rules refuse it."""
    url = f"{FIRESTORE}/v1/projects/{PROJECT}/databases/(default)/documents:runQuery"
    body = {"structuredQuery": {"from": [{"collectionId": collection}]}}
    reply = requests.post(url, json=body, headers=user.bearer, timeout=10)
    denied = reply.status_code == 403 or any(
        entry.get("error", {}).get("status") == "PERMISSION_DENIED"
        for entry in (reply.json() if reply.status_code == 200 else [])
    )
    return 403 if denied else reply.status_code


def grant(email: str, what: str) -> subprocess.CompletedProcess:
    """scripts/grant_role.py, as an operator runs it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "grant_role.py"), email, what],
        env={**os.environ, "GOOGLE_CLOUD_PROJECT": PROJECT},
        capture_output=True,
        text=True,
        timeout=60,
    )


def athletes_session(athlete) -> str:
    reply = api("POST", "/api/sessions", athlete, json={"athleteId": athlete.uid})
    assert reply.status_code == 201, reply.text
    return reply.json()["sessionId"]


def test_a_demoted_coachs_earlier_token_reads_no_answers_in_firestore(make_user):
    admin, coach = make_user("admin"), make_user("coach")
    put_document("exerciseAnswers/e-rev", {"answers": ["4"]})
    assert firestore_get(coach, "exerciseAnswers/e-rev") == 200
    time.sleep(1.1)  # revocation has one-second precision: be after the sign-in's second
    demoted = api("POST", f"/api/users/{coach.uid}/role", admin, json={"role": "athlete"})
    assert demoted.status_code == 200, demoted.text
    assert firestore_get(coach, "exerciseAnswers/e-rev") == 403
    again = sign_in(coach.email, coach.password)
    assert firestore_get(again, "exerciseAnswers/e-rev") == 403  # an athlete now
    assert firestore_get(again, "exercises/e-rev") in (200, 404)  # signed in and current


def test_a_demoted_admins_earlier_token_neither_queries_users_nor_reads_sessions(make_user):
    admin, other_admin, athlete = make_user("admin"), make_user("admin"), make_user()
    session_id = athletes_session(athlete)
    assert firestore_query(other_admin, "users") == 200
    assert firestore_get(other_admin, f"sessions/{session_id}") == 200
    time.sleep(1.1)
    demoted = api("POST", f"/api/users/{other_admin.uid}/role", admin, json={"role": None})
    assert demoted.status_code == 200, demoted.text
    assert firestore_query(other_admin, "users") == 403
    assert firestore_get(other_admin, f"sessions/{session_id}") == 403
    again = sign_in(other_admin.email, other_admin.password)
    assert firestore_query(again, "users") == 403
    assert firestore_get(again, f"sessions/{session_id}") == 403
    assert firestore_get(again, f"users/{other_admin.uid}") == 200  # their own profile


def test_a_disabled_admins_earlier_token_reads_no_sessions(make_user):
    make_user("admin")  # another admin remains
    admin, athlete = make_user("admin"), make_user()
    session_id = athletes_session(athlete)
    assert firestore_get(admin, f"sessions/{session_id}") == 200
    time.sleep(1.1)
    done = grant(admin.email, "disable")
    assert done.returncode == 0, done.stderr
    assert firestore_get(admin, f"sessions/{session_id}") == 403
    assert firestore_query(admin, "users") == 403
    assert powers(admin, athlete.uid) == (401, 401)
    with pytest.raises(requests.HTTPError):
        sign_in(admin.email, admin.password)  # Auth refuses a disabled account
    assert grant(admin.email, "enable").returncode == 0
    again = sign_in(admin.email, admin.password)
    assert firestore_get(again, f"sessions/{session_id}") == 200


def test_a_revoked_users_earlier_token_reads_not_even_their_own_session(make_user):
    athlete = make_user()
    session_id = athletes_session(athlete)
    assert firestore_get(athlete, f"sessions/{session_id}") == 200
    time.sleep(1.1)
    done = grant(athlete.email, "revoke")
    assert done.returncode == 0, done.stderr
    assert firestore_get(athlete, f"sessions/{session_id}") == 403
    assert api("GET", "/api/sessions", athlete).status_code == 401
    again = sign_in(athlete.email, athlete.password)
    assert firestore_get(again, f"sessions/{session_id}") == 200


def test_the_last_admin_can_be_neither_demoted_nor_disabled_by_the_command(make_user):
    admin = make_user("admin")
    for what in ("athlete", "coach", "none", "disable"):
        refused = grant(admin.email, what)
        assert refused.returncode == 1, (what, refused.stdout, refused.stderr)
        assert "last admin" in refused.stderr
    assert powers(admin, make_user().uid) == (200, 200)
    second = make_user("admin")
    time.sleep(1.1)
    demoted = api("POST", f"/api/users/{second.uid}/role", admin, json={"role": "coach"})
    assert demoted.status_code == 200, demoted.text
    again = api("POST", f"/api/users/{admin.uid}/role", second, json={"role": "coach"})
    assert again.status_code == 401  # second's token was revoked with the demotion
    second = sign_in(second.email, second.password)
    coach = api("POST", f"/api/users/{admin.uid}/role", second, json={"role": "coach"})
    assert coach.status_code == 403
