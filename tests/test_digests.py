"""Fingerprints in bulk (mailcheck.digests): the same digests as one finding at a time,
from this process or a worker process, and never lost when the worker fails."""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import pyarrow as pa
import pytest

from mailcheck.batches import RowFindings
from mailcheck.digests import Digests, DigestWorker, as_array, hex_digests, key_buffers
from mailcheck.findings import Severity
from mailcheck.fingerprints import FingerprintKey, activate

KEYS = [
    "jeanne.martin@exemple.fr",
    "",
    "léa.dubois@exemple.fr",
    '=HYPERLINK("x")@x.com',
    "żółw@przykład.pl",
    "tab\tand\0nul@x.fr",
]


@pytest.mark.parametrize("secret", [b"k", b"", b"s" * 64, b"long" * 40, "clé".encode()])
def test_bulk_digests_are_each_keys_fingerprint(secret):
    key = FingerprintKey(secret, "test")
    prefix = "MC203\0listes/abonnés.csv\0"
    keys = pa.array(KEYS, pa.string())
    made = as_array(hex_digests(secret, prefix.encode(), *key_buffers(keys)))
    assert made.to_pylist() == [key.digest(prefix + text) for text in KEYS]


def test_a_slice_of_keys_is_read_from_its_offset():
    """A taken or sliced array does not start at offset 0 of its buffers."""
    keys = pa.array(KEYS, pa.string()).slice(2, 3)
    made = as_array(hex_digests(b"k", b"p", *key_buffers(keys)))
    key = FingerprintKey(b"k", "test")
    assert made.to_pylist() == [key.digest("p" + text) for text in KEYS[2:5]]


class _Rows:
    def __init__(self, keys: list[str]) -> None:
        self.keys, self.size = keys, len(keys)

    def data(self, row: int) -> dict:
        return {"address": self.keys[row]}

    def message(self, row: int) -> str:
        return f"line {row} has no opt-in date"

    def fingerprint(self, row: int) -> str:
        return self.keys[row]


def _part(keys: list[str], path: str = "listes/abonnés.csv") -> RowFindings:
    lines = np.arange(2, len(keys) + 2, dtype=np.int64)
    return RowFindings(
        "MC204", "consent-proof-missing", Severity.WARNING, path, lines, None, None, _Rows(keys)
    )


@pytest.fixture(autouse=True)
def _key():
    activate(FingerprintKey(b"test-key", "test"))


def test_a_parts_array_is_its_content_hashes_kept_rows_and_fallbacks_included():
    """Rows without an address are fingerprinted by their message (as one at a time);
    a path holding an address is masked in the prefix; a baseline's subset keeps its
    rows' digests."""
    part = _part(KEYS, path="exports/jeanne.martin@exemple.fr.csv")
    assert part.content_hash_array().to_pylist() == part.content_hashes()
    kept = part.keep(np.array([i % 2 == 0 for i in range(len(KEYS))]))
    assert kept.content_hash_array().to_pylist() == [f.content_hash() for f in kept]


def test_a_key_arrow_cannot_hold_is_fingerprinted_one_at_a_time():
    part = _part(["ok@exemple.fr", "bad\ud800@exemple.fr"])
    assert part.content_hash_array().to_pylist() == [f.content_hash() for f in part]


def test_a_worker_process_makes_the_same_digests():
    worker = DigestWorker()
    try:
        parts = [_part([f"contact{i}.{n}@exemple.fr" for i in range(500)]) for n in range(3)]
        for part in parts:
            part.start_digests(worker)
        assert worker._pool is not None  # really in a worker
        for part in parts:
            assert part.content_hash_array().to_pylist() == [f.content_hash() for f in part]
    finally:
        worker.close()


def test_digests_of_a_dead_worker_are_made_here():
    keys = pa.array(KEYS, pa.string())
    args = (b"k", b"p", *key_buffers(keys))
    dead: Future = Future()
    dead.set_exception(BrokenProcessPool("a worker was killed"))
    made = Digests(args, dead).array()
    assert made.to_pylist() == as_array(hex_digests(*args)).to_pylist()


def test_a_worker_that_cannot_start_leaves_the_digests_to_this_process(monkeypatch):
    import mailcheck.parallel

    def refuse(workers: int, **how):
        raise OSError("no more processes")

    monkeypatch.setattr(mailcheck.parallel, "spawn_pool", refuse)
    worker = DigestWorker()
    part = _part(KEYS)
    part.start_digests(worker)
    assert worker._pool is None
    assert part.content_hash_array().to_pylist() == part.content_hashes()


def test_the_worker_leaves_ctrl_c_to_the_main_process_and_says_nothing():
    """A terminal's Ctrl-C reaches every process of the run: the worker ignores it (the
    main process stops it) and has no stderr to print a traceback on."""
    import os
    import signal

    worker = DigestWorker()
    try:
        pool = worker._started()
        assert pool is not None
        assert pool.submit(signal.getsignal, signal.SIGINT).result(timeout=60) == signal.SIG_IGN
        assert pool.submit(os.getpid).result(timeout=60) != os.getpid()
    finally:
        worker.close()
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # this process: untouched
