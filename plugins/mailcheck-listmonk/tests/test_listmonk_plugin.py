"""listmonk plugin: the export header its own code writes, Go timestamps, template tags."""

from __future__ import annotations

import shutil
from pathlib import Path

import mailcheck_listmonk
import pandas as pd
import pytest

from mailcheck.testing import canonical_frame as frame_of
from mailcheck.testing import check_contact_format, check_plugin, check_translations

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "listmonk"
EXPORT = FIXTURES / "subscribers.csv"
HEADER = ["uuid", "email", "name", "attributes", "status", "created_at", "updated_at"]


def read(mailchecker, path: Path, **config_keys) -> list:
    mailchecker.register(mailcheck_listmonk, "listmonk")
    return mailchecker.read_contacts(path, **config_keys)


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_listmonk, "listmonk")


def test_fixture_maps_into_a_valid_canonical_frame():
    check_contact_format(mailcheck_listmonk, EXPORT, "listmonk", name="listmonk")


def test_exact_header_is_a_strong_claim():
    match = mailcheck_listmonk.mailcheck_detect_provider(header=HEADER)
    assert (match.provider, match.score) == ("listmonk", 90)


def test_reordered_or_extended_header_is_a_weaker_claim():
    header = ["email", "uuid", "status", "attributes", "lists"]
    assert mailcheck_listmonk.mailcheck_detect_provider(header=header).score == 60


@pytest.mark.parametrize(
    "header", [["email", "name", "status", "created_at"], ["uuid", "email", "name"]]
)
def test_generic_headers_are_not_claimed(header):
    assert mailcheck_listmonk.mailcheck_detect_provider(header=header) is None


def test_statuses_and_go_timestamps(mailchecker):
    (doc,) = read(mailchecker, EXPORT)
    frame = frame_of(doc)
    assert list(frame.index) == [2, 3, 4, 5, 6, 7]
    assert list(frame["status"]) == [
        "subscribed",
        "subscribed",
        "blocklisted",
        "subscribed",
        "subscribed",
        "unknown",
    ]
    assert frame.loc[2, "created_at"] == pd.Timestamp("2025-03-12 09:14:02")
    # "+0200 CEST": the clock time as written, the offset is not applied
    assert frame.loc[4, "created_at"] == pd.Timestamp("2023-04-02 12:00:41")
    assert frame.loc[6, "created_at"] == pd.Timestamp("2019-02-04 18:30:55")
    assert not any(column.startswith("_") for column in frame.columns)


def test_parse_go_time_without_fraction():
    parsed = mailcheck_listmonk.parse_go_time(pd.Series(["2024-10-01 08:00:00 +0000 UTC", ""]))
    assert parsed.iloc[0] == pd.Timestamp("2024-10-01 08:00:00") and pd.isna(parsed.iloc[1])


def test_forced_provider(mailchecker):
    path = mailchecker.make_csv("subs.csv", "email,status\na@example.com,blocklisted\n")
    (doc,) = read(mailchecker, path, provider="listmonk")
    assert str(doc.provider_reason) == "forced in config"
    assert frame_of(doc).loc[2, "status"] == "blocklisted"


def test_merge_tags_by_role():
    tags = mailcheck_listmonk.mailcheck_merge_tags()
    assert "{{ UnsubscribeURL }}" in tags["unsubscribe"]
    assert "{{ ManageURL }}" in tags["preferences"]
    assert "{{ MessageURL }}" in tags["web_version"]


def test_fixture_template_has_no_missing_unsubscribe(mailchecker):
    mailchecker.register(mailcheck_listmonk, "listmonk")
    shutil.copy(FIXTURES / "newsletter-listmonk.html", mailchecker.path / "news.html")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_compact_tag_needs_the_plugin(mailchecker):
    mailchecker.make_html("news.html", '<p>News.</p>\n<p><a href="{{UnsubscribeURL}}">x</a></p>\n')
    mailchecker.register(mailcheck_listmonk, "listmonk")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_french_catalogue_translates_every_text():
    check_translations(mailcheck_listmonk, "fr", name="listmonk")
