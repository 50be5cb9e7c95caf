"""Brevo plugin: semicolon + BOM export, DD-MM-YYYY dates, DOUBLE_OPT-IN codes, tags."""

from __future__ import annotations

import shutil
from pathlib import Path

import mailcheck_brevo
import pandas as pd
import pytest

from mailcheck.testing import canonical_frame as frame_of
from mailcheck.testing import check_contact_format, check_plugin, check_translations

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "brevo"
EXPORT = FIXTURES / "contacts-export.csv"
EXPORT_FR = FIXTURES / "contacts-export-fr.csv"


def read(mailchecker, path: Path, **config_keys) -> list:
    mailchecker.register(mailcheck_brevo, "brevo")
    return mailchecker.read_contacts(path, **config_keys)


def detect(header: list[str]):
    return mailcheck_brevo.mailcheck_detect_provider(header=header)


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_brevo, "brevo")


@pytest.mark.parametrize("sample", [EXPORT, EXPORT_FR], ids=lambda p: p.name)
def test_fixtures_map_into_a_valid_canonical_frame(sample):
    check_contact_format(mailcheck_brevo, sample, "brevo", name="brevo")


def test_fixture_really_is_semicolon_with_bom():
    raw = EXPORT.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfCONTACT ID;EMAIL;")


# -- detection -------------------------------------------------------------------------


def test_ui_export_header_is_a_strong_claim():
    header = [
        "CONTACT ID",
        "EMAIL",
        "NOM",
        "PRENOM",
        "DOUBLE_OPT-IN",
        "ADDED_TIME",
        "MODIFIED_TIME",
    ]
    match = detect(header)
    assert (match.provider, match.score) == ("brevo", 80)
    assert "CONTACT ID" in str(match.reason)


def test_minimal_export_is_a_weaker_claim():
    assert detect(["EMAIL", "ADDED_TIME", "MODIFIED_TIME"]).score == 50
    # a re-saved file that changed the case is still Brevo's layout
    assert detect(["Email", "Added_Time", "Modified_Time", "Double_Opt-In"]).score == 80


@pytest.mark.parametrize(
    "header",
    [
        ["EMAIL", "FIRSTNAME", "LASTNAME"],  # a Brevo *import* file, no export timestamps
        ["EMAIL", "CREATED_AT", "UPDATED_AT"],  # not Brevo's timestamps
        ["Email", "Klaviyo ID", "Email Marketing Consent"],
    ],
)
def test_other_layouts_are_not_claimed(header):
    assert detect(header) is None


# -- canonical frame -------------------------------------------------------------------


def test_ui_export_values_on_exact_lines(mailchecker):
    (doc,) = read(mailchecker, EXPORT)
    assert doc.provider == "brevo" and doc.delimiter == ";"
    frame = frame_of(doc)
    assert list(frame.index) == [2, 3, 4, 5, 6]
    assert frame.loc[2, "email"] == "jeanne.martin@example.com"
    # DD-MM-YYYY: 04-02-2019 is the 4th of February, not the 2nd of April
    assert frame.loc[4, "created_at"] == pd.Timestamp("2019-02-04")
    assert bool(frame.loc[2, "double_opt_in"]) is True
    assert bool(frame.loc[3, "double_opt_in"]) is False
    assert frame.loc[2, "legal_basis"] == "consent"  # OPT_IN = Yes
    assert frame.loc[3, "legal_basis"] == "unknown"  # no GDPR opt-in recorded


def test_french_account_with_blocklist_column(mailchecker):
    (doc,) = read(mailchecker, EXPORT_FR)
    frame = frame_of(doc)
    assert doc.columns["email"] == "EMAIL"
    assert frame.loc[2, "status"] == "blocklisted"
    assert frame.loc[4, "status"] == "subscribed"
    assert frame.loc[2, "created_at"] == pd.Timestamp("2023-04-02 12:00")
    # labels instead of codes for DOUBLE_OPT-IN
    assert bool(frame.loc[2, "double_opt_in"]) is True
    assert bool(frame.loc[3, "double_opt_in"]) is False


def test_forced_provider(mailchecker):
    path = mailchecker.make_csv("contacts.csv", "EMAIL;DOUBLE_OPT-IN\nana@example.com;1\n")
    (doc,) = read(mailchecker, path, provider="brevo")
    assert str(doc.provider_reason) == "forced in config"
    assert bool(frame_of(doc).loc[2, "double_opt_in"]) is True


# -- merge tags ------------------------------------------------------------------------


def test_merge_tags_by_role():
    tags = mailcheck_brevo.mailcheck_merge_tags()
    assert {"{{ unsubscribe }}", "[UNSUBSCRIBE]"} <= set(tags["unsubscribe"])
    assert "{{ update_profile }}" in tags["preferences"]
    assert "{{ mirror }}" in tags["web_version"]


def test_fixture_template_has_no_missing_unsubscribe(mailchecker):
    mailchecker.register(mailcheck_brevo, "brevo")
    shutil.copy(FIXTURES / "newsletter-brevo.html", mailchecker.path / "news.html")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_old_template_language_tag(mailchecker):
    mailchecker.register(mailcheck_brevo, "brevo")
    mailchecker.make_html("old.html", "<p>Nouveautes.</p>\n<p>[UNSUBSCRIBE]</p>\n")
    mailchecker.run("old.html", "--select", "MC101").assert_findings({"MC101": 0})


# -- BRV101 ----------------------------------------------------------------------------


def test_contacts_without_any_optin_record_on_their_lines(mailchecker):
    mailchecker.register(mailcheck_brevo, "brevo")
    shutil.copy(EXPORT, mailchecker.path / "contacts.csv")
    run = mailchecker.run("contacts.csv", "--select", "BRV")
    # line 3: imported (DOUBLE_OPT-IN 2, no OPT_IN); line 5: role address, same
    assert run.lines("BRV101") == [3, 5]
    assert all("@" not in f["message"] for f in run.findings)


def test_blocklisted_contacts_and_labels(mailchecker):
    mailchecker.register(mailcheck_brevo, "brevo")
    shutil.copy(EXPORT_FR, mailchecker.path / "contacts.csv")
    run = mailchecker.run("contacts.csv", "--select", "BRV")
    # line 3 is blocklisted (skipped); line 4 has No and an empty OPT_IN
    assert run.lines("BRV101") == [4]


def test_brv101_needs_an_optin_column(mailchecker):
    mailchecker.register(mailcheck_brevo, "brevo")
    mailchecker.make_csv(
        "c.csv", "EMAIL;ADDED_TIME;MODIFIED_TIME\na@example.com;01-02-2025;01-02-2025\n"
    )
    mailchecker.run("c.csv", "--select", "BRV").assert_findings({"BRV101": 0})


def test_mixed_case_header_is_mapped(mailchecker):
    path = mailchecker.make_csv(
        "c.csv",
        "Email;Double_Opt-In;Added_Time;Modified_Time\na@example.com;Yes;04-02-2019;04-02-2019\n",
    )
    (doc,) = read(mailchecker, path)
    assert doc.provider == "brevo"
    assert doc.columns["created_at"] == "Added_Time"
    frame = frame_of(doc)
    assert frame.loc[2, "created_at"] == pd.Timestamp("2019-02-04")
    assert bool(frame.loc[2, "double_opt_in"]) is True


def test_brv101_rows_out_gets_the_addresses(mailchecker):
    # --rows-out reads the address from data["address"], which row_findings fills
    mailchecker.register(mailcheck_brevo, "brevo")
    shutil.copy(EXPORT, mailchecker.path / "contacts.csv")
    mailchecker.run("contacts.csv", "--select", "BRV", "--rows-out", "rows")
    rows = mailchecker.read_rows_out("rows", "BRV101-no-optin-record.csv")
    assert [(row["line"], row["address"]) for row in rows] == [
        ("3", "paul.durand@example.org"),
        ("5", "info@example.org"),
    ]


def test_french_catalogue_translates_every_text():
    check_translations(mailcheck_brevo, "fr", name="brevo")
