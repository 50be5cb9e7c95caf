"""The HTML report and ``--rows-out`` read a rule's row findings in bulk (a
:class:`~mailcheck.batches.RowFindings` per chunk, as columns): what they write must be
exactly what the same findings give one at a time (a plugin's reporter, the Python API's
list), on lists with different columns, formula-like cells and cells that need quotes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from mailcheck.batches import FindingBatch, RowFindings
from mailcheck.config import Config, apply_table
from mailcheck.engine import Linter
from mailcheck.reporters.base import ReportSettings
from mailcheck.reporters.html import LISTED_LINES, SHOWN_ROWS, HtmlReporter
from mailcheck.rows_out import RowsOut, csv_lines, neutralise

TODAY = "2026-11-22"


def _lists(mailchecker) -> None:
    """Two audience lists whose flagged rows carry different columns, many stale rows
    (more than the HTML report shows and lists), cells a spreadsheet would run, cells
    with ``;``, quotes and line breaks."""
    rows = [
        [f"c{n}@example.org", "subscribed", "2017-05-01", f"salon {n % 3}"]
        for n in range(SHOWN_ROWS + LISTED_LINES + 7)
    ]
    rows += [
        ["=HYPERLINK(1)@x.com", "subscribed", "2016-01-01", 'fichier acheté; "oui"'],
        ["-dash@example.org", "subscribed", "2015-01-01", "fichier acheté\nsalon"],
        ["contact@acme.fr", "subscribed", "2018-03-01", "+33 fichier acheté"],
    ]
    mailchecker.make_csv("a.csv", header=["email", "status", "optin_date", "source"], rows=rows)
    mailchecker.make_csv(
        "b.csv",
        header=["email", "status", "last_click"],
        rows=[
            ["b1@example.org", "subscribed", "2018-02-02"],
            ["info@example.org", "subscribed", "2014-02-02"],
            ["c1@example.org", "subscribed", "2019-01-01"],
        ],
    )


def _batches(mailchecker) -> tuple[Linter, list[FindingBatch], list]:
    config = Config(root=mailchecker.path)
    apply_table(config, {"today": TODAY}, where="test")
    linter = Linter(config, pm=mailchecker.plugin_manager())
    documents: list = []
    linter.on_document = lambda doc, rows: documents.append((doc, rows))
    files = sorted(mailchecker.path.glob("*.csv"))
    return linter, list(linter.lint_files(files)), documents


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("MC*.csv"))}


def test_rows_out_in_bulk_writes_the_bytes_of_one_finding_at_a_time(mailchecker):
    _lists(mailchecker)
    _, batches, _ = _batches(mailchecker)
    assert any(isinstance(part, RowFindings) for b in batches for part in b.parts)
    bulk, one_by_one = RowsOut(mailchecker.path / "bulk"), RowsOut(mailchecker.path / "one")
    for batch in batches:
        bulk.add(batch)
        one_by_one.add(list(batch))  # a plain list: each finding on its own
    bulk.close()
    one_by_one.close()
    written = _snapshot(mailchecker.path / "bulk")
    assert written == _snapshot(mailchecker.path / "one")
    # Both lists' columns, each row under its own; formulas defused, quotes kept.
    stale = _rows(written["MC203-retention-exceeded.csv"])
    files = [row["file"] for row in stale]
    assert files == sorted(files) and set(files) == {"a.csv", "b.csv"}
    by_address = {row["address"]: row for row in stale}
    assert by_address["'-dash@example.org"]["consent_at"] == "2015-01-01"
    assert by_address["'-dash@example.org"]["last_activity_at"] == ""
    assert by_address["info@example.org"]["consent_at"] == ""
    assert by_address["info@example.org"]["last_activity_at"] == "2014-02-02"
    sources = {row["address"]: row["consent_source"] for row in _rows(written[BAD_SOURCE])}
    assert sources == {
        "'=HYPERLINK(1)@x.com": 'fichier acheté; "oui"',
        "'-dash@example.org": "fichier acheté\nsalon",
        "contact@acme.fr": "'+33 fichier acheté",
    }


def test_several_parts_of_one_rule_in_a_batch_are_written_in_bulk(mailchecker, monkeypatch):
    """One batch holding a rule's rows from several lists (or several chunks, as a rule
    that reports at the end of a file gives): laid end to end by Arrow, in the batch's
    order, the bytes of one finding at a time."""
    import mailcheck.rows_out as rows_out_module

    _lists(mailchecker)
    _, batches, _ = _batches(mailchecker)
    merged = FindingBatch([part for batch in batches for part in batch.parts])
    sizes: list[int] = []
    spool_arrow = RowsOut._spool_arrow

    def spied(self, key, parts, order):
        written = spool_arrow(self, key, parts, order)
        sizes.append(len(parts) if written else 0)
        return written

    monkeypatch.setattr(rows_out_module.RowsOut, "_spool_arrow", spied)
    bulk, one_by_one = RowsOut(mailchecker.path / "bulk"), RowsOut(mailchecker.path / "one")
    bulk.add(merged)
    one_by_one.add(list(merged))
    bulk.close()
    one_by_one.close()
    assert max(sizes) >= 2  # a rule's parts of both lists went through Arrow together
    assert _snapshot(mailchecker.path / "bulk") == _snapshot(mailchecker.path / "one")


BAD_SOURCE = "MC205-invalid-optin-source.csv"


def _rows(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_html_report_in_bulk_is_the_report_of_one_finding_at_a_time(mailchecker):
    _lists(mailchecker)
    linter, batches, documents = _batches(mailchecker)
    bulk, one_by_one = _html_both_ways(linter, batches, documents)
    assert bulk == one_by_one
    assert "c0@example.org" not in bulk  # masked
    assert f"And {LISTED_LINES + 10} more rows" in bulk


def _html_both_ways(linter: Linter, batches: list[FindingBatch], documents: list) -> list[str]:
    """The HTML report of ``batches`` given as batches, then as plain lists of findings
    (with the same "made on" time)."""
    settings = ReportSettings(registry=linter.registry, version="0", extra={})
    reports: list[str] = []
    started = None
    for feed in (lambda batch: batch, list):
        stream = io.StringIO()
        reporter = HtmlReporter(stream, settings)
        reporter.start()
        for doc, rows in documents:
            reporter.document(doc, rows)
        for batch in batches:
            reporter.add(feed(batch))
        started = reporter.started = started or reporter.started
        reporter.finish(linter.result)
        reports.append(stream.getvalue())
    return reports


@pytest.mark.parametrize(
    "cells",
    [
        ["plain", "a;b", 'say "hi"', "line\nbreak", "cr\ronly", "", "\udcff lone", " sp "],
        ["", ""],
        ['"', ";", "\r\n", "\t", "é"],
    ],
)
def test_csv_lines_are_what_the_csv_module_writes(cells):
    columns = [cells, list(reversed(cells)), ["x"] * len(cells)]
    expected = io.StringIO(newline="")
    csv.writer(expected, delimiter=";").writerows(zip(*columns, strict=True))
    assert "".join(line + "\r\n" for line in csv_lines(columns)) == expected.getvalue()


def test_formula_cells_are_found_among_many():
    from mailcheck.rows_out import _neutralised

    cells = ["a@x.fr"] * 1000 + ["=1+1", "a\0=b", "@home", "\tx"]
    assert _neutralised(cells) == [neutralise(cell) for cell in cells]
    assert _neutralised(["a", "b\0=c"]) == ["a", "b\0=c"]
    assert _neutralised([1, None, "=x"]) == ["1", "", "'=x"]


def test_findings_that_are_no_rows_among_a_rules_rows_are_shown_in_their_place(
    mailchecker,
):
    """A rule's file-level findings in the same batch as its rows (a plugin's, or an
    MC203 note): shown up to the elements' limit, the rows to theirs, in line order."""
    from mailcheck.findings import Finding, Severity

    _lists(mailchecker)
    linter, batches, documents = _batches(mailchecker)
    notes = [
        Finding("MC203", "retention-exceeded", Severity.INFO, f"note {n}", "a.csv", line=line)
        for n, line in enumerate((1, 4, 12, 30, 30, 31))
    ]
    mixed = [FindingBatch([*batch.parts, *notes]) for batch in batches[:1]] + batches[1:]
    reports = _html_both_ways(linter, mixed, [])
    assert reports[0] == reports[1]
    assert "note 5" in reports[0]


@pytest.mark.parametrize(
    "texts",
    [
        ["a@x.fr", "", "=1+1", "x;y", 'say "hi"', "-3", "é@x.fr", "line\nbreak", "\tt"],
        ["", "plain", "", "@home"],
        ["only plain", "cells", ""],
    ],
)
def test_arrow_cells_are_the_cells_python_writes(texts):
    import pyarrow as pa

    from mailcheck.arrow_csv import cells
    from mailcheck.rows_out import csv_cell

    whole = pa.array(["=skipped", *texts, "x;skipped"])
    sliced = whole.slice(1, len(texts))  # an array that starts inside its buffers
    assert cells(sliced).to_pylist() == [csv_cell(text) for text in texts]


@pytest.mark.parametrize(
    "values",
    [
        [1, -2, 3_000_000_000],
        ["a", None, "c"],
        ["a", float("nan")],
        ["a", 3],
        ["2019-05-03", "2020-01-01 10:00:00", None],
    ],
)
def test_a_columns_text_in_arrow_is_its_text_in_python(values):
    import numpy as np
    import pandas as pd

    from mailcheck.rules.contacts.common import _as_text, _text_array

    column = pd.Series(np.array(values, dtype=object if None in values else None))
    if isinstance(values[0], str) and values[0].startswith("20"):
        column = pd.to_datetime(column, format="ISO8601")
    assert _text_array(column).to_pylist() == _as_text(column)
