"""domain/stats.py, the invariant "stats = recount" as a hypothesis state machine.

The machine changes a handful of sessions (creations, edits, practice answers and ends, deletions
and re-creations under the same id) and, independently, delivers their change events as Firestore
may: in any order, late, more than once, or not at all until a reconcile. Each delivery goes
through the same decisions the trigger makes (``is_newer``, ``contribution``, ``delta``);
a reconcile through those the reconcile makes (a recount of every session as it is now, a
tombstone for every counted session that is gone). Always:

- the counters equal the sum of the recorded contributions (every delivery moves both at once);
- once every change has been delivered, or right after a reconcile (but for the deletion of a
  session never counted, still to arrive), they equal a recount from the sessions themselves,
  and no late or repeated event can move them away from it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from sessionbase.domain import stats
from sessionbase.models.sessions import SessionRecord
from sessionbase.models.stats import Contribution
from tests.unit.factories import session_record

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
UTC_ZONE = stats.zone("UTC")
SESSIONS = range(4)
PEOPLE = [(uid, role) for uid in "abcd" for role in ("athlete", "coach")]
Event = tuple[int, SessionRecord | None, datetime]
# Event names are user text: reserved Firestore names and dotted ones count like any other.
EVENTS = ["Vault", "Floor", None, "__x__", "__name__", "a.b", "`"]


def counted(record: SessionRecord | None, version: datetime) -> Contribution:
    """What the trigger records for a session's state (None: deleted) at ``version``."""
    if record is None:
        return Contribution.tombstone(version)
    return stats.contribution(record, version=version, athlete_tz=UTC_ZONE, coach_tz=UTC_ZONE)


def without_zeros(counters: dict[str, float]) -> dict[str, float]:
    return {path: value for path, value in counters.items() if abs(value) > 1e-9}


class Statistics(RuleBasedStateMachine):
    """Sessions on one side, the trigger's view of them on the other."""

    @initialize()
    def start(self) -> None:
        self.tick = 0
        self.sessions: dict[int, tuple[SessionRecord, datetime]] = {}  # id → (state, version)
        self.events: list[Event] = []  # every change ever made; delivery picks among them
        self.undelivered: set[int] = set()  # indexes of the latest change of each session
        self.latest: dict[int, int] = {}  # session → index of its latest change
        self.recorded: dict[int, Contribution] = {}
        self.counters: dict[tuple[str, str], dict[str, float]] = {}

    # ---- the sessions change ------------------------------------------------------------------

    def _now(self) -> datetime:
        self.tick += 1
        return T0 + timedelta(seconds=self.tick)

    def _changed(self, which: int, record: SessionRecord | None, version: datetime) -> None:
        if record is None:
            self.sessions.pop(which, None)
        else:
            self.sessions[which] = (record, version)
        self.events.append((which, record, version))
        self.undelivered.discard(self.latest.get(which, -1))
        self.latest[which] = len(self.events) - 1
        self.undelivered.add(self.latest[which])

    @rule(
        which=st.sampled_from(SESSIONS),
        athlete=st.sampled_from("ab"),
        coach=st.sampled_from("cd"),
        kind=st.sampled_from(["Training", "Practice", "Test"]),
        event=st.sampled_from(EVENTS),
    )
    def create(self, which: int, athlete: str, coach: str, kind: str, event: str | None) -> None:
        """A new session, or one created again under the id of a deleted one."""
        if which in self.sessions:
            return
        fields: dict[str, object] = {"athleteId": athlete, "coachId": coach, "sessionType": kind}
        if kind != "Training":  # a practice: open to answers, no score yet
            fields.update(status="active", itemCount=0, correctCount=0, actualStart=T0)
        self._changed(which, session_record(event=event, **fields), self._now())

    @rule(
        which=st.sampled_from(SESSIONS),
        change=st.sampled_from(
            [
                "complete",
                "cancel",
                "uncancel",
                "result",
                "backdate",
                "reassign",
                "answer",
                "end",
                "end_before_issue_20",
                "rename",
            ]  # fmt: skip
        ),
        value=st.integers(0, 100),
    )
    def edit(self, which: int, change: str, value: int) -> None:
        """One edit of an existing session (practice answers and ends included)."""
        if which not in self.sessions:
            return
        current, _ = self.sessions[which]
        items, right = current.itemCount or 0, current.correctCount or 0
        changes = {
            "complete": {"status": "completed", "durationSeconds": value * 60},
            "cancel": {"status": "cancelled"},
            "uncancel": {"status": "scheduled"},
            "result": {"motionIQ": value, "aclRisk": 100 - value, "avgAccuracy": value / 2},
            "backdate": {"actualStart": T0 - timedelta(days=value)},
            "reassign": {"athleteId": "ab"[value % 2], "coachId": "cd"[value % 2]},
            "answer": {
                "itemCount": items + 1,
                "correctCount": right + value % 2,
                "scorePercentage": round((right + value % 2) * 100 / (items + 1), 2),
            },
            "end": {
                "status": "completed",
                "durationSeconds": value,
                "scorePercentage": round(right * 100 / items, 2) if items else None,
            },
            "rename": {"event": EVENTS[value % len(EVENTS)]},
            # What the end stored before issue 20: a score of 0 for a practice with no answers.
            "end_before_issue_20": {
                "status": "completed",
                "durationSeconds": value,
                "scorePercentage": round(right * 100 / items, 2) if items else 0.0,
            },
        }[change]
        self._changed(which, current.changed(**changes), self._now())

    @rule(which=st.sampled_from(SESSIONS))
    def delete(self, which: int) -> None:
        """A deletion: its version is just after the deleted state's (``deleted_version``)."""
        if which not in self.sessions:
            return
        _, last = self.sessions[which]
        self.tick += 1
        self._changed(which, None, last + timedelta(microseconds=1))

    # ---- the trigger and the reconcile ---------------------------------------------------------

    def _apply(self, which: int, record: SessionRecord | None, version: datetime, *, recount=False):
        """What ``services.stats.record_change`` does, without the store."""
        old = self.recorded.get(which)
        if not stats.is_newer(version, old, recount=recount):
            return
        new = counted(record, version)
        for person, change in stats.delta(old, new).items():
            mine = self.counters.setdefault(person, {})
            for path, amount in change.items():
                mine[path] = mine.get(path, 0) + amount
        self.recorded[which] = new

    @precondition(lambda self: bool(self.events))
    @rule(pick=st.integers(0, 10**6))
    def deliver(self, pick: int) -> None:
        """Any change event, again or late: only a newer one moves anything."""
        index = pick % len(self.events)
        self._apply(*self.events[index])
        self.undelivered.discard(index)

    @precondition(lambda self: bool(self.undelivered))
    @rule(pick=st.integers(0, 10**6))
    def deliver_a_latest(self, pick: int) -> None:
        """A pending latest change (so that histories reach "everything delivered")."""
        index = sorted(self.undelivered)[pick % len(self.undelivered)]
        self._apply(*self.events[index])
        self.undelivered.discard(index)

    @rule()
    def reconcile(self) -> None:
        """Recount every session as it is now; withdraw counted sessions that are gone."""
        for which, (record, version) in self.sessions.items():
            self._apply(which, record, version, recount=True)
        now = self._now()
        for which in list(self.recorded):
            if which not in self.sessions:
                self._apply(which, None, now, recount=True)
        # What is still in flight is no newer than what was counted, except the deletion of a
        # session that was never counted (nothing to withdraw yet): it must still arrive.
        self.undelivered = {
            index
            for index in self.undelivered
            if stats.is_newer(self.events[index][2], self.recorded.get(self.events[index][0]))
        }

    # ---- the invariants ------------------------------------------------------------------------

    def _recount(self) -> dict[tuple[str, str], dict[str, float]]:
        final = [counted(record, version) for record, version in self.sessions.values()]
        return {person: stats.total(final, *person) for person in PEOPLE}

    @invariant()
    def counters_are_the_sum_of_the_recorded_contributions(self) -> None:
        for person in PEOPLE:
            expected = stats.total(self.recorded.values(), *person)
            assert without_zeros(self.counters.get(person, {})) == pytest.approx(expected)

    @invariant()
    def once_everything_is_delivered_counters_equal_a_recount(self) -> None:
        if self.undelivered:
            return
        recount = self._recount()
        for person in PEOPLE:
            assert without_zeros(self.counters.get(person, {})) == pytest.approx(recount[person])

    @invariant()
    def counters_stored_in_their_documents_read_back_the_same(self) -> None:
        """The counters as the store writes them (``documents``) and reads them (``counters_in``):
        the same, whatever the event names."""
        for person in PEOPLE:
            counters = without_zeros(self.counters.get(person, {}))
            read: dict[str, float] = {}
            for (place, _), fields in stats.documents(counters).items():
                for path, value in stats.counters_in(place, fields).items():
                    read[path] = read.get(path, 0) + value
            assert read == pytest.approx(without_zeros(counters))
            by_event = stats.dashboard(
                counters, now=T0, tz=UTC_ZONE, recent_motion_iq=[], recent_accuracy=[], coach=False
            ).byEvent
            assert set(by_event) <= {e for e in EVENTS if e}

    @invariant()
    def a_practice_counts_once_it_ends_with_an_answer(self) -> None:
        """The definitions (docs/decisions.md, Statistics): a practice of exercises is completed
        once ended with at least one answer, and only then is its score averaged."""
        for record, version in self.sessions.values():
            practice = record.correctCount is not None
            done = record.status == "completed" and (not practice or bool(record.itemCount))
            counters = counted(record, version).counters
            assert ("completedSessions" in counters) == done
            assert ("score.count" in counters) == (done and record.scorePercentage is not None)


Statistics.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
test_counters_always_equal_a_recount_from_the_sessions = Statistics.TestCase
