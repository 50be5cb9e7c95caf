"""The command line (src/mailcheck/cli.py): rules, rule, plugins, version, exit codes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mailcheck import __version__, cli


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def test_rules_lists_code_name_severity_origin():
    result = invoke("rules")
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if line.startswith("MC101"))
    assert line.split() == ["MC101", "missing-unsubscribe", "error", "template-rules"]
    rows = json.loads(invoke("rules", "--output-format", "json").output)
    assert {"code", "name", "severity", "origin", "summary"} <= set(rows[0])


def test_rule_explains_with_legal_reference():
    result = invoke("rule", "MC101")
    assert result.exit_code == 0
    for section in ("## What it does", "## Why it matters", "## Example", "## Fix"):
        assert section in result.output
    assert "2002/58/EC art. 13(2)" in result.output
    assert invoke("rule", "missing-unsubscribe").output == result.output


def test_unknown_rule_exits_2():
    result = invoke("rule", "MC999")
    assert result.exit_code == 2 and "unknown rule 'MC999'" in result.stderr


def test_version_mentions_plugins():
    result = invoke("--version")
    assert result.output.startswith(f"mailcheck {__version__}")


def test_exit_zero_and_fail_on(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    assert mailchecker.run("promo.html").exit_code == 1
    assert mailchecker.run("promo.html", "--exit-zero").exit_code == 0
    assert mailchecker.run("promo.html", "--severity", "MC101=warning").exit_code == 0
    assert (
        mailchecker.run(
            "promo.html", "--severity", "MC101=warning", "--fail-on", "warning"
        ).exit_code
        == 1
    )


def test_bad_usage_exits_2(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    assert mailchecker.run("news.html", "--severity", "MC101").exit_code == 2
    assert mailchecker.run("news.html", "--fail-on", "fatal").exit_code == 2
    assert mailchecker.run("news.html", "--per-file-ignores", "MC101").exit_code == 2


def test_keywords_lists_and_terms():
    listing = invoke("keywords")
    assert listing.exit_code == 0
    assert any(line.split()[0] == "unsubscribe" for line in listing.output.splitlines())
    terms = invoke("keywords", "unsubscribe").output.splitlines()
    assert "se desinscrire" in terms  # folded: case, accents and separators
    assert invoke("keywords", "nope").exit_code == 2


def test_output_closed_early_stops_quietly(tmp_path):
    """``mailcheck lint … | head -1``: no traceback, no crash log, exit 141 (as a tool
    killed by SIGPIPE)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    rows = "".join(f"user{i}@@example.com,subscribed\n" for i in range(20_000))
    (tmp_path / "list.csv").write_text("email,status\n" + rows, encoding="utf-8")
    script = "from mailcheck.cli import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", script, "lint", "list.csv", "--output-format", "json-lines"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(tmp_path)},  # where a crash log would go
    )
    assert process.stdout.readline().startswith(b"{")
    process.stdout.close()  # the reader goes away while findings are still coming
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert not list(Path(tmp_path).glob("mailcheck-crash-*"))


def test_an_unknown_code_is_blamed_on_where_it_was_written(mailchecker):
    mailchecker.make_csv("liste.csv", header=["email"], rows=[["a@example.com"]])
    mailchecker.make_config('select = ["MC2"]\n')
    run = mailchecker.run(".", "--select", "MC2O3")  # a letter O
    assert run.exit_code == 2
    assert run.stderr.strip() == (
        "mailcheck: error: --select: unknown rule code or name 'MC2O3' (did you mean 'MC203'?)"
    )
    run = mailchecker.run(".", "--severity", "MC2O3=info")
    assert "mailcheck: error: --severity: unknown rule code or name 'MC2O3'" in run.stderr
    mailchecker.make_config("[rules.MC203]\nretention-days = -5\n")
    run = mailchecker.run(".")
    assert run.exit_code == 2
    assert "/mailcheck.toml: rules.MC203.retention-days: expected a number of days" in run.stderr


def test_each_selector_is_checked_once_where_it_was_written(mailchecker):
    mailchecker.make_csv("liste.csv", header=["email"], rows=[["a@example.com"]])
    mailchecker.make_config('extend-select = ["MC2O3"]\n')
    run = mailchecker.run(".", "--extend-select", "MC215")
    assert run.exit_code == 2
    assert run.stderr.strip().endswith(
        "mailcheck.toml: extend-select: unknown rule code or name 'MC2O3' (did you mean 'MC203'?)"
    )
    # A selection --select replaces is not in use: it is not checked.
    mailchecker.make_config('select = ["MC2O3"]\n')
    assert mailchecker.run(".", "--select", "MC215").exit_code == 0


def test_nothing_to_lint_is_said(mailchecker):
    (mailchecker.path / "exports").mkdir()
    run = mailchecker.run("exports")
    assert run.exit_code == 2  # never a pass on nothing (#14)
    assert run.stderr.splitlines() == [
        "mailcheck: warning: nothing to lint under exports",
        "mailcheck: error: nothing linted under exports: no file found",
    ]
