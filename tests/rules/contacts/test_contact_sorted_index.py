"""SortedIndex (the compact per-address state of MC218, MC201/MC202, MC212) against a dict."""

from __future__ import annotations

import numpy as np

from mailcheck.rules.contacts.sorted_index import SortedIndex, first_occurrences


def test_sorted_index_matches_a_dict_across_growth_and_merges() -> None:
    rng = np.random.default_rng(7)
    index, reference = SortedIndex(), {}
    for chunk in range(40):
        # Repeats inside a chunk and across chunks; enough keys to regrow the bitmap.
        keys = rng.integers(0, 2**64 - 1, 3000, dtype=np.uint64)
        keys[::5] = keys[1::5][: len(keys[::5])]
        if chunk:
            keys[:400] = rng.choice(np.fromiter(reference, np.uint64), 400)
        values = np.arange(chunk * 3000, chunk * 3000 + 3000) + 1
        expected = np.array([reference.get(int(k), -1) for k in keys])
        assert np.array_equal(index.lookup(keys), expected)
        index.add(keys, values)
        for key, value in zip(keys.tolist(), values.tolist(), strict=True):
            reference.setdefault(key, value)
        assert len(index) == len(reference)
    absent = rng.integers(0, 2**64 - 1, 5000, dtype=np.uint64)
    absent = absent[[int(k) not in reference for k in absent]]
    assert (index.lookup(absent, missing=-7) == -7).all()


def test_add_new_then_lookup_keeps_the_first_value() -> None:
    index = SortedIndex(np.int64)
    index.add_new(np.array([3, 9, 12], np.uint64), np.array([30, 90, 120]))
    index.add(np.array([9, 5, 5], np.uint64), np.array([1, 50, 51]))
    found = index.lookup(np.array([12, 9, 5, 4], np.uint64))
    assert found.tolist() == [120, 90, 50, -1]


def test_runs_stop_merging_at_the_cap(monkeypatch) -> None:
    from mailcheck.rules.contacts import sorted_index

    monkeypatch.setattr(sorted_index, "MERGED_KEYS", 1000)
    index = SortedIndex()
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 2**64 - 1, 20 * 300, dtype=np.uint64)
    for start in range(0, len(keys), 300):
        index.add(keys[start : start + 300], np.arange(start, start + 300) + 1)
    assert max(len(run_keys) for run_keys, _ in index.runs) <= 1000 and len(index.runs) > 3
    assert np.array_equal(index.lookup(keys), np.arange(len(keys)) + 1)


def test_sorted_index_without_values_counts_distinct_keys() -> None:
    rng = np.random.default_rng(11)
    index, seen = SortedIndex(np.int8), set()
    for _ in range(12):
        keys = rng.integers(0, 5000, 2000).astype(np.uint64)  # many repeats
        index.add(keys)
        seen.update(keys.tolist())
        assert len(index) == len(seen)
    assert (index.lookup(np.fromiter(seen, np.uint64)) == 0).all()


def test_first_occurrences_groups_keys_as_np_unique_does() -> None:
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 300, 2000).astype(np.uint64)
    order, group, distinct, first = first_occurrences(keys)
    expected_distinct, expected_first, expected_inverse = np.unique(
        keys, return_index=True, return_inverse=True
    )
    assert np.array_equal(distinct, expected_distinct)
    assert np.array_equal(first, expected_first)
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = group
    assert np.array_equal(inverse, expected_inverse.ravel())
    assert np.array_equal(keys[order], np.sort(keys))
