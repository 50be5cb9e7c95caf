"""The text of many findings assembled in Arrow, for formats that write every row.

A machine format writes one record per finding: on an old list, nearly a million of
them. Each record of one rule's rows (a :class:`~mailcheck.batches.RowFindings`) is the
same text with a few fields changed -- severity, message, line, fingerprint -- so it is
assembled column-wise by Arrow's string kernels (C++, no Python object per row), put in
the batch's order with ``take`` and written to the stream as UTF-8 bytes, a window of
records at a time.

:func:`rows` builds the records from constant pieces and per-row columns,
:func:`ordered_bytes` puts the parts' records in a batch's order as UTF-8, a window at a
time, and :func:`write_utf8` writes them.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from typing import TextIO

from mailcheck.lazy import np, pa, pc


def rows(size: int, pieces: Sequence[str | pa.Array]) -> pa.Array:
    """``size`` strings, each the concatenation of ``pieces``: a constant string, or an
    array with one value per row."""
    arrays = [piece for piece in pieces if not isinstance(piece, str)]
    if not arrays:
        return pa.array(["".join(pieces)] * size, pa.string())
    merged: list[str | pa.Array] = []
    for piece in pieces:  # neighbouring constants joined first: fewer kernel inputs
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        elif not (isinstance(piece, str) and not piece):
            merged.append(piece)
    return pc.binary_join_element_wise(*merged, "")


def texts(values: Sequence[str]) -> pa.Array:
    return pa.array(values, pa.string())


def picked(choices: Sequence[str], codes: np.ndarray | Sequence[int]) -> pa.Array:
    """``choices[code]`` for each code: a message or label per row, from the few there are."""
    return picked_from(pa.array(choices, pa.string()), np.asarray(codes))


def picked_from(choices: pa.Array, codes: np.ndarray) -> pa.Array:
    """``choices[code]`` for each code, the choices already an Arrow array (made once
    for many windows of rows)."""
    indices = pa.array(np.asarray(codes, dtype=np.int32))
    return pa.DictionaryArray.from_arrays(indices, choices).cast(pa.string())


def numbers(values: np.ndarray) -> pa.Array:
    """Integers written in decimal, as ``str(int)`` does."""
    return pc.cast(pa.array(values), pa.string())


def ordered_bytes(
    records: Sequence[pa.Array], order: np.ndarray, separator: str
) -> Iterator[memoryview]:
    """The records of each part (one array per part, or anything with ``len`` and an
    array's ``take``, each record ending with ``separator``) in the order ``order``
    gives (indices into the records laid end to end,
    :meth:`~mailcheck.batches.FindingBatch.flat_order`), as UTF-8 without the last
    separator, :data:`WINDOW` records at a time. Each window's records are taken from
    their parts by Arrow's ``take`` (in C++; a rule's rows interleave with other rules'
    on the same lines, so a copy per run of rows would be a Python step per record) and
    put in order: the parts are never copied whole, so a chunk of 150,000 rows flagged
    by several rules holds its records once, not three times."""
    if len(order) == 0:
        return
    bounds = np.cumsum([0, *(len(array) for array in records)])
    tail = len(separator.encode())
    for start in range(0, len(order), WINDOW):
        window = _window(records, bounds, order[start : start + WINDOW])
        taken = utf8_bytes(window)
        if start + WINDOW >= len(order):
            taken = taken[: max(len(taken) - tail, 0)]  # none after the last
        yield taken


#: Records put in order at a time (a window of JSON records is a few MB).
WINDOW = 32_768


def _window(records: Sequence[pa.Array], bounds: np.ndarray, order: np.ndarray) -> pa.Array:
    """The records at ``order`` (indices into the records laid end to end), in order."""
    part_of = np.searchsorted(bounds, order, side="right") - 1
    present = np.unique(part_of)
    if len(present) == 1:  # one part: its rows, already in order
        return records[present[0]].take(pa.array(order - bounds[present[0]]))
    pieces, local = [], np.empty(len(order), dtype=np.int64)
    taken = 0
    for part in present:
        rows = np.flatnonzero(part_of == part)
        pieces.append(records[part].take(pa.array(order[rows] - bounds[part])))
        local[rows] = np.arange(taken, taken + len(rows))
        taken += len(rows)
    if len({piece.type for piece in pieces}) > 1:  # 32- and 64-bit offsets: the wider
        pieces = [piece.cast(pa.large_string()) for piece in pieces]
    return pa.concat_arrays(pieces).take(pa.array(local))


def utf8_bytes(array: pa.Array) -> memoryview:
    """The UTF-8 bytes of a ``string`` or ``large_string`` array's values laid end to
    end, as they lie in its buffer (no copy)."""
    _, offsets, data = array.buffers()
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    bounds = np.frombuffer(offsets, dtype=width)[array.offset : array.offset + len(array) + 1]
    if data is None or not len(bounds):
        return memoryview(b"")
    return memoryview(data)[int(bounds[0]) : int(bounds[-1])]


def write_utf8(stream: TextIO, data: bytes | memoryview) -> None:
    """``data`` (UTF-8) written to a text stream: straight to its binary buffer when the
    stream writes UTF-8 and ``\\n`` as is (after what it holds), else as text, so that
    its own encoding, newline translation and error handling apply as to any write."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    if encoding in ("utf-8", "utf8") and os.linesep == "\n":
        write_bytes = getattr(stream, "write_bytes", None)
        if write_bytes is not None:  # a GuardedStream: its errors name the output
            write_bytes(data)
            return
        buffer = getattr(stream, "buffer", None)
        if isinstance(stream, io.TextIOWrapper) and buffer is not None:
            stream.flush()
            buffer.write(data)
            return
    stream.write(bytes(data).decode("utf-8", "surrogatepass"))
