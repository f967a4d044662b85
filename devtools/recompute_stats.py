"""Recompute statistics from the sessions, report drift, repair it.

    python -m devtools.recompute_stats --uid <uid> [--role athlete|coach] [--dry-run]
    python -m devtools.recompute_stats --all [--dry-run]

Runs against the emulators when FIRESTORE_EMULATOR_HOST is set (scripts/start.sh's suite), else
against the project of the Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS).
The scheduled function ``reconcile_statistics`` does the same for everyone once a day.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime


def main(argv: list[str] | None = None) -> int:
    """Reconcile the people asked for; print one JSON report per person; exit 1 on drift, 2
    when someone could not be reconciled (their report's ``error``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--uid")
    who.add_argument("--all", action="store_true")
    parser.add_argument("--role", choices=["athlete", "coach"])
    parser.add_argument("--dry-run", action="store_true", help="report drift, change nothing")
    args = parser.parse_args(argv)

    import firebase_admin

    from sessionbase.services import stats
    from sessionbase.store.audit import Scope
    from sessionbase.store.client import firestore_client
    from sessionbase.store.work import Store

    if not firebase_admin._apps:
        firebase_admin.initialize_app()
    store = Store(firestore_client(), audit=Scope.run("recompute_stats", datetime.now(UTC)))
    now = datetime.now(UTC)
    if args.all:
        if not args.dry_run:
            stats.retry_failures(store, now)  # sessions a trigger noted it could not count
        people = list(store.stats.people())
    else:
        people = [(args.uid, role) for role in ([args.role] if args.role else ["athlete", "coach"])]
    drifted = failed = False
    # One person who cannot be reconciled is reported (with ``error``); the others still are.
    for report in stats.reconcile_people(store, people, now, repair=not args.dry_run):
        drifted = drifted or bool(report.drift)
        failed = failed or report.error is not None
        print(json.dumps(report.model_dump()))
    return 2 if failed else 1 if drifted else 0


if __name__ == "__main__":
    raise SystemExit(main())
