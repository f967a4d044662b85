"""The caller's standing, checked with the request's first read: no round trip of its own.

A request's token says who signed in, when, and as what role; whether that sign-in still counts
is in ``users/{uid}`` (role, disabled, ``revokedAt``), the account's deletion job and the Auth
record (``domain/roles.py: admitted_role``). The two documents are read **in the same batch as
the request's first read** (``Repository._read``/``_read_all`` add them to it); a request whose
first read is a query reads them beside it, at once; one that writes before it reads, or reads
nothing, reads them before its commit or its answer (``settle``). Until then the request runs on
the token's role; nothing it read reaches the answer, and nothing is written, before the check.
A role the record disagrees with raises ``RoleChanged``: the operation runs again, as that role
(``handlers/dispatch.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sessionbase.errors import Unauthenticated
from sessionbase.models.identity import Role
from sessionbase.threads import Pool

if TYPE_CHECKING:
    from google.cloud.firestore import (
        Client,
        DocumentReference,
        DocumentSnapshot,
        Transaction,
    )

    from sessionbase.domain.roles import Account

R = TypeVar("R")
PROFILES = "users"
DELETIONS = "accountDeletions"
# Checks read beside a request's first query (one each, briefly): their own pool, so that a
# check never waits behind the reads it runs beside (store/client.py: together).
CHECK_THREADS = 16
_CHECKS = Pool("standing-check", CHECK_THREADS)


class RoleChanged(Unauthenticated):
    """The caller's recorded role is not the one the request ran as (a change since the token
    was issued): nothing was written; run the operation again as ``role``."""

    def __init__(self, role: Role) -> None:
        super().__init__("Your role has changed; sign in again.")
        self.role = role


class Gate:
    """One request's check of its caller's standing, made once, by whichever read comes first.

    ``account`` gives the Auth record (a per-instance copy, or a lookup already under way:
    handlers/auth.py). Thread-safe: a service's reads at once (``together``) share it.
    """

    def __init__(
        self, uid: str, *, signed_in: float | None, role: Role, account: Callable[[], Account]
    ) -> None:
        self.uid = uid
        self.role = role  # the role the request runs as
        self._signed_in = signed_in
        self._account = account
        self._lock = threading.Lock()
        self._claimed = False
        self._done = threading.Event()
        self._admitted: Role | None = None
        self._error: Exception | None = None

    def again(self, role: Role) -> Gate:
        """A new check of the same sign-in, for the request run again as ``role``."""
        return Gate(self.uid, signed_in=self._signed_in, role=role, account=self._account)

    def claim(self) -> bool:
        """True for the one read that makes the check (the first to ask)."""
        with self._lock:
            if self._claimed:
                return False
            self._claimed = True
            return True

    def read_with(
        self,
        db: Client,
        refs: Sequence[DocumentReference],
        transaction: Transaction | None,
    ) -> list[DocumentSnapshot[Any]]:
        """``refs``, read in one batch with the caller's two documents, checked (raises);
        call after ``claim``. The snapshots come in the order of ``refs``."""
        snapshots = self._read(db, refs, transaction)
        self.raise_if_refused()
        return [snapshots[ref.path] for ref in refs]

    def beside(self, db: Client, results: Iterable[R]) -> Iterator[R]:
        """A query's ``results``, with the check read at once beside it (started now, not when
        the results are first asked for); the first result, or the end, waits for it. Call
        after ``claim``."""
        check = _CHECKS.submit(lambda: self._read(db, [], None))

        def checked() -> Iterator[R]:
            waiting = True
            for result in results:
                if waiting:
                    check.result()
                    self.raise_if_refused()
                    waiting = False
                yield result
            if waiting:
                check.result()
                self.raise_if_refused()

        return checked()

    def settle(self, db: Client) -> None:
        """Make sure the check was made (reading for it now if no read did), and raise its
        refusal: before a commit, and before the answer."""
        self._made(db)
        self.raise_if_refused()

    def admitted(self, db: Client) -> Role:
        """The role the caller has now (the check made now if not yet); raises only when their
        sign-in no longer counts, not when the role differs from the token's."""
        self._made(db)
        if self._error is not None:
            raise self._error
        assert self._admitted is not None
        return self._admitted

    def raise_if_refused(self) -> None:
        """Raise the check's refusal, or ``RoleChanged`` when the role is not the request's."""
        if self._error is not None:
            raise self._error
        if self._admitted is not None and self._admitted is not self.role:
            raise RoleChanged(self._admitted)

    # ---- inside --------------------------------------------------------------------------------

    def _references(self, db: Client) -> list[DocumentReference]:
        profile = db.collection(PROFILES).document(self.uid)
        return [profile, db.collection(DELETIONS).document(self.uid)]

    def _made(self, db: Client) -> None:
        """The check made: by this call if no read made it, else by that read (waited for)."""
        if self.claim():
            self._read(db, [], None)
        self._done.wait()

    def _read(
        self, db: Client, refs: Sequence[DocumentReference], transaction: Transaction | None
    ) -> dict[str, DocumentSnapshot[Any]]:
        """``refs`` and the caller's two documents in one batch, by path; the check decided
        from the two (a failed read fails it)."""
        profile, deletion = self._references(db)
        unique = {ref.path: ref for ref in [*refs, profile, deletion]}  # one read each
        try:
            found = db.get_all(list(unique.values()), transaction=transaction)
            snapshots = {snapshot.reference.path: snapshot for snapshot in found}
            self._decide(snapshots[profile.path], snapshots[deletion.path])
        except BaseException as error:
            self._finish(error)
            raise
        return snapshots

    def _decide(self, profile: DocumentSnapshot[Any], deletion: DocumentSnapshot[Any]) -> None:
        from sessionbase.domain.roles import admitted_role

        try:
            self._admitted = admitted_role(
                profile=profile.to_dict() if profile.exists else None,
                deletion=deletion.to_dict() if deletion.exists else None,
                account=self._account(),
                signed_in=self._signed_in,
            )
        except Unauthenticated as refused:
            self._error = refused
        self._done.set()

    def _finish(self, error: BaseException) -> None:
        """A check that failed to read: the request fails, and so does any read waiting."""
        if not self._done.is_set():
            self._error = error if isinstance(error, Exception) else RuntimeError(str(error))
            self._done.set()
