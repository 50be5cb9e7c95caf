"""Smaller CLI things of issue #18: "did you mean" (validation.closest), ``-v`` lists the
plugins, MC900 said once."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mailcheck import cli
from mailcheck.validation import closest


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("fail_on", "fail-on"),
        ("MC1011", "MC101"),
        ("mc101", "MC101"),
        ("missing-unsubscrib", "missing-unsubscribe"),
        ("MC2O3", "MC203"),
        ("ZZZ9", None),
    ],
)
def test_closest(word, expected):
    choices = [
        "fail-on",
        "output-format",
        "MC101",
        "MC111",
        "MC203",
        "MC213",
        "missing-unsubscribe",
    ]
    assert closest(word, choices) == expected


def test_unknown_rule_code_suggests_one(mailchecker, newsletter_ok):
    mailchecker.make_html("n.html", newsletter_ok)
    run = mailchecker.run(".", "--select", "MC1011")
    assert run.exit_code == 2
    assert "unknown rule code or name 'MC1011' (did you mean 'MC101'?)" in run.stderr
    run = mailchecker.run(".", "--ignore", "missing-unsubscrib")
    assert "(did you mean 'missing-unsubscribe'?)" in run.stderr
    run = mailchecker.run(".", "--select", "QQQ123")
    assert run.exit_code == 2 and "did you mean" not in run.stderr


def test_misspelled_config_key_suggests_the_right_one(mailchecker, newsletter_ok):
    mailchecker.make_html("n.html", newsletter_ok)
    mailchecker.make_config('fail_on = "warning"\n')
    run = mailchecker.run(".")
    assert run.exit_code == 2
    assert "unknown key 'fail_on' (did you mean 'fail-on'?)" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_did_you_mean_in_french(mailchecker, newsletter_ok):
    mailchecker.make_html("n.html", newsletter_ok)
    run = mailchecker.run(".", "--select", "MC1011", "--lang", "fr")
    assert "(vouliez-vous dire 'MC101' ?)" in run.stderr


def test_verbose_lists_the_plugins(tmp_path, monkeypatch, newsletter_ok):
    # The real plugin manager (entry points): the installed plugins are named.
    from mailcheck.manager import create_plugin_manager

    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.html").write_text(newsletter_ok, encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["lint", "n.html", "-v"], catch_exceptions=False)
    line = next(x for x in result.stderr.splitlines() if x.startswith("mailcheck: plugins: "))
    installed = create_plugin_manager().plugin_versions()
    for info in installed:
        assert (info.distribution or info.name) in line
    if not installed:
        assert line == "mailcheck: plugins: none"


def test_unreadable_file_said_once_in_a_terminal_report(mailchecker):
    mailchecker.make_file("broken.html", b"\x00\x01binary")
    mailchecker.make_html("ok.html", "<html><body><p>Hello</p></body></html>")
    run = mailchecker.run(".", "--output-format", "concise")
    assert run.output.count("broken.html") == 1 and "MC900" in run.output
    assert "broken.html" not in run.stderr
    # A machine format, or a report written to a file: the warning stays on stderr.
    run = mailchecker.run(".", "--output-format", "json")
    assert "broken.html: cannot read" in run.stderr
    run = mailchecker.run(".", "--output-format", "concise", "-o", "report.txt")
    assert "broken.html: cannot read" in run.stderr


def test_shell_completion_documented_and_working(monkeypatch):
    from pathlib import Path

    doc = (Path(__file__).parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert "_MAILCHECK_COMPLETE=bash_source mailcheck" in doc
    monkeypatch.setenv("_MAILCHECK_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", "mailcheck lint --fail-on ")
    monkeypatch.setenv("COMP_CWORD", "3")
    result = CliRunner().invoke(
        cli.main, [], prog_name="mailcheck", complete_var="_MAILCHECK_COMPLETE"
    )
    assert result.output.split() == ["plain,error", "plain,warning", "plain,info"]
