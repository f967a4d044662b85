"""The Firestore client, created on first use so that importing handlers stays cheap."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sessionbase.settings import project_id

if TYPE_CHECKING:
    from google.auth.credentials import Credentials
    from google.cloud.firestore import Client, DocumentSnapshot, Transaction

T = TypeVar("T")
R = TypeVar("R")


@functools.cache
def firestore_client() -> Client:
    """The process-wide Firestore client (emulator-aware)."""
    from google.cloud import firestore

    if os.environ.get("FIRESTORE_EMULATOR_HOST"):
        # firebase_admin.firestore.client() insists on Google credentials even for the emulator.
        return firestore.Client(project=project_id(), credentials=emulator_credentials())
    from firebase_admin import firestore as admin_firestore

    client: Client = admin_firestore.client()
    return client


def emulator_credentials() -> Credentials:
    """No credentials: what the Firestore and Storage emulators accept."""
    from google.auth.credentials import AnonymousCredentials

    credentials: Credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
    return credentials


def run_transaction(db: Client, body: Callable[[Transaction], T]) -> T:
    """Run ``body`` in a Firestore transaction (retried by the client when it conflicts).

    ``body`` is a service's short shell: it reads, asks the domain, and writes.
    """
    from google.cloud import firestore

    result: T = firestore.transactional(body)(db.transaction())
    return result


def record_of(snapshot: DocumentSnapshot[Any], model: Callable[[dict[str, Any]], R]) -> R | None:
    """The record a snapshot holds, or None if the document does not exist."""
    return model(snapshot.to_dict() or {}) if snapshot.exists else None
