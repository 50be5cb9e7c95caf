"""``json`` (one array), ``json-lines`` (one object per line, streamed) and
``json-report`` (one object: findings, coverage, totals).

The contract, stable across minor versions, is documented in ``docs/output.md``: each
finding object has ``code``, ``name``, ``severity``, ``message``, ``path``, ``line``,
``column``, ``end_line``, ``end_column``, ``part``, ``fix``, ``reference``,
``fingerprint``.

``json`` and ``json-lines`` hold findings only, as they always did: scripts read every
element as a finding, so a record of another shape among them would break them. What
could not be checked (coverage) has its own format, ``json-report``, an object with
room for it: ``{"findings": [...], "coverage": [...], "summary": {...}}``.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mailcheck.batches import FindingBatch, RowFindings, singles
from mailcheck.findings import Finding, LintResult, Severity
from mailcheck.lazy import np, pa
from mailcheck.pii import mask_text
from mailcheck.reporters import bulk_text
from mailcheck.reporters.base import Reporter
from mailcheck.reporters.placed import has_rows
from mailcheck.terminal import json_safe

if TYPE_CHECKING:
    from mailcheck.digests import DigestWorker

#: One encoder for every finding: ``json.dumps(..., ensure_ascii=False)`` builds a new
#: one per call, a third of the time it takes on a list with many flagged rows.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def encode(value: Any) -> str:
    """``value`` as JSON, UTF-8 kept readable, but bidi overrides and C1 controls (a
    sender name, a file name) escaped: a report ``cat``-ed in a terminal obeys none."""
    return json_safe(_encode(value))


def encoded(findings: list[Finding]) -> list[str]:
    """Each finding of a batch as its JSON object (:func:`encode` of ``to_dict()``), in
    order, as Python strings (a rule's row findings: see :func:`encoded_bytes`)."""
    if not isinstance(findings, FindingBatch):
        return [encode(finding.to_dict()) for finding in findings]
    return findings.gather(lambda part: [encode(finding.to_dict()) for finding in singles(part)])


def encoded_bytes(batch: FindingBatch, separator: str) -> Iterator[memoryview] | None:
    """The JSON objects of a batch joined by ``separator``, as UTF-8 pieces to write one
    after the other -- the same text as :func:`encoded`. A rule's row findings are
    encoded together: the fields they share once, per row only its severity, message
    (once per distinct text), line and fingerprint, assembled by Arrow
    (:mod:`~mailcheck.reporters.bulk_text`). ``None`` when Arrow cannot hold a text (a
    lone surrogate in a file name): :func:`encoded` then writes it. Only the records are
    made here; putting them in order cannot fail (:func:`bulk_text.ordered_bytes`)."""
    try:
        records = [_records(part, separator) for part in batch.parts]
    except (pa.ArrowException, UnicodeError):
        return None
    return bulk_text.ordered_bytes(records, batch.flat_order(), separator)


#: Stand-ins for the fields that differ from row to row, found again in the encoded text.
_PER_ROW = {"severity": "\x00s", "message": "\x00m", "line": "\x00l", "fingerprint": "\x00f"}


def _records(part: Finding | RowFindings, separator: str) -> pa.Array | _RowRecords:
    """The part's JSON objects, each followed by ``separator``: one finding's text, or a
    rule's rows made a window at a time (:class:`_RowRecords`)."""
    if not isinstance(part, RowFindings):
        return bulk_text.texts([encode(part.to_dict()) + separator])
    return _RowRecords(part, separator)


class _RowRecords:
    """The JSON objects of a rule's row findings, made for the rows a window of the
    batch takes (``take``, as :func:`bulk_text.ordered_bytes` reads an array): the text
    they share is encoded once, and its per-row fields -- severity, message, line,
    fingerprint -- are put between its pieces by Arrow. The texts Arrow could refuse (a
    lone surrogate in a path or a message) are made here, before any window is."""

    def __init__(self, part: RowFindings, separator: str) -> None:
        first = part.finding(0)
        first.message = _PER_ROW["message"]  # not built: replaced below
        first.fingerprint = _PER_ROW["fingerprint"]  # nor read from the row: replaced below
        shared = first.to_dict()
        shared.update(_PER_ROW)
        text = encode(shared)
        pieces = []
        for stand_in in _PER_ROW.values():
            before, text = text.split(encode(stand_in), 1)
            pieces.append(before)
        self.head, self.after_severity, self.after_message, after_line = pieces
        self.after_line, self.tail = after_line + '"', '"' + text + separator
        bulk_text.texts(pieces + [text])  # refused here, not half-way through the writing
        self.part = part
        if part.levels is None:
            self.severity: str | None = f'"{part.severity.label}"'
        else:
            self.severity = None
            labels = [f'"{Severity(level).label}"' if level else "" for level in range(4)]
            self.labels = bulk_text.texts(labels)
        messages, self.codes = part.message_codes(_encode_message)
        self.messages = bulk_text.texts(messages)
        self.codes = np.asarray(self.codes)

    def __len__(self) -> int:
        return len(self.part)

    def take(self, indices: pa.Array) -> pa.Array:
        """The records of the rows ``indices`` (ascending), in that order."""
        rows = indices.to_numpy()
        part = self.part
        severity = self.severity
        if severity is None:
            severity = bulk_text.picked_from(self.labels, part.levels[rows])
        return bulk_text.rows(
            len(rows),
            [
                self.head,
                severity,
                self.after_severity,
                bulk_text.picked_from(self.messages, self.codes[rows]),
                self.after_message,
                bulk_text.numbers(part.lines[rows]),
                self.after_line,
                part.content_hash_array().take(indices),
                self.tail,
            ],
        )


@lru_cache(maxsize=1 << 16)
def _encode_message(message: str) -> str:
    """A message as JSON: the rows of a list repeat a few thousand messages, chunk after
    chunk."""
    return encode(message)


class _BulkJson(Reporter):
    """What the JSON formats share: a batch with row findings is written as UTF-8 bytes
    made by :func:`encoded_bytes`. A batch with many of them has its fingerprints made
    by a worker process (:class:`~mailcheck.digests.DigestWorker`) and waits, in order,
    until they are made: meanwhile the lint goes on, on the other core."""

    takes_batches = True
    #: Between two findings.
    separator_between = ",\n  "
    #: A batch with at least this many row findings has its fingerprints made by a worker.
    WORKER_ROWS = 20_000
    #: At most this many batches wait for the worker (each keeps its rows' values).
    HELD = 8

    def start(self) -> None:
        super().start()
        self._held: deque[FindingBatch] = deque()
        self._worker: DigestWorker | None = None

    def add(self, findings: list[Finding]) -> None:
        if self._ahead(findings):
            self._held.append(findings)
        else:  # written in its turn, after those waiting
            self._write_held(everything=True)
            self.emit(findings)
        self._write_held(everything=len(self._held) > self.HELD)

    def finish(self, result: LintResult) -> None:
        self._write_held(everything=True)
        self.close()
        self.end(result)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def _write_held(self, everything: bool) -> None:
        """Write the waiting batches whose fingerprints are made (all: waiting for them)."""
        held = self._held
        while held and (everything or all(p.digests_made() for p in held[0].row_parts())):
            self.emit(held.popleft())

    def emit(self, findings: list[Finding]) -> None:
        """Write ``findings`` (a batch, in its turn)."""
        raise NotImplementedError

    def end(self, result: LintResult) -> None:
        """Write what comes after the findings."""

    def _ahead(self, findings: list[Finding]) -> bool:
        """Whether the batch's fingerprints are being made by the worker (it is held)."""
        if not isinstance(findings, FindingBatch):
            return False
        parts = findings.row_parts()
        if not self.settings.workers or sum(map(len, parts)) < self.WORKER_ROWS:
            return False
        if self._worker is None:
            from mailcheck.digests import DigestWorker

            self._worker = DigestWorker()
        for part in parts:
            part.start_digests(self._worker)
        return True

    def bulk(self, findings: list[Finding]) -> Iterator[memoryview] | None:
        """The batch's findings joined by :attr:`separator_between`, as UTF-8 (``None``:
        not a batch with row findings, or one Arrow cannot hold)."""
        if not has_rows(findings):
            return None
        return encoded_bytes(findings, self.separator_between)

    def write_items(self, findings: list[Finding]) -> None:
        """The findings as items of the JSON array being written (``json``,
        ``json-report``), after those written before."""
        if not findings:
            return
        data = self.bulk(findings)
        self.stream.write(self.separator)
        if data is not None:
            for piece in data:
                bulk_text.write_utf8(self.stream, piece)
        else:
            self.stream.write(self.separator_between.join(encoded(findings)))
        self.separator = self.separator_between


class JsonReporter(_BulkJson):
    """A JSON array, one object per line, written as findings arrive (bounded memory)."""

    name = "json"
    description = "a JSON array of findings"

    def start(self) -> None:
        super().start()
        self.stream.write("[")
        self.separator = "\n  "

    def emit(self, findings: list[Finding]) -> None:
        self.write_items(findings)

    def end(self, result: LintResult) -> None:
        self.write("\n]" if self.separator != "\n  " else "]")


class JsonLinesReporter(_BulkJson):
    name = "json-lines"
    description = "one JSON object per finding per line, streamed"
    separator_between = "\n"

    def emit(self, findings: list[Finding]) -> None:
        data = self.bulk(findings)
        if data is not None:
            for piece in data:
                bulk_text.write_utf8(self.stream, piece)
            self.stream.write("\n")
        else:
            written = encoded(findings)
            if written:
                self.stream.write("\n".join(written) + "\n")
        self.stream.flush()


class JsonReportReporter(_BulkJson):
    """One JSON object: ``findings`` (written as they arrive, bounded memory), then
    ``coverage`` (one record per linted document: what ran, what could not and why) and
    ``summary`` (the run's totals)."""

    name = "json-report"
    description = "one JSON object: findings, what could not be checked, totals"

    def start(self) -> None:
        super().start()
        self.stream.write('{\n"findings": [')
        self.separator = "\n  "

    def emit(self, findings: list[Finding]) -> None:
        self.write_items(findings)

    def end(self, result: LintResult) -> None:
        self.stream.write("\n],\n" if self.separator != "\n  " else "],\n")
        records = ",\n  ".join(encode(c.to_dict()) for c in result.coverage)
        self.stream.write(f'"coverage": [\n  {records}\n],\n' if records else '"coverage": [],\n')
        summary = {
            "problems": result.total,
            **{severity.label: result.counts[severity] for severity in Severity},
            "files_linted": result.files_linted,
            "files_unreadable": result.files_unreadable,
            "paths_skipped": result.skipped,
            # The files named in a warning as left out, with why (in English: a key for
            # scripts), and those counted only: obviously no input, or in .gitignore.
            "files_skipped": [
                entry if self.settings.show_pii else mask_text(entry)
                for entry in map(str, result.not_linted)
            ],
            "files_ignored": result.ignored,
            "paths_gitignored": result.gitignored,
            "checks_not_run": result.not_checked,
            "files_not_fully_checked": result.files_not_fully_checked,
        }
        self.write(f'"summary": {encode(summary)}\n}}')
