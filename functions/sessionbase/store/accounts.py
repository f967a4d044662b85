"""Deleting an account: the job document, and the person's documents wherever they are.

The queries here find what is left of a person in one place (a field equal to their uid or
e-mail, in one collection or in every collection of a name); the writes stage deletes and
replacements in the caller's unit of work, a page at a time, so a step re-run finds only what is
left. ``accountDeletions/{uid}`` is the job; it is written in the same unit as each page, at the
version read, so two runs at once cannot both commit the same page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sessionbase.models.accounts import AccountDeletionRecord
from sessionbase.models.sessions import SessionRecord
from sessionbase.models.stats import Contribution
from sessionbase.store.client import record_of
from sessionbase.store.keys import ATHLETE_STATS, COACH_STATS, GROUPS, SESSIONS
from sessionbase.store.work import Repository

if TYPE_CHECKING:
    from google.cloud.firestore import DocumentReference

ACCOUNT_DELETIONS = "accountDeletions"
CONTRIBUTIONS = "statsContributions"
MAIL = "mail"
PROFILES = "users"
COACH_SHARDS = 10


def _session_of(session_id: str, data: dict[str, Any]) -> SessionRecord:
    """A session as the deletion reads it: what is valid in it (a document written around the
    API is still handled); with nothing valid, its people's ids alone."""
    from sessionbase.store.stats import session_of

    found = session_of(session_id, data)
    if found is not None:
        return found
    people = ("athleteId", "coachId", "athleteEmail", "createdBy")
    return SessionRecord.model_construct(
        **{name: data[name] for name in people if isinstance(data.get(name), str)}
    )


def lost_race() -> tuple[type[Exception], ...]:
    """What a unit's commit raises when a precondition failed (the job or a record changed
    since it was read, or went): nothing of the unit was written."""
    from google.api_core.exceptions import FailedPrecondition

    from sessionbase.store.client import DocumentMissing

    return (FailedPrecondition, DocumentMissing)


@dataclass(frozen=True)
class Found:
    """A document found for the person: its path, its fields and its version."""

    path: str
    data: dict[str, Any]
    version: datetime


class Accounts(Repository):
    """Account deletion jobs, and the person's documents in every collection."""

    # ---- the job ---------------------------------------------------------------------------------

    def _job_ref(self, uid: str) -> DocumentReference:
        ref: DocumentReference = self._collection(ACCOUNT_DELETIONS).document(uid)
        return ref

    def job(self, uid: str) -> tuple[AccountDeletionRecord, datetime] | None:
        """The person's deletion job and its version, or None."""
        snapshot = self._read(self._job_ref(uid))
        found = record_of(snapshot, AccountDeletionRecord.model_validate)
        return None if found is None else (found, snapshot.update_time)

    def create_job(self, job: AccountDeletionRecord) -> None:
        """Create the job (the unit fails with ``DocumentExists`` if there is one)."""
        self._writes.create(self._job_ref(job.uid), job.document())

    def save_job(self, job: AccountDeletionRecord, *, version: datetime) -> None:
        """Write the job's progress, if nobody wrote it since ``version`` (else the unit fails)."""
        option = self._unchanged_since(version)
        self._writes.update(self._job_ref(job.uid), job.document(), option=option)

    # ---- finding the person ----------------------------------------------------------------------

    def matching(
        self, collection: str, field: str, value: str, *, group: bool, limit: int
    ) -> list[Found]:
        """Up to ``limit`` documents of ``collection`` (of every collection of that name when
        ``group``) whose ``field`` equals ``value``."""
        from google.cloud.firestore import FieldFilter

        source: Any = (
            self._db.collection_group(collection) if group else self._collection(collection)
        )
        query = source.where(filter=FieldFilter(field, "==", value)).limit(limit)
        return [
            Found(snap.reference.path, snap.to_dict() or {}, snap.update_time)
            for snap in self._stream(query)
        ]

    def sessions_where(
        self, field: str, value: str, *, limit: int
    ) -> list[tuple[str, SessionRecord, datetime]]:
        """Up to ``limit`` sessions whose ``field`` equals ``value``, with their versions (also
        sessions marked for deletion: the account's deletion finishes them)."""
        from google.cloud.firestore import FieldFilter

        query = self._collection(SESSIONS).where(filter=FieldFilter(field, "==", value))
        return [
            (snap.id, _session_of(snap.id, snap.to_dict() or {}), snap.update_time)
            for snap in self._stream(query.limit(limit))
        ]

    def descendants(self, path: str, *, limit: int) -> list[str]:
        """Up to ``limit`` documents in the subcollections of the document at ``path``.

        One level: every tree an account's deletion removes (a session, a profile, statistics,
        a group) keeps its records one level below its root, and looking below each of them
        would cost a round trip per document (a 10,000-notification inbox)."""
        found: list[str] = []
        for collection in self._db.document(path).collections():
            for child in collection.list_documents(page_size=min(limit, 300)):
                found.append(child.path)
                if len(found) >= limit:
                    return found
        return found

    def attendance_of(self, session_ids: list[str], uid: str) -> list[Found]:
        """The person's attendance records in these sessions, in one round trip."""
        refs = [
            self._collection(SESSIONS).document(sid).collection("attendance").document(uid)
            for sid in session_ids
        ]
        return [
            Found(snap.reference.path, snap.to_dict() or {}, snap.update_time)
            for snap in self._read_all(refs)
            if snap.exists
        ]

    def group_sessions(self, group_id: str) -> list[str]:
        """The ids of a group's class sessions."""
        from google.cloud.firestore import FieldFilter

        query = self._collection(SESSIONS).where(filter=FieldFilter("groupId", "==", group_id))
        return [snap.id for snap in self._stream(query.select([]))]

    def inbox_with_prefix(self, recipient: str, prefix: str) -> list[str]:
        """The paths of ``recipient``'s notifications whose key (id) starts with ``prefix``."""
        from google.cloud.firestore import FieldFilter

        inbox = self._collection(PROFILES).document(recipient).collection("notifications")
        query = inbox.where(filter=FieldFilter("__name__", ">=", inbox.document(prefix))).where(
            filter=FieldFilter("__name__", "<", inbox.document(prefix + "\uf8ff"))
        )
        return [snap.reference.path for snap in self._stream(query.select([]))]

    def inbox_linking(self, recipient: str, link: str, kind: str) -> list[str]:
        """The paths of ``recipient``'s notifications of ``kind`` that link to ``link``."""
        from google.cloud.firestore import FieldFilter

        inbox = self._collection(PROFILES).document(recipient).collection("notifications")
        query = inbox.where(filter=FieldFilter("link", "==", link))
        return [
            snap.reference.path
            for snap in self._stream(query)
            if (snap.to_dict() or {}).get("kind") == kind
        ]

    def mail_with_prefix(self, prefix: str) -> list[str]:
        """The paths of the mail documents whose event key starts with ``prefix``."""
        from google.cloud.firestore import FieldFilter

        mail = self._collection(MAIL)
        query = mail.where(filter=FieldFilter("eventKey", ">=", prefix)).where(
            filter=FieldFilter("eventKey", "<", prefix + "\uf8ff")
        )
        return [snap.reference.path for snap in self._stream(query.select([]))]

    def mail_path(self, mail_id: str) -> str:
        """The path of a mail document."""
        return f"{MAIL}/{mail_id}"

    def members_of(self, group_id: str) -> list[str]:
        """The uids of a group's members."""
        members = self._collection(GROUPS).document(group_id).collection("members")
        return [ref.id for ref in members.list_documents()]

    def statistics_roots(self, uid: str) -> list[str]:
        """The person's statistics documents (athlete, coach), above their subcollections."""
        return [f"{ATHLETE_STATS}/{uid}", f"{COACH_STATS}/{uid}"]

    def profile_root(self, uid: str) -> str:
        """``users/{uid}``: the profile, its inbox and devices below it."""
        return f"{PROFILES}/{uid}"

    def coach_shards_naming(self, coach_id: str, uid: str) -> list[str]:
        """The coach's counter shards that still hold a (zero) counter named after ``uid``."""
        shards = self._collection(COACH_STATS).document(coach_id).collection("shards")
        refs = [shards.document(str(n)) for n in range(COACH_SHARDS)]
        return [
            snap.reference.path
            for snap in self._read_all(refs)
            if snap.exists and uid in ((snap.to_dict() or {}).get("athletes") or {})
        ]

    def contribution_version(self, session_id: str) -> datetime | None:
        """The version of the session's statistics contribution, or None if it has none."""
        snapshot = self._read(self._collection(CONTRIBUTIONS).document(session_id))
        if not snapshot.exists:
            return None
        version = (snapshot.to_dict() or {}).get("version")
        return version if isinstance(version, datetime) else None

    # ---- writes (inside a unit of work) ----------------------------------------------------------

    def delete(self, path: str) -> None:
        """Delete the document at ``path`` (nothing if it is gone)."""
        self._writes.delete(self._db.document(path))

    def update(self, path: str, fields: dict[str, Any], *, version: datetime | None = None) -> None:
        """Write ``fields`` of the document at ``path`` (None deletes a field), if it is still
        at ``version`` when one is given (else the unit fails)."""
        from google.cloud.firestore import DELETE_FIELD

        changes = {name: DELETE_FIELD if value is None else value for name, value in fields.items()}
        ref = self._db.document(path)
        if version is None:  # an update fails on a gone document (the page is read again)
            self._writes.update(ref, changes)
        else:
            self._writes.update(ref, changes, option=self._unchanged_since(version))

    def move(self, found: Found, to: str) -> None:
        """Move a document to the path ``to`` (same fields), deleting it where it was."""
        self._writes.set(self._db.document(to), found.data)
        self._writes.delete(self._db.document(found.path))

    def forget_counter(self, path: str, uid: str) -> None:
        """Remove the counter named after ``uid`` from a coach's shard (it is zero by then)."""
        from google.cloud.firestore import DELETE_FIELD
        from google.cloud.firestore_v1.field_path import FieldPath

        self._writes.update(
            self._db.document(path), {FieldPath("athletes", uid).to_api_repr(): DELETE_FIELD}
        )

    def bury_contribution(self, session_id: str, version: datetime) -> None:
        """Record a deleted session's statistics as withdrawn at ``version``, the version the
        trigger gives its deletion, so the trigger's event for it moves nothing: the person's
        statistics are deleted whole, and their sessions count for nobody else."""
        ref = self._collection(CONTRIBUTIONS).document(session_id)
        tombstone = Contribution.tombstone(version).model_dump(mode="python", by_alias=True)
        self._writes.set(ref, tombstone)

    # ---- the Auth account ------------------------------------------------------------------------

    def delete_account(self, uid: str) -> bool:
        """Delete the Auth user (its tokens stop working); False if it was gone already."""
        from firebase_admin import auth

        try:
            auth.delete_user(uid)
        except auth.UserNotFoundError:
            return False
        return True
