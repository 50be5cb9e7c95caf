"""Date parsing of contact exports: explicit formats, month names, unread cells."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from mailcheck.readers.dates import (
    DEFAULT_DATE_FORMATS,
    UnreadableDates,
    default_date_formats,
    parse_date_column,
    parse_spreadsheet_dates,
    proven_order,
)
from mailcheck.testing import canonical_frame


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


# -- day or month first: the profile decides ----------------------------------------------

#: A list saved from Excel in the US (``Save As CSV``: m/d/yyyy, no leading zeros).
US_EXCEL = (
    "Email,First Name,Last Name,Signup Date,Last Purchase\n"
    "ann@example.com,Ann,Lee,3/4/2025,03/04/2025 14:05\n"
    "bob@example.com,Bob,Ray,12/31/2024,\n"
    "cy@example.com,Cy,Fox,2/30/2025,\n"
)


def test_us_profile_reads_month_first(mailchecker):
    mailchecker.make_csv("signups.csv", US_EXCEL)
    (doc,) = mailchecker.read_contacts(mailchecker.path / "signups.csv", profile="us")
    frame = canonical_frame(doc)
    assert frame.loc[2, "consent_at"] == datetime(2025, 3, 4)
    assert frame.loc[2, "last_purchase_at"] == datetime(2025, 3, 4, 14, 5)
    assert frame.loc[3, "consent_at"] == datetime(2024, 12, 31)
    assert frame.loc[4, "consent_at"] is pd.NaT  # 30 February: unread, not moved
    assert doc.read_report.unreadable_dates.columns["consent_at"].first_lines == [4]


@pytest.mark.parametrize("profile", ["eu-fr", "eu", "uk", "ca"])
def test_eu_uk_and_canada_read_day_first(mailchecker, profile):
    mailchecker.make_csv(
        "inscrits.csv",
        "Adresse e-mail;Prénom;Date d'inscription\n"
        "ann@example.com;Ann;03/04/2025\n"
        "bob@example.com;Bob;3/4/25\n",
    )
    (doc,) = mailchecker.read_contacts(mailchecker.path / "inscrits.csv", profile=profile)
    frame = canonical_frame(doc)
    assert list(frame["consent_at"]) == [datetime(2025, 4, 3), datetime(2025, 4, 3)]


def test_us_profile_two_digit_years_month_first():
    us = default_date_formats("us")
    assert parse_date_column(pa.array(["3/14/16"]), us)[0].to_pylist() == [datetime(2016, 3, 14)]
    assert parse_spreadsheet_dates(pa.array(["3/4/25"]), month_first=True).to_pylist() == [
        datetime(2025, 3, 4)
    ]
    # dotted dates are day first everywhere
    assert parse_spreadsheet_dates(pa.array(["3.4.25"]), month_first=True).to_pylist() == [
        datetime(2025, 4, 3)
    ]


def test_explicit_formats_win_over_the_profile(mailchecker):
    mailchecker.make_csv("signups.csv", US_EXCEL.replace("2/30/2025", "1/2/2025"))
    (doc,) = mailchecker.read_contacts(
        mailchecker.path / "signups.csv", profile="us", date_formats={"consent_at": ["%d/%m/%Y"]}
    )
    frame = canonical_frame(doc)
    assert frame.loc[2, "consent_at"] == datetime(2025, 4, 3)  # as the config says
    assert frame.loc[2, "last_purchase_at"] == datetime(2025, 3, 4, 14, 5)  # the profile's


def test_a_column_that_proves_its_order_is_read_that_way(mailchecker):
    # A French export linted under --profile us (a French shop selling to the US), and a
    # US export under the default profile: 25/12 and 12/31 can only be read one way, so the
    # whole column is, and its 03/04 with it.
    mailchecker.make_csv(
        "clients-fr.csv",
        "Email;Date d'inscription\nann@example.fr;03/04/2025\nbob@example.fr;25/12/2024\n",
    )
    (doc,) = mailchecker.read_contacts(mailchecker.path / "clients-fr.csv", profile="us")
    assert list(canonical_frame(doc)["consent_at"]) == [
        datetime(2025, 4, 3),
        datetime(2024, 12, 25),
    ]
    mailchecker.make_csv("signups.csv", US_EXCEL)
    (doc,) = mailchecker.read_contacts(mailchecker.path / "signups.csv")
    assert canonical_frame(doc).loc[2, "consent_at"] == datetime(2025, 3, 4)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["03/04/2025", "25/12/2024"], False),
        (["03/04/2025", "12/31/2024 10:00"], True),
        (["03/04/2025", "04/05/2025"], None),  # fits both: the profile decides
        (["31/12/2024", "12/31/2024"], None),  # both seen: no proof
        (["2024-12-31", "31.12.2024", ""], None),
    ],
)
def test_proven_order(values, expected):
    assert proven_order(pa.array(values, pa.string())) is expected


@pytest.mark.parametrize(("profile", "shape"), [("us", "mm/dd/yyyy"), ("eu-fr", "dd/mm/yyyy")])
def test_the_inferred_shape_is_named_in_the_profile_order(mailchecker, profile, shape):
    # A date column no header synonym names, every value readable both ways.
    mailchecker.make_csv(
        "export.csv",
        "Email,Name,Date\n"
        + "".join(f"p{i}@example.com,P{i},{i % 12 + 1}/{i % 9 + 1}/2024\n" for i in range(12)),
    )
    (doc,) = mailchecker.read_contacts(mailchecker.path / "export.csv", profile=profile)
    assert f"read as {shape}" in str(doc.reader_plan.origins["created_at"].evidence)


@pytest.mark.parametrize("profile", ["us", "eu-fr"])
def test_us_exports_with_am_pm_times_are_read(profile):
    # AWeber writes "05/14/22 10:00am": month first (14 proves it), a 12-hour clock.
    from mailcheck.readers.dates import default_date_formats, settle_order

    values = pa.array(["05/14/22 10:00am", "11/23/25 03:15pm", "11/30/25 12:05am", ""])
    formats = settle_order(default_date_formats(profile), values, 0)
    parsed, unread = parse_date_column(values, formats)
    assert unread is None
    assert parsed.to_pylist() == [
        datetime(2022, 5, 14, 10, 0),
        datetime(2025, 11, 23, 15, 15),
        datetime(2025, 11, 30, 0, 5),
        None,
    ]


def test_excel_serial_dates_are_read_in_date_columns():
    """A date cell whose format was lost is a serial number of days since 1899-12-30;
    only 1970-2100: a year or a postcode is no date."""
    from mailcheck.readers.dates import parse_date_column

    values = pa.array(["44000", "45266.5", "2024", "75001", "12/03/2025", ""])
    parsed, missed = parse_date_column(values, ["%d/%m/%Y"])
    assert parsed.to_pylist() == [
        datetime(2020, 6, 18),
        datetime(2023, 12, 6, 12, 0),
        None,
        None,
        datetime(2025, 3, 12),
        None,
    ]
    assert missed.to_pylist() == [False, False, True, True, False, False]
