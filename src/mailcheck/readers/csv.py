"""The built-in contact-list reader: CSV files and ZIP archives of CSV files.

It turns any export into the canonical contact frame (see :mod:`mailcheck.documents`):

* encoding: UTF-8 with or without BOM, else charset-normalizer (Windows-1252 from Excel);
* dialect: delimiter sniffed among ``,`` ``;`` tab ``|``; quoted fields may hold newlines;
* ``line``: the exact *physical* line where each record starts (csv's ``line_num``);
* columns: ``[columns]`` from config first, then the provider's
  :class:`~mailcheck.providers.ContactFormat`, then the multilingual synonyms of
  ``data/columns.toml``;
* dates: explicit formats only (provider's, then config ``date-formats``, then day-first
  EU formats and ISO); values that match none stay empty (NaT);
* ZIP: members are streamed, never extracted; absolute or ``..`` member names and archives
  whose uncompressed size or compression ratio is absurd are refused.

Rows arrive in chunks of :data:`CHUNK_ROWS`, so memory stays bounded.
"""

from __future__ import annotations

import csv
import io
import tomllib
import zipfile
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath

import pandas as pd

from mailcheck import hookimpl
from mailcheck.config import Config
from mailcheck.documents import ContactListDocument
from mailcheck.errors import InputError
from mailcheck.files import display_path
from mailcheck.keywords import fold
from mailcheck.providers import ContactFormat, ProviderMatch
from mailcheck.readers.text import detect_encoding

CHUNK_ROWS = 50_000
SAMPLE_BYTES = 65_536
MAX_UNCOMPRESSED = 4 << 30  # 4 GiB in all
MAX_RATIO = 200  # uncompressed / compressed, per member bigger than 1 MiB
DATE_COLUMNS = ("consent_at", "confirmed_at", "unsubscribed_at", "last_activity_at",
                "last_purchase_at", "created_at", "birth_date")
DEFAULT_DATE_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M",
                        "%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%d.%m.%Y"]
_MEMBER_SUFFIXES = (".csv", ".tsv", ".txt")


@cache
def column_synonyms() -> dict[str, list[str]]:
    """Canonical column -> folded synonyms, from ``data/columns.toml``."""
    text = (resources.files("mailcheck") / "data" / "columns.toml").read_text(encoding="utf-8")
    return {name: [fold(s) for s in synonyms] for name, synonyms in tomllib.loads(text).items()}


@hookimpl(trylast=True)
def mailcheck_read_document(path: Path, kind: str, config: Config) -> list[ContactListDocument] | None:
    if kind != "contacts":
        return None
    if path.suffix.lower() == ".zip":
        return list(_read_zip(path, config))
    return [open_contact_list(path, display_path(path), config, lambda: path.open("rb"))]


def _read_zip(path: Path, config: Config) -> Iterator[ContactListDocument]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise InputError(f"not a valid ZIP archive ({error})") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        total = 0
        for member in members:
            name = PurePosixPath(member.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
                raise InputError(f"archive member {member.filename!r} escapes the archive")
            total += member.file_size
            if member.file_size > (1 << 20) and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise InputError(f"archive member {member.filename!r} looks like a ZIP bomb")
        if total > MAX_UNCOMPRESSED:
            raise InputError("archive is too large once uncompressed (ZIP bomb?)")
        csv_members = [m for m in members if m.filename.lower().endswith(_MEMBER_SUFFIXES)]
        if not csv_members:
            raise InputError("archive holds no CSV file")
    for member in csv_members:
        display = f"{display_path(path)}!{member.filename}"

        def opener(member_name: str = member.filename):
            archive = zipfile.ZipFile(path)
            return archive.open(member_name)

        yield open_contact_list(path, display, config, opener, member_name=member.filename)


def open_contact_list(
    path: Path, display: str, config: Config, opener, member_name: str | None = None
) -> ContactListDocument:
    """Sniff encoding, dialect, header and provider; return a lazily-read document."""
    try:
        with opener() as handle:
            sample = handle.read(SAMPLE_BYTES)
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(str(error)) from None
    if not sample.strip():
        raise InputError("empty file")
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    delimiter = sniff_delimiter(text)
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    header = [h.strip() for h in header]
    if len(header) < 1 or not any(header):
        raise InputError("no header row")
    name_path = Path(member_name) if member_name else path
    provider, reason, contact_format = _provider(name_path, header, config)
    columns = map_columns(header, contact_format, config)
    doc = ContactListDocument(
        path=path,
        display_path=display,
        kind="contacts",
        provider=provider,
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        columns=columns,
        meta={"provider_reason": reason, "format": contact_format},
    )
    doc.read_chunks = lambda: _chunks(doc, opener, contact_format, config)
    return doc


def sniff_delimiter(text: str) -> str:
    lines = text.splitlines()[:20]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        first = lines[0] if lines else ""
        return max(",;\t|", key=first.count)


def _provider(path: Path, header: list[str], config: Config):
    """(provider, reason, ContactFormat) -- forced by config, else the best-scoring claim."""
    pm = config.pluginmanager
    forced = config.glob_value(config.providers, path) or config.provider
    if forced:
        provider, reason = forced, "forced in config"
    else:
        matches: list[ProviderMatch] = [
            m for m in pm.hook.mailcheck_detect_provider(path=path, header=header, config=config) if m
        ] if pm else []
        if not matches:
            return None, "no provider plugin recognised the header", None
        best = max(matches, key=lambda m: m.score)
        provider, reason = best.provider, best.reason
    contact_format = (
        pm.hook.mailcheck_contact_format(provider=provider, path=path, header=header, config=config)
        if pm
        else None
    )
    return provider, reason, contact_format


def map_columns(header: list[str], contact_format: ContactFormat | None, config: Config) -> dict[str, str]:
    """Canonical column -> source header (config, then provider format, then synonyms)."""
    present = {h: fold(h) for h in header}
    mapping: dict[str, str] = {}
    for canonical, source in config.columns.items():
        if source in present:
            mapping[canonical] = source
    if contact_format is not None:
        for canonical, candidates in contact_format.columns.items():
            if canonical in mapping:
                continue
            for candidate in candidates:
                if candidate in present:
                    mapping[canonical] = candidate
                    break
    used = set(mapping.values())
    for canonical, synonyms in column_synonyms().items():
        if canonical in mapping:
            continue
        for source, folded in present.items():
            if source not in used and folded in synonyms:
                mapping[canonical] = source
                used.add(source)
                break
    return mapping


def _chunks(doc: ContactListDocument, opener, contact_format: ContactFormat | None, config: Config) -> Iterator[pd.DataFrame]:
    try:
        raw = opener()
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(str(error)) from None
    with raw, io.TextIOWrapper(raw, encoding=doc.encoding, errors="strict", newline="") as text:
        reader = csv.reader(text, delimiter=doc.delimiter)
        try:
            next(reader)  # header
        except StopIteration:
            return
        index = {name: doc.header.index(source) for name, source in doc.columns.items()}
        rows: list[list[str]] = []
        lines: list[int] = []
        previous = reader.line_num
        count = 0
        try:
            for record in reader:
                start = previous + 1
                previous = reader.line_num
                if not record or (len(record) == 1 and not record[0].strip()):
                    continue
                rows.append(record)
                lines.append(start)
                if len(rows) >= CHUNK_ROWS:
                    count += len(rows)
                    yield _frame(rows, lines, index, contact_format, config)
                    rows, lines = [], []
        except UnicodeDecodeError as error:
            raise InputError(f"not valid {doc.encoding} near line {previous + 1} ({error.reason})") from None
        except csv.Error as error:
            raise InputError(f"broken CSV near line {previous + 1}: {error}") from None
        if rows:
            count += len(rows)
            yield _frame(rows, lines, index, contact_format, config)
        doc.row_count = count


def _frame(rows, lines, index, contact_format: ContactFormat | None, config: Config) -> pd.DataFrame:
    data = {
        name: [r[i].strip() if i < len(r) else "" for r in rows] for name, i in index.items()
    }
    frame = pd.DataFrame(data)
    frame["line"] = lines
    if "email" in frame:
        frame["email"] = frame["email"].str.strip()
    if contact_format is not None:
        for canonical, value in contact_format.constants.items():
            frame[canonical] = value
        if "status" in frame and contact_format.status_values:
            folded = frame["status"].str.lower()
            frame["status"] = folded.map(contact_format.status_values).fillna(folded)
        if "legal_basis" in frame and contact_format.legal_basis_values:
            folded = frame["legal_basis"].str.lower()
            frame["legal_basis"] = folded.map(contact_format.legal_basis_values).fillna(folded)
    for column in DATE_COLUMNS:
        if column in frame:
            frame[column] = parse_dates(frame[column], _formats(column, contact_format, config))
    if contact_format is not None and contact_format.normalize is not None:
        frame = contact_format.normalize(frame)
    return frame


def _formats(column: str, contact_format: ContactFormat | None, config: Config) -> list[str]:
    formats: list[str] = []
    for source in (contact_format.date_formats if contact_format else {}, config.date_formats):
        formats += source.get(column, []) + source.get("*", [])
    return formats + [f for f in DEFAULT_DATE_FORMATS if f not in formats]


def parse_dates(values: pd.Series, formats: list[str]) -> pd.Series:
    """Parse with each explicit format in turn (vectorized); unmatched values become NaT."""
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    pending = values.notna() & (values.astype(str).str.strip() != "")
    for fmt in formats:
        if not pending.any():
            break
        parsed = pd.to_datetime(values[pending], format=fmt, errors="coerce")
        hit = parsed.notna()
        result.loc[parsed.index[hit]] = parsed[hit]
        pending.loc[parsed.index[hit]] = False
    return result
