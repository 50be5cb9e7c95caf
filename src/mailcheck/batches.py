"""Findings in bulk: :class:`RowFindings`, the row findings of one rule on one chunk kept
as columns, and :class:`FindingBatch`, one sorted batch of final findings as the engine
hands it to the reports.

An old list of a million contacts gives nearly a million findings. Made one Python
object each, then sorted, masked, counted and encoded one by one, they cost twice the
lint itself. Here they stay columns -- the flagged rows' lines, severities and values --
until something reads them: the default report reads three rows per rule and counts the
rest; a machine format encodes a whole rule's rows at once (:meth:`RowFindings.messages`,
:meth:`RowFindings.content_hashes`) and puts them in order with :meth:`FindingBatch.gather`.

Both are sequences of :class:`~mailcheck.findings.Finding`: a consumer that iterates (a
plugin's reporter, ``mailcheck.lint()``) gets findings as it always did, each built when
it is reached (a :class:`~mailcheck.findings.RowFinding`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any, TypeVar, overload

from mailcheck.digests import Digests, DigestWorker, key_buffers
from mailcheck.findings import Finding, RowFinding, RowSource, Severity, message_key
from mailcheck.fingerprints import active_key
from mailcheck.lazy import np, pa, pc
from mailcheck.pii import mask_text, may_hold_address

T = TypeVar("T")


class RowFindings(Sequence[Finding]):
    """The rows one rule flagged in one chunk, as one finding per row kept as columns:
    ``lines`` (the records' physical lines), ``levels`` (a severity per row, or ``None``
    when all have ``severity``) and ``source`` (the flagged rows' values, a
    :class:`~mailcheck.findings.RowSource`), ``rows`` (which of the source's rows are
    still reported: ``None`` for all, a baseline may hide some).

    What a contact rule yields: ``yield row_findings(self, doc, chunk, mask, message)``
    (see :func:`mailcheck.rules.contacts.common.row_findings`)."""

    __slots__ = (
        "code",
        "name",
        "severity",
        "levels",
        "path",
        "lines",
        "fix",
        "reference",
        "source",
        "rows",
        "mask",
        "_digests",
    )
    #: As on :class:`~mailcheck.findings.Finding`: every one of them is about one row.
    row_level = True

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        path: str,
        lines: np.ndarray,
        fix: str | None,
        reference: str | None,
        source: RowSource,
        levels: np.ndarray | None = None,
        rows: np.ndarray | None = None,
    ) -> None:
        self.code, self.name, self.severity, self.path = code, name, severity, path
        self.lines = lines
        self.fix, self.reference = fix, reference
        self.source = source
        self.levels = levels
        self.rows = rows
        #: The masking of messages (``--show-pii`` off): applied when a message is built.
        self.mask: Callable[[str], str] | None = None
        self._digests: Digests | None = None

    # -- as a sequence of findings --------------------------------------------------------

    def __len__(self) -> int:
        return len(self.lines)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            return [self.finding(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.finding(index)

    def __iter__(self) -> Iterator[Finding]:
        return map(self.finding, range(len(self)))

    def __repr__(self) -> str:
        return f"<RowFindings {self.code} {self.path}: {len(self)} rows>"

    def finding(self, index: int) -> RowFinding:
        """The ``index``-th row as a finding (its message, data and fingerprint lazy)."""
        level = self.severity if self.levels is None else Severity(int(self.levels[index]))
        row = index if self.rows is None else int(self.rows[index])
        found = RowFinding(
            self.code,
            self.name,
            level,
            self.path,
            int(self.lines[index]),
            self.fix,
            self.reference,
            self.source,
            row,
        )
        if self.mask is not None:
            found.mask_message(self.mask)
        return found

    # -- in bulk --------------------------------------------------------------------------

    def source_rows(self) -> Sequence[int]:
        """The source's row of each finding, in order."""
        return range(len(self)) if self.rows is None else self.rows.tolist()

    def severities(self) -> np.ndarray:
        """The severity of each row, as ``int`` values of :class:`Severity`."""
        if self.levels is None:
            return np.full(len(self), int(self.severity), dtype=np.int8)
        return self.levels

    def severity_counts(self) -> Counter[Severity]:
        if self.levels is None:
            return Counter({self.severity: len(self)})
        counts = np.bincount(self.levels.astype(np.intp), minlength=4)
        return Counter({level: int(counts[level]) for level in Severity if counts[level]})

    def set_severity(self, old: Severity | None, new: Severity) -> None:
        """Every row at ``old`` (every row when ``old`` is ``None``) now at ``new``."""
        if old is None:
            self.severity, self.levels = new, None
        elif self.levels is None:
            if self.severity == old:
                self.severity = new
        else:
            self.levels = np.where(self.levels == int(old), int(new), self.levels).astype(np.int8)

    def keep(self, kept: np.ndarray) -> RowFindings:
        """The same findings, only those where ``kept`` (a mask over them) is true."""
        rows = np.asarray(self.source_rows())[kept]
        levels = None if self.levels is None else self.levels[kept]
        subset = RowFindings(
            self.code,
            self.name,
            self.severity,
            self.path,
            self.lines[kept],
            self.fix,
            self.reference,
            self.source,
            levels,
            rows,
        )
        subset.mask = self.mask
        if self._digests is not None and self._digests.made():
            subset._digests = Digests(made=self._digests.array().filter(pa.array(kept)))
        return subset

    def _per_row(self, values: list[T]) -> list[T]:
        return values if self.rows is None else [values[row] for row in self.rows.tolist()]

    def texts(self) -> list[Any]:
        """Each row's message as the rule gave it (a :class:`~mailcheck.i18n.Text`, shared
        by the rows that say the same thing, or a string), unmasked."""
        return self._per_row(_all(self.source, "messages", "message"))

    def text_codes(self) -> tuple[list[Any], Sequence[int]]:
        """The distinct messages as the rule gave them (see :meth:`texts`), unmasked,
        and per row the index of its own (a numpy array, or a list)."""
        bulk = getattr(self.source, "message_codes", None)
        if bulk is not None:
            texts, codes = bulk()
            return texts, (codes if self.rows is None else codes[self.rows])
        # Rows that say the same thing share one text object: by identity.
        seen: dict[int, int] = {}
        texts, codes = [], []
        for text in self.texts():
            code = seen.get(id(text))
            if code is None:
                code = seen[id(text)] = len(texts)
                texts.append(text)
            codes.append(code)
        return texts, codes

    def message_codes(
        self, write: Callable[[str], str] | None = None
    ) -> tuple[list[str], Sequence[int]]:
        """The distinct messages in English (masked when the batch is, then passed
        through ``write``: a report's encoding) and, per row, the index of its own (a
        numpy array, or a list)."""
        texts, codes = self.text_codes()
        english = list(map(str, texts))  # a shared text's English is rendered once
        mask = self.mask
        if mask is not None:
            english = [mask(shown) if may_hold_address(shown) else shown for shown in english]
        return (english if write is None else list(map(write, english))), codes

    def content_keys(self) -> list[str]:
        """What each finding is about (see :meth:`Finding.content_key`): the row's
        normalised address, else its unmasked message with the numbers left out."""
        keys = self._per_row(_all(self.source, "fingerprints", "fingerprint"))
        if all(keys):
            return keys
        texts = self.texts()
        return [key or message_key(str(text)) for key, text in zip(keys, texts, strict=True)]

    def content_key_array(self) -> pa.Array:
        """:meth:`content_keys` as an Arrow array: the source's keys as they are when
        every row has one (an address), else made in Python (raises on a text Arrow
        cannot hold)."""
        bulk = getattr(self.source, "fingerprint_array", None)
        if bulk is not None:
            keys = bulk()
            if self.rows is not None:
                keys = keys.take(pa.array(self.rows))
            if not len(keys) or (keys.null_count == 0 and pc.min(pc.binary_length(keys)).as_py()):
                return keys
        return pa.array(self.content_keys(), pa.string())

    def hash_prefix(self) -> str:
        """What every row's fingerprint text starts with: code and (masked) path."""
        path = mask_text(self.path) if may_hold_address(self.path) else self.path
        return f"{self.code}\0{path}\0"

    def content_hashes(self) -> list[str]:
        """Each finding's :meth:`Finding.content_hash` (the baseline's and the machine
        formats' fingerprint), one per row."""
        return self.content_hash_array().to_pylist()

    def start_digests(self, worker: DigestWorker | None = None) -> None:
        """Have every row's fingerprint made ahead of :meth:`content_hash_array`: by
        ``worker`` while this process goes on, or here when first read."""
        if self._digests is not None:
            return
        secret, prefix = active_key().secret, self.hash_prefix().encode("utf-8", "surrogatepass")
        try:
            keys = self.content_key_array()
        except (pa.ArrowException, UnicodeError):  # a lone surrogate: one at a time
            keys = None
        if keys is None:
            digest, text = active_key().digest, self.hash_prefix()
            made = [digest(text + key) for key in self.content_keys()]
            self._digests = Digests(made=pa.array(made, pa.string()))
        elif worker is not None:
            self._digests = worker.submit(secret, prefix, keys)
        else:
            self._digests = Digests((secret, prefix, *key_buffers(keys)))

    def digests_made(self) -> bool:
        """Whether :meth:`content_hash_array` gives its array without waiting for a
        worker (see :meth:`start_digests`)."""
        return self._digests is None or self._digests.made()

    def content_hash_array(self) -> pa.StringArray:
        """:meth:`content_hashes` as an Arrow array, made in one loop (or by a worker:
        :meth:`start_digests`)."""
        self.start_digests()
        return self._digests.array()

    def values(self, name: str) -> list[Any]:
        """One value of every flagged row (``data[name]``), raw."""
        value = getattr(self.source, "value", None)
        if value is None:
            return [self.source.data(row).get(name) for row in self.source_rows()]
        return [value(row, name) for row in self.source_rows()]


def _all(source: RowSource, bulk: str, one: str) -> list[Any]:
    """Every row's value from ``source``: its bulk method when it has one (the built-in
    :class:`~mailcheck.rules.contacts.common.FlaggedRows`), else row by row."""
    every = getattr(source, bulk, None)
    if every is not None:
        return every()
    size = getattr(source, "size", None)
    if size is None:
        raise TypeError(f"row source {source!r} has neither {bulk}() nor size")
    return list(map(getattr(source, one), range(size)))


#: A finding, or many of one rule, as the engine passes them on.
Part = Finding | RowFindings


def rows_in(part: Part) -> int:
    return len(part) if isinstance(part, RowFindings) else 1


class FindingBatch(Sequence[Finding]):
    """One batch of final findings (filtered, masked) sorted by path, line, column and
    code, ties in the order they were found: what every consumer's ``add`` receives.

    ``parts`` holds the single findings and the :class:`RowFindings` in the order found;
    the sorted order is computed once, as two arrays (which part, which row of it)."""

    __slots__ = ("parts", "_size", "_positions")

    def __init__(self, parts: list[Part]) -> None:
        self.parts = parts
        self._size = sum(map(rows_in, parts))
        self._positions: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return self._size

    def __bool__(self) -> bool:
        return self._size > 0

    def __repr__(self) -> str:
        return f"<FindingBatch of {self._size} findings in {len(self.parts)} parts>"

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += self._size
        parts, rows = self.positions()
        part = self.parts[int(parts[index])]
        return part.finding(int(rows[index])) if isinstance(part, RowFindings) else part

    def __iter__(self) -> Iterator[Finding]:
        parts = self.parts
        indices, rows = self.positions()
        if not isinstance(indices, list):
            indices, rows = indices.tolist(), rows.tolist()
        for index, row in zip(indices, rows, strict=True):
            part = parts[index]
            yield part.finding(row) if isinstance(part, RowFindings) else part

    # -- in bulk --------------------------------------------------------------------------

    def row_parts(self) -> list[RowFindings]:
        return [part for part in self.parts if isinstance(part, RowFindings)]

    def positions(self) -> tuple[Sequence[int], Sequence[int]]:
        """The sorted order: for each place, the index of its part and its row in it
        (two numpy arrays when the batch has row findings, else two lists)."""
        if self._positions is None:
            self._positions = _sorted_positions(self.parts)
        return self._positions

    def gather(self, values_of: Callable[[Part], Sequence[T]]) -> list[T]:
        """``values_of(part)`` (one value per finding of the part: a list for a
        :class:`RowFindings`, one item for a single finding) put in the sorted order."""
        flat: list[T] = []
        for part in self.parts:
            flat.extend(values_of(part))
        if len(flat) != self._size:
            raise ValueError("values_of must give one value per finding")
        return [flat[i] for i in self.order()]

    def order(self) -> list[int]:
        """The sorted order as indices into the findings laid end to end, part by part."""
        parts, _ = self.positions()
        if isinstance(parts, list):  # no row findings: one finding a part
            return list(parts)
        return self.flat_order().tolist()

    def flat_order(self) -> np.ndarray:
        """:meth:`order` as a numpy array (``int64``): what the formats that lay every
        row's text end to end take them by."""
        parts, rows = (np.asarray(a, dtype=np.int64) for a in self.positions())
        sizes = np.fromiter(map(rows_in, self.parts), dtype=np.int64, count=len(self.parts))
        return (np.cumsum(sizes) - sizes)[parts] + rows

    def severity_counts(self) -> Counter[Severity]:
        counts: Counter[Severity] = Counter()
        for part in self.parts:
            if isinstance(part, RowFindings):
                counts.update(part.severity_counts())
            else:
                counts[part.severity] += 1
        return counts


_SORT_KEY = attrgetter("path", "line", "column", "code")


def _sorted_positions(parts: list[Part]) -> tuple[Sequence[int], Sequence[int]]:
    """(part index, row) of each finding in the order ``sorted(key=(path, line, column,
    code))`` gives, stable: ties keep the order found."""
    if not any(isinstance(part, RowFindings) for part in parts):
        # Templates, forms, messages: a few findings, no numpy needed (nor imported).
        order = sorted(range(len(parts)), key=lambda i: _SORT_KEY(parts[i]))
        return order, [0] * len(order)
    paths = sorted({part.path for part in parts})
    codes = sorted({part.code for part in parts})
    path_rank = {path: rank for rank, path in enumerate(paths)}
    code_rank = {code: rank for rank, code in enumerate(codes)}
    sizes = np.fromiter(map(rows_in, parts), dtype=np.int64, count=len(parts))
    part_of = np.repeat(np.arange(len(parts), dtype=np.int64), sizes)
    row_of = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(sizes) - sizes, sizes
    )
    if len(parts) == 1 and _ascending(parts[0].lines):
        return part_of, row_of
    lines = np.concatenate(
        [
            np.asarray(part.lines, dtype=np.int64)
            if isinstance(part, RowFindings)
            else np.array([part.line], dtype=np.int64)
            for part in parts
        ]
    )
    per_part = np.array(
        [
            (path_rank[part.path], code_rank[part.code], getattr(part, "column", 1))
            if not isinstance(part, RowFindings)
            else (path_rank[part.path], code_rank[part.code], 1)
            for part in parts
        ],
        dtype=np.int64,
    )
    path_key, code_key, column_key = (np.repeat(per_part[:, i], sizes) for i in range(3))
    # lexsort is stable and sorts by the last key first: the position found breaks ties.
    order = np.lexsort((code_key, column_key, lines, path_key), axis=0)
    return part_of[order], row_of[order]


def _ascending(values: np.ndarray) -> bool:
    return len(values) < 2 or bool((np.diff(values) >= 0).all())


def parts_of(findings: Iterable[Finding]) -> Sequence[Part]:
    """The parts of a :class:`FindingBatch` (unsorted: for what counts or groups), or
    the findings of any other sequence."""
    return findings.parts if isinstance(findings, FindingBatch) else list(findings)


def singles(part: Part) -> Sequence[Finding]:
    """A part as findings: a single one, or a :class:`RowFindings`' rows."""
    return part if isinstance(part, RowFindings) else (part,)


def flatten(found: Iterable[Part | Iterable[Finding]]) -> list[Finding]:
    """What a rule's ``check_chunk`` yields (findings, :class:`RowFindings`, lists of
    findings) as one list of findings: for tests and tools that look at each one."""
    flat: list[Finding] = []
    for item in found:
        if isinstance(item, Finding):
            flat.append(item)
        else:
            flat.extend(item)
    return flat
