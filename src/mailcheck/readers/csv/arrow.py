"""The fast path: pyarrow's ``read_csv`` over the bytes the record scanner has vouched for.

Each block is scanned (:class:`~mailcheck.readers.csv.blocks.RecordScanner`), the bytes up
to its last record end are parsed (only the mapped columns, as strings or ISO dates) and
the rest waits for the next block. Anything it cannot vouch for raises :class:`_NotFast`
before it is yielded, and the exact path takes over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from mailcheck.documents import ContactListDocument
from mailcheck.lazy import np, pa, pacsv
from mailcheck.readers.csv import blocks
from mailcheck.readers.csv.blocks import RecordScanner, read_blocks
from mailcheck.readers.csv.plan import _Plan
from mailcheck.readers.csv.source import _max_record

#: pyarrow's serial reader names the row too ("In CSV column #3: Row #12: CSV ...").
_CONVERSION_ERROR = re.compile(r"In CSV column #(\d+): (?:Row #\d+: )?CSV conversion error")


class _NotFast(Exception):
    """The fast path cannot prove it reads the rest exactly."""


@dataclass
class _SegmentParser:
    """pyarrow's ``read_csv`` over one segment of whole records at a time (the file's
    first segment holds the preamble and the header): only the mapped columns, as
    strings, or as timestamps for the ISO date columns until one of them holds another
    format (then read as text, from that segment to the end of the file)."""

    names: list[str]  # c0, c1, ...: the header's own names may repeat or be empty
    wanted: list[int]
    encoding: str
    delimiter: str
    preamble: int
    has_header: bool
    iso_dates: set[int]
    first: bool = True  # the next segment is the file's first
    options: pacsv.ConvertOptions = field(init=False)

    def __post_init__(self) -> None:
        self.options = self.convert_options()

    def convert_options(self) -> pacsv.ConvertOptions:
        names = self.names
        return pacsv.ConvertOptions(
            include_columns=[names[i] for i in self.wanted] or [names[0]],
            column_types={
                names[i]: pa.timestamp("s") if i in self.iso_dates else pa.string()
                for i in range(len(names))
            },
            timestamp_parsers=[pacsv.ISO8601],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )

    def read_options(self, segment_bytes: int) -> pacsv.ReadOptions:
        # The segment as one pyarrow block, on this thread: pyarrow's threads bought no
        # wall time on 8 MB (the rules use the other core) for a third more CPU; one block
        # makes one chunk per column (no combine_chunks copy) and takes a record of any
        # length (the default 1 MB block refuses a longer one: "straddles two blocks").
        return pacsv.ReadOptions(
            column_names=self.names,
            skip_rows=self.preamble if self.first else 0,
            skip_rows_after_names=1 if self.first and self.has_header else 0,
            encoding=self.encoding,
            use_threads=False,
            block_size=segment_bytes + 1,
        )

    def read(self, segment, quoted_newlines: bool) -> pa.Table:
        """The segment's table (``pa.ArrowInvalid`` when pyarrow cannot read it)."""
        parse_options = pacsv.ParseOptions(
            delimiter=self.delimiter, newlines_in_values=quoted_newlines
        )
        while True:
            try:
                table = pacsv.read_csv(
                    pa.py_buffer(segment),
                    read_options=self.read_options(len(segment)),
                    parse_options=parse_options,
                    convert_options=self.options,
                )
                break
            except pa.ArrowInvalid as error:
                # A date column with another format: read it as text (the frame parses
                # it with the explicit formats) from here to the end of the file.
                failed = _CONVERSION_ERROR.match(str(error))
                if failed is None or int(failed.group(1)) not in self.iso_dates:
                    raise
                self.iso_dates.discard(int(failed.group(1)))
                self.options = self.convert_options()
        self.first = False
        return table


def _arrow_batches(
    doc: ContactListDocument, opener, plan: _Plan
) -> Iterator[tuple[dict[int, pa.Array], np.ndarray]]:
    """Read ``BLOCK_BYTES`` at a time, scan the block for record starts, and parse with
    pyarrow's ``read_csv`` the bytes up to the last record end; the rest is carried over
    to the next block. One read of the file, parsing from the first block on, memory
    bounded by a block (pyarrow's streaming reader reads the whole input ahead: +200 MB
    of RSS at 1M rows). Raises :class:`_NotFast` before yielding anything it
    cannot vouch for: stray quotes in a block, or pyarrow finding another row count."""
    encoding = doc.encoding.lower().replace("_", "-")
    encoding = "utf8" if encoding in ("utf-8", "utf-8-sig", "ascii") else encoding
    preamble = doc.preamble_lines
    has_header = not doc.headerless
    parser = _SegmentParser(
        names=[f"c{i}" for i in range(len(doc.header))],
        wanted=plan.indices,
        encoding=encoding,
        delimiter=doc.delimiter,
        preamble=preamble,
        has_header=has_header,
        iso_dates=plan.iso_date_indices,
    )
    # A record is held (``carry``) until its end is read: the scanner refuses one longer
    # than limits.max-record-size, so ``carry`` stays under it plus a block.
    scanner = RecordScanner(doc.delimiter, preamble, len(doc.header), _max_record(doc))
    carry, carry_start = b"", 0  # bytes read but not parsed yet, and their file offset
    pending: list[np.ndarray] = []  # start lines of the records in those bytes

    def parse(segment) -> Iterator[tuple[dict[int, pa.Array], np.ndarray]]:
        lines = np.concatenate(pending) if len(pending) > 1 else pending[0]
        pending.clear()
        if parser.first and has_header:
            lines = lines[1:]  # the header
        table = parser.read(segment, scanner.quoted_newlines)
        if table.num_rows != len(lines):
            raise _NotFast("segment rows differ from the scan")
        if len(lines):
            raw = {i: _single_array(table.column(parser.names[i])) for i in parser.wanted}
            yield raw, lines.astype(np.int32)
        # mimalloc's freed pages are not given back after each segment: the next one
        # reuses them (releasing them saved 30 MB of RSS, at 1M rows as at 10M, and cost
        # 10% of the reader's CPU in page faults).
        del table

    with opener() as handle:
        for data in read_blocks(handle, blocks.BLOCK_BYTES):
            starts = scanner.feed(data)
            if scanner.stray_quotes:
                raise _NotFast("a quote inside an unquoted field")
            buffer = carry + data if carry else data
            if len(starts):
                pending.append(starts)
                end = scanner.cut - carry_start
                try:
                    yield from parse(memoryview(buffer)[:end])
                except pa.ArrowInvalid as error:
                    raise _NotFast(str(error)) from None
                buffer, carry_start = buffer[end:], scanner.cut
            elif not parser.first and scanner.cut > carry_start:
                # Only blank records ended (no start): nothing to parse, as the exact
                # reader skips them; kept, a file of empty lines grew ``carry`` to its size.
                buffer, carry_start = buffer[scanner.cut - carry_start :], scanner.cut
            carry = buffer
    starts = scanner.finish()
    if len(starts):
        pending.append(starts)
    if pending:
        try:
            yield from parse(carry)
        except pa.ArrowInvalid as error:
            raise _NotFast(str(error)) from None


def _single_array(column: pa.ChunkedArray) -> pa.Array:
    """The one chunk of a column as it is (``combine_chunks`` copies even a lone chunk)."""
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
