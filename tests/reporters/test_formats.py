"""Every output format (src/mailcheck/reporters/): shape, contract and PII masking."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
import xml.etree.ElementTree as ET

import pytest

from mailcheck import Kind, Rule, Severity, hookimpl
from mailcheck.reporters import mailcheck_reporters

ALL_FORMATS = ["concise", "full", "json", "json-lines", "sarif", "github", "junit"]
ADDRESS = "jeanne.martin@example.com"


@pytest.fixture
def linted(mailchecker, newsletter_no_unsub, newsletter_ok):
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    mailchecker.make_html("news.html", newsletter_ok)
    # An address in a finding's message: the unreadable-file reason quotes the member name.
    return mailchecker


def run_format(mailchecker, fmt: str, *extra: str):
    return mailchecker.run(".", "--output-format", fmt, *extra)


def test_concise_line_shape_and_summary(linted):
    run = run_format(linted, "concise")
    lines = run.output.splitlines()
    assert lines[0].startswith("promo.html:1:1: MC101 [error] ")
    assert "no unsubscribe link" in lines[0] and "marketing message" in lines[0]
    # How many files had a problem, and how many were linted.
    assert lines[-1] == "Found 1 problem (1 error) in 1 of 2 files."
    assert run.exit_code == 1


def test_full_shows_masked_excerpt_fix_and_law(mailchecker):
    mailchecker.make_html(
        "promo.html",
        "<html><body><p>Contact: jeanne.martin@example.com</p>\n"
        "<!-- mailcheck: ignore MC999 --><p>x</p></body></html>\n",
    )
    run = run_format(mailchecker, "full")
    assert "    | <html><body><p>Contact: j***@example.com</p>" in run.output
    assert "    fix: " in run.output and "    law: ePrivacy" in run.output
    assert ADDRESS not in run.output


def test_json_contract(linted):
    run = run_format(linted, "json")
    items = json.loads(run.output)
    assert len(items) == 1
    keys = {
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
    assert set(items[0]) == keys
    assert items[0]["code"] == "MC101" and items[0]["name"] == "missing-unsubscribe"
    assert items[0]["severity"] == "error" and items[0]["line"] == 1 and items[0]["column"] == 1


def test_json_lines_one_object_per_line(linted):
    run = run_format(linted, "json-lines")
    objects = [json.loads(line) for line in run.output.splitlines()]
    assert [o["code"] for o in objects] == ["MC101"]


def test_sarif_has_what_github_requires(linted):
    log = json.loads(run_format(linted, "sarif").output)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "mailcheck"
    assert isinstance(run["results"], list) and len(run["results"]) == 1
    for result in run["results"]:
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "promo.html"
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["MC101"]
    for rule in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            assert rule[key]["text"].strip()
        assert len(rule["shortDescription"]["text"]) <= 1024
        assert "ePrivacy" in rule["help"]["text"]


def test_sarif_uri_of_a_path_with_spaces_and_accents_is_percent_encoded(mailchecker):
    mailchecker.make_csv(
        "Mes exports été/Liste clients.csv",
        header=["email", "consent_date"],
        rows=[["vieux@example.com", "2015-01-01"]],
    )
    run = mailchecker.run(".", "--select", "MC203", "--today", "2026-11-22")
    assert run.findings[0]["path"] == "Mes exports été/Liste clients.csv"  # json: as is
    log = json.loads(
        run_format(mailchecker, "sarif", "--select", "MC203", "--today", "2026-11-22").output
    )
    (result,) = log["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "Mes%20exports%20%C3%A9t%C3%A9/Liste%20clients.csv"


def test_sarif_absolute_path_is_a_file_uri():
    from mailcheck.reporters.sarif import artifact_uri_of

    assert artifact_uri_of("/tmp/exports/liste.csv") == "file:///tmp/exports/liste.csv"
    assert artifact_uri_of("exports/liste-2026.csv") == "exports/liste-2026.csv"


def test_sarif_results_array_present_when_clean(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    log = json.loads(run_format(mailchecker, "sarif").output)
    assert log["runs"][0]["results"] == []


def test_github_annotations_escaped(mailchecker):
    mailchecker.make_file("odd,name%.html", b"\x00binary")
    mailchecker.make_html("promo.html", "<html><body><p>Promo</p></body></html>")
    run = run_format(mailchecker, "github")
    lines = run.output.splitlines()
    assert "::group::promo.html" in lines
    error = next(line for line in lines if line.startswith("::error file=odd"))
    assert error.startswith(
        "::error file=odd%2Cname%25.html,line=1,col=1,title=mailcheck (MC900)::"
    )
    prefix = "::error file=promo.html,line=1,col=1,title=mailcheck (MC101)::MC101 "
    assert any(line.startswith(prefix) for line in lines)


def test_junit_is_valid_xml(linted):
    root = ET.fromstring(run_format(linted, "junit").output.split("\n", 1)[1])
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["mailcheck.MC101"]
    assert cases[0].find("failure").get("type") == "error"


def test_statistics(linted):
    run = linted.run(".", "--statistics")
    assert run.output.splitlines()[0].split() == ["1", "MC101", "missing-unsubscribe", "error"]


def test_statistics_shows_the_severities_reported_not_the_rule_default(mailchecker):
    # MC203 is a warning by default and an error past the grace period: the table said
    # "warning" next to a summary counting errors.
    mailchecker.make_csv(
        "liste.csv",
        header=["email", "consent_date"],
        rows=[["a@example.com", "2023-03-01"], ["b@example.com", "2015-01-01"]],
    )
    run = mailchecker.run("liste.csv", "--select", "MC203", "--today", "2026-11-22")
    assert sorted(f["severity"] for f in run.findings) == ["error", "warning"]
    stats = mailchecker.run(
        "liste.csv", "--select", "MC203", "--today", "2026-11-22", "--statistics"
    )
    lines = stats.output.splitlines()
    assert lines[0].split() == ["2", "MC203", "retention-exceeded", "error/warning"]
    assert lines[1] == "Found 2 problems (1 error, 1 warning) in 1 file."


def test_statistics_follows_a_severity_override(linted):
    run = linted.run(".", "--statistics", "--severity", "MC101=info")
    assert run.output.splitlines()[0].split() == ["1", "MC101", "missing-unsubscribe", "info"]


def test_summary_counts_the_unreadable_file(mailchecker):
    # Was "Found 1 problem (1 error) in 0 files." for one empty export.
    mailchecker.make_file("vide.csv", b"")
    run = mailchecker.run("vide.csv", "--output-format", "concise")
    summary = run.output.splitlines()[-1]
    assert summary == "Found 1 problem (1 error) in 1 file (1 could not be read)."
    mailchecker.make_csv("liste.csv", "email\njulie.morel@example.com\n")
    run = mailchecker.run(".", "--output-format", "concise", "--select", "MC215")
    summary = run.output.splitlines()[-1]
    assert summary == "Found 1 problem (1 error) in 1 of 2 files (1 could not be read)."
    run = mailchecker.run("liste.csv", "--output-format", "concise", "--select", "MC215")
    assert run.output.splitlines()[-1] == "All checks passed (1 file linted)."


def test_unknown_format_exits_2(linted):
    run = run_format(linted, "xml")
    assert run.exit_code == 2 and "unknown output format 'xml'" in run.stderr


class _AddressRule(Rule):
    """## What it does
    Quotes an address, as contact-list rules do.

    ## Why it matters
    Tests masking (GDPR art. 5(1)(c), data minimisation).

    ## Example
    -

    ## Fix
    -
    """

    code, name, severity, kinds = (
        "PII101",
        "quotes-address",
        Severity.ERROR,
        frozenset({Kind.TEMPLATE}),
    )

    def check(self, doc, ctx):
        yield self.finding(
            doc, f"duplicate of {ADDRESS}", fix=f"remove {ADDRESS}", fingerprint=ADDRESS
        )


def test_sarif_masks_addresses_quoted_in_rule_docs(mailchecker):
    mailchecker.make_csv(
        "liste.csv", header=["Email", "Source"], rows=[["contact@boulangerie-exemple.fr", "salon"]]
    )
    output = run_format(mailchecker, "sarif", "--select", "MC215").output
    assert "MC215" in output and "c***@boulangerie-exemple.fr" in output
    assert "contact@boulangerie-exemple.fr" not in output


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_no_address_unmasked_in_any_format(mailchecker, fmt):
    mailchecker.register(
        types.SimpleNamespace(mailcheck_rules=hookimpl(lambda: [_AddressRule])), "pii"
    )
    mailchecker.make_html("promo.html", f"<html><body><p>{ADDRESS}</p></body></html>\n")
    run = run_format(mailchecker, fmt)
    assert "j***@example.com" in run.output
    assert ADDRESS not in run.output
    shown = run_format(mailchecker, fmt, "--show-pii")
    assert ADDRESS in shown.output


def test_output_file(linted):
    run = linted.run(".", "--output-format", "json", "-o", "out/report.json")
    assert run.exit_code == 2  # the folder does not exist: one line, no traceback
    assert run.stderr.strip().splitlines() == [
        "mailcheck: error: out/report.json: cannot write the report: No such file or directory"
    ]
    linted.make_file("out/.keep", "")
    run = linted.run(".", "--output-format", "json", "-o", "out/report.json")
    assert json.loads((linted.path / "out" / "report.json").read_text())[0]["code"] == "MC101"


def test_human_formats_fold_long_runs_of_contact_rows(mailchecker):
    roles = ["info", "contact", "sales", "support", "admin", "marketing", "presse", "compta"]
    mailchecker.make_csv(
        "liste.csv",
        header=["Email", "Date d'inscription", "Source"],
        rows=[[f"{role}@acme-{n}.fr", "02/03/2025", "formulaire"] for n, role in enumerate(roles)],
    )
    run = mailchecker.run("liste.csv", "--select", "MC215", "--output-format", "concise")
    lines = run.output.splitlines()
    assert [line.split(":")[1] for line in lines[:3]] == ["2", "3", "4"]
    # Each shown row leads with the contact's masked address.
    assert lines[0].startswith("liste.csv:2:1: MC215 [info] i***@acme-0.fr — ")
    # The rest counted, and how to see them all.
    assert lines[3] == (
        "liste.csv: MC215 [info] +5 more rows: lines 5, 6, 7, 8, 9 (all of them: "
        "--rows-out DIR, or the HTML report: --output-format html -o rapport.html)"
    )
    assert lines[4] == "Found 8 problems (8 info) in 1 file."
    shown = mailchecker.run(
        "liste.csv", "--select", "MC215", "--output-format", "concise", "--show-pii"
    )
    assert shown.output.startswith("liste.csv:2:1: MC215 [info] info@acme-0.fr — ")
    # Machine formats keep every row.
    assert len(mailchecker.run("liste.csv", "--select", "MC215").findings) == 8


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_formats_write_each_batch_as_it_arrives(fmt):
    """json and sarif stream: a batch's results are on the stream before the next batch
    comes, so a list with millions of rows is never held in memory; the document is
    complete and valid once the run finishes."""
    import io

    from mailcheck.engine import LintResult
    from mailcheck.findings import Finding
    from mailcheck.registry import RuleRegistry
    from mailcheck.reporters import mailcheck_reporters
    from mailcheck.reporters.base import ReportSettings

    reporter_class = {r.name: r for r in mailcheck_reporters()}[fmt]
    stream = io.StringIO()
    reporter = reporter_class(stream, ReportSettings(registry=RuleRegistry({}), version="0"))
    reporter.start()
    first = Finding("XYZ001", "odd-rule", Severity.WARNING, "row one", "list.csv", line=2)
    reporter.add([first])
    assert "row one" in stream.getvalue()
    second = Finding("XYZ002", "other-rule", Severity.ERROR, "row two", "list.csv", line=9)
    reporter.add([second])
    reporter.finish(LintResult())
    document = json.loads(stream.getvalue())
    if fmt == "sarif":
        run = document["runs"][0]
        assert [r["ruleIndex"] for r in run["results"]] == [0, 1]
        assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["XYZ001", "XYZ002"]
    else:
        assert [f["line"] for f in document] == [2, 9]


def test_junit_groups_spooled_cases_under_their_file():
    """JUnit spools test cases as they come (one file after another, then the
    cross-file findings, which may belong to any file) and writes each file's suite with
    its counts at the end; non-ASCII text and quotes survive."""
    import io

    from mailcheck.engine import LintResult
    from mailcheck.findings import Finding
    from mailcheck.registry import RuleRegistry
    from mailcheck.reporters.base import ReportSettings
    from mailcheck.reporters.junit import JunitReporter

    def finding(path: str, line: int, message: str) -> Finding:
        return Finding("MC201", "unsubscribe-not-global", Severity.ERROR, message, path, line)

    stream = io.StringIO()
    reporter = JunitReporter(stream, ReportSettings(registry=RuleRegistry({}), version="0"))
    reporter.start()
    reporter.add([finding("b.csv", 2, 'désinscrit « partout » "ici"'), finding("b.csv", 5, "x")])
    reporter.add([finding("a.csv", 3, "Ich möchte keine")])
    reporter.add([finding("b.csv", 9, "cross-file"), finding("a.csv", 7, "cross-file")])
    result = LintResult()
    result.counts[Severity.ERROR] = 5
    reporter.finish(result)
    root = ET.fromstring(stream.getvalue().split("\n", 1)[1])
    assert root.get("tests") == "5"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["a.csv", "b.csv"]
    # junit-10.xsd has no line attribute on a test case: the place starts the text (#18).
    lines = [c.find("failure").text.split(":")[1] for c in suites["b.csv"].findall("testcase")]
    assert lines == ["2", "5", "9"]
    assert suites["a.csv"].get("failures") == "2"
    failure = suites["b.csv"].find("testcase/failure")
    assert failure.get("message") == 'b.csv:2:1: MC201 désinscrit « partout » "ici"'


# -- hostile text: terminal escapes, XML-forbidden bytes, undecodable names, encodings --

ESC_NAME = "liste\x1b[2J\u202eclients.csv"
HOSTILE_EML = (
    'From: "\x1b[2J\u202eService Client" <offres@boutique-exemple.fr>\n'
    "To: client@example.com\n"
    "Subject: Soldes d'hiver\n"
    "Date: Mon, 1 Jan 2024 10:00:00 +0000\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/html; charset=utf-8\n\n"
    "<html><body><p>Promo -30 % sur tout</p></body></html>\n"
)
HOSTILE_FORM = (
    "<html><body><form action='/inscription' method='post'>\n"
    "<label for='e'>Votre e-mail\x1b[31m</label> <input type='email' name='email' id='e'>\n"
    "<label><input type='checkbox' name='offres' checked> J'accepte\x1b]8;;https://evil.example"
    "\x07 les offres\x1b[2J</label>\n<button>S'inscrire</button></form></body></html>\n"
)
HUMAN_FORMATS = ["concise", "full", "github", "statistics"]


@pytest.fixture
def hostile(mailchecker):
    mailchecker.make_file(
        ESC_NAME, "Adresse e-mail;Prénom;Date d'inscription\nvieux@example.com;Luc;12/03/2015\n"
    )
    mailchecker.make_eml("promo.eml", HOSTILE_EML)
    mailchecker.make_html("inscription.html", HOSTILE_FORM)
    return mailchecker


def _run(checker, fmt: str):
    args = ["--statistics"] if fmt == "statistics" else ["--output-format", fmt]
    return checker.run(".", "--today", "2026-11-22", *args)


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_control_characters_are_shown_escaped_in_human_formats(hostile, fmt):
    run = _run(hostile, fmt)
    assert run.exit_code == 1, run.stderr
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in run.output and raw not in run.stderr
    if fmt != "statistics":
        assert "liste\\x1b[2J\\u202eclients.csv" in run.output  # the file name
        assert "\\x1b[2J\\u202eService Client" in run.output  # the .eml sender name
        assert "J'accepte\\x1b]8;;https://evil.example\\x07 les offres" in run.output


def test_full_excerpts_are_escaped(hostile):
    output = _run(hostile, "full").output
    assert '    | From: "\\x1b[2J\\u202eService Client"' in output
    assert "\x1b" not in output


def test_junit_stays_valid_xml_with_control_bytes(hostile):
    output = _run(hostile, "junit").output
    root = ET.fromstring(output.split("\n", 1)[1])
    names = [suite.get("name") for suite in root.findall("testsuite")]
    assert "liste\\x1b[2J\\u202eclients.csv" in names
    assert "\x1b" not in output and "\u202e" not in output


@pytest.mark.parametrize("fmt", ["json", "json-lines", "sarif"])
def test_json_formats_keep_the_exact_text_but_never_raw_bidi(hostile, fmt):
    output = _run(hostile, fmt).output
    assert "\x1b" not in output and "\u202e" not in output  # escaped, as JSON allows
    if fmt == "sarif":
        texts = [r["message"]["text"] for r in json.loads(output)["runs"][0]["results"]]
    else:
        items = json.loads(output) if fmt == "json" else map(json.loads, output.splitlines())
        texts = [item["message"] for item in items] + [item["path"] for item in items]
    assert any("\x1b[2J\u202eService Client" in text for text in texts)


def test_xml_text_escapes_what_xml_forbids():
    from mailcheck.reporters.junit import xml_text

    assert xml_text("a\x00b\x1bc\x0bd\ud8ff\ufffe") == "a\\x00b\\x1bc\\x0bd\\ud8ff\\ufffe"
    assert xml_text("tab\tand\nnewline é") == "tab\tand\nnewline é"


def test_printable_escapes_controls_and_bidi_but_keeps_text():
    from mailcheck.terminal import printable

    text = "Zoë\x1b[2J\x9b\x7f\u202e\u2066\r\t\x00\nfin"
    assert printable(text) == "Zoë\\x1b[2J\\x9b\\x7f\\u202e\\u2066\\r\\t\\x00\\nfin"
    assert printable(text, multiline=True).endswith("\\x00\nfin")
    plain = "Prénom; Date d'inscription — 例え"
    assert printable(plain) is plain


UNDECODABLE = "liste-\\xff.csv"


@pytest.fixture
def undecodable(mailchecker):
    name = os.fsencode(mailchecker.path) + b"/liste-\xff.csv"
    try:
        with open(name, "wb") as handle:
            handle.write(b"email;date_inscription\nvieux@example.com;2015-03-12\n")
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 file names")
    return mailchecker


@pytest.mark.parametrize("fmt", [*ALL_FORMATS, "statistics"])
def test_every_format_reports_a_file_name_that_is_not_utf8(undecodable, fmt):
    run = _run(undecodable, fmt)
    assert run.exit_code == 1, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    if fmt == "junit":
        ET.fromstring(run.output.split("\n", 1)[1])
    if fmt in ("json", "json-lines"):
        items = (
            json.loads(run.output) if fmt == "json" else map(json.loads, run.output.splitlines())
        )
        assert {item["path"] for item in items} == {UNDECODABLE}
    elif fmt == "sarif":
        json.loads(run.output)
        assert "liste-%5Cxff.csv" in run.output
    elif fmt != "statistics":
        assert UNDECODABLE in run.output


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_inspect_reports_a_file_name_that_is_not_utf8(undecodable, fmt):
    from click.testing import CliRunner

    from mailcheck import cli

    result = CliRunner().invoke(cli.main, ["inspect", ".", "--output-format", fmt])
    assert result.exit_code == 0 and result.exception is None, result.output
    if fmt == "json":
        assert [item["path"] for item in json.loads(result.stdout)] == [UNDECODABLE]
    else:
        assert result.stdout.startswith(UNDECODABLE + "\n  kind: contacts")


@pytest.mark.parametrize("fmt", [*ALL_FORMATS, "statistics"])
def test_reporters_never_fail_on_a_stream_that_cannot_encode(fmt):
    import io

    from mailcheck.engine import LintResult
    from mailcheck.findings import Finding
    from mailcheck.registry import RuleRegistry
    from mailcheck.reporters.base import ReportSettings
    from mailcheck.reporters.concise import StatisticsReporter

    reporters = {r.name: r for r in mailcheck_reporters()} | {"statistics": StatisticsReporter}
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")  # PYTHONIOENCODING=ascii
    reporter = reporters[fmt](stream, ReportSettings(registry=RuleRegistry({}), version="0"))
    reporter.start()
    message = "Prénom manquant pour « Zoë » (ligne 3) \udcff"
    reporter.add([Finding("MC205", "x", Severity.ERROR, message, "été/liste.csv", line=3)])
    result = LintResult()
    result.counts[Severity.ERROR] = 1
    reporter.finish(result)
    stream.flush()
    assert raw.getvalue().isascii() and raw.getvalue()


def test_the_cli_writes_reports_on_an_ascii_terminal(hostile, tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"}
    done = subprocess.run(
        [sys.executable, "-m", "mailcheck.cli", "lint", ".", "--output-format", "full"],
        cwd=hostile.path,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr and b"internal error" not in done.stderr
    assert b"Pr\\xe9nom" in done.stdout or b"\\xe9" in done.stdout
    assert b"\x1b" not in done.stdout
