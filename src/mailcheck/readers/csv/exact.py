"""The exact slow path: Python's :mod:`csv` module, which counts physical lines itself.

It reads what the fast path cannot prove it reads exactly, catches a quoted field that
never closes and would swallow the rows after it (:class:`RunawayQuotes`, for MC905),
records rows wider than the header (:class:`WideRows`, for MC903), and refuses a record
longer than ``limits.max-record-size`` without holding it whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import chain

from mailcheck.documents import ContactListDocument
from mailcheck.errors import InputError
from mailcheck.i18n import t
from mailcheck.lazy import np, pa
from mailcheck.readers.classify import LINE_END
from mailcheck.readers.csv import blocks
from mailcheck.readers.csv.blocks import _row_delimiters, record_too_long
from mailcheck.readers.csv.columns import _ADDRESS
from mailcheck.readers.csv.source import _max_record, _os_reason

#: Rows per chunk on the slow path (the fast path yields one chunk per parsed block).
CHUNK_ROWS = 200_000


@dataclass
class WideRows:
    """Rows of a file with more fields than its header (``doc.read_report.wide_rows``,
    for MC903)."""

    header_fields: int
    count: int = 0
    most_fields: int = 0
    first_lines: list[int] = field(default_factory=list)

    def add(self, line: int, fields: int) -> None:
        self.count += 1
        self.most_fields = max(self.most_fields, fields)
        if len(self.first_lines) < 5:
            self.first_lines.append(line)


@dataclass
class RunawayQuotes:
    """Quoted fields that never close (``doc.read_report.runaway_quotes``, for MC905).

    A ``"`` opening a field that has no closing quote (``"marie@exemple.fr;Marie;...``)
    makes a CSV parser read every line after it as that one field, up to the next ``"``
    in the file or its end: thousands of contacts silently unchecked. The exact reader
    stops at the first swallowed line that looks like a row, reads the line where the
    quote opened with that quote taken literally, and the lines after it as rows."""

    line: int  # the physical line where the first such field opens
    #: Lines it would have swallowed: up to the next line holding a quote, or the end.
    swallowed: int = 0
    closed: bool = False  # whether such a line was found (else: to the end of the file)
    count: int = 1  # such fields in the file

    def watch(self, line: str) -> bool:
        """Count one more line it would swallow; whether it would still go on after it."""
        self.swallowed += 1
        self.closed = '"' in line
        return not self.closed


class _Runaway(Exception):
    """A line inside a quoted field looks like a row of its own (see RunawayQuotes)."""


class _TooLong(Exception):
    """A record read by the exact path goes on past ``limits.max-record-size``."""


def _allow_fields(limit: int) -> None:
    """Let Python's csv module take a field as long as a record may be (its default is
    128 KiB; an export's notes may be longer). The setting is the module's, for every
    thread: it is only ever raised, and records are bounded before the module sees them."""
    csv.field_size_limit(max(csv.field_size_limit(), limit))


def _row_detector(delimiter: str, width: int, email: int | None) -> Callable[[str], bool]:
    """Whether a line read inside a quoted field is a row of its own: no quote, the
    delimiters of half a row, and an address where the e-mail column is (anywhere when
    none is known). Only continuation lines are looked at, so it costs nothing on rows."""
    need = _row_delimiters(width)

    def looks_like_row(line: str) -> bool:
        if '"' in line or "@" not in line or line.count(delimiter) < need:
            return False
        cells = line.rstrip("\r\n").split(delimiter)
        if email is not None:
            return email < len(cells) and _ADDRESS.fullmatch(cells[email].strip()) is not None
        return any(_ADDRESS.fullmatch(cell.strip()) for cell in cells)

    return looks_like_row


def _literal_row(line: str, delimiter: str) -> list[str]:
    """The fields of a line whose last field opens a quote that does not close on it,
    that quote taken literally (the fields before it are read as CSV): how a
    spreadsheet shows the line, and the address a provider would refuse."""
    text = line.rstrip("\r\n")
    fields = next(csv.reader([text], delimiter=delimiter), [""])
    last = fields[-1]
    opener = len(text) - len(last) - 1
    if opener >= 0 and text[opener] == '"' and text[opener + 1 :] == last:
        return fields[:-1] + text[opener:].split(delimiter)
    return text.split(delimiter)


def _slow_records(
    doc: ContactListDocument, opener, skip: int, wanted: list[int] | None = None
) -> Iterator[tuple[dict[int, pa.Array], np.ndarray]]:
    """The exact path: Python's csv module and its ``line_num``; skips ``skip`` records.

    The csv reader is fed the physical lines of the record it is reading (kept until
    the record ends): a quoted field that swallows rows is caught on its first such
    line (see :class:`RunawayQuotes`) and the reading starts again after the line where
    it opened, so the rows are checked and their lines stay exact.

    Lines are read at most ``limits.max-record-size`` characters at a time, and a
    record whose lines pass it in all is refused (:class:`_TooLong`): a line of 1 GB is
    never held whole, nor a quoted field that never closes.

    ``wanted``: the header indices this read's plan needs (default: the document's plan;
    a read with ``raw:`` columns needs them too)."""
    limit = _max_record(doc)
    try:
        raw_handle = opener()
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(_os_reason(error)) from None
    with (
        raw_handle,
        io.TextIOWrapper(raw_handle, encoding=doc.encoding, errors="strict", newline="") as text,
    ):
        physical = iter(partial(text.readline, limit + 1), "")
        for _ in range(doc.preamble_lines):
            next(physical, "")
        _allow_fields(limit)
        read = _ExactRead(doc, opener, physical, limit)
        if read.header():
            yield from _chunks(read, skip, wanted)


def _chunks(
    read: _ExactRead, skip: int, wanted: list[int] | None = None
) -> Iterator[tuple[dict[int, pa.Array], np.ndarray]]:
    """The wanted columns of the records, :data:`CHUNK_ROWS` rows at a time."""
    doc = read.doc
    if wanted is None:
        wanted = doc.reader_plan.indices
    # Rows with more fields than the header, for MC903 (their extra fields are not
    # read, and the others may be shifted); a row with fewer is Excel dropping the
    # empty fields at the end, which loses nothing.
    if doc.read_report.wide_rows is None:  # kept over a second read, as counted
        doc.read_report.wide_rows = WideRows(read.width)
    wide = doc.read_report.wide_rows
    columns: dict[int, list[str]] = {i: [] for i in wanted}
    lines: list[int] = []
    for record, line in read.records(skip):
        if len(record) > read.width:
            wide.add(line, len(record))
        for i, values in columns.items():
            values.append(record[i] if i < len(record) else "")
        lines.append(line)
        if len(lines) >= CHUNK_ROWS:
            yield _arrays(columns), np.asarray(lines, dtype=np.int32)
            columns = {i: [] for i in wanted}
            lines = []
    if lines:
        yield _arrays(columns), np.asarray(lines, dtype=np.int32)


class _ExactRead:
    """One read of the exact path: the csv reader and the feeder of its physical lines
    share where the reading is (``base``, ``previous``) and the lines of the record
    being read (``kept``, ``chars``), so that a runaway quote can be read again."""

    def __init__(self, doc: ContactListDocument, opener, physical: Iterator[str], limit: int):
        self.doc, self.opener, self.physical, self.limit = doc, opener, physical, limit
        self.delimiter = doc.delimiter
        self.base = doc.preamble_lines  # physical lines before the reader's
        self.previous = 0  # the reader's line where the last record ended
        self.chars = 0  # of the physical lines of the record being read
        self.kept: list[str] = []  # the physical lines of the record being read
        self.width = len(doc.header)
        self.looks_like_row: Callable[[str], bool] = lambda line: False
        self.runaway: RunawayQuotes | None = None

    def header(self) -> bool:
        """Read the header (unless the file has none); ``False`` for an empty file."""
        if not self.doc.headerless:
            header = csv.reader(self._header_lines(), delimiter=self.delimiter)
            try:
                self.width = len(next(header))
            except StopIteration:
                return False
            except csv.Error as error:
                raise InputError(t("broken CSV header: {error}", error=str(error))) from None
            except _TooLong:
                raise InputError(record_too_long(self.base + 1, self.limit, header=True)) from None
            except UnicodeDecodeError as error:  # the sample was plain ASCII, the header not
                raise self._undecodable(error) from None
            self.base += header.line_num
            self.chars = 0
        email = self.doc.reader_plan.sources.get("email")
        self.looks_like_row = _row_detector(self.delimiter, self.width, email)
        return True

    def _header_lines(self) -> Iterator[str]:
        for line in self.physical:
            self.chars += len(line)
            if self.chars > self.limit:
                raise _TooLong
            yield line

    def records(self, skip: int) -> Iterator[tuple[list[str], int]]:
        """``(fields, first physical line)`` of each non-blank record after ``skip``."""
        try:
            yield from self._records(skip)
        except UnicodeDecodeError as error:
            raise self._undecodable(error) from None
        except csv.Error as error:
            raise InputError(
                t("broken CSV near line {line}: {error}", line=str(self._line()), error=str(error))
            ) from None
        except _TooLong:
            raise InputError(record_too_long(self._line(), self.limit)) from None

    def _records(self, skip: int) -> Iterator[tuple[list[str], int]]:
        seen = 0
        reader: Iterator[list[str]] | None = self._reader([], None)
        while reader is not None:
            current, reader = reader, None
            try:
                for record in current:
                    start = self.previous + 1
                    self.previous = current.line_num
                    self._record_ended()
                    if not record or (len(record) == 1 and not record[0].strip()):
                        continue
                    seen += 1
                    if seen > skip:
                        yield record, start + self.base
            except _Runaway:
                opened = self.base + self.previous + 1
                record, again = _literal_row(self.kept[0], self.delimiter), self.kept[1:]
                self._record_ended()
                seen += 1
                if seen > skip:
                    yield record, opened
                reader = self._read_again(opened, again)

    def _read_again(self, opened: int, again: list[str]) -> Iterator[list[str]]:
        """A new csv reader from the line after the one where a runaway quote opened;
        the first such quote is watched to count the lines it would have swallowed."""
        watch = None
        if self.runaway is None:
            watch = self.runaway = RunawayQuotes(opened)
            self.doc.read_report.runaway_quotes = self.runaway
        else:
            self.runaway.count += 1
        self.base, self.previous = opened, 0
        return self._reader(again, watch)

    def _reader(self, again: list[str], watch: RunawayQuotes | None) -> Iterator[list[str]]:
        return csv.reader(self._physical_lines(again, watch), delimiter=self.delimiter)

    def _physical_lines(self, again: list[str], watch: RunawayQuotes | None) -> Iterator[str]:
        for line in chain(again, self.physical) if again else self.physical:
            if len(line) > self.limit:  # a line cut at the limit: no row of its own
                raise _TooLong
            if watch is not None and not watch.watch(line):
                watch = None
            if self.kept and self.looks_like_row(line):
                self.kept.append(line)
                raise _Runaway
            self.kept.append(line)
            self.chars += len(line)
            if self.chars > self.limit:
                raise _TooLong
            yield line

    def _record_ended(self) -> None:
        self.kept.clear()
        self.chars = 0

    def _line(self) -> int:
        """The physical line of the record being read."""
        return self.previous + 1 + self.base

    def _undecodable(self, error: UnicodeDecodeError) -> InputError:
        # The text layer decodes ahead of the csv reader: its line is not the byte's.
        line = _line_of_undecodable_byte(self.opener, self.doc.encoding) or self._line()
        return InputError(
            t(
                "not valid {encoding} near line {line} ({reason})",
                encoding=self.doc.encoding,
                line=str(line),
                reason=error.reason,
            )
        )


def _line_of_undecodable_byte(opener, encoding: str) -> int | None:
    """The physical line of the first byte ``encoding`` cannot decode (``None`` if all
    decode): the file is decoded again, block by block, counting the line breaks of the
    text decoded before it (``\\r\\n``, ``\\n`` or a lone ``\\r``)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines, ended_with_cr = 1, False
    try:
        with opener() as handle:
            while block := handle.read(blocks.BLOCK_BYTES):
                try:
                    text, bad = decoder.decode(block), False
                except UnicodeDecodeError as error:
                    text, bad = block[: max(error.start, 0)].decode(encoding, "ignore"), True
                lines += len(LINE_END.findall(text))
                if ended_with_cr and text.startswith("\n"):
                    lines -= 1  # one "\r\n" split across two blocks
                if bad:
                    return lines
                ended_with_cr = text.endswith("\r")
    except (OSError, zipfile.BadZipFile):
        return None
    return None


def _arrays(columns: dict[int, list[str]]) -> dict[int, pa.Array]:
    return {i: pa.array(values, pa.string()) for i, values in columns.items()}
