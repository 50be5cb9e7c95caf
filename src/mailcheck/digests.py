"""Work on many findings done in another process while the lint goes on.

A machine format prints a keyed fingerprint for every finding (HMAC-SHA256, see
:mod:`mailcheck.fingerprints`) and writes a record per finding: on an old list, a
second or two per million rows, spent in the one Python thread that also lints.
:class:`DigestPool` hands that work -- the fingerprints of each large
:class:`~mailcheck.batches.RowFindings` (:meth:`DigestPool.prefetch`), or a whole
batch's JSON (:meth:`DigestPool.submit`, see ``Reporter.prepare``) -- to one worker
process as soon as the engine passes the batch on; the session writes each batch one
step later (see :func:`mailcheck.session.run`), so the worker works on one batch while
the next is linted.

The worker is started with ``spawn`` (as on Windows, where there is no ``fork``) and only
for a run that has that many rows to fingerprint. If it cannot start or dies, the
fingerprints are computed here: slower, never lost, never different.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from mailcheck.batches import RowFindings
    from mailcheck.fingerprints import FingerprintKey

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Rows of one rule in one batch below which the fingerprints are computed in place:
#: sending them costs about a tenth of computing them, and a worker costs a start.
MIN_ROWS = 2_000


class DigestPool:
    """One worker process computing the fingerprints of large row findings."""

    def __init__(self, key: FingerprintKey) -> None:
        self.key = key
        self._executor: ProcessPoolExecutor | None = None
        self._failed = False

    def prefetch(self, parts: Iterable[object]) -> None:
        """Start computing the fingerprints of every large :class:`RowFindings` among
        ``parts``; each one's ``content_hashes()`` then waits for them."""
        from mailcheck.batches import RowFindings

        for part in parts:
            if isinstance(part, RowFindings) and len(part) >= MIN_ROWS:
                future = self._submit(part)
                if future is not None:
                    part.expect_hashes(future)

    def _submit(self, part: RowFindings) -> Future[list[str]] | None:
        return self.submit(digests, self.key.secret, part.hash_prefix(), part.content_keys())

    def submit(self, function: Callable[..., T], *args: object) -> Future[T] | None:
        """``function(*args)`` in the worker (both picklable); ``None`` when there is
        no worker: the caller does the work itself."""
        executor = self._start()
        if executor is None:
            return None
        try:
            return executor.submit(function, *args)
        except Exception as error:  # noqa: BLE001 - a broken pool: compute in place
            self._give_up(error)
            return None

    def _start(self) -> ProcessPoolExecutor | None:
        if self._failed:
            return None
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:
                self._executor = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn")
                )
            except Exception as error:  # noqa: BLE001 - no process support: compute in place
                self._give_up(error)
        return self._executor

    def _give_up(self, error: BaseException) -> None:
        log.debug("fingerprint worker unavailable (%s): computed in place", error)
        self._failed = True

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def digests(secret: bytes, prefix: str, keys: list[str]) -> list[str]:
    """``FingerprintKey(secret).digest(prefix + key)`` for each key (in the worker)."""
    from mailcheck.fingerprints import FingerprintKey

    digest = FingerprintKey(secret, "worker").digest
    return [digest(prefix + key) for key in keys]
