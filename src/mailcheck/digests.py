"""Fingerprints of many findings at once, in this process or in a worker process.

A machine format (JSON) writes the fingerprint of every finding: on an old list of a
million contacts, a million HMAC-SHA256 digests, about a microsecond each in the one
Python thread -- as long as the rest of the JSON. So the digests of a rule's rows are
made in one loop over their keys laid end to end (no Python string per row on either
side), and a report that writes many rows may have them made by a worker process
(:mod:`mailcheck.background`) while this process lints the next chunk.

This module imports only :mod:`hashlib` at the top: a worker process loads it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from mailcheck.background import BackgroundWorker

#: SHA-256's block size: HMAC pads the key to it.
BLOCK = 64
#: Hex digits of a fingerprint (the first 10 bytes of the digest).
HEX_DIGITS = 20
_INNER_PAD = bytes(x ^ 0x36 for x in range(256))
_OUTER_PAD = bytes(x ^ 0x5C for x in range(256))


def padded_states(secret: bytes) -> tuple[Any, Any]:
    """HMAC's (RFC 2104) inner and outer SHA-256 states with the padded key hashed in:
    each digest copies them instead of hashing the key again."""
    key = secret if len(secret) <= BLOCK else hashlib.sha256(secret).digest()
    key = key.ljust(BLOCK, b"\0")
    return hashlib.sha256(key.translate(_INNER_PAD)), hashlib.sha256(key.translate(_OUTER_PAD))


def hex_digests(secret: bytes, prefix: bytes, offsets: bytes, data: bytes) -> bytes:
    """The fingerprint (:data:`HEX_DIGITS` hex digits, ASCII) of ``prefix`` followed by
    each key, end to end: key ``i`` is ``data[offsets[i]:offsets[i + 1]]`` (``offsets``
    native ``int64``: :func:`key_buffers`). What a worker runs."""
    inner, outer = padded_states(secret)
    inner.update(prefix)  # every key's text starts with it: hashed once
    bounds = memoryview(offsets).cast("q")
    text = memoryview(data)
    new_inner, new_outer = inner.copy, outer.copy
    size = HEX_DIGITS // 2
    digests = []
    append = digests.append
    start = bounds[0]
    for end in bounds[1:]:
        hashed = new_inner()
        hashed.update(text[start:end])
        keyed = new_outer()
        keyed.update(hashed.digest())
        append(keyed.digest()[:size])
        start = end
    return b"".join(digests).hex().encode("ascii")


def as_array(hex_text: bytes) -> pa.StringArray:
    """:func:`hex_digests`' result as an Arrow array of one fingerprint per key."""
    from mailcheck.lazy import np, pa

    count = len(hex_text) // HEX_DIGITS
    offsets = np.arange(0, (count + 1) * HEX_DIGITS, HEX_DIGITS, dtype=np.int32)
    return pa.StringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(hex_text))


def key_buffers(keys: pa.Array) -> tuple[bytes, bytes]:
    """The offsets (from 0, native ``int64``) and bytes of ``keys`` (a ``string`` or
    ``large_string`` array) as :func:`hex_digests` reads them."""
    from mailcheck.lazy import np, pa

    _, offsets, data = keys.buffers()
    width = np.int64 if pa.types.is_large_string(keys.type) else np.int32
    bounds = np.frombuffer(offsets, dtype=width)[keys.offset : keys.offset + len(keys) + 1]
    first, last = int(bounds[0]), int(bounds[-1])
    text = bytes(memoryview(data)[first:last]) if data is not None else b""
    return (bounds - first).astype(np.int64).tobytes(), text


class Digests:
    """The fingerprints of a rule's rows, made when :meth:`array` is first read: here, or
    by a worker process (:meth:`start`) while this process goes on."""

    __slots__ = ("_args", "_job", "_array")

    def __init__(
        self,
        args: tuple[bytes, bytes, bytes, bytes] | None = None,
        made: pa.StringArray | None = None,
    ) -> None:
        self._args, self._job, self._array = args, None, made

    def start(self, worker: BackgroundWorker) -> None:
        """Have ``worker``'s process make them (if it can: else :meth:`array` does)."""
        if self._array is None and self._job is None:
            self._job = worker.submit(hex_digests, *self._args)

    def array(self) -> pa.StringArray:
        """One fingerprint per key, waiting for the worker if it makes them."""
        if self._array is None:
            hex_text = None
            if self._job is not None:
                try:
                    hex_text = self._job.result()
                except Exception:  # noqa: BLE001 - a dead worker (BrokenProcessPool): made here
                    hex_text = None
            if hex_text is None:
                hex_text = hex_digests(*self._args)
            self._array, self._job, self._args = as_array(hex_text), None, None
        return self._array
