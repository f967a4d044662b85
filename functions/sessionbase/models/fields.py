"""Field types the models share: ids, e-mails, bounded text, numbers and dates Firestore holds."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
)

# A Firestore document id we accept from clients: no slashes, no reserved ``__x__`` names.
ID_PATTERN = r"^(?!__.*__$)[A-Za-z0-9_-]{1,128}$"
_ID = re.compile(ID_PATTERN)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_document_id(value: object) -> bool:
    """True for an id that can name a document: see ``ID_PATTERN``."""
    return isinstance(value, str) and bool(_ID.match(value))


def _document_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("not a valid id (1-128 of A-Z a-z 0-9 _ -, not __reserved__)")
    return value


def _email(value: str) -> str:
    value = value.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("not a valid e-mail address")
    return value


# Characters that break a line or control a terminal: C0, DEL, C1, and the Unicode line and
# paragraph separators. A name or a short text shown on one line refuses them all.
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(value: str) -> str:
    if _NOT_ONE_LINE.search(value):
        raise ValueError("must be one line (no tab, line break or control character)")
    return value


# Bidirectional controls (marks, embeddings, overrides, isolates): ``x\u202egpj.exe`` reads as
# ``xexe.jpg``. A file name drops them.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _file_name(value: str) -> str:
    value = _BIDI.sub("", value).strip()
    if not value:
        raise ValueError("must name a file (not only direction marks)")
    if "/" in value or "\\" in value:
        raise ValueError("a file name, not a path (no / or \\)")
    if ".." in value:
        raise ValueError("must not contain ..")
    return value


def _time_zone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("not an IANA time zone (such as Europe/Paris)") from None
    return value


Id = Annotated[str, StringConstraints(max_length=128), AfterValidator(_document_id)]
Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(_email)]
# A name shown on one line (a person, a group, an exercise): trimmed, 1-200 characters.
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_one_line),
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_one_line)
]
# A file's name from any source (an upload, a session's videoName, the analysis backend): one
# line, no path separator, no ``..``, so that it can never climb out of the folder it is put in.
FileName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_one_line),
    AfterValidator(_file_name),
]
LongText = Annotated[str, StringConstraints(max_length=5000)]
# An IANA time zone name that zoneinfo knows (a schedule's, a person's).
TimeZoneName = Annotated[str, Field(max_length=64), AfterValidator(_time_zone)]
# Firestore stores 64-bit integers; bigger ones would fail at write time.
Int64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
# NaN and infinities are not JSON: a browser's res.json() would fail on every later read.
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
# A map key Firestore accepts and the public shape keeps.
MetricName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")]
MetricValue = FiniteFloat | Int64 | ShortText | bool | None

# Every date and date-time a client sends lies in this range (docs/decisions.md, "Input limits"):
# far enough for any session, and far from the ends of Python's and Firestore's calendars, so
# that date arithmetic (a window, a day after, a duration) cannot overflow.
EARLIEST_DAY = dt.date(1970, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)
_EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_END = dt.datetime(2101, 1, 1, tzinfo=dt.UTC)  # exclusive: the last instant of LATEST_DAY is in
RANGE = f"{EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}"
_DAY_TEXT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# RFC 3339: a date, ``T``, hours and minutes (seconds and a fraction optional), ``Z`` or an offset.
_MOMENT_TEXT = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})$"
)

D = TypeVar("D", bound=dt.date)


def in_range(value: D) -> D:
    """``value`` if it lies in the range every date input keeps to (``RANGE``), else ValueError."""
    if isinstance(value, dt.datetime):
        inside = value.tzinfo is not None and _EARLIEST <= value < _END
    else:
        inside = EARLIEST_DAY <= value <= LATEST_DAY
    if not inside:
        raise ValueError(f"out of range ({RANGE})")
    return value


def _day(value: Any) -> dt.date:
    """A calendar day: ``YYYY-MM-DD`` and nothing else (not a date-time, not a number)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return in_range(value)
    if isinstance(value, str) and _DAY_TEXT.match(value):
        try:
            return in_range(dt.date.fromisoformat(value))
        except ValueError as error:
            if "out of range" in str(error):
                raise
    raise ValueError("expected a date (YYYY-MM-DD)")


def _moment(value: Any) -> dt.datetime:
    """An instant: an RFC 3339 date-time with ``Z`` or an offset (not a number, not a bare date)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return in_range(value)
    if isinstance(value, str) and _MOMENT_TEXT.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return in_range(moment)
    raise ValueError("expected a date-time with a time zone (2026-01-31T09:30:00Z)")


def _digits(value: Any) -> Any:
    """A query-string integer: plain digits (``5_0``, ``+5`` and `` 5`` are not numbers)."""
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{1,9}", value):
            raise ValueError("expected plain digits")
        return int(value)
    return value


def _true_or_false(value: Any) -> Any:
    """A query-string boolean: ``true`` or ``false`` (a callable may send a JSON boolean)."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError("expected true or false")


# The parsers return a date or a date-time, so that strict validation (``Input``) takes it.
Moment = Annotated[AwareDatetime, BeforeValidator(_moment)]
Day = Annotated[dt.date, BeforeValidator(_day)]
# Query strings are text: these parse it as their type (a callable may send the JSON type).
QueryInt = Annotated[int, BeforeValidator(_digits)]
QueryBool = Annotated[bool, BeforeValidator(_true_or_false)]
# A calendar day as Firestore holds it: an ISO string ("2026-11-23"); a date in Python.
StoredDay = Annotated[dt.date, PlainSerializer(lambda day: day.isoformat())]


def _date_or_time(value: Any) -> dt.date | dt.datetime:
    """``YYYY-MM-DD``, or an RFC 3339 date-time with a time zone."""
    is_moment = isinstance(value, dt.datetime) or (isinstance(value, str) and len(value) != 10)
    try:
        return _moment(value) if is_moment else _day(value)
    except ValueError as error:
        if "out of range" in str(error):
            raise
    raise ValueError("expected a date (YYYY-MM-DD) or a date-time with a time zone")


DateOrTime = Annotated[dt.date | dt.datetime, PlainValidator(_date_or_time)]
