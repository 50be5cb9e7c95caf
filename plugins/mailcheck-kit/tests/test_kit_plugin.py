"""Kit plugin: API-named layouts, subscriber states, template tags."""

from __future__ import annotations

import shutil
from pathlib import Path

import mailcheck_kit
import pandas as pd

from mailcheck.testing import canonical_frame as frame_of
from mailcheck.testing import check_contact_format, check_plugin, check_translations

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "kit"
EXPORT = FIXTURES / "subscribers.csv"


def read(mailchecker, path: Path, **config_keys) -> list:
    mailchecker.register(mailcheck_kit, "kit")
    return mailchecker.read_contacts(path, **config_keys)


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_kit, "kit")


def test_fixture_maps_into_a_valid_canonical_frame():
    check_contact_format(mailcheck_kit, EXPORT, "kit", name="kit")


def test_detection_needs_email_address_and_state():
    match = mailcheck_kit.mailcheck_detect_provider(header=["email_address", "state"])
    assert (match.provider, match.score) == ("kit", 30)
    assert mailcheck_kit.mailcheck_detect_provider(header=["email", "state"]) is None


def test_states_and_iso_dates(mailchecker):
    (doc,) = read(mailchecker, EXPORT)
    frame = frame_of(doc)
    assert doc.columns["email"] == "email_address"
    assert list(frame["status"]) == [
        "subscribed",
        "subscribed",
        "unsubscribed",
        "subscribed",
        "subscribed",
        "cleaned",
        "blocklisted",
    ]
    assert frame.loc[6, "created_at"] == pd.Timestamp("2019-02-04 18:30:55")


def test_forced_provider(mailchecker):
    path = mailchecker.make_csv("k.csv", "email,status\na@example.com,inactive\n")
    (doc,) = read(mailchecker, path, provider="kit")
    assert str(doc.provider_reason) == "forced in config"
    assert frame_of(doc).loc[2, "status"] == "unsubscribed"


def test_merge_tags_and_template(mailchecker):
    tags = mailcheck_kit.mailcheck_merge_tags()
    assert "{{ unsubscribe_url }}" in tags["unsubscribe"]
    assert "{{ subscriber_preferences_url }}" in tags["preferences"]
    mailchecker.register(mailcheck_kit, "kit")
    shutil.copy(FIXTURES / "newsletter-kit.html", mailchecker.path / "news.html")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_french_catalogue_translates_every_text():
    check_translations(mailcheck_kit, "fr", name="kit")
