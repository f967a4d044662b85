"""Remove the Firebase download tokens already minted on session objects (run once).

    python -m devtools.strip_download_tokens [--dry-run]

A download token (custom metadata ``firebaseStorageDownloadTokens``) is a link that downloads
its object signed-out, for ever. Until storage.rules stopped letting clients read session
objects, ``getDownloadURL()`` minted one for anybody who could read the session, and every
client upload got one; the finalize trigger now strips new ones (docs/decisions.md, "No
permanent download links"). This strips the old: it lists ``sessions/`` (metadata comes with the
listing) and patches only the objects that have a token, one metadata patch each, so it is
idempotent and can be stopped and run again. (Cloud Storage drops a key patched to null; the
local GCS-compatible server keeps it, empty: an empty value is no token.)

Runs against the GCS-compatible server when STORAGE_EMULATOR_HOST is set, else against the
bucket of the Application Default Credentials' project (SESSIONBASE_BUCKET or the default).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sessionbase.store.storage import ObjectStore

PREFIX = "sessions/"


def strip(objects: ObjectStore, *, dry_run: bool = False) -> list[str]:
    """Strip the tokens of every session object that has one; the names of those objects."""
    from sessionbase.store.storage import DOWNLOAD_TOKENS

    stripped = []
    for blob in objects.objects(PREFIX):
        if not (blob.metadata or {}).get(DOWNLOAD_TOKENS):  # none, or stripped to "" (below)
            continue
        if dry_run or objects.strip_download_tokens(blob.name, str(blob.generation)):
            stripped.append(blob.name)
    return stripped


def main(argv: list[str] | None = None) -> int:
    """Strip, and print how many objects had tokens."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="list them, change nothing")
    args = parser.parse_args(argv)

    from sessionbase.store.storage import default_objects

    names = strip(default_objects(), dry_run=args.dry_run)
    for name in names:
        print(name)
    suffix = " (dry run)" if args.dry_run else ": stripped"
    print(f"{len(names)} object(s) with download tokens{suffix}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
