"""A sheet's rows as the bytes of a CSV export: the seam with the contact-list reader.

The CSV reader (:func:`~mailcheck.readers.csv.header.open_contact_list` and the
pipeline behind it) turns bytes into the canonical chunks the rules check: provider
detection, column mapping, value inference, dates, address keys, line numbers. A sheet
is handed to it as the UTF-8, ``;``-separated CSV a spreadsheet would save, written
as it is read (a block of rows at a time, never the whole sheet), one sheet row per
physical line, so that the reader's line numbers are the sheet's row numbers:

* rows above the header (a title, blank rows) are the file's preamble lines, skipped;
* an empty row is an empty line (the reader skips it, and counts it);
* cells are the texts of :mod:`~mailcheck.readers.spreadsheet.cells` (no line break
  inside a cell, ISO dates).

While the list is being opened (header, provider, columns), the sample rows already
read are served with an Excel ``sep=;`` line in front (the delimiter is then never
guessed); the rows themselves are read from the sheet afterwards.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from mailcheck.readers.spreadsheet.cells import row_texts

DELIMITER = ";"

#: Rows written to one block of bytes.
_BLOCK_ROWS = 2048


def csv_lines(rows: Iterable[list[str] | None]) -> Iterator[str]:
    """CSV text, a block of rows at a time (``None``: an empty row, an empty line)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\n")
    count = 0
    for row in rows:
        if row is None:
            buffer.write("\n")
        else:
            writer.writerow(row)
        count += 1
        if count >= _BLOCK_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            count = 0
    if count:
        yield buffer.getvalue()


def preamble_line(cells: list[str]) -> str:
    """A row above the header, as a line the reader skips: never an empty line (a
    parser may not count those among the rows to skip)."""
    text = next(csv_lines([cells]), "").rstrip("\n")
    return (text if text.strip(DELIMITER + " ") else "-") + "\n"


def export_rows(rows: Iterable[list[object]]) -> Iterator[list[str] | None]:
    """calamine rows as export texts, ``None`` for an empty row."""
    for row in rows:
        cells = row_texts(row)
        yield cells if any(cells) else None


class TextStream(io.RawIOBase):
    """A readable binary stream of the UTF-8 encoding of ``blocks`` (made on demand)."""

    def __init__(self, blocks: Callable[[], Iterator[str]]) -> None:
        self._blocks = blocks()
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self._pending:
            block = next(self._blocks, None)
            if block is None:
                return 0
            self._pending = block.encode("utf-8")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        close = getattr(self._blocks, "close", None)
        if close is not None:
            close()
        super().close()


def open_text(blocks: Callable[[], Iterator[str]]) -> BinaryIO:
    return io.BufferedReader(TextStream(blocks), buffer_size=1 << 20)
