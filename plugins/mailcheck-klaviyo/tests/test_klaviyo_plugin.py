"""Klaviyo plugin: detection, consent states and suppressions, merge tags, KLV101."""

from __future__ import annotations

import shutil
from pathlib import Path

import mailcheck_klaviyo
import pandas as pd
import pytest

from mailcheck.testing import canonical_frame as frame_of
from mailcheck.testing import check_contact_format, check_plugin, check_translations

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "klaviyo"
LIST = FIXTURES / "list-newsletter-export.csv"
SEGMENT = FIXTURES / "segment-vip-export.csv"


def read(mailchecker, path: Path, **config_keys) -> list:
    mailchecker.register(mailcheck_klaviyo, "klaviyo")
    return mailchecker.read_contacts(path, **config_keys)


def detect(header: list[str]):
    return mailcheck_klaviyo.mailcheck_detect_provider(header=header)


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_klaviyo, "klaviyo")


@pytest.mark.parametrize("sample", [LIST, SEGMENT], ids=lambda p: p.name)
def test_fixtures_map_into_a_valid_canonical_frame(sample):
    check_contact_format(mailcheck_klaviyo, sample, "klaviyo", name="klaviyo")


# -- detection -------------------------------------------------------------------------


def test_klaviyo_id_is_the_strongest_claim():
    header = LIST.read_text("utf-8").splitlines()[0].split(",")
    match = detect(header)
    assert (match.provider, match.score) == ("klaviyo", 90)
    assert "Klaviyo ID" in str(match.reason)


def test_consent_columns_alone_are_a_weaker_claim():
    header = ["\ufeffEmail", "First Name", "Email Marketing Consent", "Country"]
    assert detect(header).score == 70


@pytest.mark.parametrize(
    "header",
    [
        ["Email", "First Name", "Last Name", "Country", "Source"],
        ["Record ID", "First Name", "Email", "Create Date"],
        ["Email", "Consent", "Consent Timestamp"],
    ],
)
def test_other_layouts_are_not_claimed(header):
    assert detect(header) is None


# -- canonical frame -------------------------------------------------------------------


def test_consent_states_and_suppressions(mailchecker):
    (doc,) = read(mailchecker, LIST)
    frame = frame_of(doc)
    assert list(frame.index) == [2, 3, 4, 5, 6, 7, 8]
    assert frame.loc[2, "status"] == "subscribed"
    assert frame.loc[2, "consent_at"] == pd.Timestamp("2025-03-12 09:14:02")
    assert frame.loc[2, "consent_source"] == "Newsletter signup form"
    assert frame.loc[2, "consent_ip"] == "203.0.113.24"
    # never subscribed: no consent on record, which is not the same as unsubscribed
    assert (frame.loc[3, "status"], frame.loc[3, "consent_state"]) == (
        "unknown",
        "NEVER_SUBSCRIBED",
    )
    assert frame.loc[4, "status"] == "unsubscribed"
    # consent SUBSCRIBED but hard-bounced: the suppression wins
    assert (frame.loc[7, "status"], frame.loc[7, "consent_state"]) == ("cleaned", "SUBSCRIBED")


def test_activity_is_last_click_not_last_active(mailchecker):
    (doc,) = read(mailchecker, LIST)
    frame = frame_of(doc)
    assert doc.columns["last_activity_at"] == "Last Click"
    assert frame.loc[6, "last_activity_at"] == pd.Timestamp("2019-03-01 20:10:00")


def test_bom_and_iso_timestamps_in_a_narrow_export(mailchecker):
    (doc,) = read(mailchecker, SEGMENT)
    frame = frame_of(doc)
    assert doc.columns["email"] == "Email"
    assert frame.loc[2, "consent_at"] == pd.Timestamp("2025-01-15 10:22:31")
    assert frame.loc[4, "status"] == "blocklisted"  # SPAM_COMPLAINT


def test_header_case_changed_by_a_resave(mailchecker):
    assert detect(["email", "email marketing consent"]).score == 70
    path = mailchecker.make_csv(
        "list.csv",
        "EMAIL,EMAIL MARKETING CONSENT,Email Suppressions\n"
        "a@example.com,NEVER_SUBSCRIBED,[]\n"
        "b@example.com,SUBSCRIBED,['HARD_BOUNCE']\n"
        "c@example.com,SUBSCRIBED,MANUAL_SUPPRESSION\n",
    )
    (doc,) = read(mailchecker, path)
    frame = frame_of(doc)
    assert doc.columns["consent_state"] == "EMAIL MARKETING CONSENT"
    # "[]" is no suppression; a reason we do not know still means "do not send"
    assert list(frame["status"]) == ["unknown", "cleaned", "blocklisted"]
    assert list(frame["suppressions"]) == ["", "['HARD_BOUNCE']", "MANUAL_SUPPRESSION"]
    # the consent state stays beside the suppression (MC202 reads both)
    assert list(frame["marketing_status"]) == ["unknown", "subscribed", "subscribed"]


def test_forced_provider_maps_a_header_it_would_not_claim(mailchecker):
    path = mailchecker.make_csv(
        "profiles.csv", "Email,Email Marketing Consent\nana@example.com,never subscribed\n"
    )
    (doc,) = read(mailchecker, path, providers={"profiles.csv": "klaviyo"})
    assert (doc.provider, str(doc.provider_reason)) == ("klaviyo", "forced in config")
    frame = frame_of(doc)
    assert frame.loc[2, "consent_state"] == "NEVER_SUBSCRIBED"
    assert frame.loc[2, "status"] == "unknown"


# -- merge tags ------------------------------------------------------------------------


def test_merge_tags_by_role():
    tags = mailcheck_klaviyo.mailcheck_merge_tags()
    assert {"{% unsubscribe %}", "{% unsubscribe_link %}"} <= set(tags["unsubscribe"])
    assert "{% unsubscribe_url %}" not in tags["unsubscribe"]  # does not exist in Klaviyo
    assert "{% manage_preferences_link %}" in tags["preferences"]
    assert "{{ organization.full_address }}" in tags["postal_address"]


def test_fixture_template_has_no_missing_unsubscribe(mailchecker):
    mailchecker.register(mailcheck_klaviyo, "klaviyo")
    shutil.copy(FIXTURES / "newsletter-klaviyo.html", mailchecker.path / "news.html")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_unsubscribe_tag_with_link_text_is_an_opt_out(mailchecker):
    assert "{% unsubscribe '" in mailcheck_klaviyo.mailcheck_merge_tags()["unsubscribe"]
    html = "<p>Nouveautes.</p>\n<p>{% unsubscribe 'Cliquez ici' %}</p>\n"
    mailchecker.make_html("news.html", html)
    mailchecker.register(mailcheck_klaviyo, "klaviyo")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


# -- KLV101 ----------------------------------------------------------------------------


def test_never_subscribed_profiles_reported_on_their_lines(mailchecker):
    mailchecker.register(mailcheck_klaviyo, "klaviyo")
    for sample in (LIST, SEGMENT):
        shutil.copy(sample, mailchecker.path / sample.name)
    run = mailchecker.run(LIST.name, SEGMENT.name, "--select", "KLV")
    assert run.lines("KLV101", LIST.name) == [3, 8]
    assert run.lines("KLV101", SEGMENT.name) == [3]
    assert all("@" not in f["message"] for f in run.findings)


def test_suppressed_or_subscribed_profiles_are_not_flagged(mailchecker):
    mailchecker.register(mailcheck_klaviyo, "klaviyo")
    mailchecker.make_csv(
        "list.csv",
        "Email,Klaviyo ID,Email Marketing Consent,Email Suppressions\n"
        "a@example.com,01A,NEVER_SUBSCRIBED,HARD_BOUNCE\n"
        "b@example.com,01B,SUBSCRIBED,\n"
        "c@example.com,01C,UNSUBSCRIBED,UNSUBSCRIBE\n"
        "d@example.com,01D,NEVER SUBSCRIBED,\n"
        "e@example.com,01E,NEVER_SUBSCRIBED,[]\n",
    )
    run = mailchecker.run("list.csv", "--select", "KLV")
    assert run.lines("KLV101") == [5, 6]


def test_klv101_ignores_other_providers_files(mailchecker):
    mailchecker.register(mailcheck_klaviyo, "klaviyo")
    mailchecker.make_csv("list.csv", "email,consent\na@example.com,NEVER_SUBSCRIBED\n")
    mailchecker.run("list.csv", "--select", "KLV").assert_findings({"KLV101": 0})


def test_provider_forced_in_the_config_file(mailchecker):
    mailchecker.register(mailcheck_klaviyo, "klaviyo")
    mailchecker.make_config('[providers]\n"crm/*.csv" = "klaviyo"\n')
    # "E-mail" instead of "Email": not claimed by detection, only the config makes it Klaviyo's
    text = (
        "E-mail,Email Marketing Consent\na@example.com,SUBSCRIBED\nb@example.com,NEVER_SUBSCRIBED\n"
    )
    mailchecker.make_csv("crm/profiles.csv", text)
    mailchecker.make_csv("other/profiles.csv", text)
    run = mailchecker.run("crm", "other", "--select", "KLV")
    assert [(f["path"], f["line"]) for f in run.findings] == [("crm/profiles.csv", 3)]


def test_klv101_rows_out_gets_the_addresses(mailchecker):
    # --rows-out reads the address from data["address"], which row_findings fills
    mailchecker.register(mailcheck_klaviyo, "klaviyo")
    shutil.copy(SEGMENT, mailchecker.path / "segment.csv")
    mailchecker.run("segment.csv", "--select", "KLV", "--rows-out", "rows")
    rows = mailchecker.read_rows_out("rows", "KLV101-never-subscribed-in-list.csv")
    assert [(row["line"], row["address"]) for row in rows] == [("3", "contact@example.com")]


# -- suppressed profiles in a list (MC202) and old departed profiles (MC220) ---------------

#: Klaviyo's default-style list export header (every profile property selected).
FULL_HEADER = (
    "Email,Klaviyo ID,First Name,Last Name,Organization,Title,Phone Number,Address,"
    "Address 2,City,State / Region,Country,Zip Code,Latitude,Longitude,Source,IP Address,"
    "Email Marketing Consent,Email Marketing Consent Timestamp,"
    "Historic Customer Lifetime Value,Total Customer Lifetime Value,"
    "Predicted Customer Lifetime Value,Average Order Value,Historic Number Of Orders,"
    "First Active,Last Active,Profile Created On,Date Added,Last Open,Last Click,"
    "Average Days Between Orders,Email Suppressions\n"
)


def profile(email, first, phone, city, consent, stamp, created, suppressions, country="France"):
    return (
        f"{email},01HX,{first},,,,{phone},,,{city},,{country},,,,Signup form,,{consent},{stamp},"
        f"0,0,0,0,0,,,{created},{created},,,,{suppressions}\n"
    )


def test_consent_and_suppression_kept_apart(mailchecker):
    path = mailchecker.make_csv(
        "list.csv",
        FULL_HEADER
        + profile("a@example.com", "Ana", "", "", "SUBSCRIBED", "", "2025-01-01", "[]")
        + profile(
            "b@example.com", "Bob", "", "", "SUBSCRIBED", "", "2025-01-01", "['SPAM_COMPLAINT']"
        )
        + profile("c@example.com", "", "", "", "UNSUBSCRIBED", "", "2025-01-01", "['UNSUBSCRIBE']"),
    )
    frame = frame_of(read(mailchecker, path)[0])
    assert list(frame["status"]) == ["subscribed", "blocklisted", "unsubscribed"]
    assert list(frame["marketing_status"]) == ["subscribed", "subscribed", "unsubscribed"]
    assert list(frame["suppression_reason"]) == ["", "['SPAM_COMPLAINT']", "['UNSUBSCRIBE']"]


def test_suppressed_and_departed_profiles_on_their_lines(mailchecker):
    mailchecker.register(mailcheck_klaviyo, "klaviyo")
    mailchecker.make_csv(
        "newsletter-list-export.csv",
        FULL_HEADER
        # 2 subscribed, clean
        + profile(
            "ana@example.com",
            "Ana",
            "",
            "Lyon",
            "SUBSCRIBED",
            "2025-03-12 09:14:02",
            "2025-03-12 09:14:02",
            "[]",
        )
        # 3 subscribed but complained: importing the list elsewhere would mail them
        + profile(
            "marc@example.org",
            "Marc",
            "+33612345678",
            "Paris",
            "SUBSCRIBED",
            "2024-01-10 08:00:00",
            "2024-01-10 08:00:00",
            "['SPAM_COMPLAINT']",
        )
        # 4 subscribed but hard-bounced: a warning
        + profile(
            "lea@example.net",
            "Lea",
            "",
            "",
            "SUBSCRIBED",
            "2024-02-10 08:00:00",
            "2024-02-10 08:00:00",
            "['HARD_BOUNCE']",
        )
        # 5 unsubscribed in 2019, a name, a city and a country kept
        + profile(
            "paul@example.fr",
            "Paul",
            "",
            "Nantes",
            "UNSUBSCRIBED",
            "2019-03-12 08:00:00",
            "2018-02-10 08:00:00",
            "['UNSUBSCRIBE']",
        )
        # 6 unsubscribed in 2019, only the address and dates: a suppression entry
        + profile(
            "zoe@example.fr",
            "",
            "",
            "",
            "UNSUBSCRIBED",
            "2019-03-12 08:00:00",
            "2018-02-10 08:00:00",
            "['UNSUBSCRIBE']",
            country="",
        ),
    )
    run = mailchecker.run(
        "newsletter-list-export.csv", "--select", "MC202,MC220", "--today", "2026-11-22"
    )
    assert [(f["code"], f["line"], f["severity"]) for f in run.findings] == [
        ("MC202", 3, "error"),
        ("MC202", 4, "warning"),
        ("MC220", 5, "warning"),
    ]
    assert "(spam complaint)" in run.findings[0]["message"]
    assert run.findings[2]["message"] == (
        "unsubscribed, signed up on 2019-03-12, but the whole record is kept (First Name, "
        "City, Country): keep only the address and the date in a suppression list"
    )


def test_french_catalogue_translates_every_text():
    check_translations(mailcheck_klaviyo, "fr", name="klaviyo")
