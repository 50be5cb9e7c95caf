"""MC220 full-record-past-retention: a contact who left (unsubscribed, bounced, blocked)
long ago still stored with their whole record instead of a suppression entry.

What a suppression entry may keep is the address (or its hash), the status, the dates of
the opt-in and of the opt-out, the reason and the source: :data:`SUPPRESSION_ENTRY`. Any
other filled cell of such a row is personal data kept past its purpose: the canonical
profile columns of :data:`PROFILE_COLUMNS`, and the file's unmapped columns whose header
names personal data (keyword list ``suppression_extra_column``, the one MC208 reads).

Unmapped columns are not in the canonical chunks. The rule asks for them before the rows
are read (in ``cannot_check``, :func:`~mailcheck.readers.csv.plan.read_filled_too`):
the built-in reader then adds to every chunk whether each row fills them, as boolean
``filled:<header>`` columns, in the one read all rules share. The findings are held (a
copy of their few rows, not the chunks) until ``finish_file``, where a second read used
to give them: the same place in the report. A list read by another reader, which cannot
add them, is still read a second time, in ``finish_file``, with those columns as text
(:meth:`ContactListDocument.chunks`), when at least one row is a candidate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from mailcheck.context import LintContext
from mailcheck.documents import ContactListDocument, Kind
from mailcheck.errors import InputError
from mailcheck.findings import Finding, NotChecked, Severity
from mailcheck.i18n import Date, Text, t
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np, pd
from mailcheck.rule import Option, Rule
from mailcheck.rules.contacts.common import (
    NEVER,
    QUALIFYING,
    QUALIFYING_LABELS,
    SharedTexts,
    column_in,
    dates,
    filled,
    fold_header,
    has_address,
    is_audience,
    map_column,
    row_findings,
    seconds,
)
from mailcheck.rules.contacts.gaps import lacks_all
from mailcheck.rules.contacts.suppression import departure_text, is_suppression, suppression_label

#: Statuses of a contact who left: no campaign goes to them, the record stays.
LEFT = ("unsubscribed", "cleaned", "blocklisted")
#: Canonical columns a suppression entry may keep (besides the reader's own ``line``,
#: ``email_key``, ``key_hash``, ``domain``): the key, when, why and how it was opposed,
#: and the provider's status flags.
SUPPRESSION_ENTRY = frozenset(
    {
        "email",
        "email_hash",
        "status",
        "consent_at",
        "confirmed_at",
        "unsubscribed_at",
        "cleaned_at",
        "created_at",
        "consent_source",
        "unsubscribe_reason",
        "suppression_reason",
        "marketing_status",
    }
)
#: Canonical columns that are a person's profile, not a suppression entry.
PROFILE_COLUMNS = (
    "company",
    "job_title",
    "country",
    "birth_date",
    "age",
    "tags",
    "last_activity_at",
    "last_open_at",
    "last_purchase_at",
    "last_inquiry_at",
)
_STATUS_WORDS = {"unsubscribed": "unsubscribed", "cleaned": "bounced", "blocklisted": "blocked"}
#: The int64 minimum (``numpy.iinfo(numpy.int64).min``): no date, as a plain int so that
#: numpy is not imported with this module.


@dataclass(frozen=True)
class KeptColumn:
    """A column of the file that a suppression entry does not need."""

    chunk_column: str  # its name in the canonical chunk
    header: str  # its name in the file, as the message says it


class FullRecordPastRetention(Rule):
    """## What it does
    For every contact who left -- unsubscribed, bounced (cleaned), blocked or complained
    -- in a list that is not itself a suppression list, takes the date of the last
    event: the unsubscribe (or bounce) date when the file has it, else the latest opt-in,
    click, purchase or collection date. When that date is older than `retention-days`
    (default 1095, three years, as MC203) and the row still holds personal data a
    suppression entry does not need -- a name, phone, postal address, city, company,
    birth date, tags, activity dates, any profile column -- the row is reported with the
    columns it keeps. The address (or its hash), the status, the dates of opt-in and
    opt-out, the reason and the source may stay: that is the suppression entry. Rows of
    suppression files are left to MC208, rows still subscribed to MC203.

    ## Why it matters
    Data minimisation and storage limitation, GDPR art. 5(1)(c) and (e). The CNIL
    référentiel "gestion des activités commerciales" (délibération n° 2021-131) keeps a
    prospect's data three years; after an objection, only what is needed to honour it
    may be kept, in an opposition list ("liste repoussoir": the address, ideally hashed,
    and the date). Unsubscribing does not make a full profile lawful to keep.

    ## Example
    `paul.durand@example.org;Paul;Durand;0612345678;Lyon;désinscrit;12/03/2019` linted
    on 2026-11-22: unsubscribed on 2019-03-12, but the whole record is kept (Prénom, Nom,
    Téléphone, Ville).

    ## Fix
    Move these contacts to a suppression list holding only the address (or its SHA-256)
    and the date of the opt-out, and delete the rest of their record (in the provider,
    delete the profile but keep it suppressed).
    """

    code = "MC220"
    family = N_("retention")
    name = "full-record-past-retention"
    severity = Severity.WARNING
    kinds = frozenset({Kind.CONTACTS})
    reference = (
        "GDPR art. 5(1)(c), 5(1)(e); CNIL délibération 2021-131; CNIL liste repoussoir (2022)"
    )
    fix = "Keep only the address (or its hash) and the opt-out date in a suppression list."
    options = {
        "retention-days": Option(
            1095,
            int,
            "Days after the last event before a departed contact's full record is reported.",
            min=1,
            unit="days",
        ),
    }

    def __init__(self, settings=None) -> None:
        super().__init__(settings)
        #: Files whose candidates wait for the second read (they have unmapped columns).
        self.pending: set[str] = set()
        self.unmapped: dict[str, list[KeptColumn]] = {}
        #: Findings of files read with their unmapped columns, held until ``finish_file``
        #: (where the second read used to give them: the same place in the report).
        self.held: dict[str, list] = {}

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        if not is_audience(doc) or not doc.has("status"):
            return None  # no departed contact to judge
        gap = lacks_all(
            self,
            doc,
            (*QUALIFYING, "unsubscribed_at"),
            t("no unsubscribe, opt-in or activity date column found"),
        )
        if gap is None and isinstance(doc, ContactListDocument):
            # Asked before the rows are read: the unmapped personal columns then come
            # with the read every rule shares, not with a second read of the whole file.
            from mailcheck.readers.csv.plan import read_filled_too

            extra = self._unmapped(doc, ctx)
            if extra:
                read_filled_too(doc, [column.header for column in extra])
        return gap

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if not is_audience(doc) or "email_key" not in chunk:
            return
        candidates = self._candidates(chunk, ctx)
        if not candidates.any():
            return
        extra = self._unmapped(doc, ctx)
        early = [KeptColumn(f"filled:{column.header}", column.header) for column in extra]
        if extra and all(column.chunk_column in chunk for column in early):
            # read with them (:func:`read_filled_too`): reported now, given in finish_file
            columns = in_file_order(doc, [*profile_columns(doc, chunk), *early])
            found = self._report(chunk, doc, ctx, candidates, columns, compact=True)
            self.held.setdefault(doc.display_path, []).extend(found)
            return
        if extra:
            self.pending.add(doc.display_path)  # reported from the second read
            return
        columns = in_file_order(doc, profile_columns(doc, chunk))
        yield from self._report(chunk, doc, ctx, candidates, columns)

    def _unmapped(self, doc: ContactListDocument, ctx: LintContext) -> list[KeptColumn]:
        """:func:`unmapped_personal_columns` of ``doc``, worked out once per file."""
        if doc.display_path not in self.unmapped:
            self.unmapped[doc.display_path] = unmapped_personal_columns(doc, ctx)
        return self.unmapped[doc.display_path]

    def finish_file(self, doc, ctx: LintContext) -> Iterator[Finding]:
        extra = self.unmapped.pop(doc.display_path, [])
        yield from self.held.pop(doc.display_path, [])
        if doc.display_path not in self.pending:
            return
        self.pending.discard(doc.display_path)
        try:
            for chunk in doc.chunks(raw_headers=[column.header for column in extra]):
                candidates = self._candidates(chunk, ctx)
                if candidates.any():
                    columns = in_file_order(doc, [*profile_columns(doc, chunk), *extra])
                    yield from self._report(chunk, doc, ctx, candidates, columns)
        except InputError:
            return  # the first read already reported it

    def _candidates(self, chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
        """Departed contacts whose last event is older than the retention period."""
        left = column_in(chunk, "status", LEFT, ctx) & has_address(chunk, ctx)
        if not left.any():
            return left
        event, _ = _chunk_last_events(chunk, ctx)
        today = int(pd.Timestamp(ctx.today).value // 1_000_000_000)
        cutoff = today - self.settings["retention-days"] * 86_400
        return left & (event != NEVER) & (event < cutoff)

    def _report(
        self,
        chunk: pd.DataFrame,
        doc: ContactListDocument,
        ctx: LintContext,
        candidates: np.ndarray,
        columns: list[KeptColumn],
        compact: bool = False,
    ) -> Iterator[Finding]:
        """The findings of ``candidates`` that keep one of ``columns``. ``compact``: they
        are held until the end of the file, so they refer to a copy of their own rows,
        not to the whole chunk (a list's chunks are not all kept alive)."""
        rows = np.flatnonzero(candidates)
        kept = np.full(len(rows), "", dtype=object)
        for column in columns:
            present = _filled_any(chunk, column.chunk_column)[rows]
            kept[present] = np.where(
                kept[present] == "", column.header, kept[present] + ", " + column.header
            )
        reported = np.zeros(len(chunk), dtype=bool)
        reported[rows[kept != ""]] = True
        if not reported.any():
            return
        event, source = _chunk_last_events(chunk, ctx)
        keep = kept != ""
        departure = map_column(chunk, "status", lambda s: _STATUS_WORDS.get(s, s), ctx)[reported]
        if "suppression_reason" in chunk:
            # the provider's reason says more than the status ("spam complaint")
            reason = "suppression_reason"
            labelled = map_column(chunk, reason, is_suppression, ctx, dtype=bool)[reported]
            words = map_column(chunk, reason, suppression_label, ctx)[reported]
            departure[labelled] = words[labelled]
        rows_of, flagged = chunk, reported
        if compact:
            names = [c for c in ("line", "email", "email_key", "status") if c in chunk]
            rows_of = chunk.loc[reported, names].reset_index(drop=True)
            flagged = np.ones(len(rows_of), dtype=bool)
        yield row_findings(
            self,
            doc,
            rows_of,
            flagged,
            _message,
            columns=("status", "left_as", "last_event_at", "last_event", "kept_columns"),
            computed={
                "left_as": departure,
                "last_event_at": event[reported].view("datetime64[s]"),
                "last_event": _labels(source[reported]),
                "kept_columns": kept[keep],
            },
        )


def _message(data: dict) -> Text:
    """The MC220 message of one reported row, from its ``Finding.data`` (whose words
    stay English: ``left_as``, ``last_event``)."""
    key = (data["left_as"], data["last_event"], data["last_event_at"][:10], data["kept_columns"])
    return _TEXTS(key, lambda: _build(data))


_TEXTS = SharedTexts()


def _build(data: dict) -> Text:
    day = Date(dt.date.fromisoformat(data["last_event_at"][:10]))
    left = departure_text(data["left_as"])
    kept = data["kept_columns"]
    if data["last_event"] == "departure":
        return t(
            "{departure} on {date}, but the whole record is kept ({columns}): keep only "
            "the address and the date in a suppression list",
            departure=left,
            date=day,
            columns=kept,
        )
    # no date of the departure itself: the last thing known of the contact
    event = _EVENTS.get(data["last_event"])
    return t(
        "{departure}, {event} on {date}, but the whole record is kept ({columns}): keep "
        "only the address and the date in a suppression list",
        departure=left,
        event=Text(event) if event else data["last_event"],
        date=day,
        columns=kept,
    )


#: The last event known of a contact (``last_event`` values).
_EVENTS = {
    "last purchase": N_("last purchase"),
    "last click/activity": N_("last click"),
    "opt-in confirmation": N_("sign-up confirmed"),
    "opt-in": N_("signed up"),
    "collection": N_("added"),
}


#: What :func:`_last_event_codes` codes stand for: nothing, a qualifying column, departure.
_SOURCES = ("", *QUALIFYING_LABELS.values(), "departure")


def _labels(codes: np.ndarray) -> np.ndarray:
    """The :data:`_SOURCES` label of each code."""
    return np.array(_SOURCES, dtype=object)[codes]


_CODES = {column: code for code, column in enumerate(QUALIFYING_LABELS, start=1)}
_DEPARTURE = len(_SOURCES) - 1


def _chunk_last_events(chunk: pd.DataFrame, ctx: LintContext) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_last_event_codes` once per chunk (the candidates and the report both read
    them)."""
    return ctx.memo.get("contacts.last_event_codes", lambda: _last_event_codes(chunk), of=chunk)


def _last_event_codes(chunk: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's last event in int64 seconds (NaT: the smallest int64) and what it was,
    as a small code (:data:`_SOURCES`: no Python string per row, and the rows not
    reported never get one): the unsubscribe (or bounce) date when known, else the
    latest qualifying date (a later purchase still counts: the customer relationship
    went on)."""
    present = [c for c in QUALIFYING if c in chunk]
    latest = np.full(len(chunk), NEVER, dtype=np.int64)
    source = np.zeros(len(chunk), dtype=np.int8)
    for column in reversed(present):
        stamps = seconds(chunk[column])
        newer = stamps > latest
        latest[newer] = stamps[newer]
        source[newer] = _CODES[column]
    # the departure's own date: an unsubscribe, else a bounce (Mailchimp CLEAN_TIME)
    left = seconds(dates(chunk, "unsubscribed_at"))
    if "cleaned_at" in chunk:
        cleaned = seconds(chunk["cleaned_at"])
        left = np.where(left == NEVER, cleaned, left)
    known = left != NEVER
    event = np.where(known, left, latest)
    source = np.where(known, _DEPARTURE, source)
    if "last_purchase_at" in chunk:
        purchase = seconds(chunk["last_purchase_at"])
        later = purchase > event
        event = np.where(later, purchase, event)
        source = np.where(later, _CODES["last_purchase_at"], source)
    return event, source


def profile_columns(doc: ContactListDocument, chunk: pd.DataFrame) -> list[KeptColumn]:
    """The canonical profile columns of the chunk, named as in the file."""
    return [
        KeptColumn(canonical, doc.columns.get(canonical, canonical))
        for canonical in PROFILE_COLUMNS
        if canonical in chunk
    ]


def in_file_order(doc: ContactListDocument, columns: list[KeptColumn]) -> list[KeptColumn]:
    """``columns`` in the order of the file's header (as the message lists them)."""
    position = {name: index for index, name in reversed(list(enumerate(doc.header)))}
    return sorted(columns, key=lambda column: position.get(column.header, len(position)))


def unmapped_personal_columns(doc: ContactListDocument, ctx: LintContext) -> list[KeptColumn]:
    """Headers no canonical column took that name personal data (a name, a phone, an
    address, special-category data): what MC208 reads in a suppression file."""
    words, special = ctx.keywords["suppression_extra_column"], ctx.keywords["special_category"]
    mapped = set(doc.columns.values())
    found = []
    for name in doc.header:
        if not name or name in mapped:
            continue
        folded = fold_header(name)
        if words.search_folded(folded) or special.search_folded(folded):
            found.append(KeptColumn(f"raw:{name}", name))
    return found


def _filled_any(chunk: pd.DataFrame, column: str) -> np.ndarray:
    """Filled cells of a string, date, number or yes/no column."""
    values = chunk[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.notna().to_numpy()
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values.notna().to_numpy(dtype=bool) & values.astype(bool).to_numpy(dtype=bool)
    return filled(chunk, column)
