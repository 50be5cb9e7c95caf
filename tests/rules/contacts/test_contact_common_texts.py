"""The texts of a ``message_by`` message (rules/contacts/common.py): built once per
distinct combination of values in the whole run, found again chunk after chunk, the
same text for a row read alone (the default report) as in bulk (JSON)."""

from __future__ import annotations

import numpy as np

from mailcheck.rules.contacts.common import _by_distinct, _distinct_text


def _message(calls: list[dict]):
    def message(values: dict) -> str:
        calls.append(values)
        return "; ".join(f"{name}={value}" for name, value in values.items())

    return message


def _chunk(days: list[str], ages: list[int], sources: list) -> dict[str, np.ndarray]:
    return {
        "source": np.array(sources, dtype=object),
        "day": np.array(days, dtype="datetime64[D]"),
        "age": np.array(ages, dtype=np.int64),
    }


def test_each_combination_is_built_once_in_the_whole_run(monkeypatch):
    from mailcheck.rules.contacts import common

    def not_one_by_one(*args):
        raise AssertionError("three columns of dates, numbers and texts are packed")

    monkeypatch.setattr(common._KnownTexts, "_one_by_one", not_one_by_one)
    calls: list[dict] = []
    message = _message(calls)
    first = _chunk(
        ["2019-01-02", "NaT", "2019-01-02"], [2516, 10, 2516], ["opt-in", None, "opt-in"]
    )
    texts, codes = _by_distinct(message, first, 3)
    assert [texts[c] for c in codes] == [
        "source=opt-in; day=2019-01-02; age=2516",
        "source=; day=; age=10",
        "source=opt-in; day=2019-01-02; age=2516",
    ]
    assert len(calls) == 2
    # The next chunk: one combination met before, one new (a new day with a known age).
    second = _chunk(["NaT", "2018-07-01"], [10, 2516], [None, "collection"])
    texts, codes = _by_distinct(message, second, 2)
    assert [texts[c] for c in codes] == [
        "source=; day=; age=10",
        "source=collection; day=2018-07-01; age=2516",
    ]
    assert len(calls) == 3
    # A row read alone gets the very text object of the bulk build.
    assert _distinct_text(message, second, 1) is texts[codes[1]]
    assert len(calls) == 3


def test_values_that_compare_equal_but_read_differently_stay_apart():
    """An object column that is not all texts is looked up by value and type: ``1.5``
    and ``"1.5"`` are two texts."""
    calls: list[dict] = []
    message = _message(calls)
    by = {"value": np.array([1.5, "1.5", 1.5], dtype=object)}
    texts, codes = _by_distinct(message, by, 3)
    assert [texts[c] for c in codes] == ["value=1.5"] * 3
    assert len(calls) == 2 and len(set(map(id, texts))) == 2
    # Floats with NaN, then a chunk where the column comes as another dtype.
    numbers = _message([])
    texts, codes = _by_distinct(numbers, {"n": np.array([2.0, np.nan, 2.0])}, 3)
    assert [texts[c] for c in codes] == ["n=2.0", "n=", "n=2.0"]
    texts, codes = _by_distinct(numbers, {"n": np.array([2, 3])}, 2)
    assert [texts[c] for c in codes] == ["n=2", "n=3"]


def test_equal_values_of_other_types_in_one_chunk_keep_their_own_text():
    """``1``, ``1.0`` and ``True`` in one object column (a plugin's) compare equal: each
    row still says its own value, not the first row's."""
    message = _message([])
    by = {"flag": np.array([1, True, 1.0, 1, True], dtype=object)}
    texts, codes = _by_distinct(message, by, 5)
    assert [texts[c] for c in codes] == [
        "flag=1",
        "flag=True",
        "flag=1.0",
        "flag=1",
        "flag=True",
    ]
