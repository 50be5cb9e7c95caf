"""Fingerprints of many findings at once, in this process or in a worker process.

A machine format (JSON) writes the fingerprint of every finding: on an old list of a
million contacts, a million HMAC-SHA256 digests, about a microsecond each in the one
Python thread -- as long as the rest of the JSON. So the digests of a rule's rows are
made in one loop over their keys laid end to end (no Python string per row on either
side), and a report that writes many rows may have them made by one worker process
(:class:`DigestWorker`) while this process lints the next chunk.

This module imports only :mod:`hashlib` at the top: it is what a worker process loads.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    import pyarrow as pa

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
    """Fingerprints being made (by a worker, or here when :meth:`array` is first read)."""

    __slots__ = ("_job", "_args", "_array")

    def __init__(
        self,
        args: tuple[bytes, bytes, bytes, bytes] | None = None,
        job: Future | None = None,
        made: pa.StringArray | None = None,
    ) -> None:
        self._args, self._job, self._array = args, job, made

    def made(self) -> bool:
        """Whether :meth:`array` needs no wait for the worker."""
        return self._job is None or self._job.done()

    def array(self) -> pa.StringArray:
        """One fingerprint per key, waiting for the worker if it has them."""
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


class DigestWorker:
    """One worker process that makes fingerprints while this process goes on. If it
    cannot start, or dies, the digests are made here: never lost."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False

    def submit(self, secret: bytes, prefix: bytes, keys: pa.Array) -> Digests:
        args = (secret, prefix, *key_buffers(keys))
        pool = self._started()
        if pool is None:
            return Digests(args)
        try:
            return Digests(args, pool.submit(hex_digests, *args))
        except Exception:  # noqa: BLE001 - a pool that takes no more work: made here
            self._broken = True
            return Digests(args)

    def _started(self) -> ProcessPoolExecutor | None:
        if self._pool is None and not self._broken:
            from mailcheck.parallel import spawn_pool

            try:
                self._pool = spawn_pool(1, initializer=_quiet)
            except (OSError, ImportError, NotImplementedError):
                self._broken = True
        return None if self._broken else self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _quiet() -> None:
    """The worker says nothing and leaves Ctrl-C to the main process, which stops it
    (:meth:`DigestWorker.close`): a terminal's Ctrl-C reaches every process of the run,
    and the user reads one line, "interrupted", not a worker's traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the worker's whole life
