"""firestore.indexes.json: every query the store issues is served by a declared index.

The emulator does not enforce indexes, so production would be the first to notice a missing one.
This enumerates the list API's query shapes through the service's own scope logic and checks each
against the declared indexes by Firestore's rules for composite indexes:

- a query with equality filters E, an optional range on the sort field createdAt, and
  ``order by createdAt desc, __name__ desc`` is served by a composite index whose fields are E
  (in any order) followed by ``createdAt DESCENDING``;
- or, by index merging, by several such indexes whose equality prefixes are subsets of E that
  together cover E, each ending in the same ``createdAt DESCENDING`` suffix.

The store's other queries (the analysis sweep's, the occurrence lists', the live sweep's) are
recorded as the store builds them, or read off the index file, and checked the same way.
"""

import itertools
import json
from pathlib import Path

import pytest

from sessionbase.domain.policy import session_list_scope
from sessionbase.models.identity import Role
from sessionbase.models.sessions import SessionListQuery
from sessionbase.models.validation import parse
from tests.unit.factories import caller

CONFIG = json.loads((Path(__file__).parents[2] / "firestore.indexes.json").read_text())
INDEXES = CONFIG["indexes"]
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


def scopes():
    """(caller, scope parameters) pairs covering every scope branch of the list API."""
    admin, coach, athlete = caller(role=Role.ADMIN), caller(role=Role.COACH), caller()
    yield athlete, {}
    yield coach, {}
    yield admin, {}
    yield admin, {"all": "true"}
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
                query = parse(SessionListQuery, params)
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


def shapes_by_equality() -> dict[frozenset[str], set[bool]]:
    """Each distinct equality set, with the range variants it was reached with (False: no
    ``from``/``to``, True: some). The index a query needs depends on its equality set only: its
    range is on createdAt, which the required ``createdAt DESCENDING`` suffix serves."""
    found: dict[frozenset[str], set[bool]] = {}
    for equals, ranged in query_shapes():
        found.setdefault(equals, set()).add(ranged)
    return found


SHAPES = shapes_by_equality()
EQUALITY_SETS = sorted(SHAPES, key=sorted)


def test_shapes_were_enumerated():
    # Five scope filters (athleteId, coachId, createdBy, athleteEmail, athleteEmail+coachId) from
    # the 9 scope branches, each with every subset of the four filters.
    assert len(EQUALITY_SETS) >= 5 * 2 ** len(FILTERS)


def test_a_date_range_adds_no_equality_filter():
    # Every equality set occurs both with and without a date range: from/to become the createdAt
    # range (served by the suffix), never an equality filter that would need an index of its own.
    only_some = {"+".join(sorted(e)): sorted(r) for e, r in SHAPES.items() if r != {False, True}}
    assert not only_some, f"equality sets seen only with/without a range: {only_some}"


@pytest.mark.parametrize("equals", EQUALITY_SETS, ids=lambda v: "+".join(sorted(v)))
def test_every_list_query_has_an_index(equals):
    assert served(equals), f"no index serves where {sorted(equals)} order by createdAt desc"


def test_the_check_can_fail():
    assert not served(frozenset({"athleteId", "noSuchField"}))
    assert not served(frozenset({"groupIdWithoutIndex"}))


class RecordedQuery:
    """Stands in for a Firestore collection and records the query built on it."""

    def __init__(self, collection: str) -> None:
        self.collection, self.filters, self.orders = collection, [], []

    def where(self, *, filter):
        self.filters.append((filter.field_path, filter.op_string))
        return self

    def order_by(self, field, direction="ASCENDING"):
        self.orders.append((field, direction))
        return self

    def limit(self, _count):
        return self

    def stream(self, transaction=None):
        return iter(())


class RecordingClient:
    def __init__(self) -> None:
        self.queries: list[RecordedQuery] = []

    def collection(self, name):
        self.queries.append(RecordedQuery(name))
        return self.queries[-1]


def composite_for(query: RecordedQuery) -> bool:
    """An index of the equality (and ``in``) fields, then the ordered field, in that order."""
    equality = {field for field, op in query.filters if op in ("==", "in")}
    wanted = [*sorted(equality), *(field for field, _ in query.orders)]
    for index in INDEXES:
        if index["collectionGroup"] != query.collection:
            continue
        fields = [(field["fieldPath"], field.get("order")) for field in index["fields"]]
        head, tail = fields[: len(equality)], fields[len(equality) :]
        if {name for name, _ in head} == equality and tail == list(query.orders):
            return len(fields) == len(wanted)
    return False


def test_the_sweeps_query_of_stuck_jobs_has_its_index():
    from datetime import UTC, datetime

    from sessionbase.store.jobs import Jobs

    client = RecordingClient()
    Jobs(client).unfinished_before(datetime(2026, 11, 28, tzinfo=UTC), 10)
    (query,) = client.queries
    assert query.filters == [("state", "in"), ("updatedAt", "<")]
    assert composite_for(query)
    query.orders = [("createdAt", "ASCENDING")]
    assert not composite_for(query)  # the check can fail


@pytest.mark.parametrize("field", ["athleteId", "coachId"])
def test_the_occurrence_lists_query_of_scheduled_sessions_has_its_index(field):
    from datetime import UTC, datetime, timedelta

    from sessionbase.store.schedules import Schedules

    client = RecordingClient()
    start = datetime(2026, 11, 28, tzinfo=UTC)
    Schedules(client).scheduled_sessions(field, "u1", start, start + timedelta(days=14))
    (query,) = client.queries
    assert query.filters == [
        (field, "=="),
        ("status", "=="),
        ("scheduledStart", ">="),
        ("scheduledStart", "<"),
    ]
    assert composite_for(query)


def test_the_live_sweep_and_my_groups_queries_are_indexed():
    shapes = [
        (i["collectionGroup"], [(f["fieldPath"], f.get("order")) for f in i["fields"]])
        for i in INDEXES
    ]
    assert ("sessions", [("status", "ASCENDING"), ("autoEndAt", "ASCENDING")]) in shapes
    overrides = {
        (o["collectionGroup"], o["fieldPath"]): o["indexes"] for o in CONFIG["fieldOverrides"]
    }
    scopes = {index["queryScope"] for index in overrides[("members", "uid")]}
    assert "COLLECTION_GROUP" in scopes


class BranchingQuery(RecordedQuery):
    """A query whose ``where`` makes a new query (as Firestore's does); the streamed ones are
    recorded."""

    def __init__(self, collection: str, streamed: list, filters=()) -> None:
        super().__init__(collection)
        self.filters, self.streamed = list(filters), streamed

    def where(self, *, filter):
        added = (filter.field_path, filter.op_string)
        return BranchingQuery(self.collection, self.streamed, [*self.filters, added])

    def stream(self, transaction=None):
        self.streamed.append(self)
        return iter(())


def test_the_occurrence_lists_queries_of_live_schedules_have_their_indexes():
    from datetime import date

    from sessionbase.store.schedules import Schedules

    streamed: list[BranchingQuery] = []

    class Client:
        def collection(self, name):
            return BranchingQuery(name, streamed)

    Schedules(Client()).of_people("u1", ["g1"], live_since=date(2027, 1, 1))
    shapes = {
        (i["collectionGroup"], tuple((f["fieldPath"], f.get("order")) for f in i["fields"]))
        for i in INDEXES
    }
    ranges = [q for q in streamed if ("endDate", ">=") in q.filters]
    assert len(ranges) == 3
    assert len(streamed) == 6  # and three with endDate == null (served by index merging)
    for query in ranges:
        (field,) = [name for name, op in query.filters if op in ("==", "in")]
        assert ("schedules", ((field, "ASCENDING"), ("endDate", "ASCENDING"))) in shapes


def test_a_sessions_comments_in_order_have_their_index():
    # Ordered by two fields: served by no single-field index. The web app's listener asks the same.
    from sessionbase.store.comments import Comments

    recorded: list[RecordedQuery] = []

    class Session:
        def collection(self, name):
            recorded.append(RecordedQuery(name))
            return recorded[-1]

    class Sessions:
        def document(self, _session_id):
            return Session()

    class Client:
        def collection(self, _name):
            return Sessions()

    Comments(Client()).ordered("s1", limit=10)
    (query,) = recorded
    assert (query.collection, query.orders) == (
        "comments",
        [("atMs", "ASCENDING"), ("createdAt", "ASCENDING")],
    )
    assert composite_for(query)
    query.orders.reverse()
    assert not composite_for(query)  # the check can fail
