"""What could not be checked, in each output format (src/mailcheck/reporters/): the
json-report object, SARIF notifications, JUnit skipped cases, GitHub notices."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

FINDING_KEYS = {
    "code",
    "name",
    "severity",
    "message",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "part",
    "fix",
    "reference",
    "fingerprint",
}

#: Systeme.io-like export as Excel re-saves it: no date the reader knows, no status (and
#: a file name that says no status either: ``inscrits.csv`` would mean "all subscribed").
UNDATED = "Email;Prénom;Tags\r\nlea.moreau@exemple.fr;Léa;atelier-2026\r\n"


def test_json_report_object(mailchecker, newsletter_no_unsub):
    mailchecker.make_file("atelier-contacts.csv", UNDATED, encoding="cp1252")
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    run = mailchecker.run(".", "--today", "2026-11-22", "--output-format", "json-report")
    report = json.loads(run.output)
    assert set(report) == {"findings", "coverage", "summary"}
    assert report["findings"] and all(set(f) == FINDING_KEYS for f in report["findings"])
    by_path = {record["path"]: record for record in report["coverage"]}
    assert set(by_path) == {"atelier-contacts.csv", "promo.html"}
    assert by_path["promo.html"]["not_checked"] == []
    listed = by_path["atelier-contacts.csv"]
    assert {"MC201", "MC203", "MC211"} <= {item["code"] for item in listed["not_checked"]}
    for item in listed["not_checked"]:
        assert set(item) == {"code", "name", "family", "reason", "fix"} and item["reason"]
    summary = report["summary"]
    assert summary["files_linted"] == 2 and summary["files_not_fully_checked"] == 1
    assert summary["problems"] == len(report["findings"])
    assert summary["checks_not_run"] == len(listed["not_checked"])


def test_json_report_of_nothing_found_is_valid(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    report = json.loads(mailchecker.run(".", "--output-format", "json-report").output)
    assert report["findings"] == [] and len(report["coverage"]) == 1
    assert report["summary"]["problems"] == 0 and report["summary"]["checks_not_run"] == 0


def test_junit_suite_for_a_file_with_only_skipped_checks(mailchecker):
    mailchecker.make_file("atelier-contacts.csv", UNDATED, encoding="cp1252")
    output = mailchecker.run(
        ".", "--today", "2026-11-22", "--select", "MC203", "--output-format", "junit"
    ).output
    root = ET.fromstring(output.split("\n", 1)[1])
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "atelier-contacts.csv"
    # MC203's own "cannot evaluate retention" finding (info, below --fail-on: no
    # failure, #18) is reported in its system-out; its coverage is skipped
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("2", "0", "1")
    reported, skipped = suite.findall("testcase")
    assert "MC203 [info]" in reported.find("system-out").text
    assert skipped.get("name") == "mailcheck.MC203"
    assert skipped.find("skipped").get("message").startswith("retention (MC203) not checked:")
    assert root.get("tests") == "2" and root.get("failures") == "0"


def test_github_notice_escapes_the_path(mailchecker):
    mailchecker.make_file("atelier,2026.csv", UNDATED, encoding="cp1252")
    output = mailchecker.run(
        ".", "--today", "2026-11-22", "--select", "MC203", "--output-format", "github"
    ).output
    (notice,) = [line for line in output.splitlines() if "title=mailcheck%3A not checked" in line]
    assert notice.startswith("::notice file=atelier%2C2026.csv,title=mailcheck%3A not checked::")
    assert "retention (MC203): no opt-in, activity" in notice


def test_sarif_notification_level_follows_the_rule(mailchecker):
    # MC211 (double opt-in) only ever reports info: its gap is a note.
    mailchecker.make_file("atelier-contacts.csv", UNDATED, encoding="cp1252")
    log = json.loads(
        mailchecker.run(
            ".", "--select", "MC211,MC203", "--today", "2026-11-22", "--output-format", "sarif"
        ).output
    )
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    levels = {n["associatedRule"]["id"]: n["level"] for n in notes}
    assert levels == {"MC211": "note", "MC203": "warning"}
    for note in notes:
        assert note["message"]["text"] and note["locations"][0]["physicalLocation"]


def test_quiet_concise_prints_findings_only(mailchecker):
    # --quiet prints findings and nothing else (as ruff's): the coverage lines go too.
    mailchecker.make_file("atelier-contacts.csv", UNDATED, encoding="cp1252")
    args = (".", "--select", "MC201", "--output-format", "concise")
    assert mailchecker.run(*args, "--quiet").output == ""
    loud = mailchecker.run(*args).output.splitlines()
    assert loud[0].startswith("atelier-contacts.csv: not checked: unsubscribes across files")
    assert loud[-1] == "No problems found in 1 file; 1 check could not run on 1 file."


def test_json_report_names_what_was_left_out(mailchecker, newsletter_ok):
    # The human summary says "1 file skipped (see warnings)": scripts get the name and why.
    mailchecker.make_html("news.html", newsletter_ok)
    mailchecker.make_file("A-LIRE.txt", "Exports du mois.\nNe pas modifier à la main.\n")
    mailchecker.make_file("notes.py", "print('hello')\n")
    summary = json.loads(mailchecker.run(".", "--output-format", "json-report").output)["summary"]
    assert [entry.split(" (")[0] for entry in summary["files_skipped"]] == ["A-LIRE.txt"]
    assert "does not read like an e-mail" in summary["files_skipped"][0]
    assert summary["files_ignored"] >= 1
