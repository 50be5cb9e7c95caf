"""``mailcheck lint -``: a template read from standard input, named by
``--stdin-filename`` (its kind, config globs, the findings' path), as ruff does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailcheck import cli

NO_UNSUB = "<html lang='fr'><body><p>Promo -50% sur tout le site</p></body></html>\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(stdin: str | bytes, *args: str):
    return CliRunner().invoke(cli.main, ["lint", *args, "--output-format", "json"], input=stdin)


def findings(result) -> list[dict]:
    return json.loads(result.stdout)


def test_template_on_stdin_is_named_by_stdin_filename(project):
    result = lint(NO_UNSUB, "-", "--stdin-filename", "templates/news.html")
    assert result.exit_code == 1, result.output
    found = findings(result)
    assert {f["path"] for f in found} == {"templates/news.html"}
    assert "MC101" in {f["code"] for f in found}
    assert not (project / "templates").exists()  # the name is never written to


def test_default_name_is_a_template(project):
    result = lint(NO_UNSUB, "-")
    assert {f["path"] for f in findings(result)} == {"stdin.html"}


def test_stdin_filename_alone_reads_stdin(project):
    result = lint(NO_UNSUB, "--stdin-filename", "news.html")
    assert {f["path"] for f in findings(result)} == {"news.html"}


def test_config_globs_match_the_stdin_filename(project):
    (project / "mailcheck.toml").write_text(
        '[per-file-ignores]\n"templates/legacy-*.html" = ["MC101"]\n', encoding="utf-8"
    )
    ignored = lint(NO_UNSUB, "-", "--stdin-filename", "templates/legacy-promo.html")
    assert "MC101" not in {f["code"] for f in findings(ignored)}
    kept = lint(NO_UNSUB, "-", "--stdin-filename", "templates/promo.html")
    assert "MC101" in {f["code"] for f in findings(kept)}


def test_config_is_found_from_the_stdin_filename(project, tmp_path_factory, monkeypatch):
    (project / "mailcheck.toml").write_text('ignore = ["MC101"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    result = lint(NO_UNSUB, "-", "--stdin-filename", str(project / "news.html"))
    assert "MC101" not in {f["code"] for f in findings(result)}


def test_kind_comes_from_the_stdin_filename(project):
    csv = "email;statut\nlea.petit@example.net;désabonné\n"
    result = lint(csv, "-", "--stdin-filename", "exports/contacts.csv")
    paths = {f["path"] for f in findings(result)}
    assert paths <= {"exports/contacts.csv"}
    assert "lea.petit@" not in result.stdout  # masked as any list


def test_dash_with_other_paths_is_a_usage_error(project):
    (project / "a.html").write_text(NO_UNSUB, encoding="utf-8")
    result = lint(NO_UNSUB, "-", "a.html")
    assert result.exit_code == 2 and "standard input" in result.stderr
    result = lint(NO_UNSUB, "a.html", "--stdin-filename", "b.html")
    assert result.exit_code == 2 and "--stdin-filename" in result.stderr


def test_temporary_copy_lives_in_the_temp_dir_and_is_removed(project, monkeypatch):
    created: list[Path] = []
    real_mkdtemp = tempfile.mkdtemp

    def spy(*args, **kwargs):
        folder = real_mkdtemp(*args, **kwargs)
        created.append(Path(folder))
        return folder

    monkeypatch.setattr(tempfile, "mkdtemp", spy)
    before = set(project.iterdir())
    result = lint(NO_UNSUB, "-", "--stdin-filename", "news.html")
    assert result.exit_code == 1
    assert len(created) == 1
    assert created[0].parent == Path(tempfile.gettempdir())
    assert not created[0].exists()
    assert set(project.iterdir()) == before


def test_stdin_over_the_limit_is_a_one_line_error(project):
    (project / "mailcheck.toml").write_text('[limits]\nmax-list-size = "1 KiB"\n', encoding="utf-8")
    result = lint("x" * 5000, "-", "--stdin-filename", "big.html")
    assert result.exit_code == 2
    assert "standard input" in result.stderr and "Traceback" not in result.stderr


def test_real_process_reads_piped_stdin(project):
    """Through a real pipe, as an editor integration runs it."""
    run = subprocess.run(
        [sys.executable, "-m", "mailcheck.cli", "lint", "-", "--stdin-filename", "t/n.html"],
        input=NO_UNSUB.encode(),
        capture_output=True,
        env={**os.environ, "LANG": "C"},
        cwd=project,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert b"t/n.html:1:" in run.stdout and b"MC101" in run.stdout


@pytest.mark.parametrize(
    ("text", "args", "said"),
    [
        ("", [], "nothing linted under - (standard input, read as stdin.html): 1 file could "),
        ("hello\n", ["--stdin-filename", "notes.txt"], "(standard input, read as notes.txt): 1 "),
        ("a;b\n", ["--stdin-filename", "data.xyz"], "(standard input, read as data.xyz): 1 "),
        (b"\x00\x01\xff", ["--stdin-filename", "l.csv"], "(standard input, read as l.csv): 1 "),
        ("<p>{{> x}}</p>", ["--stdin-filename", "_x.hbs"], "(standard input, read as _x.hbs): 1"),
    ],
)
def test_messages_about_stdin_name_it_never_its_temporary_copy(project, text, args, said):
    result = lint(text, "-", *args)
    assert result.exit_code == 2, result.output
    assert said in result.stderr
    assert "mailcheck-stdin-" not in result.stderr + result.stdout
    assert tempfile.gettempdir() not in result.stderr


def test_stdin_excluded_by_the_config_is_named(project):
    (project / "mailcheck.toml").write_text('exclude = ["*.html"]\n', encoding="utf-8")
    result = lint(NO_UNSUB, "-")
    assert result.exit_code == 2
    assert "nothing to lint under - (standard input, read as stdin.html)" in result.stderr
    assert "mailcheck-stdin-" not in result.stderr


def test_a_template_on_stdin_whose_include_is_not_found_is_named(project):
    result = lint(
        "<html lang='fr'><body>{{> footer}} Soldes -30% achetez</body></html>",
        "-",
        "--stdin-filename",
        "emails/promo.hbs",
    )
    assert result.exit_code in (0, 1), result.output
    assert "line 1 of emails/promo.hbs" in result.stderr
    assert "mailcheck-stdin-" not in result.stderr + result.stdout
