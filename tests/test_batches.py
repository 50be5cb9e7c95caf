"""Findings in bulk (mailcheck.batches): a rule's row findings kept as columns, a batch in
the order one finding at a time would have, and the formats that read batches writing
the same text as one finding at a time."""

from __future__ import annotations

import csv
import json
from operator import attrgetter
from pathlib import Path

import numpy as np
import pytest

from mailcheck.batches import FindingBatch, RowFindings, flatten
from mailcheck.findings import Finding, Severity
from mailcheck.fingerprints import FingerprintKey, activate
from mailcheck.reporters.json import encode, encoded, encoded_bytes


class _Rows:
    """A row source as a plugin could write one: per-row methods only."""

    def __init__(self, addresses: list[str]) -> None:
        self.addresses = addresses
        self.size = len(addresses)

    def data(self, row: int) -> dict:
        return {"address": self.addresses[row]}

    def message(self, row: int) -> str:
        return "opt-in older than three years" if row % 2 else "no opt-in date"

    def fingerprint(self, row: int) -> str:
        return self.addresses[row]


def _rows(code: str, path: str, lines: list[int], levels: list[int] | None = None) -> RowFindings:
    addresses = [f"contact{line}@exemple.fr" for line in lines]
    return RowFindings(
        code,
        code.lower(),
        Severity.WARNING,
        path,
        np.array(lines, dtype=np.int64),
        "Re-engage or delete.",
        "GDPR art. 5(1)(e)",
        _Rows(addresses),
        None if levels is None else np.array(levels, dtype=np.int8),
    )


@pytest.fixture(autouse=True)
def _key():
    activate(FingerprintKey(b"test-key", "test"))


def test_a_batch_comes_in_the_order_of_sorting_each_finding_ties_as_found():
    header = Finding("MC203", "retention", Severity.INFO, "no date column", "liste.csv", line=1)
    other = Finding("MC900", "unreadable", Severity.ERROR, "cannot read", "autre.csv")
    parts = [
        _rows("MC203", "liste.csv", [40, 7, 7, 90]),
        header,
        _rows("MC201", "liste.csv", [7, 41]),
        other,
        _rows("MC203", "liste.csv", [12, 7], levels=[3, 2]),
    ]
    batch = FindingBatch(parts)
    one_by_one = sorted(flatten(parts), key=attrgetter("path", "line", "column", "code"))
    assert len(batch) == 10
    assert [(f.path, f.line, f.code, f.fingerprint) for f in batch] == [
        (f.path, f.line, f.code, f.fingerprint) for f in one_by_one
    ]
    assert batch[0] is other and batch[-1].line == 90
    assert batch.severity_counts() == {Severity.WARNING: 7, Severity.INFO: 1, Severity.ERROR: 2}


def test_severities_and_kept_rows_act_on_columns():
    rows = _rows("MC203", "liste.csv", [3, 5, 8], levels=[3, 2, 2])
    rows.set_severity(Severity.WARNING, Severity.INFO)  # a profile's default
    assert [f.severity for f in rows] == [Severity.ERROR, Severity.INFO, Severity.INFO]
    kept = rows.keep(np.array([False, True, True]))
    assert [(f.line, f.fingerprint) for f in kept] == [
        (5, "contact5@exemple.fr"),
        (8, "contact8@exemple.fr"),
    ]
    assert kept.content_hashes() == [f.content_hash() for f in kept]
    rows.set_severity(None, Severity.ERROR)  # a user's override
    assert rows.severity_counts() == {Severity.ERROR: 3}


def test_json_of_a_batch_is_the_json_of_each_finding():
    rows = _rows("MC203", "liste.csv", [40, 7, 90], levels=[3, 2, 3])
    rows.mask = lambda text: text.replace("contact", "c***")
    batch = FindingBatch(
        [rows, Finding("MC201", "x", Severity.ERROR, "header \u202e", "liste.csv", line=7)]
    )
    expected = [encode(finding.to_dict()) for finding in batch]
    assert encoded(batch) == expected
    for separator in ("\n", ",\n  "):
        pieces = encoded_bytes(batch, separator)
        assert b"".join(map(bytes, pieces)).decode() == separator.join(expected)
    assert any("\\u202e" in line for line in expected)  # escaped the same way in both


def _old_list(path: Path, rows: int) -> Path:
    """A Brevo-like ``;`` export where most contacts signed up years ago."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["EMAIL", "PRENOM", "DATE_INSCRIPTION", "SOURCE", "STATUT"])
        for n in range(rows):
            year = 2016 + n % 5 if n % 10 else 2026
            source = "fichier acheté" if n % 97 == 0 else "formulaire site"
            writer.writerow(
                [
                    f"prenom.nom{n}@exemple.fr",
                    "Léa",
                    f"{year}-0{1 + n % 9}-1{n % 10}",
                    source,
                    "abonné",
                ]
            )
    return path


def test_every_machine_format_writes_each_row_finding_as_the_api_sees_it(mailchecker):
    listing = _old_list(mailchecker.path / "contacts.csv", 6000)
    run = mailchecker.run(str(listing), "--output-format", "json-lines", "--today", "2026-11-22")
    api = mailchecker.lint(listing, today="2026-11-22")
    lines = run.output.splitlines()
    found = [json.loads(line) for line in lines]
    assert len(found) == len(api) > 5000
    by_api = [(f.code, f.line, f.severity.label, f.message) for f in api]
    assert [(f["code"], f["line"], f["severity"], f["message"]) for f in found] == by_api
    assert all("prenom.nom" not in line for line in lines)  # masked
    report = mailchecker.run(str(listing), "--today", "2026-11-22")  # json
    assert report.findings == found


def test_a_plugin_reporter_still_gets_a_list():
    from mailcheck.reporters.base import Reporter
    from mailcheck.session import _hand

    class Counting(Reporter):
        name = "counting"

        def add(self, findings):
            self.seen = findings

    consumer = Counting.__new__(Counting)
    _hand([consumer], FindingBatch([_rows("MC203", "liste.csv", [3, 1])]))
    assert type(consumer.seen) is list and [f.line for f in consumer.seen] == [1, 3]
