"""domain/exports.py: CSV cells safe for spreadsheets, times in the person's zone, the ZIP."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

import pytest

from sessionbase.domain import exports

AT = datetime(2027, 1, 5, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        (None, ""),
        (True, "true"),
        (3, "3"),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_is_prefixed(value, cell):
    assert exports.safe_cell(value) == cell


def test_times_are_written_in_the_persons_zone_with_its_offset():
    assert exports.local_time(AT, "America/New_York") == "2027-01-05T10:30:00-05:00"
    assert exports.local_time(AT, None) == "2027-01-05T15:30:00+00:00"
    assert exports.local_time(AT, "Mars/Olympus") == "2027-01-05T15:30:00+00:00"
    nested = {"a": ["2027-01-05T15:30:00Z", {"b": AT}], "text": "2027 was fine"}
    assert exports.localised(nested, "Asia/Tokyo") == {
        "a": ["2027-01-06T00:30:00+09:00", {"b": "2027-01-06T00:30:00+09:00"}],
        "text": "2027 was fine",
    }


def test_a_csv_reads_back_with_the_csv_module_safe_and_in_the_zone():
    text = exports.csv_text(
        ("id", "text", "at"),
        [{"id": "n1", "text": '=HYPERLINK("x")', "at": AT}, {"id": "n2", "text": "a, b\nc"}],
        "Europe/Berlin",
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [
        {"id": "n1", "text": '\'=HYPERLINK("x")', "at": "2027-01-05T16:30:00+01:00"},
        {"id": "n2", "text": "a, b\nc", "at": ""},
    ]


def test_the_zip_holds_the_files_in_the_readmes_order_and_the_readme_names_each():
    archive = exports.Archive()
    archive.add_json("sessions.json", {"sessions": [{"createdAt": AT}]}, "UTC")
    archive.add_text("sessions.csv", "a\r\n")
    archive.add_json("profile.json", {"uid": "u1"}, "UTC")
    readme = exports.readme(name="Ada", uid="u1", made_at=AT, timezone="Europe/Berlin")
    archive.add_text("README.txt", readme)
    with zipfile.ZipFile(io.BytesIO(archive.zip_bytes())) as opened:
        assert opened.namelist() == ["profile.json", "sessions.json", "sessions.csv", "README.txt"]
        assert opened.read("sessions.csv").decode("utf-8-sig") == "a\r\n"
    assert all(name in readme for name in exports.FILES)
    assert "Europe/Berlin" in readme
    assert "2027-01-05T16:30:00+01:00" in readme
