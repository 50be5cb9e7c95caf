"""``mailcheck inspect``: kind, provider, encoding, delimiter, rows, column mapping."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from click.testing import CliRunner

from mailcheck import cli

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contacts"


def test_inspect_json_of_the_french_export(monkeypatch):
    monkeypatch.setenv("MAILCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = CliRunner().invoke(
        cli.main, ["inspect", str(FIXTURES / "export-excel-fr.csv"), "--output-format", "json"]
    )
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)
    assert (item["kind"], item["encoding"], item["delimiter"], item["rows"]) == (
        "contacts",
        "cp1252",
        ";",
        9,
    )
    mapping = {c["canonical"]: c["source"] for c in item["columns"]}
    assert mapping["email"] == "Adresse e-mail" and mapping["consent_at"] == "Date d'inscription"
    assert item["unmapped"] == ["Prénom", "Nom"]


def test_inspect_text_shows_mapping_and_role(monkeypatch, tmp_path):
    monkeypatch.setenv("MAILCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
    (tmp_path / "repoussoir.csv").write_text("email_sha256\n" + "ab" * 32 + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["inspect", str(tmp_path / "repoussoir.csv")])
    assert result.exit_code == 0, result.output
    assert "suppression" in result.stdout and "email_hash <- email_sha256" in result.stdout


BROKEN_READER = """
from mailcheck import hookimpl


@hookimpl(tryfirst=True)
def mailcheck_read_document(path, kind, config):
    if path.name == "casse.csv":
        raise RuntimeError("boom in a reader")
    return None
"""


def test_inspect_goes_on_past_a_file_its_reader_fails_on(monkeypatch, tmp_path):
    # A reader raising anything but InputError (zipfile's RuntimeError on an encrypted
    # member did) made inspect die with "internal error" and a crash log, describing none
    # of the other files; lint makes that one file MC900 and goes on.
    monkeypatch.setenv("MAILCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "broken_reader.py").write_text(BROKEN_READER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(plugins))
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "casse.csv").write_text("email\nclaire@exemple.fr\n", encoding="utf-8")
    (lists / "liste.csv").write_text("email\nmarc@exemple.fr\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli.main, ["inspect", "-p", "broken_reader", str(lists), "--output-format", "json"]
    )
    assert result.exit_code == 0, result.output
    items = {Path(item["path"]).name: item for item in json.loads(result.stdout)}
    assert items["casse.csv"]["error"] == (
        "reader failed (RuntimeError: boom in a reader); please report this mailcheck bug"
    )
    assert "internal error" not in result.output
    assert items["liste.csv"]["rows"] == 1 and "error" not in items["liste.csv"]


def test_inspect_a_readable_zip_has_no_error(monkeypatch, tmp_path):
    monkeypatch.setenv("MAILCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
    with zipfile.ZipFile(tmp_path / "audience.zip", "w") as archive:
        archive.writestr("members.csv", "email\nclaire@exemple.fr\n")
    result = CliRunner().invoke(cli.main, ["inspect", str(tmp_path), "--output-format", "json"])
    (item,) = json.loads(result.stdout)
    assert item["rows"] == 1 and "error" not in item
