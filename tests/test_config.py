"""Config discovery, precedence and validation (src/mailcheck/config.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from mailcheck.config import Config, find_config_file, load_config, path_matches
from mailcheck.errors import ConfigError
from tests.hostile import deadline


def test_pyproject_found_upward_from_the_linted_path(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.mailcheck]\nprofile = "us"\n')
    nested = tmp_path / "campaigns" / "2026"
    nested.mkdir(parents=True)
    config = load_config(None, nested)
    assert config.profile == "us"
    assert config.source == (tmp_path / "pyproject.toml").resolve()


def test_pyproject_without_table_is_skipped(tmp_path: Path):
    (tmp_path / "mailcheck.toml").write_text('profile = "uk"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.black]\nline-length = 88\n")
    assert load_config(None, inner).profile == "uk"


def test_dot_file_wins_in_the_same_folder(tmp_path: Path):
    (tmp_path / ".mailcheck.toml").write_text('profile = "ca"\n')
    (tmp_path / "mailcheck.toml").write_text('profile = "uk"\n')
    found = find_config_file(tmp_path)
    assert found is not None and found[0].name == ".mailcheck.toml"


def test_no_file_gives_defaults(tmp_path: Path):
    config = load_config(None, tmp_path)
    assert config.source is None and config.profile == "eu-fr"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('profil = "eu"\n', "unknown key 'profil'"),
        ('profile = "mars"\n', "expected one of"),
        ("exclude = 3\n", "expected a string or a list"),
        ('[severity]\nMC101 = "fatal"\n', "unknown severity"),
        ('[file-types]\n"*.htm" = "pdf"\n', "is not one of"),
        ("profile = \n", "invalid TOML"),
    ],
)
def test_invalid_files_name_file_and_key(tmp_path: Path, text: str, message: str):
    (tmp_path / "mailcheck.toml").write_text(text)
    with pytest.raises(ConfigError) as error:
        load_config(None, tmp_path)
    assert message in str(error.value)
    assert "mailcheck.toml" in str(error.value)


def test_explicit_config_missing(tmp_path: Path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml", tmp_path)


@pytest.mark.parametrize(
    ("relative", "pattern", "expected"),
    [
        ("archive/2019/list.csv", "archive/**", True),
        ("archive/2019/list.csv", "archive", True),
        ("exports/legacy-2020.csv", "exports/legacy-*.csv", True),
        ("exports/current.csv", "exports/legacy-*.csv", False),
        ("a/node_modules/x.html", "node_modules", True),
        ("templates/news.html", "*.csv", False),
    ],
)
def test_path_matches(relative: str, pattern: str, expected: bool):
    assert path_matches(relative, pattern) is expected


def test_unknown_rule_code_in_config_exits_2(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    mailchecker.make_config('ignore = ["MC999"]\n')
    run = mailchecker.run("news.html")
    assert run.exit_code == 2
    assert "unknown rule code or name 'MC999'" in run.stderr
    assert "Traceback" not in run.stderr


def test_unknown_rule_option_exits_2(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    mailchecker.make_config("[rules.MC101]\nretention-days = 3\n")
    run = mailchecker.run("news.html")
    assert run.exit_code == 2
    assert "unknown option 'retention-days'" in run.stderr


@pytest.mark.parametrize(
    ("table", "message"),
    [
        # MC207 refused nothing of its own: the bound is declared and checked in one place
        (
            "[rules.MC207]\nretention-days = -5\n",
            "rules.MC207.retention-days: expected a number of days >= 1, got -5",
        ),
        (
            "[rules.MC203]\nretention-days = 0\n",
            "rules.MC203.retention-days: expected a number of days >= 1, got 0",
        ),
        (
            "[rules.MC212]\ngrace-days = -1\n",
            "rules.MC212.grace-days: expected a number of days >= 0, got -1",
        ),
        (
            "[rules.MC112]\nlimit-kb = 0\n",
            "rules.MC112.limit-kb: expected a number of KB >= 1, got 0",
        ),
        (
            "[rules.MC207]\nretention-days = true\n",
            "rules.MC207.retention-days: expected int, got True",
        ),
    ],
)
def test_rule_option_out_of_bounds_exits_2_naming_file_rule_key_and_bound(
    mailchecker, newsletter_ok, table, message
):
    mailchecker.make_html("news.html", newsletter_ok)
    mailchecker.make_config(table)
    run = mailchecker.run("news.html")
    assert run.exit_code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(f"/mailcheck.toml: {message}"), lines


def test_rule_option_on_its_bound_is_accepted(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    mailchecker.make_config("[rules.MC207]\nretention-days = 1\n[rules.MC212]\ngrace-days = 0\n")
    run = mailchecker.run("news.html")
    assert run.exit_code == 0, run.stderr


def test_unknown_plugin_namespace_exits_2(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    mailchecker.make_config("[plugins.mailchimpp]\nx = 1\n")
    run = mailchecker.run("news.html")
    assert run.exit_code == 2
    assert "mailchimpp" in run.stderr


def test_cli_options_win_over_config(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    mailchecker.make_config('fail-on = "info"\n[severity]\nMC101 = "warning"\n')
    run = mailchecker.run("promo.html")
    assert [f["severity"] for f in run.findings] == ["warning"] and run.exit_code == 1
    run = mailchecker.run("promo.html", "--severity", "MC101=info", "--fail-on", "error")
    assert [f["severity"] for f in run.findings] == ["info"] and run.exit_code == 0


def test_explicit_missing_config_exits_2(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    run = mailchecker.run("news.html", "--config", "other.toml")
    assert run.exit_code == 2 and "config file not found" in run.stderr


def test_config_excludes_respected(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("archive/old.html", newsletter_no_unsub)
    mailchecker.make_html("current/promo.html", newsletter_no_unsub)
    mailchecker.make_config('exclude = ["archive"]\n')
    run = mailchecker.run(".")
    assert {f["path"] for f in run.findings} == {"current/promo.html"}


def test_severity_override_from_config(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    mailchecker.make_config('[severity]\nMC101 = "warning"\n')
    run = mailchecker.run("promo.html")
    assert [f["severity"] for f in run.findings] == ["warning"]
    assert run.exit_code == 0


def test_unknown_canonical_column_exits_2_with_a_suggestion(mailchecker):
    mailchecker.make_csv("abonnes.csv", "Courriel;Inscrit le\nclaire@exemple.fr;05/01/2025\n")
    mailchecker.make_config('[columns]\nconsent_att = "Inscrit le"\n')
    run = mailchecker.run("abonnes.csv")
    assert run.exit_code == 2
    assert "'consent_att' is not a canonical column (did you mean 'consent_at'?)" in run.stderr
    assert "mailcheck.toml" in run.stderr and "Traceback" not in run.stderr


def test_canonical_column_override_matches_header_case_and_accents(mailchecker):
    mailchecker.make_csv(
        "abonnes.csv", "Courriel Persô;Inscrit Le (Date)\nclaire@exemple.fr;05/01/2025\n"
    )
    mailchecker.make_config(
        '[columns]\nconsent_at = "inscrit le (date)"\nemail = "COURRIEL PERSO"\n'
        "[rules.MC203]\nretention-days = 365\n"
    )
    run = mailchecker.run("abonnes.csv", "--select", "MC203", "--today", "2026-11-22")
    assert run.exit_code == 0, run.stderr
    # Mapped: the opt-in of 5 January 2025 is 686 days old, past the 365 configured.
    assert run.lines("MC203") == [2]
    assert "for 686 days" in run.findings[0]["message"]


def test_config_saved_with_a_bom_is_read(tmp_path: Path):
    # Windows Notepad's "UTF-8 with BOM": was "invalid TOML: Invalid statement (line 1)".
    (tmp_path / ".mailcheck.toml").write_bytes('\ufeffignore = ["MC215"]\n'.encode())
    assert load_config(None, tmp_path).ignore == ["MC215"]


def test_config_saved_as_ansi_is_a_one_line_error(mailchecker):
    # cp1252 'é': was "internal error: UnicodeDecodeError" and a crash log.
    mailchecker.make_csv("liste.csv", "email\njulie.morel@example.com\n")
    mailchecker.make_file(
        ".mailcheck.toml", 'ignore = ["MC215"]\n[columns]\nconsent_at = "Date début"\n', "cp1252"
    )
    run = mailchecker.run("liste.csv")
    assert run.exit_code == 2
    assert run.stderr.strip().endswith(
        ".mailcheck.toml: not UTF-8 (byte 0xe9 on line 3); save it as UTF-8, as TOML requires"
    )
    assert "internal error" not in run.stderr


# -- hostile configuration files (issue 12): one line naming the file, never a crash or a hang


LIST = "Adresse e-mail;Prénom;Date d'inscription\njulie.morel@example.fr;Julie;05/01/2025\n"


def _one_line_error(run, ending: str) -> None:
    assert run.exit_code == 2
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("mailcheck: error: ")
    assert run.stderr.strip().endswith(ending), run.stderr
    assert "internal error" not in run.stderr


def test_toml_nested_past_the_recursion_limit(mailchecker):
    # Was "internal error: RecursionError" and a crash log.
    mailchecker.make_file("liste.csv", LIST.encode("cp1252"))
    mailchecker.make_config("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    run = mailchecker.run("liste.csv")
    _one_line_error(run, "mailcheck.toml: invalid TOML: arrays or tables nested too deeply")


@pytest.mark.parametrize(
    ("special", "reason"),
    [
        ("/dev/zero", "a device, not a regular file"),
        ("fifo", "a FIFO (named pipe), not a regular file"),
    ],
)
def test_config_that_is_no_regular_file(mailchecker, special, reason):
    # "--config /dev/zero" said "config file not found"; a FIFO given as config hung.
    mailchecker.make_file("liste.csv", LIST.encode("cp1252"))
    if special == "fifo":
        os.mkfifo(mailchecker.path / "fifo")
    with deadline():
        run = mailchecker.run("liste.csv", "--config", special)
    _one_line_error(run, f"{special}: cannot read: {reason}")


def test_a_fifo_named_like_a_config_file_is_passed_over(mailchecker):
    mailchecker.make_file("projet/liste.csv", LIST.encode("cp1252"))
    os.mkfifo(mailchecker.path / "projet" / "mailcheck.toml")
    mailchecker.make_file("pyproject.toml", '[tool.mailcheck]\nignore = ["MC204"]\n')
    with deadline():
        config = load_config(None, mailchecker.path / "projet" / "liste.csv")
    assert config.source == (mailchecker.path / "pyproject.toml").resolve()
    assert config.ignore == ["MC204"]


def test_config_larger_than_any_configuration(mailchecker):
    mailchecker.make_file("liste.csv", LIST.encode("cp1252"))
    mailchecker.make_config("# " + "x" * (1 << 20) + "\n")
    run = mailchecker.run("liste.csv")
    _one_line_error(
        run,
        "cannot read: larger than 1 MiB, far more than any configuration (is it the right file?)",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[limits]\nmax-list-size = "' + "9" * 400 + ' TiB"\n', "expected a positive size"),
        ('fail-on = "bloquant"\n', "key 'fail-on': unknown severity 'bloquant'"),
    ],
)
def test_values_that_crashed_the_validation(tmp_path: Path, text: str, message: str):
    # An OverflowError (a float too large for int) and a ValueError escaped as crashes.
    (tmp_path / "mailcheck.toml").write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(None, tmp_path)


def test_pyproject_whose_tool_mailcheck_is_no_table(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool]\nmailcheck = 3\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: tool.mailcheck: expected a table$"):
        load_config(None, tmp_path)
    with pytest.raises(ConfigError, match=r"pyproject.toml: tool.mailcheck: expected a table$"):
        load_config(tmp_path / "pyproject.toml", tmp_path)


def test_relative_survives_a_symlink_loop(tmp_path: Path):
    # Path.resolve() raises RuntimeError on a loop on Python 3.11.
    (tmp_path / "boucle").symlink_to("boucle")
    config = Config(root=tmp_path)
    assert config.relative(tmp_path / "boucle" / "liste.csv") == "boucle/liste.csv"
    assert not config.is_excluded(tmp_path / "boucle" / "liste.csv")
