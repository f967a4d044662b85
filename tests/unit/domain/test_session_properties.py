"""domain/sessions.py and domain/completion.py, the invariant "end after start" as a hypothesis
state machine.

The machine sends a session any sequence of edits (a scheduled start, a scheduled end, both,
either cleared, from its coach or an admin, in any time zone) and completions (actual times in
any order), each parsed from JSON as a request body is and decided by the domain; a refused one
changes nothing. Always: the scheduled end is not before the scheduled start, and the actual end
is not before the actual start.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from sessionbase.domain import completion, sessions
from sessionbase.errors import SessionbaseError
from sessionbase.models.completion import SessionComplete
from sessionbase.models.sessions import SessionRecord, SessionUpdate
from sessionbase.models.validation import parse
from tests.unit.factories import ADMIN, COACH, CREATED

moments = st.builds(
    lambda minutes, offset: (
        datetime(2027, 1, 4, tzinfo=UTC) + timedelta(minutes=minutes)
    ).astimezone(timezone(timedelta(minutes=offset))),
    st.integers(0, 7 * 24 * 60),
    st.sampled_from([-600, -300, 0, 60, 330, 780]),
)
sent_moment = st.none() | moments.map(lambda moment: moment.isoformat())
FIELDS = ("scheduledStart", "scheduledEnd")


class EndAfterStart(RuleBasedStateMachine):
    """One session, edited and completed in any order."""

    @initialize(start=moments, length=st.integers(0, 240))
    def scheduled(self, start: datetime, length: int) -> None:
        self.now = CREATED
        self.session = SessionRecord.model_validate(
            {
                "athleteId": "ath",
                "coachId": "coach",
                "createdBy": "coach",
                "status": "scheduled",
                "scheduledStart": start,
                "scheduledEnd": start + timedelta(minutes=length),
            }
        )

    def decide(self, change) -> None:
        """Apply a decision, or leave the session as it was if it is refused."""
        self.now += timedelta(seconds=1)
        with contextlib.suppress(SessionbaseError):
            self.session = change()

    @rule(
        who=st.sampled_from([COACH, ADMIN]),
        body=st.dictionaries(st.sampled_from(FIELDS), sent_moment, min_size=1),
    )
    def edit(self, who, body: dict[str, str | None]) -> None:
        def edited() -> SessionRecord:
            update = parse(SessionUpdate, body)
            return sessions.updated_session(who, self.session, update, self.now)[0]

        self.decide(edited)

    @rule(start=moments, end=moments)
    def complete(self, start: datetime, end: datetime) -> None:
        body = {"actualStart": start.isoformat(), "actualEnd": end.isoformat()}

        def completed() -> SessionRecord:
            completion.require_closable(self.session)
            done = parse(SessionComplete, body)
            return completion.completed(COACH, self.session, done, "ABCD-2345", self.now)

        self.decide(completed)

    @invariant()
    def ends_after_it_starts(self) -> None:
        session = self.session
        for start, end in (
            (session.scheduledStart, session.scheduledEnd),
            (session.actualStart, session.actualEnd),
        ):
            if start is not None and end is not None:
                assert end >= start, (start, end)


EndAfterStart.TestCase.settings = settings(max_examples=200, stateful_step_count=12, deadline=None)
test_no_sequence_of_edits_and_completions_ends_a_session_before_it_starts = EndAfterStart.TestCase
