"""The text of many findings assembled in Arrow, for formats that write every row.

A machine format writes one record per finding: on an old list, nearly a million of
them. Each record of one rule's rows (a :class:`~mailcheck.batches.RowFindings`) is the
same text with a few fields changed -- severity, message, line, fingerprint -- so it is
assembled column-wise by Arrow's string kernels (C++, no Python object per row), put in
the batch's order with ``take``, and written to the stream as UTF-8 bytes in one go.

:func:`rows` builds the records from constant pieces and per-row columns,
:func:`ordered` puts the parts' records in a batch's order, :func:`write_joined` writes
them with a separator.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


def rows(size: int, pieces: Sequence[str | pa.Array]) -> pa.Array:
    """``size`` strings, each the concatenation of ``pieces``: a constant string, or an
    array with one value per row."""
    import pyarrow as pa
    import pyarrow.compute as pc

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
    import pyarrow as pa

    return pa.array(values, pa.string())


def picked(choices: Sequence[str], codes: np.ndarray | Sequence[int]) -> pa.Array:
    """``choices[code]`` for each code: a message or label per row, from the few there are."""
    import numpy as np
    import pyarrow as pa

    indices = pa.array(np.asarray(codes, dtype=np.int32))
    return pa.DictionaryArray.from_arrays(indices, pa.array(choices, pa.string())).cast(pa.string())


def numbers(values: np.ndarray) -> pa.Array:
    """Integers written in decimal, as ``str(int)`` does."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(pa.array(values), pa.string())


def ordered(records: Sequence[pa.Array], order: Sequence[int]) -> pa.Array:
    """The records of each part laid end to end, then taken in ``order``."""
    import pyarrow as pa

    joined = pa.concat_arrays(list(records)) if len(records) > 1 else records[0]
    if _identity(order):
        return joined
    return joined.take(pa.array(order, pa.int64()))


def _identity(order: Sequence[int]) -> bool:
    import numpy as np

    positions = np.asarray(order)
    return bool((positions == np.arange(len(positions))).all())


def joined_bytes(records: pa.Array, separator: str) -> memoryview:
    """The records joined by ``separator`` (none after the last), as UTF-8: a view of
    Arrow's buffer when each record already ends with the separator (see :func:`rows`),
    no copy made."""
    import numpy as np
    import pyarrow.compute as pc

    if len(records) == 0:
        return memoryview(b"")
    if separator and not _ends_with(records, separator):
        records = pc.binary_join_element_wise(records, separator, "")
    offsets, data = records.buffers()[1], records.buffers()[2]
    start = records.offset
    bounds = np.frombuffer(offsets, dtype=np.int32)[start : start + len(records) + 1]
    end = int(bounds[-1]) - len(separator.encode())
    return memoryview(data)[int(bounds[0]) : end]


def _ends_with(records: pa.Array, separator: str) -> bool:
    import pyarrow.compute as pc

    return bool(pc.all(pc.ends_with(records, separator)).as_py())


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
