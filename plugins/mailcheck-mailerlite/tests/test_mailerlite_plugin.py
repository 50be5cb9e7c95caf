"""MailerLite plugin: classic and new layouts, statuses, MLR101 single opt-in."""

from __future__ import annotations

import shutil
from pathlib import Path

import mailcheck_mailerlite
import pandas as pd
import pytest

from mailcheck.testing import canonical_frame as frame_of
from mailcheck.testing import check_contact_format, check_plugin, check_translations

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "mailerlite"
CLASSIC = FIXTURES / "subscribers-active.csv"
NEW = FIXTURES / "subscribers-export.csv"


def read(mailchecker, path: Path, **config_keys) -> list:
    mailchecker.register(mailcheck_mailerlite, "mailerlite")
    return mailchecker.read_contacts(path, **config_keys)


def detect(header: list[str]):
    return mailcheck_mailerlite.mailcheck_detect_provider(header=header)


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_mailerlite, "mailerlite")


@pytest.mark.parametrize("sample", [CLASSIC, NEW], ids=lambda p: p.name)
def test_fixtures_map_into_a_valid_canonical_frame(sample):
    check_contact_format(mailcheck_mailerlite, sample, "mailerlite", name="mailerlite")


@pytest.mark.parametrize(
    ("header", "score"),
    [
        (["email", "status", "subscribed_at", "opted_in_at", "optin_ip"], 60),
        (["email", "type", "signup_timestamp", "confirmation_timestamp"], 60),
        (["Subscriber", "Name", "Last name", "Subscribed", "Groups"], 50),
    ],
)
def test_detection_of_each_layout(header, score):
    match = detect(header)
    assert (match.provider, match.score) == ("mailerlite", score)


@pytest.mark.parametrize(
    "header",
    [
        ["email", "status", "subscribed_at"],  # too generic to claim
        ["Subscriber", "Plan"],
        ["email", "signup_ip"],
    ],
)
def test_generic_headers_are_not_claimed(header):
    assert detect(header) is None


def test_classic_subscriber_column_is_the_address(mailchecker):
    (doc,) = read(mailchecker, CLASSIC)
    frame = frame_of(doc)
    assert doc.columns["email"] == "Subscriber"
    assert frame.loc[2, "email"] == "jeanne.martin@example.com"
    assert frame.loc[5, "consent_at"] == pd.Timestamp("2019-02-04 18:30:55")
    assert frame.loc[2, "groups"] == "Newsletter;Ateliers"


def test_new_layout_statuses_and_dates(mailchecker):
    (doc,) = read(mailchecker, NEW)
    frame = frame_of(doc)
    assert list(frame["status"]) == [
        "subscribed",
        "subscribed",
        "unsubscribed",
        "subscribed",
        "subscribed",
        "cleaned",
        "pending",
    ]
    assert frame.loc[2, "confirmed_at"] == pd.Timestamp("2025-03-12 09:15:40")
    assert frame.loc[4, "unsubscribed_at"] == pd.Timestamp("2025-01-10 08:45:12")
    assert frame.loc[2, "confirm_ip"] == "203.0.113.24"


def test_forced_provider(mailchecker):
    path = mailchecker.make_csv("subs.csv", "email,type\na@example.com,junk\n")
    (doc,) = read(mailchecker, path, providers={"subs.csv": "mailerlite"})
    assert str(doc.provider_reason) == "forced in config"
    assert frame_of(doc).loc[2, "status"] == "blocklisted"


def test_single_opt_in_reported_on_its_lines(mailchecker):
    mailchecker.register(mailcheck_mailerlite, "mailerlite")
    shutil.copy(NEW, mailchecker.path / NEW.name)
    run = mailchecker.run(NEW.name, "--select", "MLR")
    # line 3: import (same timestamps, no IP); line 5: single opt-in from a form
    assert run.lines("MLR101") == [3, 5]


def test_single_opt_in_needs_both_timestamps(mailchecker):
    mailchecker.register(mailcheck_mailerlite, "mailerlite")
    shutil.copy(CLASSIC, mailchecker.path / CLASSIC.name)
    mailchecker.run(CLASSIC.name, "--select", "MLR").assert_findings({"MLR101": 0})


def test_merge_tags_and_template(mailchecker):
    tags = mailcheck_mailerlite.mailcheck_merge_tags()
    assert "{$unsubscribe}" in tags["unsubscribe"]
    mailchecker.register(mailcheck_mailerlite, "mailerlite")
    shutil.copy(FIXTURES / "newsletter-mailerlite.html", mailchecker.path / "news.html")
    mailchecker.run("news.html", "--select", "MC101").assert_findings({"MC101": 0})


def test_mlr101_rows_out_gets_the_addresses(mailchecker):
    # --rows-out reads the address from data["address"], which row_findings fills
    mailchecker.register(mailcheck_mailerlite, "mailerlite")
    shutil.copy(NEW, mailchecker.path / "subscribers.csv")
    mailchecker.run("subscribers.csv", "--select", "MLR", "--rows-out", "rows")
    rows = mailchecker.read_rows_out("rows", "MLR101-single-opt-in.csv")
    assert [(row["line"], row["address"]) for row in rows] == [
        ("3", "paul.durand@example.org"),
        ("5", "info@example.org"),
    ]


def test_french_catalogue_translates_every_text():
    check_translations(mailcheck_mailerlite, "fr", name="mailerlite")
