"""The JSON formats on a list with many flagged rows: fingerprints made by a worker
process while the lint goes on give the very text made in one process."""

from __future__ import annotations

import pytest

from mailcheck import background
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
    submit = background.BackgroundWorker.submit

    def spied(self, work, secret, prefix, offsets, data):
        submitted.append(len(offsets) // 8 - 1)  # keys: int64 offsets, one more
        return submit(self, work, secret, prefix, offsets, data)

    monkeypatch.setattr(background.BackgroundWorker, "submit", spied)
    in_workers = lists.run(*arguments, "--jobs", "2")
    assert len(submitted) > 3 and sum(submitted) > 2000  # batches went to the worker
    count = len(submitted)
    alone = lists.run(*arguments, "--jobs", "1")
    assert len(submitted) == count  # jobs = 1: no worker process
    assert in_workers.exit_code == alone.exit_code == 1
    assert in_workers.output == alone.output
    assert in_workers.output.count('"fingerprint"') > 2000


def test_a_batch_whose_text_could_not_be_made_beside_is_made_here(lists, monkeypatch):
    """The thread making a batch's text failed (a broken pool): the batch is made in the
    lint's thread, in its turn, and the report is the same."""
    from concurrent.futures import Future

    from mailcheck.readers.csv import blocks

    monkeypatch.setattr(blocks, "BLOCK_BYTES", 64 << 10)
    monkeypatch.setattr(json_format._BulkJson, "WORKER_ROWS", 100)
    arguments = (".", "--today", "2026-11-22", "--output-format", "json-lines")
    alone = lists.run(*arguments, "--jobs", "1")
    failed: list[Future] = []

    def broken(self, work, *args):
        job: Future = Future()
        job.set_exception(RuntimeError("cannot schedule new futures after shutdown"))
        failed.append(job)
        return job

    monkeypatch.setattr(background.BackgroundWorker, "beside", broken)
    in_workers = lists.run(*arguments, "--jobs", "2")
    assert failed  # batches were sent beside the lint, and failed there
    assert in_workers.output == alone.output


def test_a_text_arrow_cannot_hold_is_no_bulk_text():
    """A lone surrogate (a file name read with surrogate escapes): no bytes, so that the
    report writes those findings one at a time."""
    import numpy as np

    from mailcheck.reporters import bulk_text

    ordered = bulk_text.Ordered(
        [
            bulk_text.Records(
                2, ['{"m": ', bulk_text.Picked(['"ok"', '"\ud800"'], np.array([0, 1])), "}\n"]
            )
        ],
        (np.array([0, 0]), np.array([0, 1])),
        "\n",
    )
    assert bulk_text.assembled(ordered) is None
    fine = bulk_text.Ordered(
        [
            bulk_text.Records(
                2, ['{"m": ', bulk_text.Picked(['"a"', '"b"'], np.array([1, 0])), "}\n"]
            )
        ],
        (np.array([0, 0]), np.array([1, 0])),
        "\n",
    )
    assert bytes(bulk_text.assembled(fine)) == b'{"m": "a"}\n{"m": "b"}'
