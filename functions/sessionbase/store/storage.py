"""Cloud Storage: the upload bucket, opened on first use, and deleting a session's objects."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from sessionbase.settings import bucket_name, project_id
from sessionbase.store.client import emulator_credentials

if TYPE_CHECKING:
    from google.cloud.storage import Bucket


class ObjectStore:
    """The objects of one bucket; the Storage client is created only when an object is touched."""

    def __init__(self, name: str) -> None:
        self.name = name

    @functools.cached_property
    def bucket(self) -> Bucket:
        """The bucket handle (emulator-aware: ``STORAGE_EMULATOR_HOST``)."""
        from google.cloud import storage

        if os.environ.get("STORAGE_EMULATOR_HOST"):
            client = storage.Client(project=project_id(), credentials=emulator_credentials())
        else:
            client = storage.Client(project=project_id())
        return client.bucket(self.name)

    def delete_prefix(self, prefix: str) -> int:
        """Delete every object whose name starts with ``prefix``; returns how many."""
        from google.api_core.exceptions import NotFound

        deleted = 0
        for blob in self.bucket.list_blobs(prefix=prefix):
            try:
                blob.delete()
            except NotFound:  # deleted meanwhile (a retried request): the goal is reached
                continue
            deleted += 1
        return deleted


@functools.cache
def default_objects() -> ObjectStore:
    """The process-wide object store of the upload bucket."""
    return ObjectStore(bucket_name())
