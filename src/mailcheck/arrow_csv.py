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

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mailcheck.findings import Severity

if TYPE_CHECKING:
    from mailcheck.batches import RowFindings

TEXT = pa.large_string()
#: A cell a spreadsheet runs as a formula (see :data:`mailcheck.rows_out.FORMULA_STARTS`).
FORMULA = "^[=+\\-@\t\r]"
#: What makes ``csv.writer`` quote a cell.
QUOTED = '[;"\r\n]'


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, TEXT)


def cells(values: pa.Array) -> pa.Array:
    """``values`` (strings, no null) as CSV cells: defused, then quoted if need be."""
    if values.type != TEXT:
        values = values.cast(TEXT)
    formula = pc.match_substring_regex(values, FORMULA)
    if pc.any(formula).as_py():
        values = pc.if_else(
            formula, pc.binary_join_element_wise(_text("'"), values, _text("")), values
        )
    quoted = pc.match_substring_regex(values, QUOTED)
    if pc.any(quoted).as_py():
        doubled = pc.replace_substring(values, '"', '""')
        values = pc.if_else(
            quoted, pc.binary_join_element_wise(_text('"'), doubled, _text('"'), _text("")), values
        )
    return values


def csv_bytes(
    part: RowFindings,
    data: dict[str, pa.Array],
    cell: Callable[[Any], str],
    order: np.ndarray | None,
) -> memoryview | None:
    """The rows of ``part`` (file, line, address, severity, message, then ``data``'s
    other columns: the flagged rows' values as text, one array each) as CSV lines in
    UTF-8, taken in ``order`` when given; ``cell`` makes one Python value a CSV cell.
    ``None`` when a text cannot be held by Arrow (a lone surrogate)."""
    try:
        return _csv_bytes(part, data, cell, order)
    except (pa.ArrowException, UnicodeError):
        return None


def _csv_bytes(
    part: RowFindings,
    data: dict[str, pa.Array],
    cell: Callable[[Any], str],
    order: np.ndarray | None,
) -> memoryview:
    rows = None if part.rows is None else pa.array(part.rows)

    def picked(values: pa.Array) -> pa.Array:
        return cells(values if rows is None else values.take(rows))

    if part.levels is None:
        severity: Any = pa.scalar(cell(part.severity.label), TEXT)
    else:
        labels: list[str] = [""] * (max(map(int, Severity)) + 1)
        for level in Severity:
            labels[int(level)] = cell(level.label)
        severity = pa.array(labels, TEXT).take(pa.array(part.levels))
    distinct, codes = part.message_codes(cell)
    columns: Sequence[Any] = [
        pa.scalar(cell(part.path), TEXT),
        cells(pc.cast(pa.array(part.lines), TEXT)),
        picked(data["address"]),
        severity,
        pa.array(distinct, TEXT).take(pa.array(codes, pa.int64())),
        *(picked(values) for name, values in data.items() if name != "address"),
    ]
    joined = pc.binary_join_element_wise(*columns, _text(";"))
    lines = pc.binary_join_element_wise(joined, _text(""), _text("\r\n"))
    if order is not None:
        lines = lines.take(pa.array(order))
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    _, offsets, content = lines.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int64)
    start, end = int(bounds[lines.offset]), int(bounds[lines.offset + len(lines)])
    return memoryview(content)[start:end]
