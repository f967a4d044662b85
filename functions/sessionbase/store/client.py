"""The Firestore client, created on first use so that importing handlers stays cheap."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from sessionbase.config import project_id

if TYPE_CHECKING:
    from google.cloud.firestore import Client


@functools.cache
def firestore_client() -> Client:
    """The process-wide Firestore client (emulator-aware)."""
    from google.cloud import firestore

    if os.environ.get("FIRESTORE_EMULATOR_HOST"):
        # firebase_admin.firestore.client() insists on Google credentials even for the emulator.
        from google.auth.credentials import AnonymousCredentials

        return firestore.Client(project=project_id(), credentials=AnonymousCredentials())
    from firebase_admin import firestore as admin_firestore

    return admin_firestore.client()
