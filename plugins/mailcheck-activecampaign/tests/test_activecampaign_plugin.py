"""ActiveCampaign plugin: cautious detection, statuses, merge tags."""

from __future__ import annotations

import shutil
from pathlib import Path

import mailcheck_activecampaign
import pandas as pd

from mailcheck.testing import canonical_frame as frame_of
from mailcheck.testing import check_contact_format, check_plugin, check_translations

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "activecampaign"
EXPORT = FIXTURES / "contacts-export.csv"


def read(mailchecker, path: Path, **config_keys) -> list:
    mailchecker.register(mailcheck_activecampaign, "activecampaign")
    return mailchecker.read_contacts(path, **config_keys)


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_activecampaign, "activecampaign")


def test_fixture_maps_into_a_valid_canonical_frame():
    check_contact_format(mailcheck_activecampaign, EXPORT, "activecampaign", name="activecampaign")


def test_only_the_full_preset_header_is_claimed_and_weakly():
    header = EXPORT.read_text("utf-8").splitlines()[0].split(",")
    match = mailcheck_activecampaign.mailcheck_detect_provider(header=header)
    assert (match.provider, match.score) == ("activecampaign", 30)
    generic = ["Email", "First Name", "Last Name", "Date Created", "Status"]
    assert mailcheck_activecampaign.mailcheck_detect_provider(header=generic) is None


def test_statuses_on_exact_lines(mailchecker):
    (doc,) = read(mailchecker, EXPORT)
    frame = frame_of(doc)
    assert list(frame["status"]) == [
        "subscribed",
        "subscribed",
        "unsubscribed",
        "subscribed",
        "subscribed",
        "pending",
        "cleaned",
    ]
    assert frame.loc[6, "created_at"] == pd.Timestamp("2019-02-04 18:30:55")
    assert frame.loc[2, "consent_ip"] == "203.0.113.24"


def test_forced_provider(mailchecker):
    path = mailchecker.make_csv("ac.csv", "Email,Status\na@example.com,Unconfirmed\n")
    (doc,) = read(mailchecker, path, provider="activecampaign")
    assert str(doc.provider_reason) == "forced in config"
    assert frame_of(doc).loc[2, "status"] == "pending"


def test_merge_tags_and_template(mailchecker):
    tags = mailcheck_activecampaign.mailcheck_merge_tags()
    assert tags["unsubscribe"] == ["%UNSUBSCRIBELINK%"]
    assert "%SENDER-INFO-SINGLELINE%" in tags["postal_address"]
    mailchecker.register(mailcheck_activecampaign, "activecampaign")
    shutil.copy(FIXTURES / "newsletter-activecampaign.html", mailchecker.path / "news.html")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_french_catalogue_translates_every_text():
    check_translations(mailcheck_activecampaign, "fr", name="activecampaign")
