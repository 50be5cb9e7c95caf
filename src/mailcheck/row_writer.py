"""The thread that writes ``--rows-out``'s rows while the lint goes on.

On an old list of a million contacts the row files hold about 250 MB of CSV text. What
makes that text from a chunk's columns (Arrow kernels joining the cells into lines,
putting them in order) and writes it (a system call) runs in C++ or the kernel without
the GIL; done in the main thread it was a second of wall time in which the lint's next
chunk waited. Here one thread does it, chunk after chunk, in the order the chunks were
handed over (the rows of a file come in the order they were found), while the main
thread lints the next chunk.

What the thread is given has been read from the findings beforehand, by the main thread
(values, messages: the rules' lazy state is only ever touched there), so it works on
arrays nobody changes. At most :data:`QUEUED` jobs wait (memory stays bounded). The
first error of a job (a full temporary folder) stops the later jobs and is raised in the
main thread at every later :meth:`RowWriter.submit` and :meth:`RowWriter.wait`. The
thread is a daemon: a run stopped by Ctrl-C or an error does not wait for it, and what
it writes to (the spools, unnamed temporary files) goes with the process.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from contextlib import suppress

#: Jobs handed over and not started yet, at most (each a chunk's rows of one rule: a
#: chunk gives one big job, MC203's on an old list, and a few small ones, so that a chunk
#: or two may wait while the lint goes on; the run's peak memory grows by 20-50 MB).
QUEUED = 8


class RowWriter:
    """Runs jobs one after the other, in the order given, in one background thread."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[Callable[[], object] | None] = queue.Queue(QUEUED)
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def submit(self, job: Callable[[], object]) -> None:
        """Have ``job`` run after those submitted before (raises the error of an earlier
        job instead: the rows are incomplete from then on, and stay so)."""
        self._raise()
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="mailcheck-rows-out", daemon=True
            )
            self._thread.start()
        self._jobs.put(job)

    def wait(self) -> None:
        """Return once every job submitted has run; raise the first error of one."""
        if self._thread is not None:
            self._jobs.join()
        self._raise()

    def stop(self, wait: bool = True) -> None:
        """End the thread once the jobs submitted are done (nothing is submitted after);
        ``wait=False`` on an error or Ctrl-C: the jobs left are not waited for (what they
        write is thrown away with the process)."""
        thread, self._thread = self._thread, None
        if thread is None or not thread.is_alive():
            return
        if not wait:
            with suppress(queue.Full):
                self._jobs.put_nowait(None)
            return
        self._jobs.put(None)
        thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        failed = False
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if not failed:  # after an error the spool is not written any more
                    job()
            except Exception as error:  # handed to the main thread
                self._error, failed = error, True
            finally:
                self._jobs.task_done()
