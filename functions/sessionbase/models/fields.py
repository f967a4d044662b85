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


def _one_line(value: str) -> str:
    if any(char in value for char in "\t\n\r"):
        raise ValueError("must be one line (no tab or line break)")
    return value


Id = Annotated[str, StringConstraints(max_length=128), AfterValidator(_document_id)]
Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(_email)]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_one_line)
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_one_line)
]
LongText = Annotated[str, StringConstraints(max_length=5000)]
# Firestore stores 64-bit integers; bigger ones would fail at write time.
Int64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
# NaN and infinities are not JSON: a browser's res.json() would fail on every later read.
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
# A map key Firestore accepts and the public shape keeps.
MetricName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")]
MetricValue = FiniteFloat | Int64 | ShortText | bool | None

# Firestore timestamps span 0001-01-01 to 9999-12-31 (UTC); keep a day of margin for date maths.
_EARLIEST = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
_LATEST = dt.datetime(9999, 12, 30, tzinfo=dt.UTC)


D = TypeVar("D", bound=dt.date)


def _in_range(value: D) -> D:
    try:
        moment = (
            value.astimezone(dt.UTC)
            if isinstance(value, dt.datetime)
            else dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
        )
    except OverflowError:  # a time zone that pushes year 1 or 9999 past the calendar
        moment = None
    if moment is None or not _EARLIEST <= moment <= _LATEST:
        raise ValueError("out of range (0001-01-02 to 9999-12-30)")
    return value


def _iso_text(value: Any) -> Any:
    """Dates and date-times come as ISO-8601 strings, never as numbers (epoch seconds)."""
    if not isinstance(value, str | dt.date):
        raise ValueError("expected an ISO-8601 string")
    return value


def _digits(value: Any) -> Any:
    """A query-string integer: plain digits (``5_0``, ``+5`` and `` 5`` are not numbers)."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{1,9}", value):
        raise ValueError("expected plain digits")
    return value


def _true_or_false(value: Any) -> Any:
    """A query-string boolean: ``true`` or ``false`` (a callable may send a JSON boolean)."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError("expected true or false")


Moment = Annotated[AwareDatetime, BeforeValidator(_iso_text), AfterValidator(_in_range)]
Day = Annotated[dt.date, BeforeValidator(_iso_text), AfterValidator(_in_range)]
QueryInt = Annotated[int, BeforeValidator(_digits)]
QueryBool = Annotated[bool, BeforeValidator(_true_or_false)]
# A calendar day as Firestore holds it: an ISO string ("2026-11-23"); a date in Python.
StoredDay = Annotated[dt.date, PlainSerializer(lambda day: day.isoformat())]


def _date_or_time(value: Any) -> dt.date | dt.datetime:
    """``YYYY-MM-DD``, or an ISO-8601 date-time with a time zone."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return _in_range(dt.date.fromisoformat(value))
            parsed = dt.datetime.fromisoformat(value)
            if parsed.tzinfo is not None:
                return _in_range(parsed)
        except (ValueError, OverflowError):
            pass
    raise ValueError("expected a date (YYYY-MM-DD) or a date-time with a time zone")


DateOrTime = Annotated[dt.date | dt.datetime, PlainValidator(_date_or_time)]
