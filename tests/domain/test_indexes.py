"""Every query the list API can issue is served by firestore.indexes.json.

The emulator does not enforce indexes, so production would be the first to notice a missing one.
This enumerates the list API's query shapes through the service's own scope logic and checks each
against the declared indexes by Firestore's rules for composite indexes:

- a query with equality filters E, an optional range on the sort field createdAt, and
  ``order by createdAt desc, __name__ desc`` is served by a composite index whose fields are E
  (in any order) followed by ``createdAt DESCENDING``;
- or, by index merging, by several such indexes whose equality prefixes are subsets of E that
  together cover E, each ending in the same ``createdAt DESCENDING`` suffix.
"""

import itertools
import json
from pathlib import Path

import pytest

from sessionbase.domain.policy import session_list_scope
from sessionbase.models.identity import Caller, Role
from sessionbase.models.sessions import SessionListQuery

INDEXES = json.loads((Path(__file__).parents[2] / "firestore.indexes.json").read_text())["indexes"]
SUFFIX = ("createdAt", "DESCENDING")
FILTERS = {
    "event": "Vault",
    "status": "completed",
    "sessionType": "Training",
    "analysisStatus": "failed",
}
RANGES = [
    {},
    {"from": "2026-01-01"},
    {"to": "2026-02-01"},
    {"from": "2026-01-01", "to": "2026-02-01"},
]


class NoRelations:
    def __getattr__(self, name):
        raise AssertionError("scope resolution for these callers must not ask about links")


def caller(role: Role) -> Caller:
    return Caller(uid="u1", email="u1@example.com", email_verified=True, name=None, role=role)


def scopes():
    """(caller, scope parameters) pairs covering every scope branch of the list API."""
    admin, coach, athlete = caller(Role.ADMIN), caller(Role.COACH), caller(Role.ATHLETE)
    yield athlete, {}
    yield coach, {}
    yield admin, {}
    yield admin, {"athleteId": "a1"}
    yield admin, {"coachId": "c1"}
    yield admin, {"athleteEmail": "a@example.com"}
    yield coach, {"coachId": "u1"}
    yield coach, {"athleteEmail": "a@example.com"}
    yield athlete, {"athleteId": "u1"}


def query_shapes():
    for (who, scope), n in itertools.product(scopes(), range(len(FILTERS) + 1)):
        for names in itertools.combinations(FILTERS, n):
            for extra in RANGES:
                params = {**scope, **{k: FILTERS[k] for k in names}, **extra}
                query = SessionListQuery.model_validate(params)
                equals = {**session_list_scope(who, query, NoRelations()), **query.filters()}
                yield frozenset(equals), bool(extra)


def sessions_indexes():
    for index in INDEXES:
        if index["collectionGroup"] != "sessions" or index["queryScope"] != "COLLECTION":
            continue
        fields = [(f["fieldPath"], f.get("order")) for f in index["fields"]]
        if tuple(fields[-1]) == SUFFIX and all(order == "ASCENDING" for _, order in fields[:-1]):
            yield frozenset(name for name, _ in fields[:-1])


def served(equals: frozenset[str]) -> bool:
    prefixes = list(sessions_indexes())
    if equals in prefixes:
        return True
    usable = [p for p in prefixes if p and p <= equals]
    return bool(usable) and frozenset().union(*usable) == equals


SHAPES = sorted(set(query_shapes()), key=lambda shape: (sorted(shape[0]), shape[1]))


def test_shapes_were_enumerated():
    # 9 scope branches x 16 filter subsets x 4 ranges, folded into distinct shapes
    assert len(SHAPES) > 100


@pytest.mark.parametrize(
    ("equals", "ranged"),
    SHAPES,
    ids=lambda v: "+".join(sorted(v)) if isinstance(v, frozenset) else str(v),
)
def test_every_list_query_has_an_index(equals, ranged):
    assert served(equals), f"no index serves where {sorted(equals)} order by createdAt desc"


def test_the_check_can_fail():
    assert not served(frozenset({"athleteId", "noSuchField"}))
    assert not served(frozenset({"groupIdWithoutIndex"}))
