"""The rows of ``--rows-out`` as CSV text made by Arrow compute kernels.

A list of a million stale contacts gives a million rows of a dozen cells: made into
text one Python string at a time (``csv.writer``), they cost more than the whole lint.
Here each column is defused (a leading apostrophe before a formula), quoted where
``csv.writer`` quotes (``;``, ``"``, a line break: QUOTE_MINIMAL) and joined into lines
in C++, and the lines come out as the UTF-8 bytes of the file: the same bytes as
``csv.writer(delimiter=";")`` row by row (``tests/test_bulk_outputs.py`` holds both to
it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mailcheck.findings import Severity
from mailcheck.lazy import np, pa, pc
from mailcheck.reporters.bulk_text import utf8_bytes
from mailcheck.rows_out import FORMULA_STARTS, QUOTED_CELL, QUOTED_CHARACTERS, csv_cell

if TYPE_CHECKING:
    from mailcheck.batches import RowFindings
    from mailcheck.rules.contacts.common import DataLater

TEXT = pa.large_string()
#: A cell a spreadsheet runs as a formula (see :data:`mailcheck.rows_out.FORMULA_STARTS`).
FORMULA = "^[" + re.escape("".join(FORMULA_STARTS)) + "]"
#: What makes ``csv.writer`` quote a cell.
QUOTED = QUOTED_CELL.pattern


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, TEXT)


def cells(values: pa.Array) -> pa.Array:
    """``values`` (strings, no null) as CSV cells: defused, then quoted if need be.

    Whether any cell needs either is first asked of the column's bytes at once (its
    cells' first bytes; all its bytes): nearly every column needs neither."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if values.type != TEXT:
        values = values.cast(TEXT)
    bounds, content = _layout(values)
    filled = bounds[1:] > bounds[:-1]
    if np.isin(content[bounds[:-1][filled]], _FORMULA_BYTES).any():
        formula = pc.match_substring_regex(values, FORMULA)
        defused = pc.binary_join_element_wise(_text("'"), values, _text(""))
        values = pc.if_else(formula, defused, values)
        bounds, content = _layout(values)
    used = content[bounds[0] : bounds[-1]].tobytes()
    if any(character in used for character in _QUOTED_BYTES):
        quoted = pc.match_substring_regex(values, QUOTED)
        doubled = pc.replace_substring(values, '"', '""')
        wrapped = pc.binary_join_element_wise(_text('"'), doubled, _text('"'), _text(""))
        values = pc.if_else(quoted, wrapped, values)
    return values


_FORMULA_BYTES = np.frombuffer("".join(FORMULA_STARTS).encode(), dtype=np.uint8)
_QUOTED_BYTES = tuple(character.encode() for character in QUOTED_CHARACTERS)


def _layout(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The cells' bounds (``len + 1`` offsets) and the bytes they index."""
    _, offsets, data = values.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int64)[values.offset : values.offset + len(values) + 1]
    content = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return bounds, content


class CsvPart:
    """A rule's flagged rows of one chunk as :func:`csv_bytes` reads them, read from the
    findings in the main thread: arrays and texts nobody changes afterwards, the values
    still to be made into text (:class:`~mailcheck.rules.contacts.common.DataLater`)."""

    __slots__ = ("path", "lines", "severity", "levels", "distinct", "messages", "codes")
    __slots__ += ("rows", "later")

    def __init__(self, part: RowFindings, later: DataLater) -> None:
        distinct, codes = part.message_codes()
        #: The distinct messages (masked if the part is) and each row's index among them.
        self.distinct, self.codes = distinct, np.asarray(codes, dtype=np.int64)
        self.messages = pa.array(distinct, TEXT)  # raises on a lone surrogate
        self.path, self.lines, self.rows = part.path, part.lines, part.rows
        self.severity, self.levels = part.severity, part.levels
        self.later = later


def prepare(part: RowFindings, later: DataLater) -> CsvPart | None:
    """What :func:`csv_bytes` needs of ``part`` and its values ``later``; ``None`` when
    a message cannot be held by Arrow (a lone surrogate)."""
    try:
        return CsvPart(part, later)
    except (pa.ArrowException, UnicodeError):
        return None


def csv_bytes(parts: list[CsvPart], order: np.ndarray | None) -> memoryview:
    """The rows of ``parts`` (the same data columns for every part) as CSV lines in
    UTF-8: file, line, address, severity, message, then the data's other columns. The
    parts' rows are laid end to end, then taken in ``order`` when given. Arrow kernels,
    no Python object per row: what :mod:`mailcheck.row_writer`'s thread runs. Raises
    when a value cannot be held by Arrow (a lone surrogate)."""
    lines = pa.concat_arrays([_csv_lines(part) for part in parts])
    if order is not None:
        lines = lines.take(pa.array(order))
    return utf8_bytes(lines)


def _csv_lines(part: CsvPart) -> pa.Array:
    """Each row of ``part`` as its CSV line, line end included."""
    data = part.later.arrays()
    rows = None if part.rows is None else pa.array(part.rows)

    def picked(values: pa.Array) -> pa.Array:
        return cells(values if rows is None else values.take(rows))

    if part.levels is None:
        severity: Any = _text(csv_cell(part.severity.label))
    else:
        labels: list[str] = [""] * (max(map(int, Severity)) + 1)
        for level in Severity:
            labels[int(level)] = csv_cell(level.label)
        severity = pa.array(labels, TEXT).take(pa.array(part.levels))
    columns: list[Any] = [
        _text(csv_cell(part.path)),
        cells(pc.cast(pa.array(part.lines), TEXT)),
        picked(data["address"]),
        severity,
        cells(part.messages).take(pa.array(part.codes)),
        *(picked(values) for name, values in data.items() if name != "address"),
    ]
    # The line end put after the last cell (a shorter string than the whole line).
    columns[-1] = pc.binary_join_element_wise(columns[-1], _text("\r\n"), _text(""))
    lines = pc.binary_join_element_wise(*columns, _text(";"))
    return lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
