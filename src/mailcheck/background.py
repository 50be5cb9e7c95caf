"""A report's heavy work done beside the lint: in one worker process, and one thread.

A machine format (JSON) writes every row of an old list: a million records and their
keyed fingerprints, as long again as the lint itself in the one Python thread. The lint
is what only the main thread can do (the rules' state, the order of the files); the
rest goes beside it:

* the fingerprints are Python work (a million small ``hashlib`` calls, which hold the
  GIL): they are made by one worker process started with ``spawn``
  (:func:`mailcheck.parallel.spawn_pool`, as every mailcheck worker), which sends back
  20 hex digits a row;
* the records are assembled by Arrow's C++ kernels, which release the GIL: in one thread
  of this process, so that the text (hundreds of megabytes) is never sent between
  processes -- a thread reading a pipe the size of the report waits for the GIL at
  every read while the lint holds it.

A worker that cannot start, or dies, loses nothing: :meth:`BackgroundWorker.submit`
says so (or the future raises) and the caller does the work itself.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor


class BackgroundWorker:
    """One worker process, started on the first :meth:`submit`, and one thread, started
    on the first :meth:`beside`."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False
        self._thread: ThreadPoolExecutor | None = None

    def beside(self, work: Callable[..., Any], *args: Any) -> Future:
        """``work(*args)`` started in the thread (work that releases the GIL)."""
        if self._thread is None:
            from concurrent.futures import ThreadPoolExecutor

            self._thread = ThreadPoolExecutor(1, thread_name_prefix="mailcheck-report")
        return self._thread.submit(work, *args)

    def submit(self, work: Callable[..., Any], *args: Any) -> Future | None:
        """``work(*args)`` started in the worker (a module-level function and values that
        pickle), or ``None`` when there is no worker: the caller then does it here. The
        future raises if the worker dies on the way."""
        pool = self._started()
        if pool is None:
            return None
        try:
            return pool.submit(work, *args)
        except Exception:  # noqa: BLE001 - a pool that takes no more work: done here
            self._broken = True
            return None

    def _started(self) -> ProcessPoolExecutor | None:
        if self._pool is None and not self._broken:
            from mailcheck.parallel import spawn_pool

            try:
                self._pool = spawn_pool(1, initializer=_quiet)
            except (OSError, ImportError, NotImplementedError):
                self._broken = True
        return None if self._broken else self._pool

    def close(self) -> None:
        """Stop the thread and the worker (the work they have not started is dropped)."""
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _quiet() -> None:
    """The worker says nothing and leaves Ctrl-C to the main process, which stops it
    (:meth:`BackgroundWorker.close`): a terminal's Ctrl-C reaches every process of the
    run, and the user reads one line, "interrupted", not a worker's traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the worker's whole life
