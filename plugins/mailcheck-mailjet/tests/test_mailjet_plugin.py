"""Mailjet plugin: contact-field and statistics layouts, flags -> status, UNSUB_LINK tags."""

from __future__ import annotations

import shutil
from pathlib import Path

import mailcheck_mailjet
import pandas as pd
import pytest

from mailcheck.testing import canonical_frame as frame_of
from mailcheck.testing import check_contact_format, check_plugin, check_translations

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "mailjet"
CONTACTS = FIXTURES / "contacts-export.csv"
STATISTICS = FIXTURES / "contact-statistics.csv"


def read(mailchecker, path: Path, **config_keys) -> list:
    mailchecker.register(mailcheck_mailjet, "mailjet")
    return mailchecker.read_contacts(path, **config_keys)


def detect(header: list[str]):
    return mailcheck_mailjet.mailcheck_detect_provider(header=header)


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_mailjet, "mailjet")


@pytest.mark.parametrize("sample", [CONTACTS, STATISTICS], ids=lambda p: p.name)
def test_fixtures_map_into_a_valid_canonical_frame(sample):
    check_contact_format(mailcheck_mailjet, sample, "mailjet", name="mailjet")


def test_detection_scores_stay_modest():
    assert detect(["Email", "Name", "IsExcludedFromCampaigns"]).score == 50
    events = ["Email", "status", "blocked", "soft_bounce", "hard_bounce"]
    assert detect(events).score == 40


@pytest.mark.parametrize(
    "header", [["Email", "Name", "Status"], ["email", "sent", "opened"], ["Name", "hard_bounce"]]
)
def test_generic_headers_are_not_claimed(header):
    assert detect(header) is None


def test_contact_flags_become_statuses(mailchecker):
    (doc,) = read(mailchecker, CONTACTS)
    frame = frame_of(doc)
    assert frame.loc[2, "status"] == "unknown"  # no flag: the export cannot say more
    assert frame.loc[4, "status"] == "unsubscribed"
    assert frame.loc[4, "unsubscribed_at"] == pd.Timestamp("2025-01-10 08:45:12")
    assert frame.loc[7, "status"] == "blocklisted"  # spam complaint
    assert frame.loc[8, "status"] == "blocklisted"  # campaign exclusion list
    assert frame.loc[9, "status"] == "pending"  # double opt-in not confirmed
    assert frame.loc[6, "created_at"] == pd.Timestamp("2019-02-04 18:30:55")


def test_statistics_counts_become_statuses(mailchecker):
    (doc,) = read(mailchecker, STATISTICS)
    frame = frame_of(doc)
    assert list(frame["status"]) == ["unknown", "cleaned", "blocklisted", "unknown"]


def test_events_export_status_words(mailchecker):
    path = mailchecker.make_csv(
        "events.csv",
        "Email,status,blocked,soft_bounce,hard_bounce\n"
        "a@example.com,spam,FALSE,FALSE,FALSE\n"
        "b@example.com,opened,FALSE,FALSE,FALSE\n"
        "c@example.com,bounce,FALSE,FALSE,TRUE\n",
    )
    frame = frame_of(read(mailchecker, path)[0])
    assert list(frame["status"]) == ["blocklisted", "unknown", "cleaned"]


def test_unsubscribed_wins_over_pending(mailchecker):
    path = mailchecker.make_csv(
        "c.csv",
        "Email,IsOptInPending,UnsubscribedAt\na@example.com,true,2025-01-10T08:45:12Z\n",
    )
    assert frame_of(read(mailchecker, path)[0]).loc[2, "status"] == "unsubscribed"


def test_unsubscribed_at_in_a_date_format_not_read_is_still_an_unsubscribe(mailchecker):
    # an account-locale date the reader does not parse: the cell is set, so the contact
    # unsubscribed (it used to read as subscribed, and MC201 missed the other files)
    path = mailchecker.make_csv(
        "c.csv",
        "Email,IsOptInPending,UnsubscribedAt\n"
        "a@example.com,false,le 2 juin\n"
        "b@example.com,false,\n"
        "c@example.com,false,   \n"
        "d@example.com,true,2025-06-02T14:00:00Z\n",
    )
    frame = frame_of(read(mailchecker, path)[0])
    assert list(frame["status"]) == ["unsubscribed", "unknown", "unknown", "unsubscribed"]
    assert frame["unsubscribed_at"].isna().tolist() == [True, True, True, False]
    assert not any(column.startswith("_") for column in frame.columns)


def test_unreadable_unsubscribe_date_reported_across_files(mailchecker):
    mailchecker.register(mailcheck_mailjet, "mailjet")
    mailchecker.make_csv(
        "mailjet.csv",
        "Email,CreatedAt,IsExcludedFromCampaigns,UnsubscribedAt\n"
        "a@example.com,2024-01-01T10:00:00Z,false,le 2 juin\n"
        "b@example.com,2024-01-01T10:00:00Z,false,\n",
    )
    mailchecker.make_csv(
        "other.csv",
        "email,status\na@example.com,subscribed\nb@example.com,subscribed\n",
    )
    run = mailchecker.run(".", "--select", "MC201", "--today", "2026-11-22")
    assert {(f["path"], f["line"]) for f in run.findings} == {("other.csv", 2)}


def test_forced_provider(mailchecker):
    path = mailchecker.make_csv("c.csv", "Email,IsOptInPending\na@example.com,true\n")
    (doc,) = read(mailchecker, path, provider="mailjet")
    assert str(doc.provider_reason) == "forced in config"
    assert frame_of(doc).loc[2, "status"] == "pending"


def test_unsubscribe_tags_in_every_locale(mailchecker):
    tags = mailcheck_mailjet.mailcheck_merge_tags()
    assert "[[UNSUB_LINK_FR]]" in tags["unsubscribe"] and "[[PERMALINK]]" in tags["web_version"]
    # a locale the core does not list: the opening of the tag is declared
    mailchecker.make_html("news.html", '<p>Nieuws.</p>\n<p><a href="[[UNSUB_LINK_SV]]">x</a></p>\n')
    mailchecker.register(mailcheck_mailjet, "mailjet")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_fixture_template_has_no_missing_unsubscribe(mailchecker):
    mailchecker.register(mailcheck_mailjet, "mailjet")
    shutil.copy(FIXTURES / "newsletter-mailjet.html", mailchecker.path / "news.html")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_campaign_reports_are_send_logs_whose_complaints_still_count(mailchecker):
    # The events and statistics exports are nobody's send list: no consent-proof or
    # retention finding on them; a complaint in them still objects everywhere (MC201).
    mailchecker.register(mailcheck_mailjet, "mailjet")
    mailchecker.make_csv(
        "events.csv",
        "Email,status,blocked,soft_bounce,hard_bounce\n"
        "a@example.com,spam,FALSE,FALSE,FALSE\n"
        "b@example.com,opened,FALSE,FALSE,FALSE\n",
    )
    shutil.copy(STATISTICS, mailchecker.path / "statistics.csv")
    mailchecker.make_csv(
        "abonnes.csv",
        "email,status,consent_date,source\n"
        "a@example.com,subscribed,2025-01-01,form\n"
        "b@example.com,subscribed,2025-01-01,form\n",
    )
    (events,) = mailchecker.read_contacts(mailchecker.path / "events.csv")
    assert (events.role, str(events.role_reason)) == (
        "send-log",
        "mailjet export layout",
    )
    run = mailchecker.run(".", "--today", "2026-11-22")
    assert {(f["code"], f["path"], f["line"]) for f in run.findings} == {
        ("MC201", "abonnes.csv", 2)
    }


def test_contact_exports_keep_the_core_role(mailchecker):
    (doc,) = read(mailchecker, CONTACTS)
    assert doc.role == "audience"


def test_french_catalogue_translates_every_text():
    check_translations(mailcheck_mailjet, "fr", name="mailjet")
