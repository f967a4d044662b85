"""Notifications (DESIGN.md §7 "People"), pure: the events, whom each goes to, its key, the
words (Jinja2 templates in ``templates/notifications/``), and which channels a person's
preferences allow. services/notifications.py delivers them.

An event's key names one occurrence (``invitationAccepted-{invitationId}-{acceptedAt}``): it is
the inbox document's id, so a second delivery of the same occurrence finds its document and
writes nothing, while the next occurrence (a resent invitation, a class started again) is new.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sessionbase.models.notifications import DEFAULTS, Channel, Kind

if TYPE_CHECKING:
    from jinja2 import Environment

    from sessionbase.models.comments import CommentRecord
    from sessionbase.models.invitations import InvitationRecord
    from sessionbase.models.sessions import SessionRecord

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "notifications"
# How much of a comment its notification quotes.
QUOTE_LIMIT = 140


@dataclass(frozen=True, kw_only=True)
class Event:
    """One occurrence to tell people about.

    ``recipients`` are accounts (their inbox, and e-mail and push as their preferences allow);
    ``address`` an e-mail address with no account behind it (mailed, nothing else).
    ``facts`` are the template's words (names, titles), never an e-mail address.
    """

    kind: Kind
    key: str
    link: str
    recipients: frozenset[str] = frozenset()
    address: str | None = None
    facts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Words:
    """A notification's words: its title (the mail's subject), its one-paragraph body, and the
    mail's text and HTML."""

    title: str
    body: str
    text: str
    html: str


def event_key(kind: Kind, *parts: str | int) -> str:
    """``{kind}-{part}-…``: a document id (ids are ``[A-Za-z0-9_-]``; a part that is not, or a
    key over 128 characters, is replaced by a digest)."""
    key = "-".join([kind.value, *(str(part) for part in parts)])
    if len(key) <= 128 and all(c.isascii() and (c.isalnum() or c in "_-") for c in key):
        return key
    return f"{kind.value}-{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def day(at: datetime, timezone: str | None) -> str:
    """A date as people write it (``5 January 2027``), in the person's zone; ``(UTC)`` after
    it when they have none."""
    from sessionbase.domain.stats import zone

    local = at.astimezone(zone(timezone))
    return f"{local.day} {local:%B %Y}" + (
        "" if timezone and str(zone(timezone)) == timezone else " (UTC)"
    )


def mail_id(key: str, recipient: str) -> str:
    """The ``mail`` document of one event for one recipient (a uid or an address)."""
    return hashlib.sha256(f"{key}\n{recipient}".encode()).hexdigest()[:40]


def wants(preferences: Mapping[str, Any] | None, kind: Kind, channel: Channel) -> bool:
    """Whether a person's stored preferences allow ``channel`` for ``kind`` (their choice if
    they made one, else the default)."""
    choices = (preferences or {}).get(kind.value)
    chosen = choices.get(channel.value) if isinstance(choices, Mapping) else None
    return chosen if isinstance(chosen, bool) else DEFAULTS[kind][channel]


def effective(preferences: Mapping[str, Any] | None) -> dict[str, dict[str, bool]]:
    """Every kind's channels as they apply to this person (for GET /api/users/me)."""
    return {
        kind.value: {channel.value: wants(preferences, kind, channel) for channel in Channel}
        for kind in Kind
    }


# ---- the events ------------------------------------------------------------------------------


def session_title(session: SessionRecord) -> str:
    """What a person calls a session: its event, else its video, else its type."""
    if session.event or session.videoName:
        return session.event or session.videoName or ""
    return f"your {session.sessionType} session" if session.sessionType else "your session"


def _participants(session: SessionRecord, *, but: str | None = None) -> frozenset[str]:
    return frozenset(u for u in (session.coachId, session.athleteId) if u and u != but)


def invitation_received(
    invitation_id: str,
    invitation: InvitationRecord,
    *,
    account: str | None,
    sender: str,
    group: str | None,
    expires: str,
) -> Event:
    """A new or resent invitation, to the invited account (``account``) or, if no account has
    the address, to the address."""
    return Event(
        kind=Kind.INVITATION_RECEIVED,
        key=event_key(Kind.INVITATION_RECEIVED, invitation_id, _ms(invitation.expiresAt)),
        link="/invitations",
        recipients=frozenset({account} if account else ()),
        address=None if account else invitation.athleteEmail,
        facts={"sender": sender, "group": group or "", "expires": expires},
    )


def invitation_answered(
    invitation_id: str, invitation: InvitationRecord, *, person: str, group: str | None
) -> Event:
    """An invitation accepted or declined, to the person who sent it."""
    accepted = invitation.status == "accepted"
    kind = Kind.INVITATION_ACCEPTED if accepted else Kind.INVITATION_DECLINED
    at = invitation.acceptedAt if accepted else invitation.declinedAt
    assert at is not None
    return Event(
        kind=kind,
        key=event_key(kind, invitation_id, _ms(at)),
        link="/invitations",
        recipients=frozenset({invitation.coachId}),
        facts={"person": person, "group": group or ""},
    )


def analysis_finished(session_id: str, session: SessionRecord, *, run: str) -> Event | None:
    """A session's analysis completed or failed (``run`` names the attempt), to its people."""
    status = session.analysisStatus
    if status not in ("completed", "failed"):
        return None
    kind = Kind.ANALYSIS_COMPLETED if status == "completed" else Kind.ANALYSIS_FAILED
    return Event(
        kind=kind,
        key=event_key(kind, session_id, run),
        link=f"/sessions/{session_id}",
        recipients=_participants(session),
        facts={"session": session_title(session)},
    )


def comment_added(
    session_id: str,
    session: SessionRecord,
    comment_id: str,
    comment: CommentRecord,
    *,
    person: str,
) -> Event:
    """A comment on a session, to its coach and athlete but the author."""
    text = " ".join(comment.text.split())
    quote = text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"
    return Event(
        kind=Kind.COMMENT_ADDED,
        key=event_key(Kind.COMMENT_ADDED, session_id, comment_id),
        link=f"/sessions/{session_id}/review",
        recipients=_participants(session, but=comment.authorId),
        facts={
            "person": person,
            "session": session_title(session),
            "comment": quote,
        },
    )


def class_started(
    session_id: str, *, group_id: str, group: str, teacher: str, members: Iterable[str], by: str
) -> Event:
    """A live class started, to the group's members but the one who started it."""
    return Event(
        kind=Kind.CLASS_STARTED,
        key=event_key(Kind.CLASS_STARTED, session_id),
        link=f"/classes/{group_id}",
        recipients=frozenset(members) - {by},
        facts={"group": group, "person": teacher},
    )


def marked_absent(session_id: str, *, group_id: str, group: str, absent: Iterable[str]) -> Event:
    """Members marked absent when a class ended, each told in their own inbox."""
    return Event(
        kind=Kind.MARKED_ABSENT,
        key=event_key(Kind.MARKED_ABSENT, session_id),
        link=f"/classes/{group_id}",
        recipients=frozenset(absent),
        facts={"group": group},
    )


def session_completed(
    session_id: str, session: SessionRecord, *, by: str, person: str
) -> Event | None:
    """A session completed (with its completion code), to its people but the one who did it."""
    if session.status != "completed":
        return None
    # A session is completed once; its code (or end) names the occurrence.
    occurrence = session.completionCode or (_ms(session.actualEnd) if session.actualEnd else 0)
    return Event(
        kind=Kind.SESSION_COMPLETED,
        key=event_key(Kind.SESSION_COMPLETED, session_id, occurrence),
        link=f"/sessions/{session_id}",
        recipients=_participants(session, but=by),
        facts={
            "session": session_title(session),
            "person": person,
            "code": session.completionCode or "",
        },
    )


def role_changed(uid: str, *, role: str, version: int) -> Event:
    """A person's role changed (``version``: the profile's ``roleVersion`` after it)."""
    return Event(
        kind=Kind.ROLE_CHANGED,
        key=event_key(Kind.ROLE_CHANGED, uid, version),
        link="/profile",
        recipients=frozenset({uid}),
        facts={"role": role},
    )


def export_ready(export_id: str, *, uid: str, file_name: str) -> Event:
    """A person's data export is ready to download (from the profile page)."""
    return Event(
        kind=Kind.EXPORT_READY,
        key=event_key(Kind.EXPORT_READY, export_id),
        link="/profile",
        recipients=frozenset({uid}),
        facts={"file": file_name},
    )


# ---- the words -------------------------------------------------------------------------------


@functools.cache
def _environment() -> Environment:
    """Templates from ``templates/notifications``: ``.html`` autoescaped; ``.txt`` plain text,
    never put into HTML unescaped (the HTML mail escapes the text it is given)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
    )


def words(event: Event, *, app_url: str) -> Words:
    """The event's title and body, and its e-mail's text and HTML, linking into the app."""
    env = _environment()
    template = env.get_template(f"{event.kind.value}.txt")
    context = template.new_context(dict(event.facts))
    title = " ".join("".join(template.blocks["title"](context)).split())
    body = " ".join("".join(template.blocks["body"](context)).split())
    links = {"url": app_url + event.link, "settings_url": app_url + "/profile"}
    text = env.get_template("mail.txt").render(body=body, **links)
    html = env.get_template("mail.html").render(title=title, body=body, **links)
    return Words(title=title, body=body, text=text, html=html)
