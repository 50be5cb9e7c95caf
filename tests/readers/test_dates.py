"""Date parsing of contact exports: explicit formats, month names, unread cells."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa
import pytest

from mailcheck.readers.dates import (
    DEFAULT_DATE_FORMATS,
    UnreadableDates,
    parse_date_column,
    parse_spreadsheet_dates,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14 mars 2016", datetime(2016, 3, 14)),
        ("14-mars-16", datetime(2016, 3, 14)),  # Excel FR "jj-mmm-aa"
        ("14-janv.-16", datetime(2016, 1, 14)),
        ("03-déc.-99", datetime(1999, 12, 3)),  # two-digit years as Excel reads them
        ("1er juin 2025", datetime(2025, 6, 1)),
        ("lundi 14 mars 2016", datetime(2016, 3, 14)),
        ("2 juin 2025 à 10:30", datetime(2025, 6, 2, 10, 30)),
        ("2 juin 2025 10h30", datetime(2025, 6, 2, 10, 30)),
        ("14 Février 2020", datetime(2020, 2, 14)),
        ("15 août 2024", datetime(2024, 8, 15)),
        ("Jun 2, 2025", datetime(2025, 6, 2)),
        ("June 2nd 2025 10:30", datetime(2025, 6, 2, 10, 30)),
        ("Monday, June 2, 2025", datetime(2025, 6, 2)),
        ("Mon, 2 Jun 2025 10:00:00 +0200", datetime(2025, 6, 2, 10, 0)),
        ("14. März 2016", datetime(2016, 3, 14)),
        ("14 de marzo de 2016", datetime(2016, 3, 14)),
        ("5 outubro 2020", datetime(2020, 10, 5)),
        ("12 dicembre 2019", datetime(2019, 12, 12)),
        ("3 maart 2021", datetime(2021, 3, 3)),
        ("14/03/16", datetime(2016, 3, 14)),  # Excel FR short date "jj/mm/aa"
        ("14.3.16 10:30", datetime(2016, 3, 14, 10, 30)),
        ("12/05/58", datetime(1958, 5, 12)),  # a birth date: 30-99 -> 19xx, as Excel
        ("14/03/2016 10h30", datetime(2016, 3, 14, 10, 30)),
        ("14/03/2016 à 10:30", datetime(2016, 3, 14, 10, 30)),
    ],
)
def test_spreadsheet_shapes_are_read(text, expected):
    assert parse_spreadsheet_dates(pa.array([text])).to_pylist() == [expected]


@pytest.mark.parametrize(
    "text", ["14 truc 2016", "le 14/03", "hier", "mars 2016", "14/13/16", "3/14/2016", "", None]
)
def test_what_is_no_date_with_a_month_name_stays_null(text):
    assert parse_spreadsheet_dates(pa.array([text], pa.string())).to_pylist() == [None]


@pytest.mark.parametrize("text", ["14/03/16", "14-03-16 10:30", "0016-03-14", "14.03.016"])
def test_a_short_year_never_passes_for_a_four_digit_one(text):
    # strptime's %Y reads "16" as the year 16: a 2016 opt-in would be 2,000 years old
    parsed = parse_date_column(pa.array([text]), DEFAULT_DATE_FORMATS)[0][0].as_py()
    assert parsed is None or parsed.year >= 1000


def test_month_names_are_tried_only_on_what_the_formats_leave():
    values = pa.array(["14/03/2016", "14 mars 2016", "", "hier", "2016-03-14"])
    assert parse_date_column(values, DEFAULT_DATE_FORMATS)[0].to_pylist() == [
        datetime(2016, 3, 14),
        datetime(2016, 3, 14),
        None,
        None,
        datetime(2016, 3, 14),
    ]


def test_a_whole_column_of_month_names_is_read():
    values = pa.array(["14 mars 2016", "2 avril 2024"] * 1000)
    parsed, _ = parse_date_column(values, DEFAULT_DATE_FORMATS)
    assert parsed.null_count == 0
    assert parsed[1].as_py() == datetime(2024, 4, 2)


def test_unreadable_dates_keep_the_count_and_the_first_three_cells():
    unread = UnreadableDates()
    unread.add("consent_at", "Date", np.array([3, 5]), pa.array(["hier", "le 14/03"]))
    unread.add("consent_at", "Date", np.array([9, 12]), pa.array(["?", "??"]))
    column = unread.columns["consent_at"]
    assert (column.source, column.count) == ("Date", 4)
    assert column.first_lines == [3, 5, 9]
    assert column.first_values == ["hier", "le 14/03", "?"]


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2016",
        "29/02/2015",
        "31/04/2016 10:30",
        "2016-02-30",
        "2016-04-31 08:00:00",
        "31-06-2024",
        "30.02.2020",
        "31 févr. 2016",
        "30/02/16",
    ],
)
def test_an_impossible_date_is_unread_not_rolled_over(text):
    # strptime alone reads 31/02/2016 as 2 March: a date nobody wrote.
    parsed, unread = parse_date_column(pa.array([text, "01/03/2016"]), DEFAULT_DATE_FORMATS)
    assert parsed.to_pylist()[0] is None
    assert unread is not None and unread.to_pylist() == [True, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29/02/2016", datetime(2016, 2, 29)),
        ("01/03/2016", datetime(2016, 3, 1)),
        ("3/1/2016", datetime(2016, 1, 3)),
        ("2016-05-02T10:00:00Z", datetime(2016, 5, 2, 10)),
    ],
)
def test_real_dates_early_in_a_month_are_kept(text, expected):
    parsed, unread = parse_date_column(pa.array([text, "31/02/2016"]), DEFAULT_DATE_FORMATS)
    assert parsed.to_pylist()[0] == expected


def test_an_impossible_date_is_reported_and_never_counts_for_retention(mailchecker):
    mailchecker.make_csv(
        "contacts.csv",
        "email;status;created_at\n"
        "ann@example.com;subscribed;31/02/2016\n"
        "bob@example.com;subscribed;03/02/2016\n",
    )
    run = mailchecker.run("contacts.csv", "--today", "2026-12-05", "--select", "MC203,MC904")
    assert run.lines("MC203") == [3]
    assert run.lines("MC904") == [2]
    assert "31/02/2016" in run.output
