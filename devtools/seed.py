"""Seed the running emulator suite with demo accounts and sessions: ``python -m devtools.seed``.

Everything goes through public interfaces, as a client or the admin CLI would: accounts through the
Auth emulator's REST API (the ``role`` claim set as DESIGN.md §2 allows a seed script to), sessions
through ``POST /api/sessions`` with each author's own ID token. No Firestore document is written
directly.

Idempotent: an account that exists already (sign-up answers EMAIL_EXISTS) is signed in instead, and
an author who already has sessions of their own (``GET /api/sessions``) gets no new ones.

Each step is one function: accounts, sessions, invitations (accepting them links the coaches'
pending sessions to the athletes), a course with a live session, the printed table.

Emulator origins come from the hub named by ``FIREBASE_EMULATOR_HUB`` (``scripts/start.sh`` sets
it), else the default ports of firebase.json.
"""

from __future__ import annotations

import base64
import json
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import requests

from devtools import emulators
from devtools.examples import YOGA_SESSION

PASSWORD = "sessionbase-demo"
DOMAIN = "sessionbase.test"


@dataclass(frozen=True, kw_only=True)
class Account:
    """A demo account: who it is and the role claim it should carry (None: plain athlete)."""

    key: str
    name: str
    role: str | None

    @property
    def email(self) -> str:
        """The fixed demo e-mail of this account."""
        return f"{self.key}@{DOMAIN}"


ACCOUNTS = (
    Account(key="admin", name="Ada Admin", role="admin"),
    Account(key="coach.ana", name="Ana Coach", role="coach"),
    Account(key="coach.tom", name="Tom Coach", role="coach"),
    # Athletes carry no claim: a user without one is an athlete, as after a real sign-up.
    Account(key="athlete.ben", name="Ben Athlete", role=None),
    Account(key="athlete.mia", name="Mia Athlete", role=None),
    Account(key="athlete.leo", name="Leo Athlete", role=None),
)


@dataclass(frozen=True, kw_only=True)
class Seeded:
    """A demo account signed in, and whether this run created it."""

    account: Account
    user: emulators.User
    created: bool

    @property
    def role(self) -> str:
        """The role the ID token actually carries."""
        return _claims(self.user.id_token).get("role", "athlete")


@dataclass(frozen=True, kw_only=True)
class SessionSeed:
    """One ``POST /api/sessions`` body, sent with its author's token."""

    author: str
    body: dict[str, Any]


def demo_sessions(today: date) -> list[SessionSeed]:
    """The demo sessions, dated around ``today`` so the data looks current."""

    def at(days: int, hour: int, minutes: int = 0) -> str:
        moment = datetime.combine(today + timedelta(days=days), time(hour, minutes), tzinfo=UTC)
        return moment.isoformat().replace("+00:00", "Z")

    return [
        # Athletes' own sessions.
        SessionSeed(
            author="athlete.ben",
            body={
                "sessionType": "Training",
                "event": "Vault",
                "status": "completed",
                "date": (today - timedelta(days=2)).isoformat(),
                "actualStart": at(-2, 17),
                "actualEnd": at(-2, 18, 30),
                "durationSeconds": 5400,
                "notes": "Round-off entries, 12 attempts.",
            },
        ),
        SessionSeed(
            author="athlete.ben",
            body={
                "sessionType": "Competition",
                "event": "Floor",
                "date": (today + timedelta(days=9)).isoformat(),
                "scheduledStart": at(9, 10),
                "scheduledEnd": at(9, 12),
                "notes": "Regional qualifier.",
            },
        ),
        SessionSeed(
            author="athlete.leo",
            body={
                "sessionType": "Training",
                "event": "Sprint starts",
                "date": (today + timedelta(days=1)).isoformat(),
                "scheduledStart": at(1, 7),
                "scheduledEnd": at(1, 8),
            },
        ),
        # The yoga seed's body (DESIGN.md §4): a completed Practice session with its poses.
        SessionSeed(
            author="athlete.mia",
            body={
                **YOGA_SESSION,
                "poses": [
                    *YOGA_SESSION["poses"],
                    {
                        "pose_name": "Warrior II",
                        "accuracy": 81.0,
                        "feedback": ["Strong stance"],
                        "improvements": ["Bend the front knee to 90 degrees"],
                    },
                    {
                        "pose_name": "Tree Pose",
                        "accuracy": 76.5,
                        "feedback": ["Steady gaze"],
                        "improvements": ["Press the foot into the inner thigh"],
                    },
                ],
                "avg_accuracy": 83.3,
            },
        ),
        # Coaches' sessions for athletes named by e-mail: pending (no athleteId) until an
        # invitation links coach and athlete.
        SessionSeed(
            author="coach.ana",
            body={
                "athleteEmail": f"athlete.ben@{DOMAIN}",
                "athleteName": "Ben Athlete",
                "sessionType": "Evaluation",
                "event": "Vault",
                "date": (today + timedelta(days=3)).isoformat(),
                "scheduledStart": at(3, 16),
                "scheduledEnd": at(3, 17),
            },
        ),
        SessionSeed(
            author="coach.ana",
            body={
                "athleteEmail": f"athlete.leo@{DOMAIN}",
                "athleteName": "Leo Athlete",
                "sessionType": "Analysis",
                "event": "Sprint starts",
                "date": (today + timedelta(days=5)).isoformat(),
            },
        ),
        SessionSeed(
            author="coach.tom",
            body={
                "athleteEmail": f"athlete.mia@{DOMAIN}",
                "athleteName": "Mia Athlete",
                "sessionType": "Review",
                "event": "Yoga",
                "date": (today + timedelta(days=2)).isoformat(),
                "notes": "Go through last week's practice.",
            },
        ),
    ]


def ensure_accounts(accounts: tuple[Account, ...] = ACCOUNTS) -> dict[str, Seeded]:
    """Create each account (or sign in to it if it exists) and return them signed in, by key."""
    seeded = {}
    for account in accounts:
        try:
            user = emulators.sign_up(account.email, PASSWORD, role=account.role, name=account.name)
            created = True
        except requests.HTTPError as error:
            if _auth_error(error.response) != "EMAIL_EXISTS":
                raise
            user = emulators.sign_in(account.email, PASSWORD, role=account.role or "athlete")
            created = False
        seeded[account.key] = Seeded(account=account, user=user, created=created)
    return seeded


def create_sessions(users: dict[str, Seeded], sessions: list[SessionSeed]) -> dict[str, int]:
    """Post each author's sessions unless that author already has sessions of their own.

    Returns how many sessions were created per author.
    """
    created: dict[str, int] = {}
    skip = {key for key in {s.author for s in sessions} if own_sessions(users[key].user)}
    for seed in sessions:
        if seed.author in skip:
            continue
        reply = emulators.api("POST", "/api/sessions", users[seed.author].user, json=seed.body)
        if reply.status_code != 201:
            raise SeedError(f"POST /api/sessions as {seed.author} failed: {_describe(reply)}")
        created[seed.author] = created.get(seed.author, 0) + 1
    return created


def own_sessions(user: emulators.User) -> list[dict]:
    """The user's own sessions as ``GET /api/sessions`` lists them (first page)."""
    reply = emulators.api("GET", "/api/sessions", user, params={"limit": 100})
    if reply.status_code != 200:
        raise SeedError(f"GET /api/sessions as {user.email} failed: {_describe(reply)}")
    return reply.json()["sessions"]


# (coach, athlete, accepted): accepting links the coach's pending sessions for that athlete.
INVITATIONS = (
    ("coach.ana", "athlete.ben", True),
    ("coach.tom", "athlete.mia", True),
    ("coach.ana", "athlete.leo", False),  # left pending, to show an open invitation
)


def link_accounts(users: dict[str, Seeded]) -> int:
    """Send the demo invitations and accept some; returns how many sessions accepting linked."""
    linked = 0
    for coach_key, athlete_key, accept in INVITATIONS:
        coach, athlete = users[coach_key].user, users[athlete_key].user
        sent = emulators.api(
            "POST", "/api/invitations", coach, json={"athleteEmail": athlete.email}
        )
        if sent.status_code == 201:
            invitation_id = sent.json()["invitationId"]
        elif sent.status_code == 409:  # sent by an earlier run
            invitation_id = _invitation_to(coach, athlete.email)
        else:
            raise SeedError(f"POST /api/invitations as {coach_key} failed: {_describe(sent)}")
        if not accept:
            continue
        reply = emulators.api("POST", f"/api/invitations/{invitation_id}/accept", athlete)
        if reply.status_code == 200:
            linked += reply.json()["linkedSessions"]
        elif reply.status_code != 409:  # 409: accepted by an earlier run
            raise SeedError(f"accepting as {athlete_key} failed: {_describe(reply)}")
    return linked


DEMO_GROUP = "Gymnastics 101"


def seed_group(users: dict[str, Seeded]) -> str | None:
    """coach.ana's course with the three athletes: one session ended (Ben and Mia checked in),
    one active. Returns the group id when it was created now (None: an earlier run made it)."""
    owner = users["coach.ana"].user
    mine = emulators.api("GET", "/api/groups", owner)
    if mine.status_code != 200:
        raise SeedError(f"GET /api/groups as coach.ana failed: {_describe(mine)}")
    if any(group["name"] == DEMO_GROUP for group in mine.json()["groups"]):
        return None
    made = emulators.api("POST", "/api/groups", owner, json={"name": DEMO_GROUP, "kind": "course"})
    if made.status_code != 201:
        raise SeedError(f"POST /api/groups failed: {_describe(made)}")
    group_id = made.json()["groupId"]
    # Membership is an invitation each athlete accepts (issue 21), as a person would in the app.
    members = f"/api/groups/{group_id}/members"
    for key in ("athlete.ben", "athlete.mia", "athlete.leo"):
        athlete = users[key].user
        sent = _expect(
            emulators.api("POST", members, owner, json={"email": athlete.email}), members
        )
        accept = f"/api/invitations/{sent['invitationId']}/accept"
        _expect(emulators.api("POST", accept, athlete), f"{accept} as {key}")
    ended = _expect(emulators.api("POST", f"/api/groups/{group_id}/sessions", owner), "start")
    for key in ("athlete.ben", "athlete.mia"):
        path = f"/api/sessions/{ended['sessionId']}/check-in"
        _expect(emulators.api("POST", path, users[key].user), path)
    _expect(emulators.api("POST", f"/api/sessions/{ended['sessionId']}/end", owner), "end")
    _expect(emulators.api("POST", f"/api/groups/{group_id}/sessions", owner), "start")
    return group_id


DEMO_EXERCISES = (
    ("'to speak' (hablar), present subjunctive, yo", ["hable"]),
    ("'coffee' in Spanish", ["café"]),
    ("7 x 8", ["56", "fifty-six"]),
)


def seed_practice(users: dict[str, Seeded]) -> str | None:
    """coach.ana's three exercises, and athlete.ben's ended review of them (2 of 3 right).

    Returns the practice session's id when it was made now (None: an earlier run made it).
    """
    ben = users["athlete.ben"].user
    if any(session.get("sessionType") == "Review" for session in own_sessions(ben)):
        return None
    coach = users["coach.ana"].user
    ids = [
        _expect(
            emulators.api("POST", "/api/exercises", coach, json={"prompt": p, "answers": a}),
            "POST /api/exercises",
        )["exercise_id"]
        for p, a in DEMO_EXERCISES
    ]
    start = emulators.api(
        "POST", "/api/exercises/session/start", ben, json={"session_type": "review"}
    )
    session_id = _expect(start, "start a practice session")["session_id"]
    for exercise_id, answer in zip(ids, ("hable", "cafe", "56"), strict=True):
        body = {"exercise_id": exercise_id, "user_answer": answer, "time_taken": 6,
                "session_id": session_id}  # fmt: skip
        _expect(emulators.api("POST", "/api/exercises/submit", ben, json=body), "submit")
    ended = emulators.api(
        "POST", "/api/exercises/session/end", ben, json={"session_id": session_id}
    )
    _expect(ended, "end the practice session")
    return str(session_id)


def _expect(reply: requests.Response, what: str) -> dict:
    if reply.status_code not in (200, 201):
        raise SeedError(f"{what} failed: {_describe(reply)}")
    return dict(reply.json())


def _invitation_to(coach: emulators.User, athlete_email: str) -> str:
    reply = emulators.api("GET", "/api/invitations", coach)
    if reply.status_code != 200:
        raise SeedError(f"GET /api/invitations as {coach.email} failed: {_describe(reply)}")
    for invitation in reply.json()["invitations"]:
        if invitation["kind"] == "coach" and invitation["athleteEmail"] == athlete_email:
            return invitation["invitationId"]
    raise SeedError(f"no invitation from {coach.email} to {athlete_email}")


def print_accounts(users: dict[str, Seeded], out: Any = sys.stdout) -> None:
    """A table of the demo accounts, with the sessions each sees as their own."""
    rows = [("role", "e-mail", "password", "own sessions", "uid", "this run")]
    for seeded in users.values():
        rows.append(
            (
                seeded.role,
                seeded.user.email,
                PASSWORD,
                str(len(own_sessions(seeded.user))),
                seeded.user.uid,
                "created" if seeded.created else "existed",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip(), file=out)
        if n == 0:
            print("  ".join("-" * width for width in widths), file=out)


def seed(*, today: date | None = None, out: Any = sys.stdout) -> dict[str, Seeded]:
    """Run every step; safe to run again against the same emulators."""
    users = ensure_accounts()
    for seeded in users.values():
        wanted = seeded.account.role or "athlete"
        if seeded.role != wanted:
            print(
                f"warning: {seeded.user.email} carries role {seeded.role!r}, not {wanted!r}",
                file=out,
            )
    created = create_sessions(users, demo_sessions(today or datetime.now(UTC).date()))
    linked = link_accounts(users)
    group = seed_group(users)
    practice = seed_practice(users)
    total = sum(created.values())
    print(
        f"Seeded {sum(s.created for s in users.values())} new account(s) "
        f"and {total} new session(s) through the public API; accepting invitations linked "
        f"{linked} pending session(s).",
        file=out,
    )
    print_accounts(users, out)
    print(
        "Links: coach.ana - athlete.ben and coach.tom - athlete.mia (accepted); coach.ana's "
        "invitation to athlete.leo is pending, so her session for Leo waits (athleteId null).",
        file=out,
    )
    print(
        f"Group: coach.ana's course {DEMO_GROUP!r} with Ben, Mia and Leo: one session ended "
        "(Ben and Mia checked in), one active"
        + (f" (created now: {group})." if group else " (from an earlier run)."),
        file=out,
    )
    print(
        "Practice: coach.ana's three exercises; athlete.ben's review of them ended 2 of 3 right"
        + (f" (created now: {practice})." if practice else " (from an earlier run)."),
        file=out,
    )
    return users


class SeedError(RuntimeError):
    """A public endpoint refused a seed request."""


def _claims(id_token: str) -> dict:
    """The payload of an ID token (read, not verified: it came straight from the Auth emulator)."""
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _auth_error(reply: requests.Response | None) -> str | None:
    """The Auth REST API's error message (``EMAIL_EXISTS``, ...), if the reply carries one."""
    try:
        return reply.json()["error"]["message"]  # type: ignore[union-attr]
    except (AttributeError, ValueError, KeyError, TypeError):
        return None


def _describe(reply: requests.Response) -> str:
    return f"{reply.status_code} {reply.text[:500]}"


def main() -> int:
    """Entry point of ``python -m devtools.seed``."""
    try:
        seed()
    except requests.ConnectionError as error:
        where = error.request.url if error.request is not None else error
        print(
            f"seed: the emulators are not reachable ({where}). Start them with scripts/start.sh.",
            file=sys.stderr,
        )
        return 1
    except (SeedError, requests.HTTPError) as error:
        print(f"seed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
