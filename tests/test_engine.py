"""The engine (src/mailcheck/engine.py): discovery, bad input, crashes, exit codes."""

from __future__ import annotations

import types
import zipfile

from mailcheck import Kind, Rule, Severity, hookimpl

DOC = """## What it does
Crashes.

## Why it matters
Tests (GDPR art. 5).

## Example
-

## Fix
-
"""


def test_unreadable_file_reported_and_other_files_still_linted(mailchecker, newsletter_no_unsub):
    mailchecker.make_file("broken.html", b"\x00\x01\x02binary")
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    run = mailchecker.run(".")
    assert run.exit_code == 1
    assert run.lines("MC900", "broken.html") == [1]
    assert run.codes["MC101"] == 1
    assert "broken.html: cannot read: binary data" in run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_exit_2_when_nothing_could_be_read(mailchecker):
    mailchecker.make_file("notes.html", "just words, no markup")
    run = mailchecker.run("notes.html")
    assert run.exit_code == 2
    assert "notes.html: cannot read: no HTML markup found" in run.stderr


def test_missing_path_exits_2_with_one_line(mailchecker):
    run = mailchecker.run("does-not-exist.csv")
    assert run.exit_code == 2
    assert run.stderr.strip() == "mailcheck: error: does-not-exist.csv: no such file or directory"


def test_zip_member_escaping_the_archive_is_refused(mailchecker):
    target = mailchecker.path / "export.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("../../evil.csv", "Email\nx@example.com\n")
    run = mailchecker.run("export.zip")
    assert run.exit_code == 2
    assert "escapes the archive" in run.stderr


def test_crashing_rule_becomes_mc902(mailchecker, newsletter_ok):
    class Crash(Rule):
        __doc__ = DOC
        code, name, severity, kinds = "CRS101", "crash", Severity.INFO, frozenset({Kind.TEMPLATE})

        def check(self, doc, ctx):
            raise ValueError("boom")

    mailchecker.register(types.SimpleNamespace(mailcheck_rules=hookimpl(lambda: [Crash])), "crashy")
    mailchecker.make_html("news.html", newsletter_ok)
    run = mailchecker.run("news.html")
    assert run.codes["MC902"] == 1
    assert "CRS101 (crash) failed: ValueError: boom" in run.findings[0]["message"]
    assert run.exit_code == 1


def test_discovery_walks_folders_and_skips_unknown_files(mailchecker, newsletter_ok):
    mailchecker.make_html("a/news.html", newsletter_ok)
    mailchecker.make_file("a/logo.png", b"\x89PNG")
    mailchecker.make_file(".git/config.html", "<p>x</p>")
    run = mailchecker.run(".", "--output-format", "concise")
    assert "(1 file linted; 1 other file ignored)" in run.output  # the PNG, counted


def test_per_file_ignores(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("legacy/promo.html", newsletter_no_unsub)
    mailchecker.make_html("new/promo.html", newsletter_no_unsub)
    run = mailchecker.run(".", "--per-file-ignores", "legacy/*:MC101")
    assert [f["path"] for f in run.findings] == ["new/promo.html"]


def test_forced_transactional_kind_skips_unsubscribe(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("receipts/order.html", newsletter_no_unsub)
    mailchecker.make_config('[kinds]\n"receipts/*" = "transactional"\n')
    assert mailchecker.run(".").codes["MC101"] == 0


def test_inputs_are_never_modified(mailchecker, newsletter_no_unsub):
    path = mailchecker.make_html("promo.html", newsletter_no_unsub)
    before = path.read_bytes(), path.stat().st_mtime_ns
    mailchecker.run(".", "--write-baseline", "baseline.json")
    mailchecker.run(".", "-o", "report.json")
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_report_cannot_overwrite_an_input(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    run = mailchecker.run(".", "-o", "promo.html")
    assert run.exit_code == 2 and "refusing" in run.stderr


def test_python_api(mailchecker, newsletter_no_unsub):
    import mailcheck

    mailchecker.make_html("promo.html", newsletter_no_unsub)
    findings = mailcheck.lint("promo.html", config={"select": ["MC1"]})
    assert [(f.code, f.line, f.column) for f in findings] == [("MC101", 1, 1)]
    assert "j***@example.com" not in findings[0].message  # nothing personal in this one


def test_a_reader_bug_is_one_file_unreadable_not_the_end_of_the_run(
    mailchecker, newsletter_no_unsub
):
    """A reader that raises something else than InputError (a bug, in a plugin or in
    mailcheck) makes that file MC900 with the error on one line; the other files are
    still linted and no traceback reaches the user."""

    @hookimpl(tryfirst=True)
    def mailcheck_read_document(path, kind, config):
        if path.name == "odd.csv":
            raise RuntimeError("unexpected layout")
        return None

    mailchecker.register(
        types.SimpleNamespace(mailcheck_read_document=mailcheck_read_document), "buggy"
    )
    mailchecker.make_csv("odd.csv", header=["email"], rows=[["a@example.com"]])
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    run = mailchecker.run(".")
    assert run.lines("MC900", "odd.csv") == [1]
    assert run.codes["MC101"] == 1
    assert (
        "odd.csv: cannot read: reader failed (RuntimeError: unexpected layout); "
        "please report this mailcheck bug"
    ) in run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
