"""The JSON formats on a list with many flagged rows: fingerprints made by a worker
process while the lint goes on give the very text made in one process."""

from __future__ import annotations

import pytest

from mailcheck import digests
from mailcheck.reporters import json as json_format
from tests.reporters.generated import old_list


@pytest.fixture
def lists(mailchecker):
    """An old list: most rows past retention, several rules and severities per chunk."""
    old_list(mailchecker.path / "old.csv", 3000)
    mailchecker.make_file("abonnés.csv", "email;statut\njeanne.martin@exemple.fr;abonné\n")
    return mailchecker


@pytest.mark.parametrize("fmt", ["json", "json-lines", "json-report"])
def test_fingerprints_from_a_worker_give_the_same_report(lists, monkeypatch, fmt):
    from mailcheck.readers.csv import blocks

    monkeypatch.setattr(blocks, "BLOCK_BYTES", 64 << 10)  # several batches per list
    monkeypatch.setattr(json_format._BulkJson, "WORKER_ROWS", 100)
    arguments = (".", "--today", "2026-11-22", "--output-format", fmt)
    submitted: list[int] = []
    submit = digests.DigestWorker.submit

    def spied(self, secret, prefix, keys):
        submitted.append(len(keys))
        return submit(self, secret, prefix, keys)

    monkeypatch.setattr(digests.DigestWorker, "submit", spied)
    in_workers = lists.run(*arguments, "--jobs", "2")
    assert len(submitted) > 3 and sum(submitted) > 2000  # batches went to the worker
    count = len(submitted)
    alone = lists.run(*arguments, "--jobs", "1")
    assert len(submitted) == count  # jobs = 1: no worker process
    assert in_workers.exit_code == alone.exit_code == 1
    assert in_workers.output == alone.output
    assert in_workers.output.count('"fingerprint"') > 2000


def test_records_laid_end_to_end_in_the_batch_order_a_window_at_a_time(monkeypatch):
    """The parts' records are put in the batch's order as UTF-8, whatever their offsets
    (32- or 64-bit), a window of records at a time: the windows joined are the whole
    text, without a separator after the last record."""
    import numpy as np
    import pyarrow as pa

    from mailcheck.reporters import bulk_text

    def ordered(records, order):
        return b"".join(bytes(piece) for piece in bulk_text.ordered_bytes(records, order, ","))

    first = pa.array(["a1,", "a2,", "a3,"], pa.string())
    second = pa.array(["bé1,", "b2,"], pa.large_string())
    order = np.array([0, 3, 1, 4, 2])  # a1 bé1 a2 b2 a3: the parts laid end to end
    expected = "a1,bé1,a2,b2,a3".encode()
    assert ordered([first, second], order) == expected
    both = [first, second.cast(pa.string())]
    assert ordered(both, order) == expected
    assert ordered(both, np.array([], dtype=np.int64)) == b""
    for window in (1, 2, 3):
        monkeypatch.setattr(bulk_text, "WINDOW", window)
        pieces = list(bulk_text.ordered_bytes([first, second], order, ","))
        assert len(pieces) == -(-len(order) // window)
        assert b"".join(map(bytes, pieces)) == expected
