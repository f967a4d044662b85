"""Give a user a role (or none) with the Admin SDK: how the first admin is made.

    GOOGLE_APPLICATION_CREDENTIALS=key.json GOOGLE_CLOUD_PROJECT=<project> \\
        functions/venv/bin/python scripts/grant_role.py admin@example.com admin

Against the local emulators, set FIREBASE_AUTH_EMULATOR_HOST and FIRESTORE_EMULATOR_HOST
instead of the key. It does what ``POST /api/users/{uid}/role`` does (services/users.py): sets
the ``role`` claim, revokes the user's refresh tokens so that it applies at once, and records
the role in ``users/{uid}``. ``none`` removes the role (the user is an athlete).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

ROLES = ("athlete", "coach", "admin", "none")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in ROLES:
        print(f"usage: grant_role.py EMAIL {{{'|'.join(ROLES)}}}", file=sys.stderr)
        return 2
    import firebase_admin
    from firebase_admin import auth

    from sessionbase.models.identity import Role
    from sessionbase.services.users import apply_role
    from sessionbase.store.client import firestore_client
    from sessionbase.store.work import Store

    firebase_admin.initialize_app()
    email, wanted = argv
    try:
        user = auth.get_user_by_email(email)
    except auth.UserNotFoundError:
        print(f"no user with the e-mail {email}", file=sys.stderr)
        return 1
    role = None if wanted == "none" else Role(wanted)
    changed = apply_role(
        Store(firestore_client()), user.uid, role, by="grant_role.py", now=datetime.now(UTC)
    )
    print(f"{email} ({changed.uid}): role {wanted}; earlier sign-ins revoked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
