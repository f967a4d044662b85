"""domain/notifications.py: whom each event tells, its key (one per occurrence), the channels a
person's preferences allow, and the words — plain text, and HTML that escapes what people wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sessionbase.domain import notifications as events
from sessionbase.models.comments import CommentRecord
from sessionbase.models.fields import is_document_id
from sessionbase.models.invitations import InvitationRecord
from sessionbase.models.notifications import Channel, Kind
from sessionbase.models.sessions import SessionRecord

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
APP = "https://demo-sessionbase.web.app"


def invitation(**fields: object) -> InvitationRecord:
    base: dict[str, object] = {
        "coachId": "coach1",
        "coachName": "Coach Carter",
        "athleteEmail": "ada@example.com",
        "status": "pending",
        "createdAt": NOW,
        "expiresAt": NOW + timedelta(days=30),
    }
    return InvitationRecord.model_validate(base | fields)


def session(**fields: object) -> SessionRecord:
    base: dict[str, object] = {"coachId": "coach1", "athleteId": "ath1", "event": "Squats"}
    return SessionRecord.model_validate(base | fields)


def test_a_resent_invitation_is_a_new_occurrence_and_the_same_one_has_one_key():
    first = events.invitation_received(
        "inv1", invitation(), account="ath1", sender="Coach Carter", group=None, expires="x"
    )
    again = events.invitation_received(
        "inv1", invitation(), account="ath1", sender="Coach Carter", group=None, expires="x"
    )
    resent = events.invitation_received(
        "inv1",
        invitation(expiresAt=NOW + timedelta(days=31)),
        account="ath1",
        sender="Coach Carter",
        group=None,
        expires="x",
    )
    assert first.key == again.key != resent.key
    assert first.recipients == {"ath1"}
    assert first.address is None
    assert is_document_id(first.key)


def test_an_invitation_to_an_address_without_an_account_is_mailed_to_the_address():
    event = events.invitation_received(
        "inv1", invitation(), account=None, sender="Coach Carter", group=None, expires="x"
    )
    assert event.recipients == frozenset()
    assert event.address == "ada@example.com"


def test_an_answer_goes_to_the_sender_keyed_by_its_time():
    accepted = invitation(status="accepted", acceptedAt=NOW, athleteId="ath1")
    declined = invitation(status="declined", declinedAt=NOW)
    yes = events.invitation_answered("inv1", accepted, person="Ada", group=None)
    no = events.invitation_answered("inv1", declined, person="Ada", group=None)
    assert (yes.kind, no.kind) == (Kind.INVITATION_ACCEPTED, Kind.INVITATION_DECLINED)
    assert yes.recipients == no.recipients == {"coach1"}
    assert yes.key != no.key


def test_the_analysis_tells_both_people_once_per_run_and_nothing_while_it_runs():
    done = events.analysis_finished("s1", session(analysisStatus="completed"), run="job1")
    assert done is not None
    assert done.recipients == {"coach1", "ath1"}
    assert done.link == "/sessions/s1"
    assert done.key == "analysisCompleted-s1-job1"
    failed = events.analysis_finished("s1", session(analysisStatus="failed"), run="job2")
    assert failed is not None
    assert failed.kind is Kind.ANALYSIS_FAILED
    assert events.analysis_finished("s1", session(analysisStatus="processing"), run="j") is None


def test_a_comment_tells_the_other_people_of_the_session_not_its_author():
    comment = CommentRecord.model_validate(
        {
            "commentId": "c1",
            "sessionId": "s1",
            "text": "Knees  in\non the way down " + "x" * 300,
            "authorId": "coach1",
            "authorName": "Coach Carter",
            "atMs": 0,
            "createdAt": NOW,
        }
    )
    event = events.comment_added("s1", session(), "c1", comment, person="Coach Carter")
    assert event.recipients == {"ath1"}
    assert event.facts["comment"].startswith("Knees in on the way down")
    assert len(event.facts["comment"]) == events.QUOTE_LIMIT


def test_a_class_tells_its_members_but_the_one_who_started_it():
    event = events.class_started(
        "s9", group_id="g1", group="Yoga", teacher="Tess", members=["a", "b", "t"], by="t"
    )
    assert event.recipients == {"a", "b"}
    assert event.link == "/classes/g1"


def test_a_completed_session_tells_its_people_but_the_one_who_completed_it():
    closed = session(status="completed", completionCode="ABC123")
    event = events.session_completed("s1", closed, by="coach1", person="Coach Carter")
    assert event is not None
    assert event.recipients == {"ath1"}
    assert event.key == "sessionCompleted-s1-ABC123"
    assert events.session_completed("s1", session(status="active"), by="x", person="X") is None


def test_a_key_with_characters_an_id_may_not_hold_is_digested():
    key = events.event_key(Kind.ROLE_CHANGED, "a/b", 3)
    assert is_document_id(key)
    assert key.startswith("roleChanged-")
    assert events.event_key(Kind.ROLE_CHANGED, "x" * 200) != events.event_key(
        Kind.ROLE_CHANGED, "x" * 201
    )


@pytest.mark.parametrize(
    ("stored", "kind", "channel", "allowed"),
    [
        (None, Kind.INVITATION_RECEIVED, Channel.EMAIL, True),
        (None, Kind.CLASS_STARTED, Channel.EMAIL, False),
        (None, Kind.COMMENT_ADDED, Channel.PUSH, True),
        ({"classStarted": {"email": True}}, Kind.CLASS_STARTED, Channel.EMAIL, True),
        ({"classStarted": {"email": True}}, Kind.CLASS_STARTED, Channel.PUSH, True),
        ({"roleChanged": {"push": False}}, Kind.ROLE_CHANGED, Channel.PUSH, False),
        ({"roleChanged": "junk"}, Kind.ROLE_CHANGED, Channel.EMAIL, True),
        ({"roleChanged": {"email": "no"}}, Kind.ROLE_CHANGED, Channel.EMAIL, True),
    ],
)
def test_preferences_are_the_persons_choice_else_the_default(stored, kind, channel, allowed):
    assert events.wants(stored, kind, channel) is allowed


def test_the_effective_table_names_every_kind_and_channel():
    table = events.effective({"markedAbsent": {"email": False}})
    assert set(table) == {kind.value for kind in Kind}
    assert table["markedAbsent"] == {"email": False, "push": True}


def test_the_words_escape_what_people_wrote_in_html_and_keep_it_in_text():
    event = events.class_started(
        "s9",
        group_id="g1",
        group="<b>Yoga</b> & friends",
        teacher='Tess "<script>alert(1)</script>"',
        members=["a"],
        by="t",
    )
    words = events.words(event, app_url=APP)
    assert words.title == "<b>Yoga</b> & friends has started"
    assert "<script>" in words.text
    assert f"{APP}/classes/g1" in words.text
    assert "<script>" not in words.html
    assert "&lt;script&gt;" in words.html
    assert "&lt;b&gt;Yoga&lt;/b&gt; &amp; friends" in words.html
    assert f'href="{APP}/classes/g1"' in words.html


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_words_naming_what_happened(kind):
    facts = {
        "sender": "Coach Carter",
        "group": "",
        "expires": "5 January 2027",
        "person": "Ada",
        "session": "Squats",
        "comment": "Nice",
        "code": "ABC123",
        "role": "coach",
        "file": "sessionbase-data-2027-01-05.zip",
    }
    event = events.Event(kind=kind, key=f"{kind.value}-1", link="/x", facts=facts)
    words = events.words(event, app_url=APP)
    assert words.title
    assert words.body
    assert "\n" not in words.title
    assert words.body in words.text
    assert f"{APP}/x" in words.html


def test_a_date_is_written_in_the_persons_zone_and_says_utc_when_they_have_none():
    late = datetime(2027, 1, 4, 23, 30, tzinfo=UTC)
    assert events.day(late, "Asia/Tokyo") == "5 January 2027"
    assert events.day(late, None) == "4 January 2027 (UTC)"
    assert events.day(late, "Mars/Olympus") == "4 January 2027 (UTC)"
