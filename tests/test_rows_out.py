"""``lint --rows-out DIR``: one CSV per rule with line, address and triggering values."""

from __future__ import annotations

import csv


def test_rows_out_writes_one_file_per_rule(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        header=["email", "source", "consent_date"],
        rows=[
            ["a@example.com", "signup form", "2025-01-01"],
            ["contact@acme.fr", "fichier acheté", "2025-01-01"],
            ["b@example.com", "purchased", "2025-01-01"],
        ],
    )
    run = mailchecker.run("liste.csv", "--select", "MC205,MC215", "--rows-out", "rows")
    assert run.exit_code == 1
    written = sorted(p.name for p in (mailchecker.path / "rows").iterdir())
    assert written == ["MC205-invalid-optin-source.csv", "MC215-generic-role-address.csv"]
    with (mailchecker.path / "rows" / written[0]).open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [(r["line"], r["address"], r["consent_source"]) for r in rows] == [
        ("3", "contact@acme.fr", "fichier acheté"),
        ("4", "b@example.com", "purchased"),
    ]
    # The report itself stays masked.
    assert "contact@acme.fr" not in run.output
