"""Cloud Storage: the upload bucket (opened on first use), upload sessions, reads and deletes."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from datetime import timedelta
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from sessionbase.settings import bucket_name, project_id
from sessionbase.store.client import emulator_credentials

if TYPE_CHECKING:
    from google.cloud.storage import Bucket

# The custom metadata key under which Firebase Storage keeps an object's download tokens.
DOWNLOAD_TOKENS = "firebaseStorageDownloadTokens"


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

    def upload_session(
        self,
        path: str,
        *,
        content_type: str,
        size: int | None,
        origin: str | None,
        metadata: dict[str, str],
    ) -> str:
        """A resumable upload session URL for ``path``, the object's custom metadata fixed.

        ``origin`` (the browser's) is passed on so that Cloud Storage answers the browser's
        PUTs with the CORS headers it needs.
        """
        blob = self.bucket.blob(path)
        blob.metadata = metadata
        url: str = blob.create_resumable_upload_session(
            content_type=content_type, size=size, origin=origin
        )
        return url

    def sample(self, path: str, generation: str, size: int, head: int) -> ObjectSample | None:
        """That generation of an object to examine: its first ``head`` bytes read now (None if
        it is gone), other ranges on demand (``domain.attachments.Sample``)."""
        first = self.head(path, generation, head)
        if first is None:
            return None
        return ObjectSample(self.bucket.blob(path, generation=int(generation)), size, first)

    def strip_download_tokens(self, path: str, generation: str) -> bool:
        """Remove the Firebase download tokens of that generation of an object (each one is a
        link that downloads it signed-out, for ever); False if it is gone or was replaced.

        The Firebase Storage client adds one to every upload, and ``getDownloadURL()`` mints
        one; downloads go through the API's short-lived signed URLs instead.
        """
        from google.api_core.exceptions import NotFound, PreconditionFailed

        blob = self.bucket.blob(path)
        try:
            blob.metadata = {DOWNLOAD_TOKENS: None}  # a patch: null removes the key
            blob.patch(if_generation_match=int(generation))
        except (NotFound, PreconditionFailed):  # gone, or replaced: the next one is checked
            return False
        return True

    def head(self, path: str, generation: str, length: int) -> bytes | None:
        """The first ``length`` bytes of that generation of an object; None if it is gone."""
        from google.api_core.exceptions import NotFound

        blob = self.bucket.blob(path, generation=int(generation))
        try:
            data: bytes = blob.download_as_bytes(start=0, end=max(length - 1, 0))
        except NotFound:
            return None
        return data

    def reader(self, path: str, generation: str, chunk_size: int = 4 * 1024 * 1024) -> IO[bytes]:
        """A seekable reader of that generation of an object, fetching ``chunk_size`` at a time."""
        blob = self.bucket.blob(path, generation=int(generation))
        reader: IO[bytes] = blob.open("rb", chunk_size=chunk_size)
        return reader

    def read_json(self, path: str) -> Any | None:
        """The JSON document stored at ``path``; None if there is none (or it is not JSON)."""
        from google.api_core.exceptions import NotFound

        try:
            data = self.bucket.blob(path).download_as_bytes()
        except NotFound:
            return None
        try:
            return json.loads(data)
        except ValueError:
            return None

    def write_json(self, path: str, document: Any) -> None:
        """Store ``document`` as a JSON object at ``path``."""
        blob = self.bucket.blob(path)
        blob.upload_from_string(json.dumps(document), content_type="application/json")

    def write_bytes(self, path: str, data: bytes, content_type: str) -> None:
        """Store ``data`` at ``path`` with its content type."""
        self.bucket.blob(path).upload_from_string(data, content_type=content_type)

    def write_stream(
        self,
        path: str,
        stream: IO[bytes],
        *,
        size: int,
        content_type: str,
        metadata: dict[str, str],
    ) -> Any:
        """Store ``size`` bytes read from ``stream`` at ``path`` (in chunks: a resumable upload
        past 8 MiB), with its content type and custom metadata; returns the stored blob
        (its generation, size, time created)."""
        blob = self.bucket.blob(path)
        blob.metadata = metadata
        blob.upload_from_file(stream, size=size, content_type=content_type, rewind=True)
        return blob

    def delete(self, path: str, generation: str | None = None) -> bool:
        """Delete an object (only that generation, when given); False if it was not there."""
        from google.api_core.exceptions import NotFound, PreconditionFailed

        blob = self.bucket.blob(path)
        try:
            blob.delete(if_generation_match=None if generation is None else int(generation))
        except (NotFound, PreconditionFailed):  # gone, or replaced by a newer upload: keep that
            return False
        return True

    def rename_uploader(self, path: str, uid: str, stand_in: str) -> bool:
        """Replace ``uid`` by ``stand_in`` as the object's ``uploadedBy`` metadata (deleting an
        account de-identifies what they uploaded to others' sessions); False if the object is
        not there or names someone else."""
        from google.api_core.exceptions import NotFound

        blob = self.bucket.get_blob(path)
        if blob is None or (blob.metadata or {}).get("uploadedBy") != uid:
            return False
        blob.metadata = {**(blob.metadata or {}), "uploadedBy": stand_in}
        try:
            blob.patch()
        except NotFound:
            return False
        return True

    def download_url(self, path: str, lifetime: timedelta) -> str:
        """A URL that downloads the object for ``lifetime``, without a Firebase token.

        Deployed: a V4 signed URL, signed through IAM with the function's service account
        (it needs "Service Account Token Creator" on itself; README, Deploying). Offline, the
        GCS-compatible server signs nothing: its plain media URL stands in (docs/decisions.md).
        """
        emulator = os.environ.get("STORAGE_EMULATOR_HOST")
        if emulator:
            encoded = quote(path, safe="")
            return f"{emulator.rstrip('/')}/download/storage/v1/b/{self.name}/o/{encoded}?alt=media"
        credentials = _signing_credentials()
        url: str = self.bucket.blob(path).generate_signed_url(
            version="v4",
            expiration=lifetime,
            method="GET",
            service_account_email=credentials.service_account_email,
            access_token=credentials.token,
        )
        return url

    def objects(self, prefix: str) -> Iterator[Any]:
        """The objects whose names start with ``prefix`` (name, generation, size, updated)."""
        return iter(self.bucket.list_blobs(prefix=prefix))


class ObjectSample:
    """The bytes of one object generation, read in ranges: the first ones once, then only
    what the examination asks for (``reads`` counts the Storage reads, for the cost figures)."""

    def __init__(self, blob: Any, size: int, head: bytes) -> None:
        self._blob = blob
        self._size = size
        self._head = head
        self.reads = 1

    @property
    def size(self) -> int:
        """The object's size in bytes."""
        return self._size

    def read(self, start: int, length: int) -> bytes:
        """Up to ``length`` bytes from ``start``; empty if the object went meanwhile."""
        from google.api_core.exceptions import NotFound

        if length <= 0 or start >= self._size:
            return b""
        if start + length <= len(self._head) or len(self._head) >= self._size:
            return self._head[start : start + length]
        self.reads += 1
        try:
            data: bytes = self._blob.download_as_bytes(start=start, end=start + length - 1)
        except NotFound:
            return b""
        return data


@functools.cache
def _runtime_credentials() -> Any:
    """The runtime's default credentials, looked up once per instance."""
    import google.auth

    credentials, _project = google.auth.default()
    return credentials


def _signing_credentials() -> Any:
    """The runtime's credentials, with a fresh access token for IAM's signBlob (refreshed only
    when the one it has expired, not for every URL)."""
    from google.auth.transport.requests import Request

    credentials = _runtime_credentials()
    if not credentials.valid:
        credentials.refresh(Request())
    return credentials


@functools.cache
def default_objects() -> ObjectStore:
    """The process-wide object store of the upload bucket."""
    return ObjectStore(bucket_name())
