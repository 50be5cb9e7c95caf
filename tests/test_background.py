"""The worker process and thread a report uses beside the lint (mailcheck.background)."""

from __future__ import annotations

import os
import signal
import threading

from mailcheck.background import BackgroundWorker


def test_the_worker_leaves_ctrl_c_to_the_main_process_and_says_nothing():
    """A terminal's Ctrl-C reaches every process of the run: the worker ignores it (the
    main process stops it) and has no stderr to print a traceback on."""
    worker = BackgroundWorker()
    try:
        job = worker.submit(signal.getsignal, signal.SIGINT)
        assert job is not None
        assert job.result(timeout=60) == signal.SIG_IGN
        assert worker.submit(os.getpid).result(timeout=60) != os.getpid()
    finally:
        worker.close()
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # this process: untouched


def test_work_beside_runs_in_another_thread_and_close_stops_it():
    worker = BackgroundWorker()
    try:
        job = worker.beside(threading.get_ident)
        assert job.result(timeout=60) != threading.get_ident()
    finally:
        worker.close()
    assert worker._thread is None and worker._pool is None


def test_a_worker_that_cannot_start_says_so(monkeypatch):
    import mailcheck.parallel

    def refuse(workers: int, **how):
        raise OSError("no more processes")

    monkeypatch.setattr(mailcheck.parallel, "spawn_pool", refuse)
    worker = BackgroundWorker()
    assert worker.submit(os.getpid) is None
    assert worker.submit(os.getpid) is None  # not tried again
