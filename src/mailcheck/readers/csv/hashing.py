"""The 64-bit hash of address keys (``key_hash``) that the contact rules keep as compact
per-address state (duplicates, cross-file suppression).

Why hand-written and not a library kernel: pyarrow 26 has no element-wise hash kernel
(its ``hash_*`` functions are grouped aggregations), and pandas' SipHash
(``pandas.util.hash_array``) needs a Python string per row: on 1M addresses it took
275 ms against 77 ms here (435 ms through an Arrow-backed Series). The values are
internal keys only; pandas' hash still takes the rare value longer than
:data:`_SHORT_BYTES`.
"""

from __future__ import annotations

from mailcheck.lazy import np, pa, pc, pd
from mailcheck.readers.csv.strings import _string_buffers

#: Values up to this many bytes are hashed by :func:`_hash_short` (longer ones by pandas).
_SHORT_BYTES = 64


# Plain ints, taken as uint64 by numpy's arithmetic on uint64 arrays (NEP 50), so that
# numpy is not imported with this module.
_M1, _M2 = 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53


_GOLDEN = 0x9E3779B97F4A7C15


def hash_strings(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit hash of each string.

    Rules keep compact per-address state (duplicates, cross-file suppression) as these
    hashes instead of the strings: 8 bytes a row, collisions negligible. Addresses are
    hashed straight from the Arrow buffers, 8 bytes at a time (:func:`_hash_short`, no
    Python string per row); the rare value longer than ``_SHORT_BYTES`` by pandas'
    SipHash (equal strings have equal lengths, so they always meet the same hash)."""
    if len(array) == 0:
        return np.zeros(0, dtype=np.uint64)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = pc.fill_null(array, "")
    if array.type != pa.string():
        array = array.cast(pa.string())
    offsets, data = _string_buffers(array)
    lengths = np.diff(offsets).astype(np.int64)
    result = _hash_short(data, offsets[:-1].astype(np.int64), np.minimum(lengths, _SHORT_BYTES))
    long = np.flatnonzero(lengths > _SHORT_BYTES)
    if len(long):
        values = array.take(pa.array(long)).to_numpy(zero_copy_only=False)
        result[long] = pd.util.hash_array(values, categorize=False)
    return result


def _fmix(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser (a bijection that mixes every bit), in place."""
    h ^= h >> np.uint64(33)
    h *= _M1
    h ^= h >> np.uint64(33)
    h *= _M2
    h ^= h >> np.uint64(33)
    return h


def _hash_short(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Hash the byte strings ``data[start:start + length]``: the length, then each 8-byte
    little-endian word (zero-padded), chained through :func:`_fmix`."""
    padded = np.zeros(len(data) + 8, dtype=np.uint8)
    padded[: len(data)] = data
    # An unaligned view: words[i] is the 8 bytes starting at byte i.
    words = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
    with np.errstate(over="ignore"):
        h = _fmix(lengths.astype(np.uint64) * _GOLDEN + _GOLDEN)
        for word in range(int(lengths.max(initial=0) + 7) // 8):
            remaining = lengths - 8 * word
            live = remaining > 0
            value = words[np.where(live, starts + 8 * word, 0)]
            keep = np.where(
                remaining >= 8,
                np.uint64(0xFFFFFFFFFFFFFFFF),
                (np.uint64(1) << (np.clip(remaining, 0, 7).astype(np.uint64) * np.uint64(8)))
                - np.uint64(1),
            )
            h = np.where(live, _fmix(h ^ (value & keep)), h)
    return h
