"""Give a user a role (or none), or disable, enable or revoke their account, with the Admin SDK:
how the first admin is made, and how an operator shuts an account out at once.

    GOOGLE_APPLICATION_CREDENTIALS=key.json GOOGLE_CLOUD_PROJECT=<project> \\
        functions/venv/bin/python scripts/grant_role.py admin@example.com admin

Against the local emulators, set FIREBASE_AUTH_EMULATOR_HOST and FIRESTORE_EMULATOR_HOST
instead of the key. A role does what ``POST /api/users/{uid}/role`` does (services/users.py):
records it in ``users/{uid}`` (the record the security rules read), sets the ``role`` claim from
it and revokes the user's earlier sign-ins, in the API and in the rules alike. ``none`` removes
the role (the user is an athlete). ``disable`` / ``enable`` disable the Auth account (or enable
it again) and ``revoke`` ends every earlier sign-in, each also recorded in ``users/{uid}`` so the
rules refuse the user's earlier tokens at once. Disabling or revoking in the Firebase console
instead is seen by the API at once but by the security rules only when the tokens expire (up to
an hour): use this command. The last active admin is neither demoted nor disabled (exit 1).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

ROLES = ("athlete", "coach", "admin", "none")
ACCESS = ("disable", "enable", "revoke")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in ROLES + ACCESS:
        print(f"usage: grant_role.py EMAIL {{{'|'.join(ROLES + ACCESS)}}}", file=sys.stderr)
        return 2
    import firebase_admin
    from firebase_admin import auth

    from sessionbase.errors import SessionbaseError
    from sessionbase.models.identity import Role
    from sessionbase.services.users import apply_role, revoke, set_disabled
    from sessionbase.store.audit import Scope
    from sessionbase.store.client import firestore_client
    from sessionbase.store.work import Store

    firebase_admin.initialize_app()
    email, wanted = argv
    try:
        user = auth.get_user_by_email(email)
    except auth.UserNotFoundError:
        print(f"no user with the e-mail {email}", file=sys.stderr)
        return 1
    now, by = datetime.now(UTC), "grant_role.py"
    store = Store(firestore_client(), audit=Scope.run(by, now))
    try:
        if wanted == "revoke":
            revoke(store, user.uid, by=by, now=now)
            done = "earlier sign-ins revoked"
        elif wanted in ("disable", "enable"):
            set_disabled(store, user.uid, wanted == "disable", by=by, now=now)
            done = f"{wanted}d; earlier sign-ins revoked"
        else:
            role = None if wanted == "none" else Role(wanted)
            apply_role(store, user.uid, role, by=by, now=now)
            done = f"role {wanted}; earlier sign-ins revoked"
    except SessionbaseError as error:
        print(f"{email}: {error}", file=sys.stderr)
        return 1
    print(f"{email} ({user.uid}): {done}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
