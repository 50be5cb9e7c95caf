"""SARIF fit for GitHub code scanning (src/mailcheck/reporters/sarif.py): validated against
the official SARIF 2.1.0 schema (vendored, see schemas/sarif-schema-2.1.0.NOTICE.md) and
GitHub's documented limits; partialFingerprints, rule descriptions, repository-relative
URIs, unreadable files, contact rows grouped per rule and file."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema  # the test extra: the official schema is checked, never skipped
import pytest

from mailcheck.engine import LintResult
from mailcheck.findings import Finding, Severity
from mailcheck.registry import RuleRegistry
from mailcheck.reporters import sarif
from mailcheck.reporters.base import ReportSettings

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())
TODAY = ("--today", "2026-11-22")
FINGERPRINT = "mailcheckFingerprint/v1"

#: GitHub code scanning's documented limits (SARIF support for code scanning).
GITHUB_LIMITS = {"results": 25_000, "rules": 1_000, "related": 1_000, "locations": 10}
GITHUB_GZIP_BYTES = 10 * 1024 * 1024


def validate(log: dict) -> None:
    """Valid against the official schema, and within GitHub's limits and requirements."""
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        assert len(run["results"]) <= GITHUB_LIMITS["results"]
        assert len(driver["rules"]) <= GITHUB_LIMITS["rules"]
        for rule in driver["rules"]:
            for key in ("shortDescription", "fullDescription", "help"):
                assert rule[key]["text"].strip(), (rule["id"], key)
            assert len(rule["shortDescription"]["text"]) <= sarif.SHORT_MAX
            assert len(rule["fullDescription"]["text"]) <= 1024
            assert "\n" not in rule["shortDescription"]["text"]
            if "helpUri" in rule:
                assert rule["helpUri"].startswith(("https://", "http://"))
        for result in run["results"]:
            assert result["message"]["text"].strip()
            assert 1 <= len(result["locations"]) <= GITHUB_LIMITS["locations"]
            assert len(result.get("relatedLocations", [])) <= GITHUB_LIMITS["related"]
            assert result["partialFingerprints"][FINGERPRINT]
            location = result["locations"][0]["physicalLocation"]
            assert location["region"]["startLine"] >= 1
            artifact = location["artifactLocation"]
            if artifact.get("uriBaseId") == sarif.SRCROOT:
                assert not artifact["uri"].startswith(("/", "file:"))
                assert sarif.SRCROOT in run["originalUriBaseIds"]


def uri_of(result: dict) -> str:
    return result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def reporter(**extra) -> tuple[sarif.SarifReporter, io.StringIO]:
    stream = io.StringIO()
    settings = ReportSettings(registry=RuleRegistry({}), version="0", extra=extra)
    report = sarif.SarifReporter(stream, settings)
    report.start()
    return report, stream


def row(code: str, line: int, path: str = "list.csv") -> Finding:
    finding = Finding(code, "odd-rule", Severity.WARNING, f"row {line} is odd", path, line=line)
    finding.row_level = True
    finding.fingerprint = f"contact-{line}"
    return finding


# -- the official schema, on the fixtures and on a large list -------------------------------


def test_the_fixtures_sarif_is_valid_and_within_github_limits(tmp_path):
    """The whole fixtures folder, through the installed command (provider plugins
    included) from the repository root: valid against the schema, every URI relative to
    the repository root, the contact rows grouped."""
    target = tmp_path / "fixtures.sarif"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mailcheck.cli",
            "lint",
            "fixtures",
            *TODAY,
            "--output-format",
            "sarif",
            "-o",
            str(target),
        ],
        cwd=REPO,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr.decode()
    log = json.loads(target.read_text(encoding="utf-8"))
    validate(log)
    run = log["runs"][0]
    assert run["originalUriBaseIds"][sarif.SRCROOT]["uri"] == REPO.as_uri() + "/"
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris and all(uri.startswith("fixtures/") for uri in uris)
    grouped = [r for r in run["results"] if "relatedLocations" in r]
    assert grouped, "contact rows are grouped per rule and file"
    # One result per rule and file for the grouped rows.
    keys = [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in grouped
    ]
    assert len(keys) == len(set(keys))


def _generate(rows: int, target: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "generate_contacts", REPO / "benchmarks" / "generate_contacts.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(rows, target)


def test_a_50k_row_list_gives_a_small_valid_sarif(mailchecker):
    """50,000 synthetic contacts with ~2% seeded per problem: thousands of row findings,
    a handful of results (one per rule), far within 25,000 results and 10 MB gzip."""
    _generate(50_000, mailchecker.path / "contacts-50k.csv")
    json_run = mailchecker.run("contacts-50k.csv", *TODAY)
    row_findings = len(json_run.findings)
    assert row_findings > 2_000
    run = mailchecker.run("contacts-50k.csv", *TODAY, "--output-format", "sarif")
    assert run.exit_code == 1, run.stderr
    log = json.loads(run.output)
    validate(log)
    results = log["runs"][0]["results"]
    assert len(results) < 50
    # Every finding is accounted for: plain results count one, grouped ones their rows.
    assert sum(r["properties"].get("rows", 1) for r in results) == row_findings
    size = len(run.output.encode("utf-8"))
    assert size < 5 * 1024 * 1024
    assert len(gzip.compress(run.output.encode("utf-8"))) < GITHUB_GZIP_BYTES


# -- GitHub's fields -------------------------------------------------------------------------


def test_partial_fingerprints_are_the_keyed_content_hash_and_survive_moved_rows(mailchecker):
    header = "email,status,created_at\n"
    mailchecker.make_csv("liste.csv", header + "info@acme-0.fr,subscribed,2026-01-02\n")
    first = json.loads(
        mailchecker.run("liste.csv", "--select", "MC215", "--output-format", "sarif").output
    )
    (result,) = first["runs"][0]["results"]
    assert (
        result["partialFingerprints"][FINGERPRINT] == result["properties"]["mailcheckFingerprint"]
    )
    json_finding = mailchecker.run("liste.csv", "--select", "MC215").findings[0]
    assert result["partialFingerprints"][FINGERPRINT] == json_finding["fingerprint"]
    # The same contact two rows lower: the same identity for GitHub.
    mailchecker.make_csv(
        "liste.csv",
        header + "a@acme.fr,subscribed,2026-01-02\nb@acme.fr,subscribed,2026-01-02\n"
        "info@acme-0.fr,subscribed,2026-01-02\n",
    )
    moved = json.loads(
        mailchecker.run("liste.csv", "--select", "MC215", "--output-format", "sarif").output
    )
    (again,) = moved["runs"][0]["results"]
    assert again["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert again["partialFingerprints"] == result["partialFingerprints"]


def test_rule_descriptions_short_full_and_help(linted_sarif):
    (rule,) = [r for r in linted_sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "MC101"]
    short = rule["shortDescription"]["text"]
    # MC101's first sentence is 300+ characters: cut at a clause, one line, "…".
    assert len(short) <= sarif.SHORT_MAX and "\n" not in short and short.endswith("…")
    assert short.startswith("Checks that a marketing e-mail (HTML template")
    full = " ".join(rule["fullDescription"]["text"].split())
    assert full.startswith(short[:-1])
    assert "## Why it matters" in rule["help"]["markdown"]
    assert rule["help"]["text"] == rule["help"]["markdown"]
    # No documentation URL declared: no guessed link (mailcheck rule CODE is no URI).
    assert "helpUri" not in rule


def test_short_description_keeps_a_short_summary_and_cuts_a_long_one():
    assert sarif.short_description("Reports a marketing `.eml` without a header.") == (
        "Reports a marketing `.eml` without a header."
    )
    long = "Finds links a reader cannot see: " + ", ".join(f"trick number {n}" for n in range(30))
    cut = sarif.short_description(long)
    assert len(cut) <= sarif.SHORT_MAX and cut.endswith("…")
    assert long.startswith(cut[:-1])
    assert not cut[:-1].endswith((",", " "))
    word = sarif.short_description("x" * 300)
    assert len(word) <= sarif.SHORT_MAX and word.endswith("…")


def test_help_uri_from_the_rule_or_its_distribution(monkeypatch):
    class Documented:
        help_uri = "https://example.org/rules/xyz001"

    assert sarif.help_uri("XYZ001", Documented) == "https://example.org/rules/xyz001"

    class Plain:
        __module__ = "mailcheck_fakeprovider.rules"

    monkeypatch.setitem(sarif._DOC_URLS, "mailcheck_fakeprovider", "https://docs.example.org/")
    assert sarif.help_uri("FAK101", Plain) == "https://docs.example.org/rules.md#fak101"
    monkeypatch.setitem(sarif._DOC_URLS, "mailcheck_fakeprovider", None)
    assert sarif.help_uri("FAK101", Plain) is None


@pytest.fixture
def linted_sarif(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    log = json.loads(mailchecker.run(".", "--output-format", "sarif").output)
    validate(log)
    return log


# -- URIs relative to the repository root ----------------------------------------------------


def test_uris_are_relative_to_the_git_top_level(mailchecker, newsletter_no_unsub, monkeypatch):
    (mailchecker.path / ".git").mkdir()
    sub = mailchecker.path / "campagnes" / "novembre"
    sub.mkdir(parents=True)
    (sub / "promo.html").write_text(newsletter_no_unsub, encoding="utf-8")
    monkeypatch.chdir(sub)
    log = json.loads(mailchecker.run("promo.html", "--output-format", "sarif").output)
    validate(log)
    run = log["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "campagnes/novembre/promo.html", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": mailchecker.path.as_uri() + "/"}}


def test_without_git_the_config_folder_is_the_root(mailchecker, newsletter_no_unsub, monkeypatch):
    mailchecker.make_config('profile = "eu-fr"\n')
    sub = mailchecker.path / "templates"
    sub.mkdir()
    (sub / "promo.html").write_text(newsletter_no_unsub, encoding="utf-8")
    monkeypatch.chdir(sub)
    log = json.loads(mailchecker.run("promo.html", "--output-format", "sarif").output)
    run = log["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "templates/promo.html"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == mailchecker.path.as_uri() + "/"


def test_a_file_outside_the_root_keeps_an_absolute_uri(tmp_path):
    root = tmp_path / "repo"
    location = sarif.artifact_location(str(tmp_path / "ailleurs" / "liste été.csv"), root)
    assert location == {"uri": (tmp_path / "ailleurs").as_uri() + "/liste%20%C3%A9t%C3%A9.csv"}
    assert sarif.artifact_location(str(root / "a b.csv"), root) == {
        "uri": "a%20b.csv",
        "uriBaseId": "%SRCROOT%",
    }


# -- files that could not be read ------------------------------------------------------------


def test_an_unreadable_file_is_an_error_notification_and_not_a_success(mailchecker):
    (mailchecker.path / "broken.zip").write_bytes(b"PK\x03\x04garbage")
    mailchecker.make_csv("liste.csv", "email,status\nlea@exemple.fr,subscribed\n")
    run = mailchecker.run(".", *TODAY, "--output-format", "sarif")
    log = json.loads(run.output)
    validate(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    errors = [n for n in invocation["toolExecutionNotifications"] if n["level"] == "error"]
    (error,) = errors
    assert error["associatedRule"] == {"id": "MC900"}
    assert error["descriptor"] == {"id": "file-unreadable"}
    assert error["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.zip"
    assert "cannot read" in error["message"]["text"]
    descriptors = {d["id"] for d in log["runs"][0]["tool"]["driver"]["notifications"]}
    assert "file-unreadable" in descriptors


def test_nothing_linted_is_not_a_successful_execution(mailchecker):
    (mailchecker.path / "broken.zip").write_bytes(b"PK\x03\x04garbage")
    run = mailchecker.run("broken.zip", "--output-format", "sarif")
    assert run.exit_code == 2
    log = json.loads(run.output)
    validate(log)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_a_clean_run_is_successful(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    log = json.loads(mailchecker.run(".", "--output-format", "sarif").output)
    validate(log)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True
    assert log["runs"][0]["results"] == []


# -- contact rows grouped per rule and file, and the limits ----------------------------------


def test_rows_of_one_rule_in_one_file_are_one_result():
    report, stream = reporter()
    report.add([row("XYZ201", line) for line in range(2, 1_502)])
    report.add([row("XYZ201", 7, path="autre.csv")])
    report.finish(LintResult())
    log = json.loads(stream.getvalue())
    validate(log)
    grouped, single = log["runs"][0]["results"]
    assert grouped["message"]["text"].startswith(
        "1,500 rows flagged; the first: row 2 is odd (lines 2, 3, 4, 5, 6, ...)"
    )
    assert grouped["properties"]["rows"] == 1_500
    assert grouped["properties"]["linesTruncated"] is True
    assert len(grouped["relatedLocations"]) == 1_000
    assert grouped["properties"]["lines"][:3] == [2, 3, 4]
    assert grouped["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    # A single flagged row stays a plain result with its own fingerprint.
    assert "relatedLocations" not in single
    assert single["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert single["partialFingerprints"][FINGERPRINT] != grouped["partialFingerprints"][FINGERPRINT]


def test_a_group_keeps_its_fingerprint_when_rows_change():
    def fingerprint(lines):
        report, stream = reporter()
        report.add([row("XYZ201", line) for line in lines])
        report.finish(LintResult())
        return json.loads(stream.getvalue())["runs"][0]["results"][0]["partialFingerprints"]

    assert fingerprint(range(2, 50)) == fingerprint(range(10, 90, 3))


def test_grouped_message_in_french(mailchecker):
    rows = "".join(f"info@acme-{n}.fr,subscribed,2026-01-02\n" for n in range(3))
    mailchecker.make_csv("liste.csv", "email,status,created_at\n" + rows)
    log = json.loads(
        mailchecker.run(
            "liste.csv", "--select", "MC215", "--lang", "fr", "--output-format", "sarif"
        ).output
    )
    (result,) = log["runs"][0]["results"]
    assert result["message"]["text"].startswith("3 lignes signalées ; la première : ")
    assert "(lignes 2, 3, 4)" in result["message"]["text"]


def test_results_beyond_githubs_limit_are_cut_and_said(monkeypatch):
    monkeypatch.setattr(sarif, "MAX_RESULTS", 5)
    report, stream = reporter()
    findings = [
        Finding("XYZ001", "odd", Severity.ERROR, f"odd {n}", f"t{n}.html") for n in range(6)
    ]
    findings += [
        Finding("XYZ002", "odder", Severity.WARNING, f"odder {n}", f"u{n}.html") for n in range(2)
    ]
    report.add(findings)
    report.finish(LintResult())
    log = json.loads(stream.getvalue())
    validate(log)
    run = log["runs"][0]
    assert len(run["results"]) == 5
    (notice,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notice["level"] == "warning"
    assert notice["descriptor"] == {"id": "results-left-out"}
    assert notice["message"]["text"].startswith("3 results left out (XYZ001: 1, XYZ002: 2)")
    assert notice["properties"] == {"resultsLeftOut": 3, "byRule": {"XYZ001": 1, "XYZ002": 2}}
    # The rule of a result left out entirely is not described.
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["XYZ001"]


def test_rules_beyond_githubs_limit_are_cut(monkeypatch):
    monkeypatch.setattr(sarif, "MAX_RULES", 2)
    report, stream = reporter()
    report.add([Finding(f"XYZ00{n}", "r", Severity.ERROR, "m", "t.html") for n in range(4)])
    report.finish(LintResult())
    run = json.loads(stream.getvalue())["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["XYZ000", "XYZ001"]
    assert (
        run["invocations"][0]["toolExecutionNotifications"][0]["properties"]["resultsLeftOut"] == 2
    )


def test_the_vendored_schema_rejects_what_github_would():
    """The check has teeth: a line 0 and an unknown level are refused by the schema."""
    report, stream = reporter()
    report.add([Finding("XYZ001", "odd", Severity.ERROR, "odd", "t.html")])
    report.finish(LintResult())
    log = json.loads(stream.getvalue())
    validate(log)
    result = log["runs"][0]["results"][0]
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(AssertionError, match="minimum"):
        validate(log)
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 1
    result["level"] = "critical"
    with pytest.raises(AssertionError, match="critical"):
        validate(log)
