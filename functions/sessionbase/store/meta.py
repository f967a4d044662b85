"""Deployment-wide internal values in ``_meta/*`` (no client access): the cursor key."""

from __future__ import annotations

import contextlib
import secrets
from datetime import UTC, datetime

from sessionbase.store.work import Repository

META = "_meta"
_cursor_key: bytes | None = None


class Meta(Repository):
    """Deployment-wide internal values."""

    def cursor_key(self) -> bytes:
        """The key that signs page cursors: made once per deployment, read once per instance.

        The first instance that needs it creates it with ``create()``; one that loses that race
        reads the winner's, so every instance signs with the same key.
        """
        global _cursor_key
        if _cursor_key is None:
            from google.api_core.exceptions import AlreadyExists, Conflict

            ref = self._collection(META).document("cursorKey")
            snapshot = ref.get()
            if not snapshot.exists:
                with contextlib.suppress(AlreadyExists, Conflict):  # another instance won
                    ref.create({"key": secrets.token_hex(32), "createdAt": datetime.now(UTC)})
                snapshot = ref.get()
            _cursor_key = bytes.fromhex(str(snapshot.get("key")))
        return _cursor_key
