"""What could not be checked (src/mailcheck/coverage.py, Rule.cannot_check, the
contact rules' answers in src/mailcheck/rules/contacts/gaps.py): said per file in every
format, counted in the summary, never "All checks passed" over it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mailcheck
from mailcheck.findings import Coverage, NotChecked

#: A French Excel re-save (Windows-1252, ``;``) of a small shop's contact list: an
#: address, names, a town, a status -- and no date of any kind.
UNDATED_FR = (
    "Adresse e-mail;Prénom;Nom;Ville;Statut\r\n"
    "marie.lefevre@exemple.fr;Marie;Lefèvre;Nantes;abonné\r\n"
    "hugo.benoit@exemple.fr;Hugo;Benoît;Angers;abonné\r\n"
    "chloe.garnier@exemple.fr;Chloé;Garnier;Tours;désabonné\r\n"
)

#: The same list as a complete export: opt-in date and IP, confirmation, source, legal
#: basis, last click (French headers a Brevo or Sarbacane export re-saved by Excel has).
COMPLETE_FR = (
    "Adresse e-mail;Prénom;Statut;Date d'inscription;IP d'inscription;Date de confirmation;"
    "Source;Base légale;Dernier clic\r\n"
    "marie.lefevre@exemple.fr;Marie;abonné;12/03/2026 10:14;203.0.113.7;12/03/2026 10:20;"
    "formulaire site;consentement;02/11/2026\r\n"
    "hugo.benoit@exemple.fr;Hugo;abonné;05/09/2025 18:02;198.51.100.23;05/09/2025 18:05;"
    "formulaire site;consentement;15/10/2026\r\n"
)

TODAY = ("--today", "2026-11-22")


def _undated(mailchecker, name: str = "clients.csv") -> Path:
    return mailchecker.make_file(name, UNDATED_FR, encoding="cp1252")


def _report(mailchecker, *args: str) -> dict:
    run = mailchecker.run(*args, *TODAY, "--output-format", "json-report")
    return json.loads(run.output)


def test_a_list_without_any_date_says_retention_was_not_checked(mailchecker):
    _undated(mailchecker)
    run = mailchecker.run("clients.csv", *TODAY, "--output-format", "concise")
    lines = [line for line in run.output.splitlines() if "not checked" in line]
    retention = [line for line in lines if "retention (MC203)" in line]
    assert retention == [
        "clients.csv: not checked: retention (MC203): no opt-in, activity, purchase or "
        'creation date column found; map one with [columns] consent_at = "<header>" '
        "(or confirmed_at, last_activity_at, last_purchase_at, created_at)"
    ]
    # one line per reason and file, never one per row
    assert len(lines) == len(set(lines)) < 6
    checks = len(_report(mailchecker, "clients.csv")["coverage"][0]["not_checked"])
    summary = run.output.splitlines()[-1]
    assert summary.endswith(f"; {checks} checks could not run on 1 file.")
    assert "All checks passed" not in run.output


def test_the_json_report_keeps_one_record_per_rule(mailchecker):
    _undated(mailchecker)
    report = _report(mailchecker, "clients.csv")
    (record,) = report["coverage"]
    assert record["type"] == "coverage" and record["path"] == "clients.csv"
    assert record["kind"] == "contacts"
    missing = {item["code"]: item for item in record["not_checked"]}
    assert missing["MC203"]["family"] == "retention"
    assert missing["MC203"]["name"] == "retention-exceeded"
    assert "no opt-in, activity, purchase or creation date column" in missing["MC203"]["reason"]
    assert missing["MC203"]["fix"].startswith("map one with [columns] consent_at")
    assert "MC203" not in record["ran"] and "MC215" in record["ran"]  # addresses ran
    assert report["summary"]["checks_not_run"] == len(record["not_checked"])
    assert report["summary"]["files_not_fully_checked"] == 1
    # findings are the json format's, unchanged
    plain = mailchecker.run("clients.csv", *TODAY)
    assert [f["code"] for f in report["findings"]] == [f["code"] for f in plain.findings]


def test_json_and_json_lines_stay_arrays_of_findings(mailchecker):
    # Scripts read every element as a finding: coverage has its own format.
    _undated(mailchecker)
    items = json.loads(mailchecker.run("clients.csv", *TODAY, "--output-format", "json").output)
    assert items and all("code" in item and "type" not in item for item in items)
    lines = mailchecker.run("clients.csv", *TODAY, "--output-format", "json-lines").output
    assert all("code" in json.loads(line) for line in lines.splitlines())


def test_sarif_says_it_in_tool_execution_notifications(mailchecker):
    _undated(mailchecker)
    run = mailchecker.run("clients.csv", *TODAY, "--output-format", "sarif")
    log = json.loads(run.output)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    notes = {n["associatedRule"]["id"]: n for n in invocation["toolExecutionNotifications"]}
    retention = notes["MC203"]
    assert retention["level"] == "warning"  # MC203 reports warnings and errors
    assert retention["descriptor"] == {"id": "not-checked"}
    assert retention["message"]["text"].startswith("retention (MC203) not checked: no opt-in")
    uri = retention["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "clients.csv"
    descriptors = log["runs"][0]["tool"]["driver"]["notifications"]
    assert [d["id"] for d in descriptors] == ["not-checked"]
    assert descriptors[0]["shortDescription"]["text"]


def test_a_complete_export_has_nothing_not_checked(mailchecker):
    mailchecker.make_file("abonnes.csv", COMPLETE_FR, encoding="cp1252")
    run = mailchecker.run("abonnes.csv", *TODAY, "--output-format", "concise")
    assert "not checked" not in run.output
    assert "could not run" not in run.output
    (record,) = _report(mailchecker, "abonnes.csv")["coverage"]
    assert record["not_checked"] == [] and "MC203" in record["ran"]
    sarif = json.loads(mailchecker.run("abonnes.csv", *TODAY, "--output-format", "sarif").output)
    assert "toolExecutionNotifications" not in sarif["runs"][0]["invocations"][0]


def test_a_rule_the_user_turned_off_is_not_a_gap(mailchecker):
    _undated(mailchecker)
    run = mailchecker.run("clients.csv", *TODAY, "--ignore", "MC203", "--output-format", "concise")
    assert "MC203" not in run.output
    (record,) = _report(mailchecker, "clients.csv", "--ignore", "MC203")["coverage"]
    assert "MC203" in record["not_selected"]
    assert "MC203" not in {item["code"] for item in record["not_checked"]}
    assert "MC203" not in record["ran"]
    # per-file-ignores too
    mailchecker.make_config('[per-file-ignores]\n"clients.csv" = ["MC203"]\n')
    (record,) = _report(mailchecker, "clients.csv")["coverage"]
    assert "MC203" in record["not_selected"] and "MC203" not in str(record["not_checked"])


def test_a_list_with_no_address_column_says_so_once_for_all_its_rules(mailchecker):
    mailchecker.make_file(
        "sms.csv", "Téléphone;Prénom;Statut\r\n+33612345678;Marie;abonné\r\n", encoding="cp1252"
    )
    run = mailchecker.run("sms.csv", *TODAY, "--output-format", "concise")
    address = [line for line in run.output.splitlines() if "no e-mail address column" in line]
    assert len(address) == 1 and "retention" in address[0] and "addresses" in address[0]


def test_templates_get_a_record_and_no_invented_gap(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    (record,) = _report(mailchecker, "news.html")["coverage"]
    assert record["kind"] == "template" and "MC101" in record["ran"]
    assert record["not_checked"] == []
    run = mailchecker.run("news.html", "--output-format", "concise")
    assert run.output.splitlines() == ["All checks passed (1 file linted)."]


def test_paths_and_reasons_are_masked(mailchecker):
    _undated(mailchecker, "marie.lefevre@exemple.fr.csv")
    run = mailchecker.run(".", *TODAY, "--output-format", "concise")
    assert "marie.lefevre@exemple.fr" not in run.output
    assert "m***@exemple.fr.csv: not checked: retention (MC203)" in run.output
    (record,) = _report(mailchecker, ".")["coverage"]
    assert record["path"] == "m***@exemple.fr.csv"


def test_the_python_api_returns_coverage_with_the_findings(mailchecker):
    _undated(mailchecker)
    findings = mailcheck.lint([str(mailchecker.path / "clients.csv")], {"today": "2026-11-22"})
    assert isinstance(findings, list) and all(isinstance(f, mailcheck.Finding) for f in findings)
    (coverage,) = findings.coverage
    assert isinstance(coverage, Coverage) and coverage.kind == "contacts"
    codes = [item.code for item in coverage.not_checked]
    assert "MC203" in codes and all(isinstance(i, NotChecked) for i in coverage.not_checked)


@pytest.mark.parametrize("fmt", ["github", "junit", "statistics"])
def test_ci_formats_and_statistics_say_it_too(mailchecker, fmt):
    _undated(mailchecker)
    args = ["--statistics"] if fmt == "statistics" else ["--output-format", fmt]
    output = mailchecker.run("clients.csv", *TODAY, *args).output
    if fmt == "github":
        notices = [line for line in output.splitlines() if line.startswith("::notice ")]
        assert any(
            line.startswith("::notice file=clients.csv,title=mailcheck%3A not checked::")
            and "retention (MC203)" in line
            for line in notices
        )
    elif fmt == "junit":
        import xml.etree.ElementTree as ET

        root = ET.fromstring(output.split("\n", 1)[1])
        (suite,) = root.findall("testsuite")
        skipped = [c for c in suite.findall("testcase") if c.find("skipped") is not None]
        assert "mailcheck.MC203" in [c.get("name") for c in skipped]
        assert int(suite.get("skipped")) == len(skipped)
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
    else:
        assert any(
            line.split()[:4] == ["1", "file", "not", "checked:"] and "retention (MC203)" in line
            for line in output.splitlines()
        )
        assert "could not run on 1 file" in output.splitlines()[-1]


def test_an_opt_out_flag_is_a_status_for_unsubscribes_across_files(mailchecker):
    # Zoho CRM: no status column, but "Email Opt Out" says who unsubscribed; MC201 reads it.
    mailchecker.make_csv(
        "Contacts_2026_12_01.csv",
        "Record Id,First Name,Email,Email Opt Out,Created Time\n"
        "zcrm_1,Victor,victor.hale@example.co.uk,false,2025-05-05 10:00:00\n"
        "zcrm_2,Nina,nina.bates@example.co.uk,true,2025-05-05 10:00:00\n",
    )
    run = mailchecker.run(".", "--today", "2026-12-05", "--output-format", "json-report")
    (record,) = json.loads(run.output)["coverage"]
    assert "MC201" not in [gap["code"] for gap in record["not_checked"]]
    assert "MC211" in [gap["code"] for gap in record["not_checked"]]  # no "pending" in a flag
