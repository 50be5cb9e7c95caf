"""HubSpot plugin: Record ID exports, opt-out booleans, DOI status, legal basis, tokens."""

from __future__ import annotations

import shutil
from pathlib import Path

import mailcheck_hubspot
import pandas as pd
import pytest

from mailcheck.testing import canonical_frame as frame_of
from mailcheck.testing import check_contact_format, check_plugin, check_translations

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "hubspot"
EXPORT = FIXTURES / "hubspot-crm-exports-all-contacts-2025-11-03.csv"


def read(mailchecker, path: Path, **config_keys) -> list:
    mailchecker.register(mailcheck_hubspot, "hubspot")
    return mailchecker.read_contacts(path, **config_keys)


def detect(header: list[str]):
    return mailcheck_hubspot.mailcheck_detect_provider(header=header)


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_hubspot, "hubspot")


def test_fixture_maps_into_a_valid_canonical_frame():
    check_contact_format(mailcheck_hubspot, EXPORT, "hubspot", name="hubspot")


@pytest.mark.parametrize(
    ("header", "score"),
    [
        (["Record ID", "Email", "Unsubscribed from all email"], 80),
        (["hs_object_id", "email", "hs_email_optout", "createdate"], 80),
        (["Record ID", "First Name", "Email", "Contact owner", "Create Date"], 60),
        (["Record ID", "Email"], 40),
    ],
)
def test_detection_scores(header, score):
    match = detect(header)
    assert (match.provider, match.score) == ("hubspot", score)


@pytest.mark.parametrize(
    "header",
    [["Email", "Create Date", "Lead Status"], ["Record ID", "Company name", "Phone"]],
)
def test_no_record_id_or_no_email_is_not_claimed(header):
    assert detect(header) is None


def test_statuses_and_legal_bases_on_exact_lines(mailchecker):
    (doc,) = read(mailchecker, EXPORT)
    frame = frame_of(doc)
    assert list(frame.index) == [2, 3, 4, 5, 6, 7, 8]
    assert frame.loc[2, "status"] == "subscribed"  # confirmed, not opted out
    assert frame.loc[2, "legal_basis"] == "consent"
    assert frame.loc[3, "status"] == "unknown"  # imported, no confirmation
    assert frame.loc[3, "legal_basis"] == "unknown"  # "Not applicable"
    assert frame.loc[3, "consent_source"] == "Offline Sources"
    assert frame.loc[4, "status"] == "unsubscribed"  # Unsubscribed from all email = true
    assert frame.loc[5, "legal_basis"] == "b2b"  # legitimate interest - prospect/lead
    assert frame.loc[6, "legal_basis"] == "customer"
    assert frame.loc[7, "status"] == "pending"  # double_opt_in_pending


def test_dates_iso_and_us_with_am_pm(mailchecker):
    (doc,) = read(mailchecker, EXPORT)
    frame = frame_of(doc)
    assert frame.loc[6, "created_at"] == pd.Timestamp("2019-02-04 18:30")
    assert frame.loc[6, "last_activity_at"] == pd.Timestamp("2019-02-04 18:30")
    assert frame.loc[8, "created_at"] == pd.Timestamp("2024-11-05 15:07")


def test_opt_out_wins_over_confirmation(mailchecker):
    path = mailchecker.make_csv(
        "contacts.csv",
        "Record ID,Email,Unsubscribed from all email,Marketing email confirmation\n"
        "1,a@example.com,Yes,confirmed\n"
        "2,b@example.com,No,double_opt_in_pending\n",
    )
    frame = frame_of(read(mailchecker, path)[0])
    assert list(frame["status"]) == ["unsubscribed", "pending"]


def test_an_export_from_a_french_account_is_understood(mailchecker):
    # A French-language account exports the same properties under their French labels,
    # ';'-separated and in Windows-1252 once re-saved by French Excel.
    text = (
        "ID de fiche d'informations;Prénom;E-mail;Statut du contact marketing;"
        "Désabonné de tous les e-mails;Base juridique pour le traitement des données du "
        "contact;Date de création;Source d'origine\n"
        "101;Claire;claire@exemple.fr;Contact marketing;false;"
        "Consentement librement donné par le contact;12/03/2025 10:00;Formulaires\n"
        "103;Léa;lea@exemple.fr;Contact non marketing;true;Non applicable;"
        "10/05/2018 08:00;Sources hors ligne\n"
    )
    path = mailchecker.make_csv("contacts.csv", text, encoding="cp1252")
    (doc,) = read(mailchecker, path)
    assert doc.provider == "hubspot"
    frame = frame_of(doc)
    assert list(frame["status"]) == ["unknown", "unsubscribed"]
    assert list(frame["legal_basis"]) == ["consent", "unknown"]
    assert list(frame["consent_source"]) == ["Formulaires", "Sources hors ligne"]
    assert frame.loc[2, "created_at"] == pd.Timestamp("2025-03-12 10:00")


def test_the_latest_of_a_click_and_a_conversion_is_the_last_activity(mailchecker):
    """A click in a marketing e-mail and a form conversion both come from the contact:
    the later one counts for retention (MC203); the last open does not."""
    mailchecker.register(mailcheck_hubspot, "hubspot")
    mailchecker.make_csv(
        "hubspot-crm-exports-all-contacts.csv",
        "Record ID,Email,Create Date,Recent Conversion Date,Last marketing email open date,"
        "Last marketing email click date\n"
        "1,a@example.com,2021-02-01 10:00,2021-02-01 10:00,,2025-10-10 10:00\n"
        "2,b@example.com,2021-02-01 10:00,2025-09-01 10:00,,2021-03-01 10:00\n"
        "3,c@example.com,2021-02-01 10:00,2021-02-01 10:00,2026-11-20 10:00,\n"
        "4,d@example.com,2021-02-01 10:00,,,\n",
    )
    run = mailchecker.run(
        "hubspot-crm-exports-all-contacts.csv", "--select", "MC203", "--today", "2026-12-05"
    )
    assert run.lines("MC203") == [4, 5]


def test_forced_provider(mailchecker):
    path = mailchecker.make_csv("crm.csv", "Email,hs_email_optout\na@example.com,true\n")
    (doc,) = read(mailchecker, path, providers={"*.csv": "hubspot"})
    assert str(doc.provider_reason) == "forced in config"
    assert frame_of(doc).loc[2, "status"] == "unsubscribed"


def test_merge_tags_by_role():
    tags = mailcheck_hubspot.mailcheck_merge_tags()
    assert {"{{ unsubscribe_link }}", "{{ unsubscribe_link_all }}"} <= set(tags["unsubscribe"])
    assert "{{ site_settings.company_street_address_1 }}" in tags["postal_address"]


def test_template_with_hubl_tokens_has_no_missing_unsubscribe(mailchecker):
    mailchecker.register(mailcheck_hubspot, "hubspot")
    shutil.copy(FIXTURES / "newsletter-hubspot.html", mailchecker.path / "news.html")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_single_subscription_token_is_an_opt_out(mailchecker):
    tags = mailcheck_hubspot.mailcheck_merge_tags()["unsubscribe"]
    assert "{{ unsubscribe_link_single }}" in tags
    mailchecker.make_html("news.html", "<p>News.</p>\n<p>{{ unsubscribe_link_single }}</p>\n")
    mailchecker.register(mailcheck_hubspot, "hubspot")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_offline_source_without_conversion_is_a_doubtful_opt_in(mailchecker):
    # "Offline Sources" (internal OFFLINE) is how HubSpot labels imported contacts; the
    # export has no consent date, so an import is a doubtful source (MC205 warning)
    mailchecker.register(mailcheck_hubspot, "hubspot")
    mailchecker.make_csv(
        "hubspot-crm-exports-all-contacts.csv",
        "Record ID,Email,Create Date,Original Source,Marketing email confirmation\n"
        "1,a@example.com,2025-05-05 10:00,Offline Sources,\n"
        "2,b@example.com,2025-05-05 10:00,Organic Search,confirmed\n"
        "3,c@example.com,2025-05-05 10:00,OFFLINE,\n"
        "4,d@example.com,2025-05-05 10:00,Direct Traffic,confirmed\n",
    )
    run = mailchecker.run("hubspot-crm-exports-all-contacts.csv", "--select", "MC205")
    assert run.lines("MC205") == [2, 4]
    assert {f["severity"] for f in run.findings} == {"warning"}


def test_opted_out_marketing_contact_is_reported_in_an_audience(mailchecker):
    mailchecker.register(mailcheck_hubspot, "hubspot")
    mailchecker.make_csv(
        "hubspot-crm-exports-newsletter-2026-11-20.csv",
        "Record ID,First Name,Last Name,Email,Create Date,Unsubscribed from all email,"
        "Marketing contact status,Marketing email confirmation\n"
        "101,Ana,Lopez,ana@example.com,2025-02-01 10:00,false,Marketing contact,confirmed\n"
        "102,Marc,Petit,marc@example.org,2025-02-01 10:00,true,Marketing contact,confirmed\n"
        "103,Lea,Roux,lea@example.net,2025-02-01 10:00,true,Non-marketing contact,\n",
    )
    run = mailchecker.run("hubspot-crm-exports-newsletter-2026-11-20.csv", "--select", "MC202")
    # line 3: opted out of all e-mail but still counted as a marketing contact; line 4
    # is a plain opt-out, HubSpot's own suppression: silent
    assert [(f["line"], f["severity"]) for f in run.findings] == [(3, "error")]
    assert "(unsubscribed from every e-mail)" in run.findings[0]["message"]


def test_french_catalogue_translates_every_text():
    check_translations(mailcheck_hubspot, "fr", name="hubspot")
