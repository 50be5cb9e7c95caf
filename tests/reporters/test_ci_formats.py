"""CI formats of issue #18: JUnit against Jenkins' junit-10.xsd, GitHub annotations
grouped and capped, GitLab Code Quality (src/mailcheck/reporters/junit.py, github.py,
gitlab.py)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

xmlschema = pytest.importorskip("xmlschema")

SCHEMA = Path(__file__).parent / "schemas" / "junit-10.xsd"
ADDRESS = "jeanne.martin@example.com"


@pytest.fixture(scope="module")
def junit_schema():
    return xmlschema.XMLSchema(SCHEMA)


def stale_list(rows: int, start: int = 0) -> str:
    """A list whose every row is stale (MC203) and has no proof of consent."""
    lines = ["email,consent_date,source"]
    lines += [f"client{n}@example.com,2015-03-01,signup form" for n in range(start, start + rows)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def mixed(mailchecker, newsletter_no_unsub):
    """An error (MC101), row findings (MC203, 30 rows), an unreadable file (MC900), and
    an info finding (MC320's From no-reply with a Reply-To)."""
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    mailchecker.make_file("liste.csv", stale_list(30))
    mailchecker.make_file("broken.html", b"\x00\x01binary")
    mailchecker.make_eml(
        "recu.eml",
        "From: Shop <noreply@shop.example.com>\nReply-To: help@shop.example.com\n"
        "To: a@example.net\nSubject: Your receipt\nContent-Type: text/plain\n\n"
        "Order 123 shipped.\n",
    )
    return mailchecker


# -- JUnit -------------------------------------------------------------------------------


def junit(checker, *args: str) -> str:
    run = checker.run(".", "--today", "2026-11-22", "--output-format", "junit", *args)
    assert run.output.startswith("<?xml"), run.stderr
    return run.output


def test_junit_is_valid_against_jenkins_schema(mixed, junit_schema):
    report = junit(mixed)
    junit_schema.validate(report)  # raises on the first error
    root = ET.fromstring(report.split("\n", 1)[1])
    for suite in root.iter("testsuite"):
        assert {"tests", "failures", "errors", "skipped"} <= set(suite.attrib)
    for case in root.iter("testcase"):
        assert "file" not in case.attrib and "line" not in case.attrib
    # The place is in the failure's text and message instead.
    failure = next(c for c in root.iter("testcase") if c.get("name") == "mailcheck.MC101")
    assert failure.find("failure").text.startswith("promo.html:1:1: MC101 [error] ")
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "promo.html")
    assert suite.get("file") == "promo.html"


def test_junit_unreadable_file_is_an_error_not_a_failure(mixed):
    root = ET.fromstring(junit(mixed).split("\n", 1)[1])
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "broken.html")
    assert (suite.get("errors"), suite.get("failures")) == ("1", "0")
    assert suite.find("testcase/error").get("type") == "error"
    assert int(root.get("errors")) == 1


def test_junit_findings_below_fail_on_are_not_failures(mixed, junit_schema):
    root = ET.fromstring(junit(mixed).split("\n", 1)[1])
    receipt = next(s for s in root.iter("testsuite") if s.get("name") == "recu.eml")
    case = next(c for c in receipt.iter("testcase") if c.get("name") == "mailcheck.MC320")
    assert case.find("failure") is None and "MC320 [info]" in case.find("system-out").text
    failures = int(root.get("failures"))
    # --fail-on info: the same finding fails; the total failures grow.
    report = junit(mixed, "--fail-on", "info")
    junit_schema.validate(report)
    root = ET.fromstring(report.split("\n", 1)[1])
    receipt = next(s for s in root.iter("testsuite") if s.get("name") == "recu.eml")
    assert receipt.find("testcase/failure") is not None
    assert int(root.get("failures")) > failures
    # Every finding is a test case either way.
    assert len(list(root.iter("testcase"))) >= 30


def test_junit_clean_run_and_coverage_are_valid(mailchecker, newsletter_ok, junit_schema):
    mailchecker.make_html("news.html", newsletter_ok)
    junit_schema.validate(junit(mailchecker))
    # A list missing columns: skipped test cases, still valid.
    mailchecker.make_file("l.csv", "email\nx@example.com\n")
    report = junit(mailchecker)
    junit_schema.validate(report)
    assert "<skipped" in report


def test_junit_masks_addresses(mailchecker, junit_schema):
    mailchecker.make_eml(
        "p.eml",
        f"From: Shop <noreply@shop.example.com>\nTo: {ADDRESS}\nSubject: Promo\n"
        "Content-Type: text/plain\n\nBuy now.\n",
    )
    report = junit(mailchecker, "--fail-on", "info")
    junit_schema.validate(report)
    assert "noreply@" not in report and "n***@shop.example.com" in report


# -- GitHub ------------------------------------------------------------------------------


def commands(output: str, kind: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"::{kind} ")]


def test_github_groups_rows_per_rule_and_file(mixed):
    run = mixed.run(".", "--today", "2026-11-22", "--output-format", "github")
    stale = [c for c in commands(run.output, "error") if "(MC203)" in c]
    assert len(stale) == 1  # 30 rows, one annotation
    assert "30 rows: lines 2, 3, 4, 5, 6, ..." in stale[0]
    assert stale[0].startswith("::error file=liste.csv,line=2,col=1,title=mailcheck (MC203)::")
    # The log lists every annotation under its file's group, as plain lines.
    lines = run.output.splitlines()
    assert "::group::liste.csv" in lines
    assert any(line.startswith("MC203 [error] liste.csv:2:1: ") for line in lines)
    assert run.exit_code == 1


def test_github_at_most_ten_per_type_errors_first_and_says_how_many_more(mailchecker):
    # 14 files with MC101 (an error) each, and warnings and notices after them.
    page = "<html><body><p>Promo -50% today only</p></body></html>"
    for n in range(14):
        mailchecker.make_html(f"promo{n:02}.html", page)
    run = mailchecker.run(".", "--output-format", "github")
    errors = commands(run.output, "error")
    assert len(errors) == 10
    notices = commands(run.output, "notice")
    assert len(notices) <= 10
    more = notices[-1]
    assert more.startswith("::notice title=mailcheck%3A more findings::")
    assert "4 errors" in more and "GitHub shows 10 of each type per step" in more
    # Errors come before warnings and notices, whatever the file order.
    order = ["::error", "::warning", "::notice"]
    kinds = [
        line.split(" ", 1)[0] for line in run.output.splitlines() if line.split(" ", 1)[0] in order
    ]
    assert kinds == sorted(kinds, key=order.index)


def test_github_french(mixed):
    run = mixed.run(".", "--today", "2026-11-22", "--output-format", "github", "--lang", "fr")
    stale = [c for c in commands(run.output, "error") if "(MC203)" in c]
    assert "30 lignes : lignes 2, 3" in stale[0]


# -- GitLab Code Quality -----------------------------------------------------------------


def gitlab(checker, *args: str) -> list[dict]:
    run = checker.run(".", "--today", "2026-11-22", "--output-format", "gitlab", *args)
    return json.loads(run.output)


def test_gitlab_documented_fields(mixed):
    issues = gitlab(mixed)
    assert issues
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int)
    prints = [issue["fingerprint"] for issue in issues]
    assert len(set(prints)) == len(prints)  # GitLab merges issues of equal fingerprint
    by_code = {}
    for issue in issues:
        by_code.setdefault(issue["check_name"], []).append(issue)
    assert [i["severity"] for i in by_code["MC101"]] == ["critical"]
    assert len(by_code["MC203"]) == 1 and "30 rows" in by_code["MC203"][0]["description"]
    assert by_code["MC900"][0]["location"]["path"] == "broken.html"


def test_gitlab_fingerprints_stable_and_no_address(mixed):
    first, second = gitlab(mixed), gitlab(mixed)
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in second]
    text = json.dumps(first)
    assert "client1@" not in text and "noreply@" not in text


def test_gitlab_paths_relative_to_the_repository_root(
    mailchecker, newsletter_no_unsub, monkeypatch
):
    (mailchecker.path / ".git").mkdir()
    mailchecker.make_html("emails/promo.html", newsletter_no_unsub)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    monkeypatch.chdir(mailchecker.path / "emails")
    run = mailchecker.run(".", "--output-format", "gitlab")
    issues = json.loads(run.output)
    assert [i["location"]["path"] for i in issues] == ["emails/promo.html"]
    monkeypatch.setenv("CI_PROJECT_DIR", str(mailchecker.path / "emails"))
    issues = json.loads(mailchecker.run(".", "--output-format", "gitlab").output)
    assert [i["location"]["path"] for i in issues] == ["promo.html"]


def test_gitlab_clean_run_is_an_empty_array(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    assert gitlab(mailchecker) == []
