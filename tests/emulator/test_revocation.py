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

from devtools.emulators import IDENTITY, OWNER, PROJECT, api, call, documents, field, sign_in

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
def test_an_admins_token_stops_working_at_once(make_user, how):
    admin, athlete = make_user("admin"), make_user()
    assert powers(admin, athlete.uid) == (200, 200)
    time.sleep(1.1)  # revocation has one-second precision: be after the sign-in's second
    if how == "revoked":
        update_account(admin.uid, validSince=str(int(time.time())))
    elif how == "disabled":
        update_account(admin.uid, disableUser=True)
    else:
        delete_account(admin.uid)
    assert powers(admin, athlete.uid) == (401, 401)
    session = api("POST", "/api/sessions", admin, json={"athleteId": athlete.uid})
    assert session.status_code == 401


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
