"""Block scanning and physical lines: where each record of a CSV starts, from raw bytes.

The fast path reads a file :data:`BLOCK_BYTES` at a time (:func:`read_blocks`, never cut
between ``\r`` and ``\n``, cut finer when a block holds more than
:data:`MAX_BLOCK_LINES` line breaks) and :class:`RecordScanner` walks each block with
numpy: a newline ends a record when the number of ``"`` before it is even (``""``
escapes keep the parity). It gives each record's first *physical* line and the last
record end of the block, and refuses a record longer than ``limits.max-record-size``.
:func:`scan_records` runs the scanner over a whole file without parsing (what
``mailcheck inspect`` counts).

The scanner only works on encodings where ``"``, ``\n`` and ``\r`` are single bytes that
no multi-byte character contains (:func:`_fast_path_possible`): the others (UTF-16) are
read by the exact path (:mod:`mailcheck.readers.csv.exact`).

Tunables are read from this module at call time (tests shrink :data:`BLOCK_BYTES` and
:data:`MAX_BLOCK_LINES` here to cross block boundaries).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mailcheck.config import Limits, format_size
from mailcheck.errors import InputError
from mailcheck.i18n import Text, t
from mailcheck.lazy import np

#: Bytes per parsed block on the fast path (about 60,000 rows of a typical export).
BLOCK_BYTES = 8 << 20


_FAST_ENCODINGS = {
    "utf-8",
    "utf_8",
    "utf-8-sig",
    "utf_8_sig",
    "ascii",
    "cp1252",
    "windows-1252",
    "latin_1",
    "latin-1",
    "iso8859_15",
    "iso8859-15",
    "iso-8859-1",
    "cp850",
}


_QUOTE, _LF, _CR, _SPACE, _TAB, _DEL, _AT = 34, 10, 13, 32, 9, 127, 64


#: Bytes (terminator included) of a record that may be blank looked at in one gather.
_BLANK_SPAN = 16


@dataclass
class RecordScan:
    """Where each data record of a whole file starts (1-based physical line), and what the
    bytes hold (:func:`scan_records`; the reader itself scans block by block).

    The start lines are kept per scanned block as the first line and the steps between
    records (one byte each when every step fits, as it does unless a field spans 255
    lines): 1 byte a row instead of 4. :meth:`take` rebuilds them."""

    #: (index of the block's first record, header = 0; its line; steps to the next ones)
    blocks: list[tuple[int, int, np.ndarray]]
    count: int  # data records (header excluded)
    quoted_newlines: bool
    stray_quotes: bool
    header_records: int = 1  # 0 for a list without a header row

    @property
    def lines(self) -> np.ndarray:
        """Every data record's start line (``int32``)."""
        return self.take(0, self.count)

    def take(self, start: int, stop: int) -> np.ndarray:
        """Start lines of data records ``start`` to ``stop`` (excluded), as ``int32``."""
        # record 0 is the header, if there is one
        first, last = start + self.header_records, min(stop, self.count) + self.header_records
        parts = []
        for index, line, steps in self.blocks:
            size = len(steps) + 1
            if index + size <= first or index >= last:
                continue
            lines = np.empty(size, dtype=np.int64)
            lines[0] = line
            np.cumsum(steps, dtype=np.int64, out=lines[1:])
            lines[1:] += line
            parts.append(lines[max(first - index, 0) : min(last - index, size)])
        if not parts:
            return np.zeros(0, dtype=np.int32)
        return np.concatenate(parts).astype(np.int32)


def _compact(starts: np.ndarray, index: int) -> tuple[int, int, np.ndarray]:
    steps = np.diff(starts)
    narrow = steps.astype(np.uint8)
    return index, int(starts[0]), narrow if (narrow == steps).all() else steps.astype(np.int32)


def _fast_path_possible(encoding: str) -> bool:
    return encoding.lower().replace("-", "_") in {e.replace("-", "_") for e in _FAST_ENCODINGS}


class RecordScanner:
    """Finds where records start, one block of raw bytes at a time (see the module
    docstring): a newline ends a record when the number of ``"`` before it is even.

    :meth:`feed` returns the start line of each non-empty record that ends in the block
    (the header is the first record); :attr:`cut` is the byte offset just after the last
    record-ending newline, where the bytes read so far can be cut for parsing.

    A ``"`` that is neither at the start nor at the end of a field (``Jean "JJ" Dupont``)
    breaks quote parity for a CSV parser too, but not in the same way: it sets
    :attr:`stray_quotes`, and such bytes are read by the exact slow path instead. So does
    a line inside a quoted field that looks like a row of its own (a quote that never
    closes swallows the rows after it: see :meth:`_swallows_rows`). ``width`` is the
    header's number of fields.

    A record (the header included) longer than ``max_record`` bytes raises
    :class:`~mailcheck.errors.InputError` (see :func:`record_too_long`): the reader holds
    a record whole until it ends, so a file without line breaks, or a quote that never
    closes, would otherwise grow it without bound. Not once the quotes are stray: the
    parity then says nothing of where records end, and the exact reader decides."""

    def __init__(
        self,
        delimiter: str,
        preamble_lines: int = 0,
        width: int = 2,
        max_record: int = Limits.max_record_size,
    ) -> None:
        self.delimiter = delimiter.encode("ascii")[0]
        self.max_record = max_record
        self._row_delimiters = _row_delimiters(width)
        #: (quotes, "@", delimiters) so far of a line inside a quoted field that goes on
        #: into the next block.
        self._open_line: np.ndarray | None = None
        #: Bytes a blank line may hold (the delimiter makes fields, so it is not one).
        self._is_blank_byte = np.zeros(256, dtype=bool)
        self._is_blank_byte[[b for b in (_SPACE, _TAB, _CR) if b != self.delimiter]] = True
        self.records = 0  # non-empty records that ended so far, header included
        self.quoted_newlines = False
        self.stray_quotes = False
        self._skip_lines = preamble_lines
        self._parity = 0
        self._newlines_before = 0  # line breaks in previous blocks
        self._last_terminator = -1  # global byte offset of the last record-ending newline
        self._last_terminator_line = 0  # its index among all newlines (0-based)
        self._prev_byte = -1
        self._offset = 0
        #: Whether every byte read since the last record end is blank (see _blank).
        self._tail_blank = True

    @property
    def cut(self) -> int:
        return self._last_terminator + 1

    def feed(self, data: bytes) -> np.ndarray:
        """Scan the next block (read with :func:`read_block`: it never ends inside a
        ``\\r\\n``)."""
        buf = np.frombuffer(data, dtype=np.uint8)
        offset = self._offset
        nl = _line_breaks(buf)
        quotes = np.flatnonzero(buf == _QUOTE)
        if len(quotes) and not self.stray_quotes:
            before = np.empty(len(quotes), dtype=np.int16)
            before[1:] = buf[quotes[1:] - 1]
            before[0] = buf[quotes[0] - 1] if quotes[0] > 0 else self._prev_byte
            after = np.full(len(quotes), -1, dtype=np.int16)
            inside = quotes + 1 < len(buf)
            after[inside] = buf[quotes[inside] + 1]
            edge = (self.delimiter, _LF, _CR, _QUOTE, -1)
            self.stray_quotes = not (np.isin(before, edge) | np.isin(after, edge)).all()
        starts = np.zeros(0, dtype=np.int64)
        odd = np.zeros(0, dtype=bool)
        if len(nl):
            odd = (self._parity + np.searchsorted(quotes, nl)) % 2 == 1
            if odd.any():
                self.quoted_newlines = True
        if (self._open_line is not None or odd.any()) and not self.stray_quotes:
            self.stray_quotes = self._swallows_rows(buf, nl, odd, quotes)
        term_local = np.flatnonzero(~odd) if len(nl) else nl
        if not self.stray_quotes:
            self._check_lengths(nl, term_local, len(buf))
        if len(nl):
            term_pos = nl[term_local] + offset
            term_line = term_local + self._newlines_before
            if self._skip_lines:
                keep = term_line >= self._skip_lines
                if not keep.all():
                    self._last_terminator = int(term_pos[~keep][-1])
                    self._last_terminator_line = int(term_line[~keep][-1])
                term_pos, term_line = term_pos[keep], term_line[keep]
                if len(term_pos):
                    self._skip_lines = 0
            if len(term_pos):
                prev_pos = np.empty_like(term_pos)
                prev_pos[0] = self._last_terminator
                prev_pos[1:] = term_pos[:-1]
                prev_line = np.empty_like(term_line)
                prev_line[0] = self._last_terminator_line - (self._last_terminator < 0)
                prev_line[1:] = term_line[:-1]
                blank = self._blank(buf, prev_pos, term_pos)
                # 1-based line just after the previous terminator
                starts = (prev_line + 2)[~blank]
                self.records += len(starts)
                self._last_terminator = int(term_pos[-1])
                self._last_terminator_line = int(term_line[-1])
        if self._last_terminator >= offset:  # a record ended in this block
            self._tail_blank = self._all_blank(buf[self._last_terminator + 1 - offset :])
        else:
            self._tail_blank = self._tail_blank and self._all_blank(buf)
        self._parity = (self._parity + len(quotes)) % 2
        self._newlines_before += len(nl)
        self._prev_byte = int(buf[-1]) if len(buf) else self._prev_byte
        self._offset += len(buf)
        return starts

    def _check_lengths(self, nl: np.ndarray, breaks: np.ndarray, size: int) -> None:
        """Refuse the first record of the block longer than ``max_record`` bytes (its
        line break included), or the record still open at the block's end (``breaks``:
        the record ends, as indices into ``nl``). Its line is the one after the previous
        record's end. Only the first record can be longer than a block: the others are
        measured only when the block itself is longer than the limit."""
        offset, limit = self._offset, self.max_record
        last, index = self._last_terminator, self._last_terminator_line
        if len(breaks):
            if size > limit:
                ends = nl[breaks] + offset
                longer = np.flatnonzero(np.diff(ends, prepend=last) > limit)
                first = int(longer[0]) if len(longer) else -1
            else:
                first = 0 if int(nl[breaks[0]]) + offset - last > limit else -1
            if first > 0:
                last = int(nl[breaks[first - 1]]) + offset
                index = int(breaks[first - 1]) + self._newlines_before
            if first >= 0:
                raise InputError(record_too_long(index + 2 if last >= 0 else 1, limit))
            last = int(nl[breaks[-1]]) + offset
            index = int(breaks[-1]) + self._newlines_before
        if offset + size - (last + 1) > limit:
            raise InputError(record_too_long(index + 2 if last >= 0 else 1, limit))

    def _swallows_rows(
        self, buf: np.ndarray, nl: np.ndarray, odd: np.ndarray, quotes: np.ndarray
    ) -> bool:
        """Whether a line that starts inside a quoted field looks like a row of its own:
        no ``"``, an ``@`` and the delimiters of half a row. A quote that never closes
        (``"marie@exemple.fr;Marie;...``) makes every row after it part of one field,
        which a parser reads without a word; a note quoting a row is rare, and the exact
        reader tells them apart (:func:`_slow_records`). Only lines after a quoted line
        break are looked at (a legitimate note's last line holds its closing quote), so
        an export with multi-line notes costs two searches per block."""
        ends_all = np.append(nl, len(buf))
        inside = np.flatnonzero(odd)
        starts, ends = nl[inside] + 1, ends_all[inside + 1]
        if self._open_line is not None:  # the line goes on from the previous block
            starts, ends = np.append(0, starts), np.append(ends_all[0], ends)
        counts = np.zeros((3, len(starts)), dtype=np.int64)  # quotes, "@", delimiters
        counts[0] = np.searchsorted(quotes, ends) - np.searchsorted(quotes, starts)
        free = (counts[0] == 0) & (ends > starts)
        if free.any():
            for row, byte in ((1, _AT), (2, self.delimiter)):
                found = np.flatnonzero(buf == byte)
                counts[row, free] = np.searchsorted(found, ends[free]) - np.searchsorted(
                    found, starts[free]
                )
        if self._open_line is not None:
            counts[:, 0] += self._open_line
        self._open_line = counts[:, -1].copy() if ends[-1] == len(buf) else None
        rows = (counts[0] == 0) & (counts[1] > 0) & (counts[2] >= self._row_delimiters)
        return bool(rows.any())

    def _blank(self, buf: np.ndarray, prev_pos: np.ndarray, term_pos: np.ndarray) -> np.ndarray:
        """Records that are no record: empty, or only spaces, tabs and the ``\\r`` of a
        ``\\r\\n`` (as the exact reader skips them). A record can only be blank if its first
        byte is: those few are looked at, the first ``_BLANK_SPAN`` bytes of all of them in
        one gather, then the rare longer ones whole."""
        span = term_pos - prev_pos  # content bytes + the terminator
        blank = span == 1
        first = prev_pos + 1 - self._offset  # local start of each record
        inside = first >= 0  # else it began in an earlier block
        if not inside[0] and span[0] > 1:  # its bytes before this block were all blank?
            blank[0] = self._tail_blank and self._all_blank(buf[: term_pos[0] - self._offset])
        leading = self._is_blank_byte[buf[np.maximum(first, 0)]]
        leading[0] &= bool(inside[0])
        candidates = np.flatnonzero(leading & (span >= 2))
        if not len(candidates):
            return blank
        start, length = first[candidates], span[candidates] - 1
        width = np.arange(_BLANK_SPAN - 1)
        used = width < length[:, None]
        content = np.where(used, buf[np.where(used, start[:, None] + width, 0)], _SPACE)
        blank[candidates] = self._is_blank_byte[content].all(axis=1)
        for record in candidates[blank[candidates] & (length >= _BLANK_SPAN)]:
            end = term_pos[record] - self._offset
            blank[record] = self._all_blank(buf[first[record] : end])
        return blank

    def _all_blank(self, data: np.ndarray) -> bool:
        return not len(data) or (
            bool(self._is_blank_byte[data[0]]) and bool(self._is_blank_byte[data].all())
        )

    def finish(self) -> np.ndarray:
        """The start line of a last record without a final newline (or nothing)."""
        tail = self._offset - 1 - self._last_terminator
        if tail <= 0 or self._tail_blank or self._skip_lines:
            return np.zeros(0, dtype=np.int64)
        self.records += 1
        first_line = self._last_terminator_line + 2 if self._last_terminator >= 0 else 1
        return np.array([first_line], dtype=np.int64)


def _row_delimiters(width: int) -> int:
    """Delimiters a line needs to look like a row of a list whose header has ``width``
    fields: half a row's (Excel leaves out the empty fields at the end of a row)."""
    return 0 if width <= 1 else max(1, (width - 1) // 2)


def _line_breaks(buf: np.ndarray) -> np.ndarray:
    """Positions of the line breaks of a block: ``\\n``, and ``\\r`` not followed by
    ``\\n`` (old Mac files; Excel Mac writes ``\\n`` inside cells and ``\\r`` between
    rows). Lines are counted as editors and Python's universal newlines count them.

    Positions, not masks: a lone ``\\r`` is rare, so a ``\\r\\n`` file is settled by
    counting its ``\\r`` against the ``\\n`` that follow one (3x cheaper than masks)."""
    line_feeds = np.flatnonzero(buf == _LF)
    if not len(line_feeds):
        return np.flatnonzero(buf == _CR)  # every \r is a break by itself
    carriage_returns = int(np.count_nonzero(buf == _CR))
    if not carriage_returns:
        return line_feeds
    inside = line_feeds[1:] if len(line_feeds) and line_feeds[0] == 0 else line_feeds
    if int(np.count_nonzero(buf[inside - 1] == _CR)) == carriage_returns:
        return line_feeds  # every \r is the first half of a \r\n
    cr = np.flatnonzero(buf == _CR)
    after = np.minimum(cr + 1, len(buf) - 1)
    # A block's last \r is a break by itself (read_block never splits a \r\n).
    lone = cr[(cr + 1 == len(buf)) | (buf[after] != _LF)]
    return np.sort(np.concatenate([line_feeds, lone]))


def record_too_long(line: int, limit: int, header: bool = False) -> Text:
    """The one-line reason a record (or the header) passing ``limits.max-record-size``
    is refused with: where it starts, what it may be, the key that raises the limit."""
    if header:
        return t(
            "line {line}: a header longer than {size} (a file without line breaks, or a "
            "quote that never closes?); limits.max-record-size raises it",
            line=str(line),
            size=format_size(limit),
        )
    return t(
        "line {line}: a record longer than {size} (a file without line breaks, or a quote "
        "that never closes?); limits.max-record-size raises it",
        line=str(line),
        size=format_size(limit),
    )


def read_block(handle, size: int) -> bytes:
    """Up to ``size`` bytes, one more if needed so as not to end between ``\\r`` and
    ``\\n`` (a block's last ``\\r`` is then a line break by itself).

    The byte after a final ``\\r`` is peeked at, not read: reading on while the block
    ends with ``\\r`` made a run of them (an old Mac file of empty lines) one block of
    any size, grown a byte at a time (a copy of the block per byte: it never ended)."""
    data = handle.read(size)
    if not data.endswith(b"\r"):
        return data
    peek = getattr(handle, "peek", None)
    if peek is not None:  # every opener here gives a BufferedReader
        return data + handle.read(1) if peek(1)[:1] == b"\n" else data
    grown = bytearray(data)  # without peek: read on, a byte at a time
    while grown.endswith(b"\r") and (more := handle.read(1)):
        grown += more
    return bytes(grown)


#: Line breaks one block may hold: a block of 8 MiB of empty or near-empty records
#: (``;;;`` rows, a file of blank lines) is otherwise millions of records whose per-line
#: arrays, frames and rule masks took 1.7 GB; past this it is cut into smaller blocks.
MAX_BLOCK_LINES = 1 << 18


def read_blocks(handle, size: int = BLOCK_BYTES) -> Iterator[bytes]:
    """The blocks of :func:`read_block`, each cut into pieces of about
    :data:`MAX_BLOCK_LINES` line breaks when it holds more (never between ``\r`` and
    ``\n``), so that the work per block stays bounded however short the records are. A
    typical export (about 100 bytes a record) is never cut."""
    while data := read_block(handle, size):
        breaks = data.count(b"\n")
        if breaks << 12 < len(data):  # hardly a \n: an old Mac file counts its \r
            breaks = max(breaks, data.count(b"\r"))
        if breaks <= MAX_BLOCK_LINES:
            yield data
            continue
        step = max(len(data) * MAX_BLOCK_LINES // breaks, 1)
        start = 0
        while start < len(data):
            end = min(start + step, len(data))
            if data[end - 1 : end] == b"\r" and data[end : end + 1] == b"\n":
                end += 1
            yield data[start:end]
            start = end


def scan_records(
    opener,
    delimiter: str,
    preamble_lines: int = 0,
    block: int = BLOCK_BYTES,
    width: int = 2,
    header_records: int = 1,
    max_record: int = Limits.max_record_size,
) -> RecordScan:
    """Start line of every non-empty record of the file after the header (if any:
    ``header_records``), without parsing (what ``mailcheck inspect`` counts); a record
    longer than ``max_record`` bytes is refused, as the reader refuses it."""
    scanner = RecordScanner(delimiter, preamble_lines, width, max_record)
    blocks: list[tuple[int, int, np.ndarray]] = []
    with opener() as handle:
        for data in read_blocks(handle, block):
            starts = scanner.feed(data)
            if len(starts):
                blocks.append(_compact(starts, scanner.records - len(starts)))
    starts = scanner.finish()
    if len(starts):
        blocks.append(_compact(starts, scanner.records - 1))
    count = max(scanner.records - header_records, 0)  # the first record is the header
    return RecordScan(blocks, count, scanner.quoted_newlines, scanner.stray_quotes, header_records)
