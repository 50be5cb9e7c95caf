"""The command line speaks the user's language (src/mailcheck/cli/language.py): help,
click's own words, errors and warnings; ``--lang`` first, then the config's ``lang``,
then the locale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from mailcheck import cli
from mailcheck.cli.language import from_arguments


def run(*args: str, lang: str | None = "fr_FR.UTF-8", cwd: Path | None = None):
    """``mailcheck ARGS`` in a subprocess, as a user types it, with ``LANG`` set."""
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    environ.pop("LANG", None)
    if lang:
        environ["LANG"] = lang
    environ["MAILCHECK_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    script = Path(sys.executable).with_name("mailcheck")  # the command a user types
    command = [str(script)] if script.exists() else [sys.executable, "-m", "mailcheck.cli"]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=cwd,
        timeout=120,
    )


def test_lint_help_is_french_with_a_french_locale():
    shown = run("lint", "--help")
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert out.startswith("Utilisation : ")
    assert "lint [OPTIONS] [CHEMINS]..." in out.splitlines()[0]
    assert "Vérifie les listes de contacts, modèles, formulaires et messages" in out
    assert "Affiche ce message et quitte." in out  # click's own words
    assert "Écrit le rapport dans un fichier." in out
    for english in ("Usage:", "Show this message and exit.", "Write the report to a file."):
        assert english not in out


def test_the_group_help_lists_commands_in_french():
    out = run("--help").stdout
    assert "Commandes" in out and "Liste toutes les règles" in out


def test_lang_on_the_command_line_wins_over_the_locale():
    assert run("lint", "--lang", "fr", "--help", lang="en_US.UTF-8").stdout.startswith(
        "Utilisation :"
    )
    assert run("lint", "--lang=en", "--help").stdout.startswith("Usage:")
    assert from_arguments(["lint", "--lang", "xx"]) in ("en", "fr")  # refused later by click


def test_an_error_is_french(tmp_path: Path):
    missing = run("lint", "absent.csv", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        "mailcheck : erreur : absent.csv : fichier ou dossier introuvable"
    )
    usage = run("lint", "--fail-on", "jamais", cwd=tmp_path)
    assert usage.returncode == 2
    assert "Erreur : Valeur invalide pour '--fail-on'" in usage.stderr
    assert "lint --help' pour l'aide." in usage.stderr


def test_the_config_lang_makes_errors_french(tmp_path: Path):
    (tmp_path / "mailcheck.toml").write_text('lang = "fr"\nselect = ["MC999"]\n')
    (tmp_path / "liste.csv").write_text("email\na@example.com\n")
    result = run("lint", "liste.csv", lang=None, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("mailcheck : erreur : ")
    assert "code ou nom de règle inconnu 'MC999'" in result.stderr


def test_english_stays_the_default_and_as_it_was(tmp_path: Path):
    result = run("lint", "absent.csv", lang="C.UTF-8", cwd=tmp_path)
    assert result.stderr.strip() == "mailcheck: error: absent.csv: no such file or directory"


def test_rule_shows_its_french_documentation():
    result = CliRunner().invoke(cli.main, ["rule", "MC903", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "Gravité par défaut : avertissement" in result.output
    assert "## Ce que fait la règle" in result.output
    assert "## What it does" not in result.output
    # Afterwards, a caller in the same process is spoken to in English again.
    assert "Default severity" in CliRunner().invoke(cli.main, ["rule", "MC903"]).output
