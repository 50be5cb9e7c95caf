"""The reading pipeline: the canonical chunks of a document, fast path first, exact path
from the first record not yet delivered, read ahead in a background thread.

Files the fast path (:mod:`mailcheck.readers.csv.arrow`) cannot prove it reads exactly
(UTF-16, a ``"`` inside an unquoted field, ragged rows, whitespace-only lines) fall back
to the exact path (:mod:`mailcheck.readers.csv.exact`), which counts physical lines
itself. :func:`count_rows` counts data records without parsing.
"""

from __future__ import annotations

import queue
import threading
import zipfile
from collections.abc import Iterator

from mailcheck.documents import ContactListDocument
from mailcheck.errors import InputError
from mailcheck.lazy import pd
from mailcheck.readers.csv import blocks
from mailcheck.readers.csv.arrow import _arrow_batches, _NotFast
from mailcheck.readers.csv.blocks import scan_records
from mailcheck.readers.csv.exact import _slow_records
from mailcheck.readers.csv.plan import _Plan
from mailcheck.readers.csv.source import _max_record, _os_reason
from mailcheck.readers.dates import (
    UnreadableDates,
)


def count_rows(doc: ContactListDocument, opener) -> int:
    """Data records in the file (what ``mailcheck inspect`` shows), without parsing."""
    if doc.row_count is not None:
        return doc.row_count
    if blocks._fast_path_possible(doc.encoding):
        scan = scan_records(
            opener,
            doc.delimiter,
            doc.preamble_lines,
            width=len(doc.header),
            header_records=0 if doc.headerless else 1,
            max_record=_max_record(doc),
        )
        if not scan.stray_quotes:
            return scan.count
    return sum(len(lines) for _, lines in _slow_records(doc, opener, 0))


def _chunks(doc: ContactListDocument, opener, plan: _Plan) -> Iterator[pd.DataFrame]:
    """The canonical chunks, read ahead in a background thread (see :func:`prefetch`)."""
    return prefetch(_read_frames(doc, opener, plan))


def prefetch(frames: Iterator[pd.DataFrame], depth: int = 1) -> Iterator[pd.DataFrame]:
    """Run ``frames`` in a reader thread, at most ``depth`` chunks ahead of the rules.

    Parsing (pyarrow), the line scan (numpy) and most of the canonical conversion
    (Arrow compute) release the GIL, so reading the next block overlaps with the rules
    checking this one: two cores instead of one, for a chunk or two more of memory (a
    second queued chunk measured no faster, 15 MB bigger). An error
    in the reader is raised in the consumer, where the engine turns it into MC900."""
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for frame in frames:
                if not put(("frame", frame)):
                    return
            put(("done", None))
        except BaseException as error:  # noqa: BLE001 - handed over to the consumer
            put(("error", error))
        finally:
            frames.close()

    thread = threading.Thread(target=produce, name="mailcheck-csv-reader", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = handoff.get()
            if kind == "frame":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        stop.set()
        thread.join()


def _read_frames(doc: ContactListDocument, opener, plan: _Plan) -> Iterator[pd.DataFrame]:
    delivered = 0
    # Counted afresh on each read (a cross-file rule may read the list a second time).
    report = doc.read_report
    unreadable = report.unreadable_dates = UnreadableDates()
    report.fast_path = fast = blocks._fast_path_possible(doc.encoding)
    if fast:
        try:
            for raw, lines in _arrow_batches(doc, opener, plan):
                delivered += len(lines)
                yield plan.frame(raw, lines, unreadable)
            doc.row_count = delivered
            return
        except _NotFast:
            pass  # ragged rows, stray quotes, whitespace-only lines: the exact path takes over
        except (OSError, zipfile.BadZipFile) as error:
            raise InputError(_os_reason(error)) from None
        report.fast_path = False
    for raw, lines in _slow_records(doc, opener, delivered, plan.indices):
        delivered += len(lines)
        yield plan.frame(raw, lines, unreadable)
    doc.row_count = delivered
