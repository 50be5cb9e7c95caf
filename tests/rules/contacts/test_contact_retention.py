"""MC203 retention-exceeded."""

from __future__ import annotations

import pytest

HEADER = [
    "email",
    "status",
    "consent_date",
    "last_open",
    "last_click",
    "last_purchase",
    "legal_basis",
]


def test_old_activity_reported_on_its_line(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        header=HEADER,
        rows=[
            ["a@example.com", "subscribed", "2025-01-10", "", "", "", "consent"],  # 2 recent
            [
                "b@example.com",
                "subscribed",
                "2016-03-01",
                "2026-10-01",
                "",
                "",
                "consent",
            ],  # 3 opens don't count
            [
                "c@example.com",
                "subscribed",
                "2016-03-01",
                "",
                "2025-06-01",
                "",
                "consent",
            ],  # 4 click counts
            ["d@example.com", "subscribed", "2023-06-01", "", "", "", "consent"],  # 5 >3y: warning
            [
                "e@example.com",
                "subscribed",
                "2025-05-01",
                "",
                "",
                "2021-01-01",
                "customer",
            ],  # 6 customer
            ["f@example.com", "unsubscribed", "2016-03-01", "", "", "", "consent"],  # 7 not sent
        ],
    )
    run = mailchecker.run("liste.csv", "--select", "MC203", "--today", "2026-11-22")
    assert run.lines("MC203") == [3, 5, 6]
    severities = {f["line"]: f["severity"] for f in run.findings}
    assert severities == {3: "error", 5: "warning", 6: "error"}


def test_retention_days_option_and_undated_file(mailchecker):
    mailchecker.make_csv(
        "liste.csv", header=["email", "consent_date"], rows=[["a@example.com", "2025-01-10"]]
    )
    mailchecker.make_config("[rules.MC203]\nretention-days = 365\n")
    assert mailchecker.run("liste.csv", "--select", "MC203", "--today", "2026-11-22").lines(
        "MC203"
    ) == [2]
    mailchecker.make_csv("nodates.csv", header=["email"], rows=[["a@example.com"]])
    run = mailchecker.run("nodates.csv", "--select", "MC203", "--today", "2026-11-22")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(1, "info")]


def test_file_without_an_email_column_is_not_judged(mailchecker):
    # Mailchimp's SMS-only member file: phone numbers, no e-mail address at all
    mailchecker.make_csv(
        "sms_only.csv",
        header=["Phone Number", "created_at"],
        rows=[["+33600000001", "2016-03-01"], ["+33600000002", ""]],
    )
    run = mailchecker.run("sms_only.csv", "--select", "MC203", "--today", "2026-11-22")
    run.assert_clean()
    # the same rows with an e-mail column: the old one and the undated list are judged
    mailchecker.make_csv(
        "with_email.csv",
        header=["email", "Phone Number", "created_at"],
        rows=[["a@example.com", "+33600000001", "2016-03-01"]],
    )
    run = mailchecker.run("with_email.csv", "--select", "MC203", "--today", "2026-11-22")
    assert run.lines("MC203") == [2]
    mailchecker.make_csv("sms_nodates.csv", header=["Phone Number"], rows=[["+33600000001"]])
    run = mailchecker.run("sms_nodates.csv", "--select", "MC203", "--today", "2026-11-22")
    run.assert_clean()


def test_undated_file_of_unsubscribed_contacts_is_not_reported(mailchecker):
    # a CRM export of opt-outs: nobody in it is mailed, so there is no retention to judge
    rows = [["a@example.fr", "désinscrit"], ["b@example.fr", "unsubscribed"]]
    mailchecker.make_csv(
        "optouts-crm.csv", delimiter=";", header=["Adresse e-mail", "Statut"], rows=rows
    )
    run = mailchecker.run("optouts-crm.csv", "--select", "MC203", "--today", "2026-11-22")
    run.assert_clean()
    # one subscribed row: the undated list is reported again
    mailchecker.make_csv(
        "mixed-crm.csv",
        delimiter=";",
        header=["Adresse e-mail", "Statut"],
        rows=[*rows, ["c@example.fr", "abonné"]],
    )
    run = mailchecker.run("mixed-crm.csv", "--select", "MC203", "--today", "2026-11-22")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(1, "info")]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("retention-days", -5, "rules.MC203.retention-days: expected a number of days >= 1"),
        ("retention-days", 0, "rules.MC203.retention-days: expected a number of days >= 1"),
        ("grace-days", -1, "rules.MC203.grace-days: expected a number of days >= 0"),
    ],
)
def test_retention_period_below_one_day_is_a_config_error(mailchecker, option, value, message):
    # "retention -5 days" flagged every contact of the list as stale.
    mailchecker.make_csv(
        "liste.csv", header=["email", "consent_date"], rows=[["a@example.com", "2026-11-01"]]
    )
    mailchecker.make_config(f"[rules.MC203]\n{option} = {value}\n")
    run = mailchecker.run("liste.csv", "--today", "2026-11-22")
    assert run.exit_code == 2
    assert message in run.stderr and "Traceback" not in run.stderr


def test_retention_of_one_day_and_no_grace_are_accepted(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        header=["email", "consent_date"],
        rows=[["a@example.com", "2026-11-22"], ["b@example.com", "2026-11-01"]],
    )
    mailchecker.make_config("[rules.MC203]\nretention-days = 1\ngrace-days = 0\n")
    run = mailchecker.run("liste.csv", "--select", "MC203", "--today", "2026-11-22")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(3, "error")]
