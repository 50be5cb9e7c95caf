"""``mailcheck inspect``: where each canonical column came from, and the evidence."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from mailcheck import cli

EXPORT = (
    "Identifiant;Catégorie;Inscrit le;Courriel;Statut\r\n"
    "anne.leroy@exemple.fr;Professionnel;12/05/2025;anne.leroy@exemple.fr;abonné\r\n"
    "marc.blanc@exemple.fr;Particulier;04/03/2019;marc.blanc@exemple.fr;abonné\r\n"
    "julie.noel@exemple.fr;Particulier;21/09/2024;julie.noel@exemple.fr;désinscrit\r\n"
)


def _inspect(monkeypatch, tmp_path, *args: str):
    monkeypatch.setenv("MAILCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
    (tmp_path / "export.csv").write_bytes(EXPORT.encode("cp1252"))
    (tmp_path / "mailcheck.toml").write_text('[columns]\nstatus = "Statut"\n', encoding="utf-8")
    return CliRunner().invoke(cli.main, ["inspect", str(tmp_path / "export.csv"), *args])


def test_inspect_json_gives_origin_and_evidence_of_every_column(monkeypatch, tmp_path):
    result = _inspect(monkeypatch, tmp_path, "--output-format", "json")
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)
    columns = {c["canonical"]: c for c in item["columns"]}
    assert columns["status"]["origin"] == "config"
    assert columns["email"]["origin"] == "synonym"  # "Courriel": names come first
    assert columns["email"]["source"] == "Courriel"
    assert columns["legal_basis"]["origin"] == "values"
    assert columns["legal_basis"]["evidence"] == "values: Particulier 67%, Professionnel 33%"
    assert columns["consent_at"]["origin"] == "values"
    assert columns["consent_at"]["evidence"].startswith(
        "100% of 3 sampled values read as dd/mm/yyyy"
    )
    assert "Identifiant" in item["unmapped"]


def test_inspect_text_shows_the_evidence_and_no_address(monkeypatch, tmp_path):
    result = _inspect(monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    assert re.search(r"legal_basis +<- Catégorie", result.stdout)
    assert "found by its values: values: Particulier 67%, Professionnel 33%" in result.stdout
    assert "[columns] in config: status = 'Statut'" in result.stdout
    assert "anne.leroy@exemple.fr" not in result.stdout
