"""Context files (config ``context``): the lists every run reads whatever paths are
given, so a one-file run -- the pre-commit hook on one staged send list -- still checks
the cross-list rules; their own findings are reported only when they are linted paths."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from mailcheck import cli
from mailcheck.config import load_config

SUPPRESSION = "email\nlea.petit@example.net\n"
SEND_LIST = (
    "email;statut;date_inscription\n"
    "lea.petit@example.net;abonné;2025-01-10\n"
    "paul.durand@example.org;abonné;2025-02-11\n"
)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A throw-away project: a suppression list named in ``context``, a send list."""
    (tmp_path / "listes").mkdir()
    (tmp_path / "listes" / "repoussoir.csv").write_text(SUPPRESSION, encoding="utf-8")
    (tmp_path / "sendlist.csv").write_text(SEND_LIST, encoding="utf-8")
    (tmp_path / "mailcheck.toml").write_text(
        'context = ["listes/repoussoir.csv"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*args: str):
    return CliRunner().invoke(
        cli.main, ["lint", *args, "--today", "2026-01-01", "--output-format", "json"]
    )


def codes_by_path(result) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in json.loads(result.stdout):
        found.setdefault(finding["path"], set()).add(finding["code"])
    return found


def test_one_file_run_checks_the_suppression_list_of_the_config(repo):
    result = lint("sendlist.csv")
    assert result.exit_code == 1, result.output
    found = codes_by_path(result)
    assert "MC202" in found["sendlist.csv"]
    # The context file's own findings (MC208: addresses in clear) are not reported.
    assert set(found) == {"sendlist.csv"}
    findings = json.loads(result.stdout)
    mc202 = next(f for f in findings if f["code"] == "MC202")
    assert mc202["line"] == 2 and "lea.petit@" not in result.stdout  # masked
    assert "listes/repoussoir.csv" in mc202["message"]
    assert "read for the cross-list rules only (context): listes/repoussoir.csv" in result.stderr


def test_context_file_among_the_paths_is_linted_as_usual(repo):
    result = lint("sendlist.csv", "listes/repoussoir.csv")
    assert "context" not in result.stderr
    found = codes_by_path(result)
    assert "MC202" in found["sendlist.csv"]
    assert "MC208" in found["listes/repoussoir.csv"]
    # Named once through a folder walk: the same.
    assert "MC208" in codes_by_path(lint("."))["listes/repoussoir.csv"]


def test_without_context_the_one_file_run_misses_mc202(repo):
    (repo / "mailcheck.toml").write_text("", encoding="utf-8")
    assert "MC202" not in codes_by_path(lint("sendlist.csv")).get("sendlist.csv", set())


def test_context_file_is_not_counted_as_linted(repo):
    result = CliRunner().invoke(cli.main, ["lint", "sendlist.csv", "--today", "2026-01-01"])
    assert "in 1 file" in result.stdout
    assert "repoussoir" not in result.stdout.replace("listes/repoussoir.csv (line", "")


def test_missing_context_file_is_a_one_line_config_error(repo):
    (repo / "mailcheck.toml").write_text('context = ["listes/absent.csv"]\n', encoding="utf-8")
    result = lint("sendlist.csv")
    assert result.exit_code == 2
    assert "context file" in result.stderr and "absent.csv" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unreadable_context_file_is_reported(repo):
    (repo / "listes" / "repoussoir.csv.gz").write_bytes(b"not gzip at all")
    (repo / "mailcheck.toml").write_text(
        'context = ["listes/repoussoir.csv.gz"]\n', encoding="utf-8"
    )
    result = lint("sendlist.csv")
    assert "MC900" in codes_by_path(result)["listes/repoussoir.csv.gz"]


def test_context_paths_are_relative_to_the_config(repo, tmp_path_factory, monkeypatch):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    config = load_config(None, repo / "sendlist.csv")
    assert config.context_paths() == [repo / "listes" / "repoussoir.csv"]
    result = lint(str(repo / "sendlist.csv"))
    assert any("MC202" in codes for codes in codes_by_path(result).values())


def test_context_must_be_a_list_of_strings(repo):
    (repo / "mailcheck.toml").write_text("context = [1]\n", encoding="utf-8")
    result = lint("sendlist.csv")
    assert result.exit_code == 2 and "'context'" in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_style_run_on_one_staged_send_list(repo):
    """What the pre-commit hook does: ``mailcheck lint`` on the staged files only, in a
    git repository whose real lists git ignores."""
    (repo / ".gitignore").write_text("listes/\n", encoding="utf-8")
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "sendlist.csv", "mailcheck.toml"], cwd=repo, check=True)
    staged = subprocess.run(
        [*git, "diff", "--cached", "--name-only"],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert staged == ["mailcheck.toml", "sendlist.csv"]
    result = lint(*[name for name in staged if name.endswith(".csv")])
    assert result.exit_code == 1
    assert "MC202" in codes_by_path(result)["sendlist.csv"]
