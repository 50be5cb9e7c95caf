"""``--rows-out``'s rows made into CSV text and spooled by a background thread
(:mod:`mailcheck.row_writer`): the same bytes as one finding at a time, whether Arrow or
Python makes them (hostile cells, a lone surrogate), in the order handed over, and an
error of the thread told in the main thread as one line."""

from __future__ import annotations

import csv
import errno
import io
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mailcheck.batches import FindingBatch, RowFindings
from mailcheck.findings import Severity
from mailcheck.outputs import OutputError
from mailcheck.row_writer import RowWriter
from mailcheck.rows_out import RowsOut
from mailcheck.rules.contacts.common import FlaggedRows

#: Cells a spreadsheet would run, cells that need quotes, cp1252 text read as such.
HOSTILE = [
    '=HYPERLINK("http://x")@x.com',
    "-dash@example.org",
    "a;b@example.org",
    'say "hi"@example.org',
    "line\nbreak@example.org",
    "cr\ronly@example.org",
    "\ttab@example.org",
    "café€œ@exemple.fr",
    "plain@example.org",
]


def _part(
    emails: list[str], sources: list[object], message: str = "stale", first_line: int = 2, step=1
):
    """A rule's flagged rows of one chunk, as a contact rule gives them: an email column,
    a text column, a date column (midnight, a time, none) and a number column."""
    size = len(emails)
    dates = pd.Series(
        pd.to_datetime(
            [["2016-03-01", "2019-05-20 17:19:17", None][n % 3] for n in range(size)],
            format="ISO8601",
        ).astype("datetime64[s]")
    )
    columns = {
        "email": pd.Series(emails, dtype=object),
        "consent_source": pd.Series(sources, dtype=object),
        "consent_at": dates,
        "age_days": pd.Series(np.arange(size, dtype=np.int64) * 1000),
    }
    source = FlaggedRows(columns, None, size, message, None)
    lines = np.arange(first_line, first_line + size * step, step, dtype=np.int64)
    levels = np.array([int(Severity.ERROR), int(Severity.WARNING)] * size, np.int8)[:size]
    return RowFindings(
        "MC205", "invalid-optin-source", Severity.ERROR, "liste.csv", lines, None, None, source,
        levels,
    )  # fmt: skip


def _written(folder: Path, batches: list[FindingBatch], one_by_one: bool) -> bytes:
    rows = RowsOut(folder)
    for batch in batches:
        rows.add(list(batch) if one_by_one else batch)
    rows.close()
    return (folder / "MC205-invalid-optin-source.csv").read_bytes()


@pytest.mark.parametrize(
    "surrogate",
    [None, "value", "message"],
    ids=["arrow", "lone-surrogate-in-a-value", "lone-surrogate-in-the-message"],
)
def test_hostile_rows_from_the_thread_are_the_bytes_of_one_finding_at_a_time(
    tmp_path, monkeypatch, surrogate
):
    """Arrow makes the rows in the thread; a value Arrow cannot hold has them made by
    Python there, a message Arrow cannot hold has them made in the main thread."""
    import mailcheck.rows_out as rows_out_module

    sources = [f"fichier acheté {n}" for n in range(len(HOSTILE))]
    sources[3] = "=1+1"
    message = "stale"
    if surrogate == "value":
        sources[4] = "salon \udcff"
    elif surrogate == "message":
        message = "stale \udcff"
    batches = [  # two parts of the rule whose lines interleave (two chunks, one batch)
        FindingBatch(
            [
                _part(HOSTILE, sources, message, first_line=3, step=2),
                _part(list(reversed(HOSTILE)), sources, message, first_line=2, step=2),
            ]
        ),
        FindingBatch([_part(HOSTILE, sources, message, first_line=40)]),
    ]
    encoded = rows_out_module._encoded
    by_python: list[str] = []

    def spied(*args):
        by_python.append(threading.current_thread().name)
        return encoded(*args)

    monkeypatch.setattr(rows_out_module, "_encoded", spied)
    bulk = _written(tmp_path / "bulk", batches, one_by_one=False)
    threads = {None: [], "value": ["mailcheck-rows-out"] * 2, "message": ["MainThread"] * 2}
    assert by_python == threads[surrogate]
    assert bulk == _written(tmp_path / "one", batches, one_by_one=True)
    text = bulk.decode("utf-8-sig")
    found = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert found[0] == [
        "file", "line", "address", "severity", "message", "consent_source", "consent_at",
        "age_days",
    ]  # fmt: skip
    assert [row[1] for row in found[1:]] == [str(n) for n in [*range(2, 20), *range(40, 49)]]
    by_line = {row[1]: row for row in found[1:]}
    assert by_line["3"][2:4] == ['\'=HYPERLINK("http://x")@x.com', "error"]
    assert by_line["2"][2] == "plain@example.org" and by_line["4"][3] == "warning"
    assert by_line["11"][2] == "line\nbreak@example.org"
    assert by_line["11"][5] == ("salon \\udcff" if surrogate == "value" else sources[4])
    assert by_line["9"][5] == "'=1+1" and by_line["17"][2] == "café€œ@exemple.fr"
    assert [by_line[n][6] for n in ("40", "41", "42")] == ["2016-03-01", "2019-05-20 17:19:17", ""]
    if surrogate is not None:  # written escaped, as the file's encoding does
        assert "\\udcff" in text


def test_rows_are_spooled_in_the_order_handed_over(tmp_path, monkeypatch):
    """Chunks handed over while the thread is still writing an earlier one wait for it:
    the file's rows stay in the order found."""
    import mailcheck.rows_out as rows_out_module

    released = threading.Event()
    write_bytes = rows_out_module._Spool.write_bytes
    calls: list[int] = []

    def slow_first(self, names, encoded):
        calls.append(len(encoded))
        if len(calls) == 1:
            assert released.wait(10)
        write_bytes(self, names, encoded)

    monkeypatch.setattr(rows_out_module._Spool, "write_bytes", slow_first)
    rows = RowsOut(tmp_path / "rows")
    emails = [f"c{n}@example.org" for n in range(50)]
    for start in (2, 60, 120):
        rows.add(FindingBatch([_part(emails, ["achat"] * 50, first_line=start)]))
    released.set()
    rows.close()
    written = (tmp_path / "rows" / "MC205-invalid-optin-source.csv").read_text("utf-8-sig")
    lines = [row[1] for row in csv.reader(io.StringIO(written, newline=""), delimiter=";")][1:]
    assert lines == [str(n) for start in (2, 60, 120) for n in range(start, start + 50)]
    assert len(calls) == 3


def test_a_spool_that_cannot_be_written_is_a_one_line_error_and_no_row_file(tmp_path, monkeypatch):
    import mailcheck.rows_out as rows_out_module

    def full(self, names, encoded):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(rows_out_module._Spool, "write_bytes", full)
    rows = RowsOut(tmp_path / "rows")
    emails = [f"c{n}@example.org" for n in range(5)]
    with pytest.raises(OutputError) as raised:
        for start in (2, 10):
            rows.add(FindingBatch([_part(emails, ["achat"] * 5, first_line=start)]))
        rows.close()
    assert str(raised.value).startswith("--rows-out: cannot write the rows to a temporary file")
    assert str(raised.value).endswith("No space left on device")
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "rows").exists()


def test_the_writer_runs_jobs_in_order_and_keeps_its_first_error():
    writer = RowWriter()
    done: list[int] = []
    for n in range(40):  # more than the queue holds
        writer.submit(lambda n=n: done.append(n))
    writer.wait()
    assert done == list(range(40))

    def fails():
        raise OSError(errno.EIO, "Input/output error")

    writer.submit(fails)
    writer.submit(lambda: done.append(99))  # not run: the rows are incomplete
    with pytest.raises(OSError, match="Input/output error"):
        writer.wait()
    with pytest.raises(OSError, match="Input/output error"):  # and stays so
        writer.submit(lambda: done.append(100))
    thread = writer._thread
    assert thread is not None and thread.name == "mailcheck-rows-out"
    writer.stop()
    assert done == list(range(40))
    assert not thread.is_alive()


def test_a_stopped_run_does_not_wait_for_the_writer():
    """On Ctrl-C or an error the run stops at once: the jobs left are not waited for."""
    writer = RowWriter()
    started, release = threading.Event(), threading.Event()
    done: list[str] = []
    writer.submit(lambda: (started.set(), release.wait(10), done.append("slow")))
    writer.submit(lambda: done.append("next"))
    assert started.wait(10)
    writer.stop(wait=False)  # returns while the first job still runs
    assert done == []
    release.set()
