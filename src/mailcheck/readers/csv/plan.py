"""The column plan: how raw string columns become the canonical contact frame.

:class:`_Plan` is decided once per file (source indices, date formats, status and legal
basis mappings, provider constants, and where each column came from:
:class:`~mailcheck.readers.csv.origins.ColumnOrigin`) and turns each parsed batch (Arrow
string arrays by header index, plus their physical lines) into a canonical pandas chunk;
both the Arrow parser and the exact path feed it, so they give the same frame.

What activity means (MC203 reads ``last_activity_at`` as qualifying activity): a click,
a reply, a purchase, a login -- never an open. A column of last opens (or of last
"engagement", which counts opens) is ``last_open_at`` and feeds no rule; where a
``last_activity_type`` column says the last activity was an open, that row's
``last_activity_at`` is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mailcheck.config import Config
from mailcheck.documents import ContactListDocument
from mailcheck.keywords import Keywords, fold
from mailcheck.lazy import np, pa, pc, pd
from mailcheck.providers import ContactFormat
from mailcheck.readers.csv.columns import DATE_COLUMNS, FLAG_COLUMNS, TRUTHY, answer
from mailcheck.readers.csv.hashing import hash_strings
from mailcheck.readers.csv.mailboxes import mailbox_keys
from mailcheck.readers.csv.origins import ColumnOrigin, RefusedColumn
from mailcheck.readers.csv.strings import trim_whitespace
from mailcheck.readers.dates import (
    UnreadableDates,
    default_date_formats,
    parse_date_column,
    settle_order,
    year_first,
)


@dataclass
class _Plan:
    """Everything needed to turn raw columns into a canonical chunk, decided once per file."""

    header: list[str]
    sources: dict[str, int]  # canonical -> column index
    date_formats: dict[str, list[str]]
    status_map: Callable[[str], str]
    basis_map: Callable[[str], str]
    constants: dict[str, Any] = field(default_factory=dict)
    normalize: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    #: Whether an activity-type value (``last_activity_type``) is an open.
    is_open: Callable[[str], bool] | None = None
    #: Where each canonical column came from and the evidence (``mailcheck inspect``).
    origins: dict[str, ColumnOrigin] = field(default_factory=dict)
    #: Headers a name pointed to that their values refused (text named like a date).
    refused: list[RefusedColumn] = field(default_factory=list)
    #: How many of each date column's formats the provider or the config named (they
    #: always come first and win); the rest are the profile's defaults.
    explicit_formats: dict[str, int] = field(default_factory=dict)
    #: Date columns whose order of day and month the first chunk settled.
    settled: set[str] = field(default_factory=set)
    #: Headers no canonical column took that a rule asked, before the rows are read, to
    #: find in every chunk as ``filled:<header>`` (:func:`read_filled_too`).
    early_filled: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        doc: ContactListDocument,
        contact_format: ContactFormat | None,
        config: Config,
        keywords: Keywords,
    ) -> _Plan:
        sources = {name: doc.header.index(source) for name, source in doc.columns.items()}
        provider_status = {
            k.lower(): v
            for k, v in (contact_format.status_values if contact_format else {}).items()
        }
        provider_basis = {
            k.lower(): v
            for k, v in (contact_format.legal_basis_values if contact_format else {}).items()
        }

        def status_map(value: str) -> str:
            folded = fold(value)
            if not folded:
                return "unknown"
            if value.strip().lower() in provider_status:
                return provider_status[value.strip().lower()]
            for status in (
                "unknown",
                "blocklisted",
                "unsubscribed",
                "cleaned",
                "pending",
                "subscribed",
            ):
                if keywords[f"status_{status}"].search_folded(folded):
                    return status
            return "unknown"

        def basis_map(value: str) -> str:
            folded = fold(value)
            if not folded:
                return "unknown"
            if value.strip().lower() in provider_basis:
                return provider_basis[value.strip().lower()]
            for basis in ("customer", "b2b", "consent"):
                if keywords[f"legal_basis_{basis}"].search_folded(folded):
                    return basis
            return "unknown"

        explicit = {c: _explicit_formats(c, contact_format, config) for c in DATE_COLUMNS}
        formats = {
            c: named + [f for f in default_date_formats(config.profile) if f not in named]
            for c, named in explicit.items()
        }
        constants = dict(contact_format.constants) if contact_format else {}
        file_status = doc.file_status
        if "status" not in sources and "status" not in constants:
            if doc.role == "suppression":
                constants["status"] = "unsubscribed"
            elif file_status:
                constants["status"] = file_status
        return cls(
            doc.header,
            sources,
            formats,
            status_map,
            basis_map,
            constants,
            contact_format.normalize if contact_format else None,
            lambda value: keywords["activity_open"].search(value) is not None,
            explicit_formats={c: len(named) for c, named in explicit.items()},
        )

    def with_raw(self, headers: Sequence[str]) -> _Plan:
        """This plan, also carrying ``headers`` (as in the file) as raw text under
        ``raw:<header>`` (:meth:`ContactListDocument.chunks`)."""
        if not headers:
            return self
        raw = {f"raw:{name}": self.header.index(name) for name in headers if name in self.header}
        return replace(self, sources={**self.sources, **raw})

    def for_read(self, headers: Sequence[str] = ()) -> _Plan:
        """The plan of one read: :meth:`with_raw` of ``headers`` (those of
        :meth:`ContactListDocument.chunks`), and the ``filled:`` columns asked early."""
        plan = self.with_raw(headers)
        if not self.early_filled:
            return plan
        filled = {f"filled:{name}": self.header.index(name) for name in self.early_filled}
        return replace(plan, sources={**plan.sources, **filled})

    @property
    def indices(self) -> list[int]:
        return sorted(set(self.sources.values()))

    @property
    def iso_date_indices(self) -> set[int]:
        """Source columns read only as dates whose preferred format is year-first: the
        parser may convert them itself with its ISO 8601 reader (no string column
        kept)."""
        dated = {
            index
            for canonical, index in self.sources.items()
            if canonical in DATE_COLUMNS and year_first(self.date_formats[canonical])
        }
        return {
            index
            for index in dated
            if all(c in DATE_COLUMNS for c, i in self.sources.items() if i == index)
        }

    def frame(
        self,
        raw: dict[int, pa.Array],
        lines: np.ndarray,
        unreadable: UnreadableDates,
    ) -> pd.DataFrame:
        """Raw string columns (by header index) + their record lines -> canonical chunk.
        Filled date cells no format reads are counted in ``unreadable``."""
        data: dict[str, Any] = {"line": pd.Series(lines.astype(np.int64), copy=False)}
        for canonical, index in self.sources.items():
            data.update(self._columns_from(canonical, index, raw[index], lines, unreadable))
        frame = pd.DataFrame(data)
        for canonical, value in self.constants.items():
            if canonical in ("status", "legal_basis") and canonical in self.sources:
                continue
            frame[canonical] = value
        _settle_status(frame)
        _settle_legal_basis(frame)
        self._drop_opens(frame)
        if self.normalize is not None:
            frame = self.normalize(frame)
        return frame

    def _columns_from(
        self,
        canonical: str,
        index: int,
        array: pa.Array,
        lines: np.ndarray,
        unreadable: UnreadableDates,
    ) -> dict[str, Any]:
        """The canonical column(s) one source column gives: itself converted, and for the
        address its key, the key's hash and its domain."""
        if pa.types.is_timestamp(array.type):  # converted by the parser already
            return {canonical: array.cast(pa.timestamp("s")).to_pandas()}
        if array.null_count:
            array = pc.fill_null(array, "")
        array = trim_whitespace(array)
        columns: dict[str, Any] = {}
        if canonical.startswith("filled:"):  # only whether each cell has a value
            filled = pc.greater(pc.binary_length(array), 0)
            columns[canonical] = pd.Series(filled.to_numpy(zero_copy_only=False), copy=False)
        elif canonical in DATE_COLUMNS:
            if canonical not in self.settled:
                # The first chunk decides, for the whole file: a column is written one way.
                self.settled.add(canonical)
                self.date_formats[canonical] = settle_order(
                    self.date_formats[canonical], array, self.explicit_formats.get(canonical, 0)
                )
            parsed, missed = parse_date_column(array, self.date_formats[canonical])
            if missed is not None:
                rows = np.flatnonzero(missed.to_numpy(zero_copy_only=False))
                first = array.take(pa.array(rows[:3]))
                unreadable.add(canonical, self.header[index], lines[rows], first)
            columns[canonical] = parsed.to_pandas()
        elif canonical == "status":
            columns[canonical] = _map_unique(array, self.status_map)
        elif canonical == "legal_basis":
            columns[canonical] = _map_unique(array, self.basis_map)
        elif canonical in FLAG_COLUMNS:
            columns[canonical] = _map_unique(array, lambda v: fold(v) in TRUTHY)
        elif canonical == "accepts_marketing":
            columns[canonical] = _map_unique(array, answer)
        else:
            columns[canonical] = array.to_pandas()
        if canonical == "email":
            mailboxes = mailbox_keys(array)
            columns["email_key"] = mailboxes.keys.to_pandas()
            columns["key_hash"] = hash_strings(mailboxes.keys)
            columns["domain"] = mailboxes.domains.to_pandas()
        return columns

    def _drop_opens(self, frame: pd.DataFrame) -> None:
        """An open is not qualifying activity: where the kind of the last activity says
        the contact opened an e-mail, ``last_activity_at`` is emptied, in place (CNIL: a
        click or a purchase is contact from the person; an open is not, and Apple Mail
        Privacy Protection opens every message itself). Columns of last opens are read
        as ``last_open_at``, which no rule counts."""
        if "last_activity_type" not in frame or "last_activity_at" not in frame:
            return
        kinds = frame["last_activity_type"]
        opens = [
            value for value in kinds.unique() if isinstance(value, str) and self.is_open(value)
        ]
        if opens:
            frame.loc[kinds.isin(opens).to_numpy(), "last_activity_at"] = pd.NaT


def _settle_status(frame: pd.DataFrame) -> None:
    """The status where no column says it, in place: from a shop's yes/no, an opt-out
    or block-list flag, or an unsubscribe date not followed by a new opt-in."""
    if "status" not in frame:
        frame["status"] = "unknown"
    if "accepts_marketing" in frame:
        # A shop's "Accepts Email Marketing" yes/no: the status, when no column says it.
        said = frame["accepts_marketing"]  # kept: a campaign reads the no
        unknown = frame["status"] == "unknown"
        frame.loc[unknown & (said == "yes"), "status"] = "subscribed"
        frame.loc[unknown & (said == "no"), "status"] = "nonsubscribed"
    if "opted_out" in frame:
        frame.loc[
            frame["opted_out"] & frame["status"].isin(["subscribed", "unknown"]), "status"
        ] = "unsubscribed"
    for flag, status in (("blocklisted", "blocklisted"), ("bounced", "cleaned")):
        if flag in frame:
            frame.loc[
                frame[flag] & frame["status"].isin(["subscribed", "unknown", "pending"]),
                "status",
            ] = status
    if "unsubscribed_at" in frame:
        # An unsubscribe date not followed by a new opt-in: unsubscribed, when no status
        # says it, or when the status still says subscribed (an objection with its date
        # outweighs a status left as it was: AWeber's "Stop Time" beside "Status").
        since = frame["unsubscribed_at"]
        later = pd.Series(False, index=frame.index)
        for column in ("consent_at", "confirmed_at"):
            if column in frame:
                later |= frame[column] > since
        unsubscribed = since.notna() & ~later & frame["status"].isin(["unknown", "subscribed"])
        if unsubscribed.any():
            frame.loc[unsubscribed, "status"] = "unsubscribed"


def _settle_legal_basis(frame: pd.DataFrame) -> None:
    """The legal basis where no column says it, in place: from the customer and B2B
    yes/no columns."""
    if "legal_basis" not in frame:
        frame["legal_basis"] = "unknown"
    for flag, basis in (("is_customer", "customer"), ("is_b2b", "b2b")):
        if flag in frame:
            frame.loc[frame[flag] & (frame["legal_basis"] == "unknown"), "legal_basis"] = basis


def _map_unique(array: pa.Array, mapper: Callable[[str], Any]) -> pd.Series:
    """Apply ``mapper`` to each distinct value only (statuses, bases, flags are few); the
    result is gathered in Arrow, so no Python object is made per row."""
    encoded = pc.dictionary_encode(array)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    mapped = [mapper(value) for value in encoded.dictionary.to_pylist()]
    if mapped and isinstance(mapped[0], bool):
        return pd.Series(
            np.asarray(mapped, dtype=bool)[encoded.indices.to_numpy(zero_copy_only=False)]
        )
    return pa.array(mapped, pa.string()).take(encoded.indices).to_pandas()


def _explicit_formats(
    column: str, contact_format: ContactFormat | None, config: Config
) -> list[str]:
    """The formats named for ``column``: the provider's, then the config's. The profile's
    defaults follow them (day or month first: :func:`default_date_formats`)."""
    formats: list[str] = []
    for source in (contact_format.date_formats if contact_format else {}, config.date_formats):
        formats += [f for f in source.get(column, []) + source.get("*", []) if f not in formats]
    return formats


def read_filled_too(doc: ContactListDocument, headers: Sequence[str]) -> bool:
    """Ask the built-in reader to add to every chunk of ``doc``'s reads, from the first
    on, whether each row fills ``headers`` (unmapped, as in the file): a boolean column
    ``filled:<header>`` (a cell of spaces is empty). ``False`` when ``doc`` is not read
    by this reader (another reader's plan): the rule then reads the list a second time
    with :meth:`ContactListDocument.chunks` and its ``raw:`` columns.

    Why: MC220 needs to know which unmapped personal columns a few rows keep. Asked
    before the rows are read (in ``cannot_check``), that comes with the one read every
    rule shares, instead of a second parse of the whole file; as a boolean worked out in
    the reader's thread (Arrow, without the GIL), not the text of every cell held in the
    chunks (a byte a cell: flat memory on a big list)."""
    plan = getattr(doc, "reader_plan", None)
    if not isinstance(plan, _Plan):
        return False
    wanted = [name for name in headers if name in plan.header]
    plan.early_filled = tuple(dict.fromkeys((*plan.early_filled, *wanted)))
    return True
