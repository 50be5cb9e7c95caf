"""The text of many findings assembled in Arrow, for formats that write every row.

A machine format writes one record per finding: on an old list, nearly a million of
them. Each record of one rule's rows (a :class:`~mailcheck.batches.RowFindings`) is the
same text with a few fields changed -- severity, message, line, fingerprint -- so it is
assembled column-wise by Arrow's string kernels (C++, no Python object per row), put in
the batch's order with ``take``, and written to the stream as UTF-8 bytes in one go.

:func:`rows` builds the records from constant pieces and per-row columns,
:func:`ordered_bytes` puts the parts' records in a batch's order as UTF-8, and
:func:`write_utf8` writes them.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
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
    indices = pa.array(np.asarray(codes, dtype=np.int32))
    return pa.DictionaryArray.from_arrays(indices, pa.array(choices, pa.string())).cast(pa.string())


def numbers(values: np.ndarray) -> pa.Array:
    """Integers written in decimal, as ``str(int)`` does."""
    return pc.cast(pa.array(values), pa.string())


def ordered_bytes(records: Sequence[pa.Array], order: np.ndarray, separator: str) -> memoryview:
    """The records of each part (one array per part, each record ending with
    ``separator``) in the order ``order`` gives (indices into the records laid end to
    end, :meth:`~mailcheck.batches.FindingBatch.flat_order`), as UTF-8 without the last
    separator. The parts' records are laid end to end and put in order by Arrow's
    ``take`` (one copy in C++; a rule's rows interleave with other rules' on the same
    lines, so a copy per run of rows would be a Python step per record)."""
    if len(order) == 0:
        return memoryview(b"")
    if (
        sum(array.nbytes for array in records) >= _STRING_BYTES
        or len(records) > 1
        and any(pa.types.is_large_string(array.type) for array in records)
    ):  # past what 32-bit offsets reach (or of two types): 64-bit ones, a copy
        records = [array.cast(pa.large_string()) for array in records]
    whole = pa.concat_arrays(records)
    taken = utf8_bytes(whole.take(pa.array(order)))
    return taken[: max(len(taken) - len(separator.encode()), 0)]  # none after the last


#: The bytes a ``string`` array (32-bit offsets) can hold, with room to spare.
_STRING_BYTES = 1 << 30


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
