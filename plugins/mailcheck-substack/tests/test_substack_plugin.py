"""Substack plugin: email_list.<publication>.csv and the dashboard export."""

from __future__ import annotations

import zipfile
from pathlib import Path

import mailcheck_substack
import pandas as pd
import pytest

from mailcheck.testing import canonical_frame as frame_of
from mailcheck.testing import check_contact_format, check_plugin, check_translations

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "substack"
EMAIL_LIST = FIXTURES / "email_list.atelierlumiere.csv"
DASHBOARD = FIXTURES / "subscribers-dashboard-export.csv"
OLDER_HEADER = [
    "email",
    "active_subscription",
    "expiry",
    "email_disabled",
    "prefer_digests",
    "created_at",
]


def read(mailchecker, path: Path, **config_keys) -> list:
    mailchecker.register(mailcheck_substack, "substack")
    return mailchecker.read_contacts(path, **config_keys)


def detect(name: str, header: list[str]):
    return mailcheck_substack.mailcheck_detect_provider(path=Path(name), header=header)


def test_plugin_loads_cleanly():
    check_plugin(mailcheck_substack, "substack")


@pytest.mark.parametrize("sample", [EMAIL_LIST, DASHBOARD], ids=lambda p: p.name)
def test_fixtures_map_into_a_valid_canonical_frame(sample):
    check_contact_format(mailcheck_substack, sample, "substack", name="substack")


def test_file_name_and_header_score_highest():
    assert detect("email_list.mypub.csv", OLDER_HEADER).score == 90
    assert detect("export.csv", OLDER_HEADER).score == 60


def test_dashboard_header():
    header = DASHBOARD.read_text("utf-8").splitlines()[0].split(",")
    match = detect("subscribers.csv", header)
    assert (match.provider, match.score) == ("substack", 70)


@pytest.mark.parametrize(
    "header", [["email", "name", "created_at"], ["Email", "Subscription date", "Status"]]
)
def test_generic_headers_are_not_claimed(header):
    assert detect("email_list.x.csv", header) is None


def test_email_disabled_is_the_status(mailchecker):
    (doc,) = read(mailchecker, EMAIL_LIST)
    frame = frame_of(doc)
    assert list(frame.index) == [2, 3, 4, 5, 6, 7]
    assert frame.loc[2, "status"] == "subscribed"
    assert frame.loc[4, "status"] == "unsubscribed"
    assert bool(frame.loc[7, "paid"]) is True and bool(frame.loc[2, "paid"]) is False
    assert frame.loc[6, "created_at"] == pd.Timestamp("2019-02-04 18:30:55")


def test_dashboard_subscription_date_is_the_consent_date(mailchecker):
    (doc,) = read(mailchecker, DASHBOARD)
    frame = frame_of(doc)
    assert frame.loc[4, "consent_at"] == pd.Timestamp("2018-09-10 09:00:00")
    assert doc.columns["email"] == "Email"


def test_email_list_inside_the_export_zip(mailchecker):
    with zipfile.ZipFile(mailchecker.path / "export.zip", "w") as archive:
        archive.writestr("posts.csv", "post_id,title\n1,Hello\n")
        archive.writestr("email_list.mypub.csv", EMAIL_LIST.read_text("utf-8"))
    docs = read(mailchecker, mailchecker.path / "export.zip")
    by_name = {doc.display_path.rsplit("!", 1)[-1]: doc for doc in docs}
    assert by_name["email_list.mypub.csv"].provider == "substack"
    assert by_name["posts.csv"].provider is None


def test_forced_provider(mailchecker):
    path = mailchecker.make_csv("readers.csv", "email,email_disabled\na@example.com,true\n")
    (doc,) = read(mailchecker, path, provider="substack")
    assert str(doc.provider_reason) == "forced in config"
    assert frame_of(doc).loc[2, "status"] == "unsubscribed"


def test_no_merge_tags_substack_adds_the_footer_itself():
    assert mailcheck_substack.mailcheck_merge_tags() == {}


def test_paid_subscription_counts_until_its_expiry(mailchecker):
    # a reader since 2016 who pays until 2027 is a customer, not a stale prospect; a free
    # reader since 2016 and a subscription that expired in 2021 are stale
    mailchecker.register(mailcheck_substack, "substack")
    mailchecker.make_csv(
        "email_list.mypub.csv",
        "email,active_subscription,expiry,plan,email_disabled,created_at,first_payment_at\n"
        "paid@example.fr,true,2027-08-08T10:00:00.000Z,yearly,false,"
        "2016-08-08T10:00:00.000Z,2025-08-08T10:00:00.000Z\n"
        "free@example.fr,false,,,false,2016-08-08T10:00:00.000Z,\n"
        "lapsed@example.fr,false,2021-03-01T10:00:00.000Z,yearly,false,"
        "2016-08-08T10:00:00.000Z,2020-03-01T10:00:00.000Z\n",
    )
    run = mailchecker.run("email_list.mypub.csv", "--select", "MC203", "--today", "2026-11-22")
    assert run.lines("MC203") == [3, 4]
    assert "2021-03-01" in run.findings[-1]["message"]
    (doc,) = mailchecker.read_contacts(mailchecker.path / "email_list.mypub.csv")
    assert frame_of(doc).loc[2, "last_purchase_at"] == pd.Timestamp("2027-08-08 10:00:00")


def test_french_catalogue_translates_every_text():
    check_translations(mailcheck_substack, "fr", name="substack")
