"""A :class:`~mailcheck.batches.FindingBatch` in its sorted order, as columns: what the CI
formats (``sarif``, ``github``, ``gitlab``, ``junit``) read of a batch without building
one finding per row.

Those formats group a rule's flagged rows (one SARIF result, one annotation, one Code
Quality issue per rule and file) or write one line per row from a few shared pieces.
Either way they need, per place of the sorted order, only the row's line, severity and
the rule it belongs to: numpy columns here, so that a batch of 100,000 row findings
builds only the few findings a report prints in full (a group's first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mailcheck.batches import FindingBatch, Part, RowFindings
from mailcheck.findings import Finding
from mailcheck.lazy import np


def has_rows(findings: Sequence[Finding]) -> bool:
    """Whether ``findings`` is a batch holding row findings as columns (the fast path)."""
    return isinstance(findings, FindingBatch) and bool(findings.row_parts())


class Placed:
    """The places (0 .. n-1) of a batch's sorted order, each one finding: ``part_of``
    and ``row_of`` say which part and row it is."""

    def __init__(self, batch: FindingBatch) -> None:
        self.parts: list[Part] = batch.parts
        part_of, row_of = batch.positions()
        self.part_of = np.asarray(part_of, dtype=np.int64)
        self.row_of = np.asarray(row_of, dtype=np.int64)
        #: Each place's index in the parts' findings laid end to end.
        self.flat = batch.flat_order()

    def __len__(self) -> int:
        return len(self.part_of)

    def finding(self, place: int) -> Finding:
        """The finding at ``place``, built if it is a row's."""
        part = self.parts[int(self.part_of[place])]
        return part.finding(int(self.row_of[place])) if isinstance(part, RowFindings) else part

    def column(self, values_of: Callable[[Part], Any], dtype: Any) -> np.ndarray:
        """``values_of(part)`` (one value per finding of the part) in the sorted order."""
        flat = np.concatenate([np.asarray(values_of(part), dtype=dtype) for part in self.parts])
        return flat[self.flat]

    def per_part(self, value_of: Callable[[Part], Any], dtype: Any) -> np.ndarray:
        """``value_of(part)`` (one value per part) at each place of the part."""
        return np.array([value_of(part) for part in self.parts], dtype=dtype)[self.part_of]

    def lines(self) -> np.ndarray:
        """Each place's line."""
        return self.column(_lines, np.int64)

    def levels(self) -> np.ndarray:
        """Each place's severity (``int`` of :class:`~mailcheck.findings.Severity`)."""
        return self.column(_levels, np.int64)

    def row_level(self) -> np.ndarray:
        """Whether each place's finding is about one contact row."""
        return self.per_part(lambda part: bool(part.row_level), bool)


def _lines(part: Part) -> Sequence[int]:
    return part.lines if isinstance(part, RowFindings) else [part.line]


def _levels(part: Part) -> Sequence[int]:
    return part.severities() if isinstance(part, RowFindings) else [int(part.severity)]


def runs(keys: np.ndarray) -> list[tuple[int, np.ndarray | None]]:
    """The places in the order one finding at a time would meet them: each place of key
    -1 alone (``(place, None)``), each other key once, at its first place, with all its
    places in order (``(first, places)``)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    start = int(np.searchsorted(ordered, 0))
    entries: list[tuple[int, np.ndarray | None]] = [
        (place, None) for place in order[:start].tolist()
    ]
    if start < len(order):
        cuts = np.flatnonzero(np.diff(ordered[start:])) + 1
        for places in np.split(order[start:], cuts):
            entries.append((int(places[0]), places))
    entries.sort(key=lambda entry: entry[0])
    return entries


def key_of(*columns: np.ndarray) -> np.ndarray:
    """One int per place for the tuple of ``columns`` (small non-negative ints each)."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        key = key * (int(column.max(initial=0)) + 1) + column
    return key
