"""Mailchimp plugin: detection, canonical frame, merge tags and MCH101 on real layouts."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import mailcheck_mailchimp
import pandas as pd
import pytest

from mailcheck.testing import canonical_frame as frame_of
from mailcheck.testing import check_contact_format, check_plugin, check_translations

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "mailchimp"
SUBSCRIBED = FIXTURES / "subscribed_email_audience_export_3f9a2c7b1d.csv"
UNSUBSCRIBED = FIXTURES / "unsubscribed_email_audience_export_3f9a2c7b1d.csv"
CLEANED = FIXTURES / "cleaned_email_audience_export_3f9a2c7b1d.csv"
OLD_ZIP = FIXTURES / "members_export_8d2e41a0c5.zip"
HEADER_2024 = (
    '"Email Address","First Name","Last Name",EMAIL_TYPE,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,'
    "CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,"
    "LEID,EUID,NOTES,TAGS"
)


def header_of(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()[0].replace('"', "").split(",")


def read(mailchecker, path: Path, **config_keys) -> list:
    """Documents read by the built-in reader with only this plugin installed."""
    mailchecker.register(mailcheck_mailchimp, "mailchimp")
    return mailchecker.read_contacts(path, **config_keys)


# -- plugin and conformance ------------------------------------------------------------


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_mailchimp, "mailchimp")


@pytest.mark.parametrize(
    "sample", [SUBSCRIBED, UNSUBSCRIBED, CLEANED, OLD_ZIP], ids=lambda p: p.name
)
def test_fixtures_map_into_a_valid_canonical_frame(sample):
    check_contact_format(mailcheck_mailchimp, sample, "mailchimp", name="mailchimp")


# -- detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("subscribed_email_audience_export_3f9a2c7b1d.csv", "subscribed"),
        ("unsubscribed_email_audience_export_3f9a2c7b1d.csv", "unsubscribed"),
        ("cleaned_members_export_b7206ee42e.csv", "cleaned"),
        ("nonsubscribed_members_export_b7206ee42e.csv", "nonsubscribed"),
        ("Subscribed_Members_Export_B7206EE42E (1).csv", "subscribed"),
        ("cleaned_segment_export_b7206ee42e.csv", "cleaned"),
    ],
)
def test_status_word_comes_from_both_file_name_generations(name, status):
    assert mailcheck_mailchimp.status_from_name(Path(name)) == status


def test_file_name_plus_header_scores_higher_than_header_alone():
    header = header_of(SUBSCRIBED)
    named = mailcheck_mailchimp.mailcheck_detect_provider(path=SUBSCRIBED, header=header)
    renamed = mailcheck_mailchimp.mailcheck_detect_provider(
        path=Path("audience.csv"), header=header
    )
    assert (named.provider, named.score) == ("mailchimp", 100)
    assert (renamed.provider, renamed.score) == ("mailchimp", 70)
    assert "OPTIN_TIME" in str(renamed.reason)


@pytest.mark.parametrize("name", ["subscribers.csv", "export_subscribed.csv", "sms_export.csv"])
def test_other_names_carry_no_status(name):
    assert mailcheck_mailchimp.status_from_name(Path(name)) is None


def test_unknown_layout_is_not_claimed():
    header = ["Email", "First name", "Last name", "Signup date", "Status"]
    assert (
        mailcheck_mailchimp.mailcheck_detect_provider(path=Path("list.csv"), header=header) is None
    )


def test_a_single_system_like_column_is_not_enough():
    header = ["email", "name", "OPTIN_TIME"]
    assert (
        mailcheck_mailchimp.mailcheck_detect_provider(path=Path("list.csv"), header=header) is None
    )


# -- canonical frame -------------------------------------------------------------------


def test_subscribed_file_values_on_exact_lines(mailchecker):
    (doc,) = read(mailchecker, SUBSCRIBED)
    assert doc.provider == "mailchimp"
    assert str(doc.provider_reason).startswith("file name")
    frame = frame_of(doc)
    # the quoted NOTES of line 6 spans two physical lines: the next record starts on 8
    assert list(frame.index) == [2, 3, 4, 5, 6, 8]
    assert set(frame["status"]) == {"subscribed"}
    assert frame.loc[2, "email"] == "jeanne.martin@example.com"
    assert frame.loc[2, "consent_at"] == pd.Timestamp("2025-03-12 09:14:02")
    assert frame.loc[2, "consent_ip"] == "203.0.113.24"
    assert frame.loc[3, "confirmed_at"] == pd.Timestamp("2024-05-20 16:02:11")
    assert pd.isna(frame.loc[3, "consent_at"])
    assert frame.loc[8, "email"] == "sophie.roux@example.com"
    assert frame.loc[4, "country"] == "FR"


def test_unsubscribed_file_maps_unsub_time_and_reason(mailchecker):
    (doc,) = read(mailchecker, UNSUBSCRIBED)
    frame = frame_of(doc)
    assert set(frame["status"]) == {"unsubscribed"}
    assert frame.loc[2, "unsubscribed_at"] == pd.Timestamp("2025-01-10 08:45:12")
    assert frame.loc[3, "unsubscribe_reason"] == "I never signed up for this mailing list"


def test_cleaned_status_from_file_name(mailchecker):
    (doc,) = read(mailchecker, CLEANED)
    assert set(frame_of(doc)["status"]) == {"cleaned"}


def test_old_generation_zip_members_get_their_own_status(mailchecker):
    docs = read(mailchecker, OLD_ZIP)
    by_member = {doc.display_path.rsplit("/", 1)[-1]: frame_of(doc) for doc in docs}
    subscribed = by_member["subscribed_members_export_8d2e41a0c5.csv"]
    nonsubscribed = by_member["nonsubscribed_members_export_8d2e41a0c5.csv"]
    assert set(subscribed["status"]) == {"subscribed"}
    # non-subscribed contacts never opted in: not "subscribed", and not an objection
    assert list(nonsubscribed["status"]) == ["nonsubscribed"]
    assert subscribed.loc[3, "confirmed_at"] == pd.Timestamp("2015-03-16 14:40:47")


def test_layout_gives_the_status_when_the_file_was_renamed(mailchecker):
    renamed = mailchecker.path / "export.csv"
    shutil.copy(UNSUBSCRIBED, renamed)
    (doc,) = read(mailchecker, renamed)
    assert doc.contact_format.hints["status_source"] == "column layout"
    assert set(frame_of(doc)["status"]) == {"unsubscribed"}


def test_forced_provider_still_reads_status_from_file_name(mailchecker):
    text = "Email Address,First Name\nana@example.com,Ana\n"
    path = mailchecker.make_csv("unsubscribed_members_export_0123456789.csv", text)
    # two columns only: no header signature, but the file name is Mailchimp's
    (doc,) = read(mailchecker, path, provider="mailchimp")
    assert (doc.provider, str(doc.provider_reason)) == ("mailchimp", "forced in config")
    assert list(frame_of(doc)["status"]) == ["unsubscribed"]


def test_forced_per_path_in_config(mailchecker):
    shutil.copy(SUBSCRIBED, mailchecker.path / "audience.csv")
    (doc,) = read(
        mailchecker, mailchecker.path / "audience.csv", providers={"audience.csv": "mailchimp"}
    )
    assert str(doc.provider_reason) == "forced in config"
    # forced, and no status word in the name: no status is invented
    frame = frame_of(doc)
    assert "status" not in frame or set(frame["status"]) == {"unknown"}


# -- merge tags ------------------------------------------------------------------------


def test_merge_tags_by_role():
    tags = mailcheck_mailchimp.mailcheck_merge_tags()
    assert "*|UNSUB|*" in tags["unsubscribe"]
    assert "*|UPDATE_PROFILE|*" in tags["preferences"]
    assert "*|HTML:LIST_ADDRESS_HTML|*" in tags["postal_address"]
    assert "*|ARCHIVE|*" in tags["web_version"]


def test_fixture_template_has_no_missing_unsubscribe(mailchecker):
    mailchecker.register(mailcheck_mailchimp, "mailchimp")
    shutil.copy(FIXTURES / "newsletter-mailchimp.html", mailchecker.path / "news.html")
    run = mailchecker.run("news.html", "--select", "MC101")
    run.assert_findings({"MC101": 0})


def test_one_line_list_address_tag_is_a_postal_address(mailchecker):
    # *|LIST:ADDRESSLINE|* is Mailchimp's one-line postal address
    assert "*|LIST:ADDRESSLINE|*" in mailcheck_mailchimp.mailcheck_merge_tags()["postal_address"]
    html = "<p>Nouveautes.</p>\n<p>*|LIST:ADDRESSLINE|*</p>\n<p>*|UNSUB|*</p>\n"
    mailchecker.make_html("news.html", html)
    mailchecker.register(mailcheck_mailchimp, "mailchimp")
    mailchecker.run("news.html", "--select", "MC109").assert_findings({"MC109": 0})


# -- MCH101 ----------------------------------------------------------------------------


def test_imported_contacts_reported_on_their_lines(mailchecker):
    mailchecker.register(mailcheck_mailchimp, "mailchimp")
    shutil.copy(SUBSCRIBED, mailchecker.path / SUBSCRIBED.name)
    run = mailchecker.run(SUBSCRIBED.name, "--select", "MCH")
    assert run.lines("MCH101") == [3, 8]
    assert all("@" not in f["message"] for f in run.findings)


def test_imported_contacts_inside_the_zip(mailchecker):
    mailchecker.register(mailcheck_mailchimp, "mailchimp")
    shutil.copy(OLD_ZIP, mailchecker.path / OLD_ZIP.name)
    run = mailchecker.run(OLD_ZIP.name, "--select", "MCH")
    # line 3 of the subscribed member; the non-subscribed member is never flagged
    assert [(f["path"].rsplit("/", 1)[-1], f["line"]) for f in run.findings] == [
        ("subscribed_members_export_8d2e41a0c5.csv", 3)
    ]


def test_unsubscribed_and_cleaned_imports_are_not_flagged(mailchecker):
    mailchecker.register(mailcheck_mailchimp, "mailchimp")
    for sample in (UNSUBSCRIBED, CLEANED):
        shutil.copy(sample, mailchecker.path / sample.name)
    run = mailchecker.run(UNSUBSCRIBED.name, CLEANED.name, "--select", "MCH")
    run.assert_findings({"MCH101": 0})


def test_mch101_needs_the_optin_column(mailchecker):
    mailchecker.register(mailcheck_mailchimp, "mailchimp")
    header = HEADER_2024.replace("OPTIN_TIME,", "")
    row = 'ana@example.com,Ana,Lima,html,2,,"2024-01-01 10:00:00"' + "," * 13
    mailchecker.make_csv("subscribed_email_audience_export_0123456789.csv", f"{header}\n{row}\n")
    run = mailchecker.run("subscribed_email_audience_export_0123456789.csv", "--select", "MCH")
    run.assert_findings({"MCH101": 0})


def test_mch101_inside_a_zip_built_like_the_2024_export(mailchecker):
    mailchecker.register(mailcheck_mailchimp, "mailchimp")
    imported = 'ana@example.com,Ana,Lima,html,2,,,"2024-01-01 10:00:00"' + "," * 13
    signed = 'bo@example.com,Bo,Li,html,2,"2024-01-01 10:00:00",192.0.2.1,,' + "," * 12
    with zipfile.ZipFile(mailchecker.path / "audience.zip", "w") as archive:
        archive.writestr(
            "audience_export_0123456789/subscribed_email_audience_export_0123456789.csv",
            f"{HEADER_2024}\n{signed}\n{imported}\n",
        )
    run = mailchecker.run("audience.zip", "--select", "MCH")
    assert run.lines("MCH101") == [3]


def test_non_subscribed_contacts_are_not_judged_as_subscribers(mailchecker):
    """Mailchimp sends no campaign to non-subscribed contacts (they bought something
    without opting in): no consent finding on them in the audience, and no "unsubscribed
    here, subscribed there" either -- they never objected. A send list holding one is
    reported (MC202)."""
    mailchecker.register(mailcheck_mailchimp, "mailchimp")
    shutil.copy(OLD_ZIP, mailchecker.path / OLD_ZIP.name)
    mailchecker.make_csv(
        "envoi-black-friday.csv",
        header=["Email", "Statut", "Date d'inscription"],
        rows=[["chloe.garnier@example.com", "abonné", "2025-11-02"]],
    )
    run = mailchecker.run(".", "--select", "MC2", "--today", "2026-11-22")
    nonsubscribed = [f for f in run.findings if "nonsubscribed_" in f["path"]]
    assert nonsubscribed == []
    assert "MC201" not in run.codes
    mailchecker.make_config('[contact-roles]\n"*nonsubscribed_*.csv" = "send-list"\n')
    run = mailchecker.run(OLD_ZIP.name, "--select", "MC202")
    assert [(f["path"].rsplit("/", 1)[-1], f["line"]) for f in run.findings] == [
        ("nonsubscribed_members_export_8d2e41a0c5.csv", 2)
    ]


def test_mch101_rows_out_gets_the_addresses(mailchecker):
    # --rows-out reads the address from data["address"], which row_findings fills
    mailchecker.register(mailcheck_mailchimp, "mailchimp")
    shutil.copy(SUBSCRIBED, mailchecker.path / "subscribed.csv")
    mailchecker.run("subscribed.csv", "--select", "MCH", "--rows-out", "rows")
    rows = mailchecker.read_rows_out("rows", "MCH101-imported-without-optin.csv")
    assert [(row["line"], row["address"]) for row in rows] == [
        ("3", "paul.durand@example.org"),
        ("8", "sophie.roux@example.com"),
    ]


def test_cleaned_export_counts_retention_from_clean_time(mailchecker):
    mailchecker.register(mailcheck_mailchimp, "mailchimp")
    mailchecker.make_csv(
        "cleaned_email_audience_export_3f9a2c7b1d.csv",
        '"Email Address","First Name","Last Name",EMAIL_TYPE,MEMBER_RATING,OPTIN_TIME,'
        "OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,"
        "REGION,CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID,LEID,EUID,NOTES,TAGS\n"
        # 2 bounced in 2025 after an old opt-in: within retention
        'a@example.com,Ana,Lopez,html,1,"2017-02-19 15:40:00",,,,,,,,,FR,,'
        '"2025-11-02 06:00:00",Lettre,5e4f,1,2,,\n'
        # 3 bounced in 2019, name kept
        'b@example.com,Bob,Martin,html,1,"2017-02-19 15:40:00",,,,,,,,,,,'
        '"2019-12-03 06:00:00",Lettre,5e4f,1,2,,\n',
    )
    run = mailchecker.run(
        "cleaned_email_audience_export_3f9a2c7b1d.csv", "--select", "MC220", "--today", "2026-11-22"
    )
    assert run.lines("MC220") == [3]
    assert run.findings[0]["message"].startswith(
        "bounced on 2019-12-03, but the whole record is kept (First Name, Last Name)"
    )


def test_french_catalogue_translates_every_text():
    check_translations(mailcheck_mailchimp, "fr", name="mailchimp")
