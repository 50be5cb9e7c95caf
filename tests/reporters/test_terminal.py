"""The human reports in both languages, and the terminal: colour on a TTY only, findings
grouped under their file (cross-file ones too), masked addresses leading row findings,
a summary that says how many files had problems, a progress bar never when piped."""

from __future__ import annotations

import io
import re
import sys

import pytest

from mailcheck.findings import Coverage, Finding, LintResult, NotChecked, Severity
from mailcheck.registry import RuleRegistry
from mailcheck.reporters.base import ReportSettings, summary_line
from mailcheck.reporters.concise import ConciseReporter, StatisticsReporter
from mailcheck.terminal import Progress, is_terminal, styled_console

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _settings(**changes) -> ReportSettings:
    return ReportSettings(registry=RuleRegistry({}), version="0", **changes)


def _row(path: str, line: int, address: str, message: str) -> Finding:
    return Finding(
        "MC203",
        "retention",
        Severity.ERROR,
        message,
        path,
        line=line,
        row_level=True,
        data={"address": address},
    )


def _report(stream, findings_by_batch, result=None, **settings) -> str:
    reporter = ConciseReporter(stream, _settings(**settings))
    reporter.start()
    result = result or LintResult(files_linted=2)
    for batch in findings_by_batch:
        result.record(batch)
        reporter.add(batch)
    reporter.finish(result)
    return stream.getvalue()


def test_a_cross_file_finding_is_shown_in_its_own_files_group():
    first = Finding("MC101", "missing-unsubscribe", Severity.ERROR, "no link", "a.html", line=3)
    second = Finding("MC110", "sender", Severity.WARNING, "no address", "b.html", line=1)
    # Found at the end of the run (a suppressed address still subscribed elsewhere).
    late = Finding("MC202", "suppressed", Severity.ERROR, "suppressed elsewhere", "a.html")
    output = _report(io.StringIO(), [[first], [second], [late]])
    assert [line.split(":")[0] + ":" + line.split(":")[1] for line in output.splitlines()[:3]] == [
        "a.html:1",
        "a.html:3",
        "b.html:1",
    ]


def test_row_findings_lead_with_the_masked_address_and_count_the_rest():
    rows = [_row("liste.csv", n, f"jean{n}@gmail.com", f"last click {n}") for n in range(2, 9)]
    output = _report(io.StringIO(), [rows], LintResult(files_linted=1))
    lines = output.splitlines()
    assert lines[0] == "liste.csv:2:1: MC203 [error] j***@gmail.com — last click 2"
    assert lines[3].startswith("liste.csv: MC203 [error] +4 more rows: lines 5, 6, 7, 8 (")
    assert "--rows-out DIR" in lines[3] and "--output-format html -o rapport.html" in lines[3]
    assert "jean2@gmail.com" not in output
    shown = _report(io.StringIO(), [rows[:1]], LintResult(files_linted=1), show_pii=True)
    assert shown.startswith("liste.csv:2:1: MC203 [error] jean2@gmail.com — last click 2")


def test_piped_output_is_plain_and_never_wrapped():
    long = "x" * 400
    finding = Finding("MC101", "missing-unsubscribe", Severity.ERROR, long, "a.html")
    output = _report(io.StringIO(), [[finding]])
    assert not ANSI.search(output)
    assert output.splitlines()[0] == f"a.html:1:1: MC101 [error] {long}"


def test_a_terminal_gets_colour_a_heading_per_file_and_wrapped_lines(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "60")
    message = "no unsubscribe link: readers cannot stop receiving your e-mails " * 3
    finding = Finding("MC101", "missing-unsubscribe", Severity.ERROR, message, "a.html")
    output = _report(Terminal(), [[finding]])
    assert ANSI.search(output)
    plain = ANSI.sub("", output)
    lines = plain.splitlines()
    assert lines[0] == "a.html"
    assert all(len(line) <= 60 for line in lines)
    assert "MC101" in lines[1] and "error" in lines[1]
    assert plain.rstrip().splitlines()[-1].startswith("Found 1 problem (1 error) in 1 of 2 files")


@pytest.mark.parametrize(("name", "value"), [("NO_COLOR", "1"), ("TERM", "dumb")])
def test_no_colour_when_asked_or_on_a_dumb_terminal(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    stream = Terminal()
    assert not is_terminal(stream) and styled_console(stream) is None
    finding = Finding("MC101", "missing-unsubscribe", Severity.ERROR, "no link", "a.html")
    assert _report(stream, [[finding]]).splitlines()[0] == "a.html:1:1: MC101 [error] no link"


def test_summary_says_how_many_files_had_problems_and_how_many_were_linted():
    result = LintResult(files_linted=149)
    result.counts.update({Severity.ERROR: 2, Severity.INFO: 1})
    assert summary_line(result, problem_files=12) == (
        "Found 3 problems (2 errors, 1 info) in 12 of 149 files."
    )
    assert summary_line(result, "fr", problem_files=12) == (
        "3 problèmes trouvés (2 erreurs, 1 info) dans 12 fichiers sur 149."
    )
    one = LintResult(files_linted=1)
    one.counts.update({Severity.WARNING: 1})
    assert summary_line(one, problem_files=1) == "Found 1 problem (1 warning) in 1 file."
    assert summary_line(one, "fr") == "1 problème trouvé (1 avertissement) dans 1 fichier."
    assert summary_line(LintResult(files_linted=3), "fr") == (
        "Tout est en règle (3 fichiers analysés)."
    )
    assert summary_line(LintResult(), "fr") == "Rien n'a été analysé : aucun fichier trouvé."


def test_the_french_report_has_no_english_of_its_own():
    coverage = Coverage(
        "liste.csv",
        "contacts",
        not_checked=(NotChecked("MC203", "retention", "retention", "no date column found"),),
    )
    result = LintResult(
        files_linted=1, not_linted=["notes.odt (unknown kind)"], coverage=[coverage]
    )
    rows = [_row("liste.csv", n, f"jean{n}@gmail.com", "x") for n in range(2, 9)]
    output = _report(io.StringIO(), [rows], result, language="fr")
    lines = output.splitlines()
    assert lines[0].startswith("liste.csv:2:1: MC203 [erreur] j***@gmail.com — ")
    assert lines[3].startswith("liste.csv: MC203 [erreur] +4 autres lignes : lignes 5, 6, 7, 8 (")
    assert "pour les voir toutes" in lines[3]
    assert lines[4].startswith("liste.csv : non vérifié : ")
    assert lines[5] == (
        "7 problèmes trouvés (7 erreurs) dans 1 fichier ; 1 vérification impossible sur "
        "1 fichier ; 1 fichier laissé de côté (voir les avertissements)."
    )


def test_statistics_in_french():
    stream = io.StringIO()
    reporter = StatisticsReporter(stream, _settings(language="fr"))
    reporter.start()
    reporter.add([_row("liste.csv", 2, "a@b.fr", "x")])
    result = LintResult(files_linted=1)
    result.counts.update({Severity.ERROR: 1})
    reporter.finish(result)
    lines = stream.getvalue().splitlines()
    assert lines[0].split() == ["1", "MC203", "erreur"]
    assert lines[-1] == "1 problème trouvé (1 erreur) dans 1 fichier."


def test_the_progress_bar_never_shows_when_stderr_is_not_a_terminal(mailchecker, capsys):
    # The CLI asks for it; CliRunner's stderr is no terminal: nothing but the report.
    mailchecker.make_csv("liste.csv", "email\ninfo@acme.fr\n")
    run = mailchecker.run("liste.csv", "--output-format", "concise")
    assert "Linting" not in run.stderr and not ANSI.search(run.stderr + run.output)
    assert not is_terminal(io.StringIO())


def test_the_progress_bar_shows_after_a_delay_and_goes(monkeypatch):
    monkeypatch.setattr(Progress, "DELAY", 0.0)
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    status = [3, 12430, "exports/liste.csv"]
    with Progress(5, lambda: tuple(status)) as progress:
        progress.timer.join()
        assert progress.progress is not None
        progress.progress.refresh()
    shown = ANSI.sub("", err.getvalue())
    assert "Linting" in shown and "3/5" in shown and "12,430 rows" in shown
    assert "liste.csv" in shown
    quick = Terminal()
    monkeypatch.setattr(sys, "stderr", quick)
    monkeypatch.setattr(Progress, "DELAY", 30.0)
    with Progress(5, lambda: tuple(status)) as progress:
        pass
    assert progress.progress is None and quick.getvalue() == ""
