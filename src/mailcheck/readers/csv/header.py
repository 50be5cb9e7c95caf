"""Opening a contact list: encoding, dialect, header, and lists without a header row.

:func:`open_contact_list` sniffs the encoding (UTF-8 with or without BOM, else
charset-normalizer) and the delimiter (among ``,`` ``;`` tab ``|``; an Excel ``sep=;``
first line is honoured) on the first :data:`SAMPLE_BYTES`, reads the header whole however
long (up to ``limits.max-record-size``), tells a first row that is a contact from a header
(:class:`Headerless`: columns then found by their values), maps the columns, and returns a
lazily-read document whose chunks come from :mod:`mailcheck.readers.csv.frames`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from mailcheck.config import Config
from mailcheck.documents import ContactListDocument
from mailcheck.errors import InputError
from mailcheck.i18n import Text, t
from mailcheck.keywords import Keywords, fold
from mailcheck.lazy import np
from mailcheck.readers.classify import LINE_END
from mailcheck.readers.csv.blocks import _CR, _LF, _QUOTE, record_too_long
from mailcheck.readers.csv.columns import (
    _ADDRESS,
    FALSY,
    TRUTHY,
    _provider,
    _status_from_name,
    column_synonyms,
    file_role,
    map_column_origins,
    reader_keywords,
)
from mailcheck.readers.csv.exact import _allow_fields
from mailcheck.readers.csv.frames import _chunks, count_rows
from mailcheck.readers.csv.origins import ColumnOrigin, OriginKind, RefusedColumn
from mailcheck.readers.csv.plan import _Plan
from mailcheck.readers.csv.source import _os_reason
from mailcheck.readers.csv.values import (
    ColumnProfile,
    InferenceSettings,
    describe_values,
    infer_roles,
    inference_settings,
    profile_columns,
    refuses,
)
from mailcheck.readers.dates import default_date_formats
from mailcheck.readers.text import detect_encoding

SAMPLE_BYTES = 65_536


_SEP_LINE = re.compile(r"^\ufeff?sep=(.)\s*$", re.I)


def open_contact_list(
    path: Path, display: str, config: Config, opener, member_name: str | None = None
) -> ContactListDocument:
    """Sniff encoding, dialect, header and provider; return a lazily-read document.

    Encoding and delimiter are sniffed on the first :data:`SAMPLE_BYTES`; the header is
    read whole, however long, up to ``limits.max-record-size`` (:func:`_through_header`)."""
    head = _read_head(opener, config.limits.max_record_size)
    header = _header_row(head, config.limits.max_record_size)
    keywords = reader_keywords(config)
    headerless: Headerless | None = None
    if _is_data_row(header, config):
        # A first row that is a contact: every row is data, columns found by their values.
        rows = _sample_rows(head.whole, head.delimiter, head.truncated) or [header]
        header = [f"column {i + 1}" for i in range(max(len(row) for row in rows))]
        headerless = Headerless(head.preamble + 1, _columns_by_values(rows, len(header), keywords))
    name_path = Path(member_name) if member_name else path
    archive = path if member_name else None
    provider, reason, contact_format = _provider(name_path, header, config, archive)
    settings = inference_settings()
    rows = []
    if headerless is None:
        sampled = _sample_rows(head.whole, head.delimiter, head.truncated, settings.sample_rows + 1)
        rows = sampled[1:]
    origins, refused, profiles = _origins(header, rows, contact_format, config, settings)
    notes: list[str | Text] = []
    if headerless is None:
        notes += infer_roles(header, profiles, origins, keywords, settings)
    columns = {canonical: origin.header for canonical, origin in origins.items()}
    for refusal in refused:
        notes.append(
            t(
                "'{header}' not read as {column}: {evidence}",
                header=refusal.header,
                column=refusal.canonical,
                evidence=refusal.evidence,
            )
        )
    if headerless is not None:
        notes.append(_columns_of_headerless(headerless, header, columns, origins))
    notes += _unmapped_notes(columns, config)
    role, role_reason = file_role(name_path, columns, config, keywords, contact_format)
    doc = ContactListDocument(
        path=path,
        display_path=display,
        kind="contacts",
        provider=provider,
        encoding=head.encoding,
        delimiter=head.delimiter,
        header=header,
        columns=columns,
        notes=notes,
        provider_reason=reason,
        contact_format=contact_format,
        role=role,
        role_reason=role_reason,
        preamble_lines=head.preamble,
        file_status=_status_from_name(name_path, keywords),
        headerless=headerless,
        max_record_size=config.limits.max_record_size,
    )
    plan = _Plan.build(doc, contact_format, config, keywords)
    plan.origins = {c: origins[c] for c in columns if c in origins}
    plan.refused = refused
    doc.reader_plan = plan
    doc.read_chunks = lambda raw_headers=(): _chunks(doc, opener, plan.for_read(raw_headers))
    doc.count_records = lambda: count_rows(doc, opener)
    return doc


@dataclass
class _Head:
    """The start of a list as sniffed: its encoding and delimiter, the ``sep=`` line
    Excel may write before the header (``preamble``), and the text from the header on
    (``whole``: the sample, or more of the file when the header goes on past it)."""

    encoding: str
    delimiter: str
    preamble: int
    whole: str
    truncated: bool  # the sample stops before the end of the file


def _read_head(opener, limit: int) -> _Head:
    try:
        with opener() as handle:
            sample = handle.read(SAMPLE_BYTES)
            if not sample.strip():
                raise InputError(t("empty file"))
            encoding = detect_encoding(sample)
            decoded = text = sample.decode(encoding, errors="replace")
            preamble = 0
            # Line ends may be "\r\n", "\n" or, from old Mac Excel ("CSV (Macintosh)"), "\r".
            first_line, *rest = LINE_END.split(text, maxsplit=1)
            sep = _SEP_LINE.match(first_line)
            if sep:  # Excel's "sep=;" hint line
                preamble = 1
                text = rest[0] if rest else ""
            whole = text
            if len(sample) >= SAMPLE_BYTES:
                start = len(decoded) - len(text)  # where the header starts
                more = _through_header(handle, sample, encoding, start, preamble + 1, limit)
                if len(more) > len(sample):
                    whole = more.decode(encoding, errors="replace")[start:]
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(_os_reason(error)) from None
    delimiter = sep.group(1) if sep else sniff_delimiter(text)
    return _Head(encoding, delimiter, preamble, whole, len(sample) >= SAMPLE_BYTES)


def _header_row(head: _Head, limit: int) -> list[str]:
    """The header's cells, cleaned (spaces, a BOM): plugins get them as they read."""
    _allow_fields(limit)
    try:
        header = next(csv.reader(io.StringIO(head.whole, newline=""), delimiter=head.delimiter), [])
    except csv.Error as error:
        raise InputError(t("broken CSV header: {error}", error=str(error))) from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    if len(header) < 1 or not any(header):
        raise InputError(t("no header row"))
    return header


def _columns_of_headerless(
    headerless: Headerless,
    header: list[str],
    columns: dict[str, str],
    origins: dict[str, ColumnOrigin],
) -> Text:
    """Take the columns a headerless list's values gave (those no name gave); the note
    that says so."""
    found = []
    for canonical, (index, evidence) in headerless.found.items():
        if canonical not in columns and header[index] not in columns.values():
            columns[canonical] = header[index]
            origins[canonical] = ColumnOrigin(canonical, header[index], OriginKind.VALUES, evidence)
            found.append(
                t(
                    "{column} <- {header} ({evidence})",
                    column=canonical,
                    header=header[index],
                    evidence=evidence,
                )
            )
    headerless.found = {c: f for c, f in headerless.found.items() if columns.get(c)}
    listed: Text = found[-1] if found else t("none")
    for item in reversed(found[:-1]):
        listed = t("{first}; {rest}", first=item, rest=listed)
    return t(
        "no header row (line {line} is a contact): every line is read as a contact; "
        "columns found by their values: {columns}",
        line=str(headerless.line),
        columns=listed,
    )


def _unmapped_notes(columns: dict[str, str], config: Config) -> list[str | Text]:
    notes: list[str | Text] = [
        t(
            "[columns] {column} = '{header}': no such header in this file",
            column=canonical,
            header=source,
        )
        for canonical, source in config.columns.items()
        if canonical not in columns
    ]
    if "email" not in columns and "email_hash" not in columns:
        notes.append(t('no e-mail column recognised: map one with [columns] email = "..."'))
    return notes


#: Bytes read at a time past the sample while the header goes on.
_HEADER_STEP = 1 << 20


def _through_header(
    handle: BinaryIO, sample: bytes, encoding: str, start: int, line: int, limit: int
) -> bytes:
    """``sample``, read on until the header (from character ``start`` of it, on physical
    ``line``) ends: at a line break outside quotes, or at the end of the file. A header
    longer than ``limit`` bytes is refused, as the reader refuses a record: it would be
    held whole. The characters are looked at as code points, so that UTF-16 is read as
    well as the encodings that keep ``"`` and line breaks to one byte."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(sample)
    prefix = len(text[:start].encode(encoding, errors="replace"))  # a "sep=;" line
    text = text[start:]
    parts, parity = [sample], 0
    earlier, size = 0, len(sample) - prefix  # header bytes before this text, and in it
    while True:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        quotes = np.flatnonzero(codes == _QUOTE)
        breaks = np.flatnonzero((codes == _LF) | (codes == _CR))
        ends = breaks[(parity + np.searchsorted(quotes, breaks)) % 2 == 0]
        if len(ends):  # its bytes, its line break included, as the reader counts them
            size = len(text[: int(ends[0]) + 1].encode(encoding, errors="replace"))
        if earlier + size > limit:
            raise InputError(record_too_long(line, limit, header=True))
        if len(ends):
            break
        parity = (parity + len(quotes)) % 2
        earlier += size
        data = handle.read(_HEADER_STEP)
        if not data:
            break
        parts.append(data)
        size, text = len(data), decoder.decode(data)
    return b"".join(parts) if len(parts) > 1 else sample


def sniff_delimiter(text: str) -> str:
    lines = text.splitlines()[:20]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        first = lines[0] if lines else ""
        return max(",;\t|", key=first.count)


#: Rows of the sample whose values find the columns of a list without a header row.
_VALUE_SAMPLE_ROWS = 200


@dataclass
class Headerless:
    """A list whose first row is a contact, not a header (``doc.headerless``, for
    MC906 and ``inspect``): every row is read, the columns are named ``column 1`` ... and
    found by their values."""

    line: int  # the physical line of the first row
    #: canonical column -> (index, the evidence in words)
    found: dict[str, tuple[int, str | Text]]


def _origins(
    header: list[str],
    rows: list[list[str]],
    contact_format,
    config: Config,
    settings: InferenceSettings,
) -> tuple[dict[str, ColumnOrigin], list[RefusedColumn], list[ColumnProfile]]:
    """The columns found by their names, each with the evidence of its sampled values; a
    synonym's header whose values refuse it (text named like a date) is passed over, and
    read as what ``[text-instead-of-date]`` says when that is free (Wix "Last Activity":
    the kind of activity)."""
    profiles = profile_columns(
        rows, len(header), settings.oldest_signup_year, default_date_formats(config.profile)
    )
    first = {}
    for index, name in enumerate(header):
        first.setdefault(name, index)  # the plan reads a repeated header's first column
    refused: dict[tuple[str, str], RefusedColumn] = {}

    def refuse(canonical: str, source: str) -> Text | None:
        why = refuses(canonical, profiles[first[source]], settings)
        if why:
            refused[canonical, source] = RefusedColumn(canonical, source, why)
        return why

    origins = map_column_origins(header, contact_format, config, refuse)
    used = {origin.header for origin in origins.values()}
    for refusal in refused.values():
        instead = settings.text_instead_of_date.get(refusal.canonical)
        if instead and instead not in origins and refusal.header not in used:
            origins[instead] = ColumnOrigin(
                instead,
                refusal.header,
                OriginKind.SYNONYM,
                t(
                    "named like {column}, but {evidence}: what the activity was",
                    column=refusal.canonical,
                    evidence=refusal.evidence,
                ),
            )
            used.add(refusal.header)
    for origin in origins.values():
        values = describe_values(origin.canonical, profiles[first[origin.header]])
        if rows and values:
            origin.evidence = t("{first}; {rest}", first=origin.evidence, rest=values)
    return origins, [r for r in refused.values() if r.header not in used], profiles


def _is_data_row(cells: list[str], config: Config) -> bool:
    """Whether a first row is a contact rather than a header: one of its cells is an
    e-mail address (no header holds one) and none names an e-mail column. Other column
    names are no evidence: values such as "Client" or "Source" are column names too."""
    if not any(_ADDRESS.fullmatch(cell) for cell in cells):
        return False
    names = {*column_synonyms()["email"], *(fold(s) for s in config.columns.values())}
    return not any(fold(cell) in names for cell in cells if cell)


def _sample_rows(
    text: str, delimiter: str, cut: bool, count: int = _VALUE_SAMPLE_ROWS
) -> list[list[str]]:
    """The first ``count`` rows of the sample (its last one left out when the sample
    ``cut`` it)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [row for row in islice(reader, count + 1) if any(row)]
    except csv.Error:
        return []
    return rows[:-1] if cut and len(rows) > 1 else rows


def _status_word(value: str, keywords: Keywords) -> str | None:
    folded = fold(value)
    for status in ("unknown", "blocklisted", "unsubscribed", "cleaned", "pending", "subscribed"):
        if keywords[f"status_{status}"].search_folded(folded):
            return status
    return None


def _columns_by_values(
    rows: list[list[str]], width: int, keywords: Keywords
) -> dict[str, tuple[int, str | Text]]:
    """Columns of a list without a header, found by their values: the addresses (the
    column with the most), and a status (every value a status word, not only yes/no).
    Dates are left out: without a header, an opt-in date cannot be told from a birth
    date or a last purchase."""
    values = [
        [row[i].strip() for row in rows if i < len(row) and row[i].strip()] for i in range(width)
    ]
    found: dict[str, tuple[int, str | Text]] = {}
    counts = [sum(1 for value in column if _ADDRESS.fullmatch(value)) for column in values]
    email = max(range(width), key=lambda i: counts[i])
    if counts[email]:
        found["email"] = (
            email,
            t(
                "{count} of {total} values are addresses",
                count=counts[email],
                total=len(values[email]),
            ),
        )
    for index, column in enumerate(values):
        if index == email or not column or all(fold(v) in TRUTHY | FALSY for v in column):
            continue
        if all(_status_word(value, keywords) for value in column):
            words = ", ".join(sorted(set(column))[:3])
            evidence = t(
                "{count} of {total} values are statuses: {words}",
                count=len(column),
                total=len(column),
                words=words,
            )
            found["status"] = (index, evidence)
            break
    return found
