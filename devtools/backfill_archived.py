"""Give every session stored before archiving existed its ``archived: false``.

    python -m devtools.backfill_archived [--dry-run]

The session lists filter on ``archived`` (docs/architecture.md), and a Firestore equality filter
never matches a document without the field, so a session created before the upgrade would be
in no list until this runs once. It is idempotent (a session that has the field is left alone)
and goes in pages of ``BATCH_LIMIT`` ordered by id, so it can be stopped and run again.

Runs against the emulators when FIRESTORE_EMULATOR_HOST is set, else against the project of the
Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS).
"""

from __future__ import annotations

import argparse


def backfill(db: object, *, dry_run: bool = False) -> int:
    """Write ``archived: false`` on each session without the field; the number of sessions."""
    from google.cloud.firestore import Client

    from sessionbase.store.client import commit
    from sessionbase.store.keys import SESSIONS
    from sessionbase.store.work import BATCH_LIMIT

    assert isinstance(db, Client)
    found, last = 0, None
    while True:
        query = db.collection(SESSIONS).order_by("__name__").limit(BATCH_LIMIT)
        if last is not None:
            query = query.start_after(last)
        page = list(query.stream())
        if not page:
            return found
        missing = [snap for snap in page if "archived" not in (snap.to_dict() or {})]
        found += len(missing)
        if missing and not dry_run:
            batch = db.batch()
            for snap in missing:
                # Only if it is unchanged since read: a concurrent write wins, and a rerun
                # picks the session up again.
                option = db.write_option(last_update_time=snap.update_time)
                batch.update(snap.reference, {"archived": False}, option=option)
            commit(batch)
        last = page[-1]


def main(argv: list[str] | None = None) -> int:
    """Backfill, and print how many sessions had no ``archived`` field."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="count them, change nothing")
    args = parser.parse_args(argv)

    import firebase_admin

    from sessionbase.store.client import firestore_client

    if not firebase_admin._apps:
        firebase_admin.initialize_app()
    count = backfill(firestore_client(), dry_run=args.dry_run)
    print(f"{count} session(s) without 'archived'" + (" (dry run)" if args.dry_run else ": set"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
