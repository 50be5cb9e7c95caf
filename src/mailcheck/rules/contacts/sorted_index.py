"""The compact per-address state of the cross-file contact rules (MC201/MC202, MC212, and
the address index MC216 and MC218 share, :mod:`~mailcheck.rules.contacts.address_index`):
a sorted index of 64-bit address hashes with a value per hash.

Its own module because it is a data structure, not rule logic: the state of a list of
millions of addresses is about 12 bytes an address (never whole chunks), and the rules
only add chunks of hashes to it and look chunks up in it.
"""

from __future__ import annotations

from functools import cached_property

from mailcheck.lazy import np

#: Largest run :class:`SortedIndex` makes by merging (12 MiB of keys and ``int32`` values).
MERGED_KEYS = 1 << 20


class SortedIndex:
    """Compact set of address hashes with a value per hash (the first one added wins).

    Kept as sorted numpy runs merged by size (a log-structured merge, runs capped at
    :data:`MERGED_KEYS`), so adding a chunk and looking up a chunk both cost O(n log n);
    memory is 8 bytes a key plus the value (``int32`` lines by default, ``int64``
    timestamps when asked), plus a bitmap of 8 to
    16 bits a key. Keys are uniform 64-bit hashes, so their top bits address that bitmap:
    it answers "certainly absent" for most keys of a chunk in one vectorized gather, and
    only the rest pay a binary search in each run (measured: 3x faster lookups)."""

    def __init__(self, dtype: type | str = "int32") -> None:
        # A dtype name, and the bitmap made on first use: a rule holds an index from its
        # construction, and a run that reads no contact list must not import numpy.
        self.dtype = dtype
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []
        self.size = 0
        self._shift = 64 - 13

    @cached_property
    def _bits(self) -> np.ndarray:
        return np.zeros(1 << 10, dtype=np.uint8)  # 2**13 bits; _grow replaces it

    def __len__(self) -> int:
        return self.size

    def _maybe(self, keys: np.ndarray) -> np.ndarray:
        """False where a key is certainly absent."""
        slots = keys.astype(np.uint64, copy=False) >> np.uint64(self._shift)
        byte = self._bits[(slots >> np.uint64(3)).astype(np.intp)]
        return ((byte >> (slots & np.uint64(7)).astype(np.uint8)) & 1).astype(bool)

    def _mark(self, sorted_keys: np.ndarray) -> None:
        """Set the bitmap bits of sorted keys (grouped per byte: no unbuffered ``.at``)."""
        if not len(sorted_keys):
            return
        slots = sorted_keys.astype(np.uint64, copy=False) >> np.uint64(self._shift)
        byte = (slots >> np.uint64(3)).astype(np.intp)
        bit = np.left_shift(np.uint8(1), (slots & np.uint64(7)).astype(np.uint8))
        starts = np.flatnonzero(np.r_[True, byte[1:] != byte[:-1]])
        self._bits[byte[starts]] |= np.bitwise_or.reduceat(bit, starts)

    def _grow(self) -> None:
        """Keep the bitmap at 8 to 16 bits a key (1/8 false positives at most)."""
        if self.size * 8 <= len(self._bits) * 8:
            return
        bits = 1 << max(13, int(self.size * 8 - 1).bit_length())
        self._shift = 64 - (bits.bit_length() - 1)
        self._bits = np.zeros(bits // 8, dtype=np.uint8)
        for run_keys, _ in self.runs:
            self._mark(run_keys)

    def lookup(self, keys: np.ndarray, missing: int = -1) -> np.ndarray:
        """The value stored for each key (``missing`` when absent); the oldest run wins."""
        result = np.full(len(keys), missing, dtype=np.int64)
        if not self.size or not len(keys):
            return result
        candidates = np.flatnonzero(self._maybe(keys))
        if not len(candidates):
            return result
        wanted = keys[candidates]
        order = np.argsort(wanted, kind="stable")  # sorted needles: a cache-friendly search
        wanted = wanted[order]
        found = np.zeros(len(wanted), dtype=bool)
        values = np.zeros(len(wanted), dtype=np.int64)
        for run_keys, run_values in self.runs:
            position, hit = _find(run_keys, wanted)
            hit &= ~found
            values[hit] = run_values[position[hit]]
            found |= hit
        result[candidates[order[found]]] = values[found]
        return result

    def set_bits(self, sorted_keys: np.ndarray, bits: int) -> None:
        """OR ``bits`` into the stored value of each key (sorted, and present: keys that
        :meth:`lookup` found). A flag kept in a value's spare bits costs no other index
        (:mod:`~mailcheck.rules.contacts.address_index`)."""
        if not len(sorted_keys):
            return
        for run_keys, run_values in self.runs:
            position, hit = _find(run_keys, sorted_keys)
            run_values[position[hit]] |= run_values.dtype.type(bits)

    def add(self, keys: np.ndarray, values: np.ndarray | None = None) -> None:
        """Add keys not yet present (first occurrence inside ``keys`` wins). Without
        ``values`` (an index used as a set) each key gets 0."""
        if not len(keys):
            return
        if values is None:  # a plain sort: no positions to keep
            unique_keys = np.unique(keys)
            new_values = np.zeros(len(unique_keys), dtype=self.dtype)
        else:
            unique_keys, first = np.unique(keys, return_index=True)
            new_values = np.asarray(values)[first]
        if self.runs:
            sentinel = np.iinfo(np.int64).min
            fresh = self.lookup(unique_keys, missing=sentinel) == sentinel
            unique_keys, new_values = unique_keys[fresh], new_values[fresh]
        self.add_new(unique_keys, new_values)

    def add_new(self, sorted_keys: np.ndarray, values: np.ndarray) -> None:
        """Add keys known to be sorted, unique and absent (callers that already looked
        them up save a second search)."""
        if not len(sorted_keys):
            return
        self.runs.append((sorted_keys, np.asarray(values).astype(self.dtype)))
        self.size += len(sorted_keys)
        self._mark(sorted_keys)
        self._grow()
        # Merge while the last run is at least as big as the one before (keeps log n runs),
        # up to MERGED_KEYS: merging two big runs would hold both and their copy at once
        # (+240 MB at 10M rows); with the bitmap, a lookup searches few keys in each run.
        while (
            len(self.runs) > 1
            and len(self.runs[-1][0]) >= len(self.runs[-2][0])
            and len(self.runs[-1][0]) + len(self.runs[-2][0]) <= MERGED_KEYS
        ):
            small, big = self.runs.pop(), self.runs.pop()
            self.runs.append(_merge(big, small))


def _find(run_keys: np.ndarray, sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``sorted_keys`` would be in a run, and whether it is there."""
    if not len(run_keys):
        return np.zeros(len(sorted_keys), dtype=np.intp), np.zeros(len(sorted_keys), dtype=bool)
    position = np.searchsorted(run_keys, sorted_keys)
    position[position >= len(run_keys)] = 0
    return position, run_keys[position] == sorted_keys


def _merge(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]):
    """Merge two sorted runs with disjoint keys in one O(n) pass (no argsort, no copy of
    both inputs: peak memory is the output plus the positions of the smaller run)."""
    (a_keys, a_values), (b_keys, b_values) = (a, b) if len(a[0]) >= len(b[0]) else (b, a)
    total = len(a_keys) + len(b_keys)
    slots = np.searchsorted(a_keys, b_keys) + np.arange(len(b_keys))
    keys = np.empty(total, dtype=a_keys.dtype)
    values = np.empty(total, dtype=a_values.dtype)
    from_b = np.zeros(total, dtype=bool)
    from_b[slots] = True
    keys[slots], values[slots] = b_keys, b_values
    keys[~from_b], values[~from_b] = a_keys, a_values
    return keys, values


def first_occurrences(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``keys`` grouped by value, in one stable sort: (the order that sorts them, the
    group of each sorted position, the distinct keys sorted, the position in ``keys`` of
    each one's first occurrence). Cheaper than ``np.unique`` with its index and inverse."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    return order, np.cumsum(starts) - 1, ordered[starts], order[starts]
