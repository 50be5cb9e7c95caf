"""Helpers shared by the contact-list rules (MC2xx): masks and row findings (the compact
per-address state is :mod:`mailcheck.rules.contacts.sorted_index`).

Every rule works on canonical chunks (see :mod:`mailcheck.readers.csv`): string columns
are never null (``""`` = missing), dates are ``datetime64`` with ``NaT`` for missing,
``line`` is the physical line of the record, ``email_key`` the normalised address,
``key_hash`` its 64-bit hash and ``domain`` its domain.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from mailcheck.batches import RowFindings
from mailcheck.context import LintContext
from mailcheck.documents import ContactListDocument
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import Text
from mailcheck.keywords import KeywordList, fold
from mailcheck.lazy import np, pa, pc, pd
from mailcheck.rule import Rule

#: Statuses of contacts that must not receive marketing (non-subscribed: never opted in).
DO_NOT_SEND = ("unsubscribed", "cleaned", "blocklisted", "nonsubscribed")
#: Statuses of an objection (cleaned is a bounce, not an objection).
OPTED_OUT = ("unsubscribed", "blocklisted")
#: Canonical columns that are dates of consent or activity (never opens, never "last changed").
QUALIFYING = ("consent_at", "confirmed_at", "last_activity_at", "last_purchase_at", "created_at")
#: What each qualifying date is, in the order messages name them (English words kept in
#: ``Finding.data`` and row files: MC203's ``qualifying_source``, MC220's ``last_event``).
QUALIFYING_LABELS = {
    "last_purchase_at": "last purchase",
    "last_activity_at": "last click/activity",
    "confirmed_at": "opt-in confirmation",
    "consent_at": "opt-in",
    "created_at": "collection",
}


def role(doc: ContactListDocument) -> str:
    return doc.role or "audience"


def is_audience(doc: ContactListDocument) -> bool:
    """A list people are (or will be) sent to: not a suppression file, not a send log."""
    return role(doc) in ("audience", "send-list")


def regex_mask(values: pd.Series, pattern: str) -> np.ndarray:
    """``values.str.contains(pattern)`` as a numpy mask, straight on the Arrow strings
    (RE2), without pandas' per-call overhead and its Python ``re`` checks."""
    try:
        matched = pc.match_substring_regex(pa.array(values), pattern)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return values.str.contains(pattern, regex=True).to_numpy(dtype=bool, na_value=False)
    return pc.fill_null(matched, False).to_numpy(zero_copy_only=False)


def distinct_mask(chunk: pd.DataFrame, column: str, pattern: str, ctx: LintContext) -> np.ndarray:
    """:func:`regex_mask` of a column with few distinct values (domains): the regex runs
    on each distinct value once (the dictionary is built once per chunk)."""
    encoded = column_codes(chunk, column, ctx)
    if encoded is None:
        return regex_mask(chunk[column], pattern)
    indices, dictionary = encoded
    matched = pc.fill_null(pc.match_substring_regex(dictionary, pattern), False)
    return matched.to_numpy(zero_copy_only=False)[indices]


def _dictionary(values: pd.Series) -> tuple[np.ndarray, pa.Array] | None:
    try:
        encoded = pc.dictionary_encode(pa.array(values))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    if encoded.indices.null_count or encoded.dictionary.null_count:
        return None
    indices = encoded.indices.to_numpy()
    if len(encoded.dictionary) <= np.iinfo(np.int8).max:
        # Statuses, bases, countries: a byte a row. The memo keeps the encodings of the
        # last chunks (Memo.RECENT_OWNERS): int32 codes of five columns were +16 MB.
        indices = indices.astype(np.int8)
    return indices, encoded.dictionary


def column_codes(
    chunk: pd.DataFrame, column: str, ctx: LintContext
) -> tuple[np.ndarray, pa.Array] | None:
    """``column`` dictionary-encoded (codes per row, distinct values), once per chunk and
    shared by every rule that tests or maps it: statuses, legal bases, domains, tags and
    sources are a few distinct values, so each test then runs on those few instead of
    hashing every row's string again. ``None`` when the column cannot be encoded."""
    return ctx.memo.get(
        ("contacts.dictionary", column), lambda: _dictionary(chunk[column]), of=chunk
    )


def column_in(
    chunk: pd.DataFrame, column: str, values: tuple[str, ...], ctx: LintContext
) -> np.ndarray:
    """Mask of rows whose ``column`` is one of ``values``, once per chunk (statuses and
    legal bases are tested by several rules): tested on the column's distinct values
    (:func:`column_codes`), then spread to the rows."""

    def compute() -> np.ndarray:
        encoded = column_codes(chunk, column, ctx)
        if encoded is None:
            return _is_in(chunk[column], values)
        indices, dictionary = encoded
        return _is_in_array(dictionary, values)[indices]

    return ctx.memo.get(("contacts.in", column, values), compute, of=chunk)


def map_column(
    chunk: pd.DataFrame,
    column: str,
    function: Callable[[str], Any],
    ctx: LintContext,
    dtype: Any = object,
) -> np.ndarray:
    """:func:`map_unique` of a whole column, on its shared encoding (:func:`column_codes`)."""
    encoded = column_codes(chunk, column, ctx)
    if encoded is None:
        return map_unique(chunk[column], function, dtype)
    indices, dictionary = encoded
    mapped = np.array([function(value) for value in dictionary.to_pylist()], dtype=dtype)
    if len(mapped) == 0:
        return np.zeros(len(chunk), dtype=dtype)
    return mapped[indices]


def _is_in(series: pd.Series, values: tuple[str, ...]) -> np.ndarray:
    try:
        return _is_in_array(pa.array(series), values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return series.isin(values).to_numpy(dtype=bool)


def _is_in_array(array: pa.Array | pa.ChunkedArray, values: tuple[str, ...]) -> np.ndarray:
    found = pc.is_in(array, value_set=pa.array(list(values), pa.string()))
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def active(chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
    """Mask of the rows that would receive the next campaign (not unsubscribed, cleaned
    or blocked). Masks are numpy arrays: combining them costs no pandas call."""
    return ctx.memo.get(
        "contacts.active", lambda: ~column_in(chunk, "status", DO_NOT_SEND, ctx), of=chunk
    )


def has_address(chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
    """Mask of the rows with an address."""
    if "email_key" not in chunk:
        return np.zeros(len(chunk), dtype=bool)
    return ctx.memo.get("contacts.has_address", lambda: filled(chunk, "email_key"), of=chunk)


def text(chunk: pd.DataFrame, column: str) -> pd.Series:
    """A string column, or empty strings when the file does not have it."""
    if column in chunk:
        return chunk[column]
    return pd.Series("", index=chunk.index, dtype="str")


def filled(chunk: pd.DataFrame, column: str) -> np.ndarray:
    """Mask of rows where a string column has a value (all False when it is absent)."""
    if column not in chunk:
        return np.zeros(len(chunk), dtype=bool)
    values = chunk[column]
    try:  # byte lengths in Arrow: no string comparison, no pandas call
        lengths = pc.binary_length(pa.array(values))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return (values != "").to_numpy(dtype=bool, na_value=False)
    return pc.fill_null(pc.greater(lengths, 0), False).to_numpy(zero_copy_only=False)


def dates(chunk: pd.DataFrame, column: str) -> pd.Series:
    """A date column, or NaT when the file does not have it."""
    if column in chunk:
        return chunk[column]
    return pd.Series(pd.NaT, index=chunk.index, dtype="datetime64[s]")


def timestamp(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def iso(value: Any) -> str:
    """A cell value as text for rows-out (dates as ISO days)."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S").removesuffix(" 00:00:00")
    if isinstance(value, float) and np.isnan(value):
        return ""
    return str(value)


def map_unique(
    values: pd.Series, function: Callable[[str], Any], dtype: Any = object
) -> np.ndarray:
    """``function`` applied once per distinct value (domains, sources, statuses are few)."""
    encoded = _dictionary(values)
    if encoded is None:
        codes, uniques = pd.factorize(values)
    else:
        codes, uniques = encoded[0], encoded[1].to_pylist()
    mapped = np.array([function(value) for value in uniques], dtype=dtype)
    if len(mapped) == 0:
        return np.zeros(len(values), dtype=dtype)
    return mapped[codes]


def domain_pattern(keywords: KeywordList) -> str:
    """An RE2 pattern matching domains of a list where a term without a dot is a brand
    under any TLD (``yahoo`` -> ``yahoo.fr``, ``yahoo.co.uk``); for ``str.contains``."""
    exact = [re.escape(t) for t in keywords.terms if "." in t]
    brands = [re.escape(t) for t in keywords.terms if "." not in t]
    alternatives = []
    if exact:
        alternatives.append(rf"^(?:{'|'.join(exact)})$")
    if brands:
        alternatives.append(rf"^(?:{'|'.join(brands)})\.")
    return "|".join(alternatives) or "(?!)"


def local_part_pattern(keywords: KeywordList, contains: bool) -> re.Pattern[str]:
    """A regex on a normalised address matching local parts of a list: separators ``-``,
    ``_``, ``.`` optional, an optional ``+tag``; ``contains`` also accepts a prefix/suffix."""
    alternatives = []
    for term in sorted(keywords.terms, key=len, reverse=True):
        parts = [re.escape(p) for p in re.split(r"[\s\-_.]+", term) if p]
        alternatives.append(r"[-_.]?".join(parts))
    body = "|".join(alternatives) or "(?!)"
    if contains:
        return re.compile(rf"^[^@]*?(?:{body})[^@]*@")
    return re.compile(rf"^(?:{body})(?:\+[^@]*)?@")


def header_line(doc: ContactListDocument) -> int:
    """Physical line of the header row (after an Excel ``sep=`` line)."""
    return 1 + doc.preamble_lines


def row_findings(
    rule: Rule,
    doc: ContactListDocument,
    chunk: pd.DataFrame,
    mask: pd.Series | np.ndarray,
    message: Callable[[dict[str, Any]], Text | str] | Text | str,
    columns: Iterable[str] = (),
    severity: Severity | pd.Series | np.ndarray | None = None,
    extra: dict[str, Any] | None = None,
    computed: dict[str, np.ndarray] | None = None,
    message_by: dict[str, np.ndarray | pd.Series] | None = None,
) -> RowFindings | list[Finding]:
    """One row-level finding per masked row: ``line`` = the record's physical line,
    ``fingerprint`` = normalised address, ``data`` = address + the triggering values
    (for ``--rows-out``; reporters never print it). ``message`` is the same text for
    every row (a :func:`~mailcheck.i18n.t` text, or a plain string), or a function of that
    data dict returning one: it is only called when a finding's message is read.

    ``columns`` names the chunk's columns, and the ``computed`` values (one per masked
    row: a reason, a matched term ...), that go into ``data``, in that order. A
    ``severity`` array has one value per row of the chunk or one per masked row.

    ``message_by`` names the few values a ``message`` function reads (a status, a day,
    an age: one array per name, one value per row of the chunk or per masked row): the
    function is then called once per distinct combination of them, with a dict of those
    values written as in ``data`` (a date at midnight as ``2019-05-03``), instead of once
    per row with the row's whole data -- a list of a million stale contacts has a few
    thousand distinct messages.

    The findings come as one :class:`~mailcheck.batches.RowFindings`, kept as columns
    until a report reads them: a rule yields it whole (``yield row_findings(...)``);
    ``yield from row_findings(...)`` also works, building each finding at once (slower
    on a huge list). A rule with its own ``finding`` method gets a list of findings built
    through it.

    Public API (``mailcheck.row_findings``, documented in docs/plugins.md): provider
    plugins call it, so its signature and the ``data["address"]`` key do not change
    without a deprecation."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return []
    computed = computed or {}
    # Only the columns a finding needs, on the masked rows only (not ``chunk.loc[mask]``,
    # which copies every column of the chunk).
    rows = np.flatnonzero(mask)
    lines = np.maximum(_take(chunk, "line", rows).to_numpy(dtype=np.int64), 1)
    values: dict[str, pd.Series | _Later] = {}
    for name in dict.fromkeys(("email", *columns)):
        if name in computed:
            values[name] = pd.Series(computed[name], copy=False)
        elif name in chunk:
            values[name] = _Later(chunk[name].array, rows)
    keyed = None
    if message_by:
        keyed = {
            name: np.asarray(v)[mask] if len(v) == len(mask) else np.asarray(v)
            for name, v in message_by.items()
        }
    source = FlaggedRows(
        values,
        _Later(chunk["email_key"].array, rows) if "email_key" in chunk else None,
        len(rows),
        message,
        extra,
        keyed,
    )
    levels = None
    if severity is not None and not isinstance(severity, Severity):
        levels = np.asarray(severity)
        if len(levels) == len(mask):
            levels = levels[mask]
        levels = levels.astype(np.int8)
    batch = RowFindings(
        rule.code,
        rule.name,
        severity if isinstance(severity, Severity) else rule.severity,
        doc.display_path,
        lines,
        rule.fix or None,
        rule.reference or None,
        source,
        levels,
    )
    if type(rule).finding is Rule.finding:
        return batch
    # A rule with its own ``finding`` gets every field up front.
    return [
        rule.finding(
            doc,
            source.message(row),
            line=found.line,
            severity=found.severity,
            row_level=True,
            fingerprint=source.fingerprint(row),
            data=source.data(row),
        )
        for row, found in enumerate(batch)
    ]


class RowText(Text):
    """A row message that many rows share: its English (what ``str()``, and so every
    finding's ``message``, gives) is rendered once, not once per row."""

    __slots__ = ("_english",)

    def __str__(self) -> str:
        try:
            return self._english
        except AttributeError:
            english = self.render("en")
            object.__setattr__(self, "_english", english)
            return english


class SharedTexts:
    """The row messages of one rule, one :class:`RowText` per distinct key: the rows of
    a huge list repeat a few dates, sources and reasons, so a message is built and
    rendered once per distinct value, not once per row (measured on a million rows)."""

    __slots__ = ("_texts",)

    #: Distinct messages kept; past that the memo starts again (memory stays bounded).
    LIMIT = 100_000

    def __init__(self) -> None:
        self._texts: dict[Any, RowText] = {}

    def __call__(self, key: Any, build: Callable[[], Text]) -> RowText:
        text = self._texts.get(key)
        if text is None:
            if len(self._texts) >= self.LIMIT:
                self._texts.clear()
            built = build()
            text = self._texts[key] = RowText(built.msgid, built.params)
        return text


class FlaggedRows:
    """The rows one rule flagged in one chunk, kept as columns (the address first): the
    :class:`~mailcheck.findings.RowSource` of their findings.

    Each lazy field is built for every row at once, the first time one finding reads it:
    a report that prints a few rows of a huge list builds the batches those rows are in,
    one that prints every row (json) builds them all in bulk, as an eager build would."""

    __slots__ = (
        "_columns",
        "_keys",
        "_size",
        "_message",
        "_extra",
        "_datas",
        "_messages",
        "_arrays",
        "_message_by",
        "_codes",
    )

    def __init__(
        self,
        columns: dict[str, pd.Series],
        keys: pd.Series | None,
        size: int,
        message: Callable[[dict[str, Any]], Text | str] | Text | str,
        extra: dict[str, Any] | None,
        message_by: dict[str, np.ndarray] | None = None,
    ) -> None:
        self._columns = columns
        self._message_by = message_by
        self._codes: tuple[list[Text | str], np.ndarray] | None = None
        self._keys: pd.Series | list[str] | None = keys
        self._size = size
        if isinstance(message, Text) and not isinstance(message, RowText):
            message = RowText(message.msgid, message.params)  # rendered once for all rows
        self._message = message
        self._extra = extra
        self._datas: list[dict[str, Any]] | None = None
        self._messages: list[Text | str] | None = None
        self._arrays: dict[str, Any] = {}

    def _all_data(self) -> list[dict[str, Any]]:
        if self._datas is None:
            columns = self.data_columns()
            names = tuple(columns)
            with _gc_paused():  # tens of thousands of dicts, no cycle among them
                rows = zip(*columns.values(), strict=True)
                datas = [dict(zip(names, row, strict=True)) for row in rows]
            self._datas, self._columns = datas, {}
        return self._datas

    def data(self, row: int) -> dict[str, Any]:
        """The data of one flagged row: from the rows built in bulk once a report has
        read them all, else that row's values alone (the default report shows three
        rows a rule: the other rows of a huge list never get a dict)."""
        if self._datas is not None:
            return self._datas[row]
        data = {"address": self._text(row, "email")}
        data.update((name, self._text(row, name)) for name in self._columns if name != "email")
        if self._extra:
            data.update(self._extra)
        return data

    def _text(self, row: int, name: str) -> str:
        """One value of a flagged row, written as the bulk data writes it."""
        column = self._columns.get(name)
        if column is None:
            return ""
        if isinstance(column, _Later):  # one row taken, not the whole column
            return _as_text(column.one(row).take())[0]
        return _as_text(column.iloc[row : row + 1])[0]

    def _column(self, name: str) -> pd.Series | None:
        """A kept column's flagged values, taken from the chunk when first read."""
        column = self._columns.get(name)
        if isinstance(column, _Later):
            column = self._columns[name] = column.take()
        return column

    def value(self, row: int, name: str) -> Any:
        """One value of a flagged row, raw (a number stays a number), read from its
        column while the rows are still kept as columns: a report that needs one fact
        of every row does not build a data dict per row. ``None`` when absent."""
        array = self.column(name)
        if array is None:
            return self._datas[row].get(name) if self._datas is not None else None
        return array[row]

    def column(self, name: str) -> np.ndarray | None:
        """Every flagged row's raw value of ``name`` at once (what :meth:`value` gives row
        by row), ``None`` once the rows are no longer kept as columns or without such a
        column: a report that counts one fact of a million rows reads it in bulk."""
        array = self._arrays.get(name)
        if array is None:
            column = self._column(name)
            if column is None:
                return None
            array = self._arrays[name] = column.to_numpy()
        return array

    def data_columns(self) -> dict[str, list[Any]]:
        """Every flagged row's ``data`` as columns, ``data(row)[name] ==
        columns[name][row]``, the names in the data dicts' order: what writes every
        row's values (``--rows-out``) reads, without a dict per row."""
        if self._datas is not None:
            names = self._datas[0] if self._datas else {}
            return {name: [data[name] for data in self._datas] for name in names}
        result: dict[str, list[Any]] = self._taken().lists()
        if self._keys is None:
            self._keys = result["address"]
        for name, value in (self._extra or {}).items():
            result[name] = [value] * self._size
        return result

    def data_arrays(self) -> dict[str, pa.Array] | None:
        """:meth:`data_columns` as Arrow arrays of the same texts (no Python string per
        cell), ``None`` once the data dicts are built or with ``extra`` values: what
        writes a million rows' values as text in bulk reads."""
        later = self.data_later()
        return later.arrays() if later is not None else None

    def data_later(self) -> DataLater | None:
        """The flagged rows' values taken now, made into text when asked
        (:class:`DataLater`): by another thread, as the lint goes on, since it reads
        nothing of this object any more. ``None`` as for :meth:`data_arrays`."""
        if self._datas is not None or self._extra:
            return None
        return self._taken()

    def _taken(self) -> DataLater:
        """The kept columns' flagged values, taken from the chunk."""
        return DataLater({name: self._column(name) for name in self._columns}, self._size)

    @property
    def size(self) -> int:
        return self._size

    def message(self, row: int) -> Text | str:
        if isinstance(self._message, Text | str):
            return self._message
        if self._messages is not None or self._codes is not None:
            return self.messages()[row]
        # One row's message, as the bulk build gives it (the same shared text).
        if self._message_by is not None:
            return _distinct_text(self._message, self._message_by, row)
        return self._message(self.data(row))

    def messages(self) -> list[Text | str]:
        """Every row's message (rows saying the same thing share one text)."""
        if isinstance(self._message, Text | str):
            return [self._message] * self._size
        if self._messages is None:
            with _gc_paused():
                if self._message_by is not None:
                    texts, codes = self.message_codes()
                    self._messages = [texts[i] for i in codes.tolist()]
                else:
                    self._messages = list(map(self._message, self._all_data()))
        return self._messages

    def message_codes(self) -> tuple[list[Text | str], np.ndarray]:
        """The distinct messages and, per row, the index of its own: what a report that
        writes every row encodes once per distinct text."""
        if isinstance(self._message, Text | str):
            return [self._message], np.zeros(self._size, dtype=np.intp)
        if self._codes is not None:
            return self._codes
        if self._message_by is not None:
            self._codes = _by_distinct(self._message, self._message_by, self._size)
            return self._codes
        # Rows that say the same thing share one text object (SharedTexts): by identity.
        seen: dict[int, int] = {}
        texts: list[Text | str] = []
        codes = np.empty(self._size, dtype=np.intp)
        for row, text in enumerate(self.messages()):
            code = seen.get(id(text))
            if code is None:
                code = seen[id(text)] = len(texts)
                texts.append(text)
            codes[row] = code
        self._codes = texts, codes
        return self._codes

    def fingerprint(self, row: int) -> str | None:
        if isinstance(self._keys, _Later):  # one row's, not the whole column's
            return _as_text(self._keys.one(row).take())[0] or None
        if isinstance(self._keys, pd.Series):  # taken as a column (fingerprint_array)
            return _as_text(self._keys.iloc[row : row + 1])[0] or None
        return self.fingerprints()[row] or None

    def fingerprint_array(self) -> pa.Array:
        """:meth:`fingerprints` as an Arrow array, not made into Python strings (raises
        on a text Arrow cannot hold)."""
        if isinstance(self._keys, _Later):
            self._keys = self._keys.take()
        if self._keys is None and self._datas is None:
            # The keys are the addresses: the email column, without the data dicts.
            email = self._column("email")
            if email is None:
                return pa.array([""] * self._size, pa.large_string())
            return _text_array(email)
        if self._keys is None:
            self._all_data()
        if isinstance(self._keys, list):
            return pa.array(self._keys, pa.large_string())
        return _text_array(self._keys)

    def fingerprints(self) -> list[str]:
        """Every row's normalised address (``""`` when it has none)."""
        if isinstance(self._keys, _Later):
            self._keys = self._keys.take()
        if self._keys is None:
            self._all_data()
        if not isinstance(self._keys, list):
            self._keys = _as_text(self._keys)
        return self._keys


def _by_distinct(
    message: Callable[[dict[str, Any]], Text | str], by: dict[str, np.ndarray], size: int
) -> tuple[list[Text | str], np.ndarray]:
    """``message`` called once per distinct combination of the ``by`` values: the texts,
    and per row the index of its own. The texts of a function are remembered from chunk
    to chunk (a list's rows repeat the same days chunk after chunk)."""
    if not by:
        return [message({})], np.zeros(size, dtype=np.intp)
    combined, span = np.zeros(size, dtype=np.int64), 1
    for values in by.values():
        codes, uniques = pd.factorize(_distinguishable(values), use_na_sentinel=False)
        if span * max(len(uniques), 1) >= 1 << 62:  # re-numbered before it could overflow
            combined, span = pd.factorize(combined)[0], size
        combined = combined * max(len(uniques), 1) + codes
        span *= max(len(uniques), 1)
    codes, uniques = pd.factorize(combined)
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(size - 1, -1, -1)  # the last write wins: the first row
    return _texts_at(message, by, first), codes


def _distinct_text(
    message: Callable[[dict[str, Any]], Text | str], by: dict[str, np.ndarray], row: int
) -> Text | str:
    """:func:`_by_distinct`'s text of one row (the one shared text of its values)."""
    return _texts_at(message, by, np.array([row]))[0]


def _texts_at(
    message: Callable[[dict[str, Any]], Text | str], by: dict[str, np.ndarray], rows: np.ndarray
) -> list[Text | str]:
    """The text of each of ``rows``, remembered from chunk to chunk by the rows' values
    (:class:`_KnownTexts`): only values never seen are turned into the text values
    ``message`` reads."""
    known = _KNOWN_TEXTS.get(message)
    if known is None or known.full() or known.names != tuple(by):
        known = _KNOWN_TEXTS[message] = _KnownTexts(tuple(by))
    return known.texts_at(message, by, rows)


class _KnownTexts:
    """The texts of one ``message_by`` message function, by the values it was called
    with. Each column's values get a number in the order they are first met, a
    combination of values the numbers packed in one ``int64``, and the texts are found
    by looking the chunk's combinations up all at once (the few thousand distinct dates
    of each chunk of a million-row list cost no Python step each). Values that could be
    equal without being the same text (an object column holding ``1`` and ``True``) are
    looked up one by one, by value and type."""

    #: Bits of a column's number in a combination (up to 3 columns packed).
    BITS = 21

    __slots__ = ("names", "dtypes", "values", "combinations", "texts", "by_key")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        #: Per column, the dtype of its values and the values met, in order.
        self.dtypes: list[np.dtype | None] = [None] * len(names)
        self.values: list[pd.Index | None] = [None] * len(names)
        self.combinations = pd.Index(np.zeros(0, dtype=np.int64))
        self.texts = np.empty(0, dtype=object)
        self.by_key: dict[tuple, Text | str] = {}

    def full(self) -> bool:
        return len(self.texts) + len(self.by_key) >= SharedTexts.LIMIT

    def texts_at(
        self, message: Callable[[dict[str, Any]], Text | str], by: dict, rows: np.ndarray
    ) -> list[Text | str]:
        taken = [values[rows] for values in by.values()]
        numbers = self._numbers(taken) if len(taken) * self.BITS <= 63 else None
        if numbers is None:
            return self._one_by_one(message, taken, rows)
        combined = np.zeros(len(rows), dtype=np.int64)
        for column in numbers:
            combined = (combined << self.BITS) | column
        where = self.combinations.get_indexer(combined)
        new = np.flatnonzero(where < 0)
        if len(new):
            fresh, first = np.unique(combined[new], return_index=True)
            at = new[np.sort(first)]  # each new combination once, in the order met
            texts = self._made(message, [values[at] for values in taken])
            self.combinations = self.combinations.append(pd.Index(combined[at]))
            made = np.fromiter(texts, dtype=object, count=len(texts))
            self.texts = np.concatenate([self.texts, made])
            where = self.combinations.get_indexer(combined)
        return self.texts[where].tolist()

    def _numbers(self, taken: list[np.ndarray]) -> list[np.ndarray] | None:
        """Each column's values as their numbers, new values numbered; ``None`` when a
        column's values cannot be compared this way (not all texts in an object column)
        or there are too many of them."""
        numbers = []
        for i, values in enumerate(taken):
            if values.dtype == object and pd.api.types.infer_dtype(values) not in (
                "string",
                "empty",
            ):
                return None
            known = self.values[i]
            if known is None:
                self.dtypes[i] = values.dtype
                known = self.values[i] = pd.Index(pd.unique(values))
            elif values.dtype != self.dtypes[i]:  # another kind of value: compared apart
                return None
            found = known.get_indexer(values)
            if (found < 0).any():
                new = pd.Index(pd.unique(values[found < 0]))
                known = self.values[i] = known.append(new)
                found = known.get_indexer(values)
            if len(known) >= 1 << self.BITS:
                return None
            numbers.append(found.astype(np.int64))
        return numbers

    def _one_by_one(
        self, message: Callable[[dict[str, Any]], Text | str], taken: list, rows: np.ndarray
    ) -> list[Text | str]:
        known = self.by_key
        try:
            keys = list(zip(*map(_raw_values, taken), strict=True))
            missing = [i for i, key in enumerate(keys) if key not in known]
        except TypeError:  # an unhashable value (a list in a plugin's column): no memory
            keys, missing, known = list(range(len(rows))), list(range(len(rows))), {}
        if missing:
            where = np.asarray(missing)
            made = self._made(message, [values[where] for values in taken])
            for i, text in zip(missing, made, strict=True):
                known.setdefault(keys[i], text)
        return [known[key] for key in keys]

    def _made(self, message: Callable[[dict[str, Any]], Text | str], values: list) -> list:
        """``message`` of each row of ``values`` (one array per column), given the text
        values :func:`_as_text` writes."""
        shown = zip(*(_as_text(pd.Series(column)) for column in values), strict=True)
        return [message(dict(zip(self.names, row, strict=True))) for row in shown]


def _distinguishable(values: np.ndarray) -> np.ndarray:
    """``values`` as ``pd.factorize`` may group them: an object column that is not all
    texts by value and type (``1``, ``1.0`` and ``True`` are equal, but say different
    things), as :func:`_raw_values`."""
    if values.dtype != object or pd.api.types.infer_dtype(values) in ("string", "empty"):
        return values
    keys = np.empty(len(values), dtype=object)
    keys[:] = _raw_values(values)
    return keys


def _raw_values(values: np.ndarray) -> list[Any]:
    """Each value as a key: an object column's with its type (``1``, ``1.0`` and
    ``True`` are equal keys, but not the same text)."""
    if values.dtype == object:
        return [(value.__class__, value) for value in values.tolist()]
    return values.tolist()


#: What each ``message_by`` message function was called with, and gave.
_KNOWN_TEXTS: weakref.WeakKeyDictionary[Callable, _KnownTexts] = weakref.WeakKeyDictionary()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic GC paused while many acyclic objects are made: collections triggered by
    them would rescan every live finding again and again (measured: a third of the run
    time on a list of a million stale contacts)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class _Later:
    """A chunk column's values at the flagged rows, taken when first read: the default
    report reads three rows per rule, so most flagged rows are never taken at all.

    Only where the flagged rows are many: a chunk's findings are held (by the engine,
    until enough pile up) long after the chunk itself, and a reference to its column
    keeps the whole column alive. Fewer rows than a :data:`SPARSE` th of the chunk
    are taken at once, which copies less than the column they would keep (measured on
    the 1M-row export, about 6% of rows flagged: 444 MB to 351 MB of peak RSS, for the
    same CPU time). ``rows`` is ``None`` once taken."""

    __slots__ = ("array", "rows")

    #: Flagged rows fewer than ``len(chunk) / SPARSE`` are taken when the finding is made.
    SPARSE = 4

    def __init__(self, array: Any, rows: np.ndarray | None) -> None:
        if rows is not None and len(rows) * self.SPARSE < len(array):
            array, rows = array.take(rows), None
        self.array, self.rows = array, rows

    def one(self, row: int) -> _Later:
        """The values of one flagged row (one value taken, not the whole column)."""
        if self.rows is None:
            return _Later(self.array[row : row + 1], None)
        return _Later(self.array, self.rows[row : row + 1])

    def take(self) -> pd.Series:
        # From the column's array: Series.take also gathers and rebuilds the index.
        if self.rows is None:
            return pd.Series(self.array, copy=False)
        return pd.Series(self.array.take(self.rows), copy=False)


def _take(chunk: pd.DataFrame, column: str, rows: np.ndarray) -> pd.Series:
    return _Later(chunk[column].array, rows).take()


#: Earliest date :func:`numpy.datetime_as_string` writes as ``strftime("%Y")`` does.
_YEAR_1000 = "1000-01-01T00:00:00"
_YEAR_10000 = "10000-01-01T00:00:00"


def _arrow_dates(values: pd.Series) -> pa.Array | None:
    """A naive date column as ``_as_text`` writes it (``YYYY-MM-DD HH:MM:SS``, the day
    alone at midnight, ``""`` for none), by Arrow -- ~15x faster than ``.dt.strftime``
    (and 5x faster than numpy): the cast writes every value, only the values at
    midnight (found on the seconds) are cut to their day; ``None`` for a zoned column
    or a year Arrow would write otherwise than ``strftime("%Y")`` (before 1000, from
    10000 on)."""
    if getattr(values.dtype, "tz", None) is not None:
        return None
    seconds = values.to_numpy(dtype="datetime64[s]")
    numbers = seconds.view(np.int64)
    valid = numbers != NEVER
    earliest, end = np.datetime64(_YEAR_1000, "s"), np.datetime64(_YEAR_10000, "s")
    if ((numbers < earliest.astype(np.int64)) & valid).any() or (seconds >= end).any():
        return None
    written = pc.cast(pa.array(seconds), pa.large_string())
    midnight = valid & (numbers % 86_400 == 0)
    if midnight.any():
        days = pa.array(midnight)
        written = pc.replace_with_mask(
            written, days, pc.utf8_slice_codeunits(written.filter(days), 0, 10)
        )
    return pc.fill_null(written, "") if written.null_count else written


class DataLater:
    """A rule's flagged values of one chunk, taken (:meth:`FlaggedRows.data_later`), as
    the texts of its data: the address first (from the email column), then the other
    columns in order. Arrays nobody changes: what ``--rows-out``'s thread reads."""

    __slots__ = ("_columns", "_size", "names")

    def __init__(self, columns: dict[str, pd.Series], size: int) -> None:
        self._columns, self._size = columns, size
        #: The data's names, as :meth:`arrays` and :meth:`lists` give them.
        self.names = ("address", *(name for name in columns if name != "email"))

    def arrays(self) -> dict[str, pa.Array]:
        """As :meth:`FlaggedRows.data_arrays` (raises on a text Arrow cannot hold)."""
        email = self._columns.get("email")
        empty = pa.array([""] * self._size, type=pa.large_string())
        result = {"address": _text_array(email) if email is not None else empty}
        for name, values in self._columns.items():
            if name != "email":
                result[name] = _text_array(values)
        return result

    def lists(self) -> dict[str, list[str]]:
        """As :meth:`FlaggedRows.data_columns` (texts of Python, any text)."""
        email = self._columns.get("email")
        result = {"address": _as_text(email) if email is not None else [""] * self._size}
        for name, values in self._columns.items():
            if name != "email":
                result[name] = _as_text(values)
        return result


def _as_text(values: pd.Series) -> list[str]:
    """A column as strings for ``Finding.data`` (dates as ISO days or date-times)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        written = _arrow_dates(values)
        if written is not None:
            return written.to_numpy(zero_copy_only=False).tolist()
        text_values = values.dt.strftime("%Y-%m-%d %H:%M:%S").str.removesuffix(" 00:00:00")
        return text_values.fillna("").tolist()
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.na_value is np.nan:
        # The canonical "str" columns: str values already, missing ones as NaN.
        return (values.fillna("") if values.hasnans else values).tolist()
    return [
        "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
        for v in values.tolist()
    ]


def _text_array(values: pd.Series) -> pa.Array:
    """:func:`_as_text` of a column as an Arrow ``large_string`` array (raises on a text
    Arrow cannot hold, a lone surrogate)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        written = _arrow_dates(values)
        if written is not None:
            return written.cast(pa.large_string())
    elif isinstance(values.dtype, pd.StringDtype) and values.dtype.na_value is np.nan:
        return pc.fill_null(pa.array(values, type=pa.large_string()), "")
    elif values.dtype.kind in "iu":  # whole numbers (an age in days): as str() writes them
        return pc.cast(pa.array(values.to_numpy()), pa.large_string())
    elif values.dtype == object:
        try:  # texts, None for none (anything else, NaN included, is written by Python)
            array = pa.array(values.to_numpy(), type=pa.large_string(), from_pandas=False)
        except (pa.ArrowException, TypeError):
            pass
        else:
            return pc.fill_null(array, "")
    return pa.array(_as_text(values), type=pa.large_string())


#: A missing date as :func:`seconds` gives it: NaT as int64, below any date (a plain
#: int, so that numpy is not imported with the modules that use it).
NEVER = -(2**63)


def seconds(values: pd.Series) -> np.ndarray:
    """Datetimes as int64 seconds since 1970, NaT as the smallest int64 (below any date).

    A canonical date column (``datetime64[s]``, NaT already the smallest int64) is viewed,
    not copied: the view is read-only, so a caller that would change it copies first."""
    if values.dtype == "datetime64[s]":
        view = values.to_numpy(copy=False).view(np.int64)
        view.flags.writeable = False
        return view
    as_seconds = values.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT"))
    return as_seconds.view(np.int64)


def days(value: pd.Series) -> np.ndarray:
    """Dates as int64 days since 1970 (NaT -> minimum), for compact cross-file state."""
    as_days = value.to_numpy(dtype="datetime64[D]", na_value=np.datetime64("NaT"))
    result = as_days.astype(np.int64)
    result[np.isnat(as_days)] = NEVER
    return result


def fold_header(name: str) -> str:
    return fold(re.sub(r"[_.]+", " ", name))


def joined(parts: list[Text | str]) -> Text | str:
    """Texts joined with commas (``newsletter, offers, partners``), each rendered in the
    report's language."""
    if not parts:
        return ""
    text = parts[-1]
    for part in reversed(parts[:-1]):
        text = Text("{first}, {rest}", {"first": part, "rest": text})
    return text
