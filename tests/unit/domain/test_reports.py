"""domain/reports.py and domain/report_pdf.py: the cells, the CSV, the attendance matrix, the
period figures and the PDF; domain/policy.py's report scope; the report queries' index."""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import re
import time
import zlib
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessionbase.domain import policy, report_pdf, reports
from sessionbase.errors import InvalidArgument
from sessionbase.models.groups import AttendanceRecord, MemberRecord
from sessionbase.models.identity import Role
from sessionbase.models.reports import SessionReportQuery
from sessionbase.models.sessions import SessionRecord
from sessionbase.models.validation import parse
from tests.unit.factories import caller

BERLIN = ZoneInfo("Europe/Berlin")


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# ---- cells --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('=HYPERLINK("http://x.test","click")', '\'=HYPERLINK("http://x.test","click")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Vault", "Vault"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_cell_that_starts_like_a_formula_gets_a_leading_apostrophe(text, shown):
    assert reports.neutralised(text) == shown


@given(st.text())
def test_no_neutralised_cell_starts_like_a_formula_and_the_text_is_kept(text):
    shown = reports.neutralised(text)
    assert not shown.startswith(reports.FORMULA_STARTS)
    assert shown in (text, "'" + text)
    assert shown == text or text.startswith(reports.FORMULA_STARTS)


@given(st.lists(st.lists(st.text() | st.integers() | st.none(), min_size=3, max_size=3)))
def test_a_csv_reads_back_as_written_with_text_neutralised(rows):
    data = reports.to_csv(["a", "b", "c"], rows)
    back = read_csv(data)
    assert back[0] == ["a", "b", "c"]
    assert back[1:] == [[reports.cell(value) for value in row] for row in rows]
    for row in back[1:]:
        for value in row:
            assert not value.startswith(reports.FORMULA_STARTS) or value.lstrip("-").isdigit()


def test_numbers_and_booleans_are_written_as_values():
    assert [reports.cell(v) for v in (3, 2.345, None, True, False)] == [
        "3",
        "2.35",
        "",
        "yes",
        "no",
    ]


def test_a_period_is_its_days_in_the_zone():
    start, end = reports.period(date(2026, 3, 1), date(2026, 3, 31), BERLIN)
    assert start.astimezone(UTC) == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # summer time
    assert reports.local(datetime(2026, 3, 31, 21, 59, tzinfo=UTC), BERLIN) == "2026-03-31 23:59"


def test_a_session_row_shows_times_in_the_zone_and_neutralises_its_texts():
    session = SessionRecord(
        athleteName="=HYPERLINK(1)",
        event="@Vault",
        notes="-rm",
        status="completed",
        actualStart=datetime(2026, 7, 1, 8, 0, tzinfo=UTC),
        createdAt=datetime(2026, 6, 30, 8, 0, tzinfo=UTC),
        motionIQ=81.5,
    )
    header = reports.session_header("Europe/Berlin")
    [row] = read_csv(reports.to_csv(header, [reports.session_row("s1", session, BERLIN)]))[1:]
    by = dict(zip(header, row, strict=True))
    assert by["Date (Europe/Berlin)"] == "2026-07-01 10:00"
    assert by["Created (Europe/Berlin)"] == "2026-06-30 10:00"
    assert (by["Athlete"], by["Event"], by["Notes"]) == ("'=HYPERLINK(1)", "'@Vault", "'-rm")
    assert (by["Motion IQ"], by["Status"], by["Archived"]) == ("81.5", "completed", "no")


# ---- attendance ---------------------------------------------------------------------------------


def member(uid, name=None, role="member"):
    joined = datetime(2026, 1, 1, tzinfo=UTC)
    return MemberRecord(
        uid=uid, role=role, displayName=name, email=f"{uid}@x.test", joinedAt=joined
    )


def test_the_rate_counts_late_as_attended_and_leaves_excused_out():
    assert reports.rate(Counter({"present": 2, "late": 1, "absent": 1, "excused": 5})) == 75.0
    assert reports.rate(Counter({"excused": 2})) is None
    assert reports.rate(Counter({"present": 1, "absent": 2})) == 33.3


def test_the_matrix_has_members_then_people_who_left_and_blank_cells_without_a_record():
    at = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
    sessions = [
        ("s1", SessionRecord(event="Week 1", actualStart=at)),
        ("s2", SessionRecord(event="Week 2", actualStart=at + timedelta(days=7))),
    ]
    attendance = {
        "s1": {
            "ann": AttendanceRecord(status="present", at=at),
            "bob": AttendanceRecord(status="absent", at=at),
            "gone": AttendanceRecord(status="late", at=at),
        },
        "s2": {"ann": AttendanceRecord(status="late", at=at)},
    }
    members = [member("owner", "Olga", role="owner"), member("bob", "Bob"), member("ann", "Ann")]
    people = reports.attendees(members, {"ann", "bob", "gone"}, {"gone": "=Gone"})
    assert [p.uid for p in people] == ["ann", "bob", "gone"]
    header = reports.attendance_header(sessions, "Europe/Berlin", BERLIN)
    assert header[:4] == [
        "Member (sessions in Europe/Berlin)",
        "E-mail",
        "2026-02-02 10:00 Week 1",
        "2026-02-09 10:00 Week 2",
    ]
    rows = [reports.attendance_row(p, sessions, attendance) for p in people]
    back = read_csv(reports.to_csv(header, rows))
    assert back[0][4:] == ["Present", "Late", "Absent", "Excused", "Rate %"]
    assert back[1] == ["Ann", "ann@x.test", "present", "late", "1", "1", "0", "0", "100.0"]
    assert back[2] == ["Bob", "bob@x.test", "absent", "", "0", "0", "1", "0", "0.0"]
    assert back[3] == ["'=Gone (left)", "", "late", "", "0", "1", "0", "0", "100.0"]


# ---- the period report ---------------------------------------------------------------------------


def year_of_sessions(count: int = 365) -> list[SessionRecord]:
    start = datetime(2026, 1, 1, 17, 0, tzinfo=UTC)
    return [
        SessionRecord(
            athleteName="Ada Lovelace",
            sessionType="Training" if i % 3 else "Analysis",
            event="Vault" if i % 2 else "Beam",
            status="completed" if i % 10 else "cancelled",
            actualStart=start + timedelta(days=i),
            durationSeconds=3600,
            motionIQ=None if i % 3 else 60 + i % 40,
            createdAt=start + timedelta(days=i),
        )
        for i in range(count)
    ]


def test_the_figures_count_what_the_sessions_record_and_every_week_of_the_period():
    sessions = year_of_sessions(14)
    found = reports.figures(sessions, first=date(2026, 1, 1), last=date(2026, 1, 31), tz=BERLIN)
    assert (found.sessions, found.completed, found.cancelled) == (14, 12, 2)
    assert found.by_type == {"Analysis": 5, "Training": 9}
    assert (found.timed_sessions, found.total_seconds) == (14, 14 * 3600)
    assert found.analysed == 5
    assert found.mean_motion_iq == round(sum(60 + i for i in range(0, 14, 3)) / 5, 1)
    assert found.scored == 0
    assert found.mean_score is None
    # January 2026 starts on a Thursday: weeks from Monday 2025-12-29 to Monday 2026-01-26.
    assert [week for week, _ in found.per_week][0] == date(2025, 12, 29)
    assert [count for _, count in found.per_week] == [4, 7, 3, 0, 0]


def pdf_text(data: bytes) -> str:
    """The page content streams of a ReportLab PDF, decoded (ASCII85 and Flate)."""
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = stream.strip()
        if raw.endswith(b"~>"):
            raw = base64.a85decode(raw.removeprefix(b"<~").removesuffix(b"~>"))
        with contextlib.suppress(zlib.error):
            raw = zlib.decompress(raw)
        text.append(raw.decode("latin-1"))
    return "\n".join(text)


def shown(data: bytes) -> str:
    """The strings a PDF's pages show, in order, joined (a line's pieces become one again)."""
    pieces = re.findall(r"\(((?:[^()\\]|\\.)*)\) Tj", pdf_text(data))
    return "".join(re.sub(r"\\([()\\])", r"\1", piece) for piece in pieces)


def test_the_pdf_has_the_title_figures_chart_and_table_on_its_pages():
    sessions = year_of_sessions()
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    began = time.perf_counter()
    rendered = report_pdf.render(
        athlete="Ada <Lovelace>",
        zone="Europe/Berlin",
        first=first,
        last=last,
        figures=reports.figures(sessions, first=first, last=last, tz=BERLIN),
        rows=report_pdf.table_rows(sessions, BERLIN),
        generated=datetime(2027, 1, 2, tzinfo=UTC),
    )
    took = time.perf_counter() - began
    print(f"\nperiod report, 365 sessions: {rendered.pages} pages, {len(rendered.data)} bytes, "
          f"{took * 1000:.0f} ms")  # fmt: skip
    assert rendered.data.startswith(b"%PDF-")
    assert rendered.data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b", rendered.data)) == rendered.pages >= 8
    text = shown(rendered.data)
    for words in ("Period report: Ada <Lovelace>", "Sessions per week", "Motion IQ of each",
                  "Mean Motion IQ", "2026-01-01 18:00", "2026-12-31 18:00"):  # fmt: skip
        assert words in text, words
    assert took < 10


def test_the_pdf_of_a_period_without_sessions_says_so_and_has_one_page():
    rendered = report_pdf.render(
        athlete="Nobody",
        zone="UTC",
        first=date(2026, 1, 1),
        last=date(2026, 1, 7),
        figures=reports.figures([], first=date(2026, 1, 1), last=date(2026, 1, 7), tz=BERLIN),
        rows=[],
        generated=datetime(2026, 1, 8, tzinfo=UTC),
        compress=False,
    )
    assert rendered.pages == 1
    assert b"(No sessions in this period.)" in rendered.data
    assert b"Motion IQ of each" not in rendered.data


# ---- who may report on whom, the query, the index ---------------------------------------------


class Links:
    def __init__(self, *pairs):
        self.pairs = set(pairs)

    def linked(self, *, coach_id, athlete_id):
        return (coach_id, athlete_id) in self.pairs

    def member(self, *, group_id, uid):
        return False


def test_the_report_scope_follows_who_may_read_whom():
    coach, other = caller("c1", role=Role.COACH), caller("c2", role=Role.COACH)
    links = Links(("c1", "a1"))
    scope = policy.report_scope
    assert scope(coach, athlete_id="a1", coach_id=None, relations=links) == {"athleteId": "a1"}
    assert scope(other, athlete_id="a1", coach_id=None, relations=links) is None
    assert scope(other, athlete_id=None, coach_id="c1", relations=links) is None
    assert scope(coach, athlete_id=None, coach_id=None, relations=links) == {"coachId": "c1"}
    assert scope(caller("a1"), athlete_id=None, coach_id=None, relations=links) == {
        "athleteId": "a1"
    }
    admin = caller("x", role=Role.ADMIN)
    assert scope(admin, athlete_id=None, coach_id=None, relations=links) == {}
    assert scope(admin, athlete_id=None, coach_id="c9", relations=links) == {"coachId": "c9"}


def test_a_report_query_names_each_bad_field():
    with pytest.raises(InvalidArgument) as raised:
        parse(SessionReportQuery, {"from": "2026-03-01", "to": "2026-02-01", "athleteId": "a/b"})
    assert sorted(e.field for e in raised.value.errors) == ["athleteId", "to"]
    with pytest.raises(InvalidArgument) as raised:
        parse(SessionReportQuery, {"athleteId": "a1", "coachId": "c1"})
    assert sorted(e.field for e in raised.value.errors) == ["coachId", "from", "to"]
    with pytest.raises(InvalidArgument) as raised:
        parse(SessionReportQuery, {"from": "2026-01-01", "to": "2027-06-01"})
    assert [e.field for e in raised.value.errors] == ["to"]


def test_every_report_query_of_sessions_has_its_index():
    from tests.unit.test_indexes import served

    for equals in ({"groupId"}, {"athleteId"}, {"coachId"}, set()):
        assert equals == set() or served(frozenset(equals)), equals
