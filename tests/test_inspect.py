"""``mailcheck inspect``: kind, provider, encoding, delimiter, rows, column mapping."""

from __future__ import annotations

import json
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
