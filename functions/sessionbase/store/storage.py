"""Cloud Storage access: the default bucket and deleting a session's objects."""

from __future__ import annotations

import functools
import json
import os
from typing import TYPE_CHECKING

from sessionbase.config import project_id

if TYPE_CHECKING:
    from google.cloud.storage import Bucket


def bucket_name() -> str:
    """The default bucket: SESSIONBASE_BUCKET, else the one in FIREBASE_CONFIG, else the default."""
    if os.environ.get("SESSIONBASE_BUCKET"):
        return os.environ["SESSIONBASE_BUCKET"]
    try:
        configured = json.loads(os.environ.get("FIREBASE_CONFIG", "{}")).get("storageBucket")
    except ValueError:
        configured = None
    return configured or f"{project_id()}.appspot.com"


@functools.cache
def default_bucket() -> Bucket:
    """The process-wide handle on the default bucket (emulator-aware)."""
    from google.cloud import storage

    if os.environ.get("STORAGE_EMULATOR_HOST"):
        from google.auth.credentials import AnonymousCredentials

        client = storage.Client(project=project_id(), credentials=AnonymousCredentials())
    else:
        client = storage.Client(project=project_id())
    return client.bucket(bucket_name())


def delete_prefix(bucket: Bucket, prefix: str) -> int:
    """Delete every object whose name starts with ``prefix``; returns how many."""
    from google.api_core.exceptions import NotFound

    deleted = 0
    for blob in bucket.list_blobs(prefix=prefix):
        try:
            blob.delete()
        except NotFound:  # deleted meanwhile (a retried request): the goal is reached
            continue
        deleted += 1
    return deleted
