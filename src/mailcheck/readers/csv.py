"""The built-in contact-list reader: CSV files and ZIP archives of CSV files, fast.

It turns any export into the canonical contact frame (see :mod:`mailcheck.documents`):

* encoding: UTF-8 with or without BOM, else charset-normalizer (Windows-1252 from Excel);
* dialect: delimiter sniffed among ``,`` ``;`` tab ``|``; an Excel ``sep=;`` first line is
  honoured; quoted fields may hold newlines;
* ``line``: the exact *physical* line where each record starts, quoted newlines included;
* columns: ``[columns]`` from config first, then the provider's
  :class:`~mailcheck.providers.ContactFormat`, then the multilingual synonyms of
  ``data/columns.toml``;
* dates: explicit formats only (provider's, then config ``date-formats``, then ISO and the
  day-first EU formats), vectorized; values that match none stay empty (NaT);
* ZIP: members are streamed, never extracted; absolute or ``..`` member names and archives
  whose uncompressed size or compression ratio is absurd are refused.

How it is fast and exact at once (one read of the file, memory bounded by a block):

1. :class:`RecordScanner` walks each block of raw bytes with numpy: a newline ends a
   record when the number of ``"`` before it is even (``""`` escapes keep the parity). It
   gives each record's first physical line and the last record end of the block.
2. pyarrow's ``read_csv`` parses the bytes up to that end (the rest waits for the next
   block), only the mapped columns, as strings or ISO dates; each segment becomes one
   canonical pandas chunk with its line numbers. A background thread reads ahead while
   the rules check the previous chunk (:func:`prefetch`).

Files the fast path cannot prove it reads exactly (UTF-16, a ``"`` inside an unquoted
field, ragged rows, whitespace-only lines) fall back, from the first record not yet
delivered, to Python's :mod:`csv` module, which counts physical lines itself.

A record is held whole until it ends, on both paths and for the header: one longer than
``limits.max-record-size`` (16 MiB) is refused, naming the line where it starts (a file
without line breaks, or a quote that never closes, would otherwise grow without bound).

Canonical string columns are never null (empty string = missing). ``email_key`` holds the
normalised address (trimmed, lower-cased; Gmail dots and ``+tags`` are kept on purpose).
``status`` is one of :data:`~mailcheck.providers.STATUSES`, ``legal_basis`` one of
:data:`~mailcheck.providers.LEGAL_BASES`; when no column gives them, yes/no columns do
(``opted_out``, ``is_customer``, ``is_b2b``, a shop's ``accepts_marketing``: "no" is a
customer who never opted in, ``nonsubscribed``). ``doc.meta["role"]`` says what the file
is: ``audience``, ``send-list``, ``suppression`` (a do-not-contact list, possibly hashed)
or ``send-log`` (from the columns, the file name, the provider plugin or the config).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import lzma
import queue
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import chain, islice
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from mailcheck import hookimpl
from mailcheck.config import CONTACT_ROLES, Config, Limits, column_table, format_size
from mailcheck.documents import ContactListDocument
from mailcheck.errors import InputError
from mailcheck.files import BoundedReader, display_path, open_input
from mailcheck.keywords import Keywords, fold
from mailcheck.providers import ContactFormat, ProviderMatch
from mailcheck.readers.classify import LINE_END, looks_like_contact_header
from mailcheck.readers.dates import (
    DEFAULT_DATE_FORMATS,
    UnreadableDates,
    parse_date_column,
    year_first,
)
from mailcheck.readers.text import detect_encoding

#: Rows per chunk on the slow path (the fast path yields one chunk per parsed block).
CHUNK_ROWS = 200_000
#: Bytes per parsed block on the fast path (about 60,000 rows of a typical export).
BLOCK_BYTES = 8 << 20
SAMPLE_BYTES = 65_536
DATE_COLUMNS = (
    "consent_at",
    "confirmed_at",
    "unsubscribed_at",
    "last_activity_at",
    "last_purchase_at",
    "created_at",
    "birth_date",
    "sent_at",
    "last_inquiry_at",
)
#: Canonical yes/no columns: a truthy value sets the status or the legal basis.
FLAG_COLUMNS = ("opted_out", "is_b2b", "is_customer")
TRUTHY = frozenset(
    {
        "1",
        "true",
        "yes",
        "y",
        "x",
        "oui",
        "o",
        "vrai",
        "ja",
        "si",
        "sim",
        "wahr",
        "waar",
        "vero",
        "verdadero",
        "verdadeiro",
    }
)
#: An explicit "no" in a yes/no column (an empty cell says nothing).
FALSY = frozenset(
    {"0", "false", "no", "n", "non", "faux", "nein", "nee", "nao", "falso", "falsch", "onwaar"}
)
_MEMBER_SUFFIXES = (".csv", ".tsv", ".txt")
_FAST_ENCODINGS = {
    "utf-8",
    "utf_8",
    "utf-8-sig",
    "utf_8_sig",
    "ascii",
    "cp1252",
    "windows-1252",
    "latin_1",
    "latin-1",
    "iso8859_15",
    "iso8859-15",
    "iso-8859-1",
    "cp850",
}
_SEP_LINE = re.compile(r"^\ufeff?sep=(.)\s*$", re.I)
_QUOTE, _LF, _CR, _SPACE, _TAB, _DEL, _AT = 34, 10, 13, 32, 9, 127, 64
#: Bytes (terminator included) of a record that may be blank looked at in one gather.
_BLANK_SPAN = 16
#: pyarrow's serial reader names the row too ("In CSV column #3: Row #12: CSV ...").
_CONVERSION_ERROR = re.compile(r"In CSV column #(\d+): (?:Row #\d+: )?CSV conversion error")


@cache
def column_synonyms() -> dict[str, list[str]]:
    """Canonical column -> folded synonyms, from ``data/columns.toml``."""
    return {name: [fold(s) for s in synonyms] for name, synonyms in column_table().items()}


@hookimpl(trylast=True)
def mailcheck_read_document(
    path: Path, kind: str, config: Config
) -> list[ContactListDocument] | None:
    if kind != "contacts":
        return None
    if path.suffix.lower() == ".zip":
        return list(_read_zip(path, config))
    if path.suffix.lower() == ".gz":
        return [_read_gzip(path, config)]
    return [open_contact_list(path, display_path(path), config, lambda: _open_list(path, config))]


def _read_zip(path: Path, config: Config) -> Iterator[ContactListDocument]:
    """The CSV members of an export ZIP, each a document read from one shared archive.

    Everything that can make an archive cost too much is refused before a byte is
    inflated: too many entries (counted on the central directory, stopping past the
    limit), declared sizes too large or too compressible (per member and for the whole
    archive against its size on disk); a member that inflates past its declared size is
    stopped while it is read (a lying header)."""
    archive = _Archive(path, config)
    try:
        csv_members = [
            m
            for m in archive.members
            if m.filename.lower().endswith(_MEMBER_SUFFIXES)
            and (not m.filename.lower().endswith(".txt") or _tabular_member(archive, m))
        ]
        if not csv_members:
            raise InputError("archive holds no CSV file")
        documents = []
        for member in csv_members:
            display = f"{display_path(path)}!{member.filename}"

            def opener(member: zipfile.ZipInfo = member) -> BinaryIO:
                return archive.open(member)

            documents.append(
                open_contact_list(path, display, config, opener, member_name=member.filename)
            )
    finally:
        archive.release()
    yield from documents


def _tabular_member(archive: _Archive, member: zipfile.ZipInfo) -> bool:
    """A .txt member is a contact list only when it starts with a CSV header (not the
    README an export ZIP may hold)."""
    with archive.open(member) as handle:
        return looks_like_contact_header(handle.read(SAMPLE_BYTES))


#: Declared sizes below this are not checked for their compression ratio (a small file of
#: empty fields compresses far better than a real export, and cannot hurt).
RATIO_FLOOR = 1 << 20
_CENTRAL_LENGTHS = struct.Struct("<HHH")
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
#: What a corrupt member raises while it inflates (zipfile's own CRC check included).
_CORRUPT = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError)


class _Archive:
    """One ZIP archive for all its members: the central directory is read once, and the
    file is opened through :func:`~mailcheck.files.open_input` (a regular file under
    ``limits.max-list-size``). The descriptor is closed whenever no member is being read
    (a run may keep many archives' lists for cross-file rules) and opened again on the
    next read, without reading the directory again."""

    def __init__(self, path: Path, config: Config) -> None:
        self.path, self.limits = path, config.limits
        self._lock = threading.Lock()
        self._readers = 1  # held by the caller until release(): its reads share the file
        self._handle: BinaryIO | None = self._open_file()
        try:
            self.zip = self._directory(self._handle)
            self.members = self._checked_members()
        except BaseException:
            self.release()
            raise

    def _open_file(self) -> BinaryIO:
        return open_input(self.path, self.limits.max_list_size, "limits.max-list-size")

    def _directory(self, handle: BinaryIO) -> zipfile.ZipFile:
        """The archive's ``ZipFile``, once the entries are counted (``ZipFile`` itself
        would read a directory of any size into memory, an entry at a time)."""
        most = self.limits.max_zip_members
        try:
            self.size = handle.seek(0, io.SEEK_END)
            entries, exact = _count_entries(handle, most)
            if entries > most:
                counted = f"{entries:,}" if exact else f"more than {most:,}"
                raise InputError(
                    f"archive holds {counted} entries, over the {most:,} limit "
                    "(limits.max-zip-members raises it)"
                )
            return zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise InputError(f"not a valid ZIP archive ({_os_reason(error)})") from None

    def _checked_members(self) -> list[zipfile.ZipInfo]:
        limits = self.limits
        ratio = limits.max_compression_ratio
        members = [m for m in self.zip.infolist() if not m.is_dir()]
        total = 0
        for member in members:
            name = PurePosixPath(member.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
                raise InputError(f"archive member {member.filename!r} escapes the archive")
            if member.flag_bits & 0x1:  # zipfile would ask for the password
                raise InputError(
                    f"archive member {member.filename!r} is encrypted (password-protected): "
                    "export it again without a password"
                )
            if member.compress_type not in _METHODS:
                raise InputError(
                    f"archive member {member.filename!r} uses an unsupported compression "
                    f"method ({member.compress_type}): export it again as a plain ZIP"
                )
            if member.file_size > limits.max_list_size:
                raise InputError(
                    f"archive member {member.filename!r}: "
                    + _over(member.file_size, limits.max_list_size, "limits.max-list-size")
                )
            if member.file_size >= RATIO_FLOOR and member.file_size > ratio * max(
                member.compress_size, 1
            ):
                raise InputError(
                    f"archive member {member.filename!r} "
                    + _inflates(member.file_size, member.compress_size, ratio)
                )
            total += member.file_size
        if total > limits.max_uncompressed_size:
            raise InputError(
                "archive is "
                + _over(total, limits.max_uncompressed_size, "limits.max-uncompressed-size")
                + " once uncompressed (ZIP bomb?)"
            )
        if total >= RATIO_FLOOR and total > ratio * max(self.size, 1):
            raise InputError("archive " + _inflates(total, self.size, ratio))
        return members

    def open(self, member: zipfile.ZipInfo) -> BinaryIO:
        """A stream of ``member``, refused past its declared size; close it when done."""
        with self._lock:
            if self._handle is None:
                self._handle = self.zip.fp = self._open_file()
            self._readers += 1
        try:
            inner = self.zip.open(member)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
            self.release()
            raise InputError(
                f"archive member {member.filename!r} cannot be read ({_os_reason(error)})"
            ) from None
        except BaseException:
            self.release()
            raise
        return io.BufferedReader(_MemberReader(self, inner, member))

    def release(self) -> None:
        """One reader less; the last one closes the file (not the directory)."""
        with self._lock:
            self._readers -= 1
            if self._readers == 0 and self._handle is not None:
                self._handle.close()
                self._handle = None


def _count_entries(handle: BinaryIO, most: int) -> tuple[int, bool]:
    """(entries of the central directory, exact?): the count the end record declares
    when it is over ``most``, else the entries walked (header by header, stopping past
    ``most``: the end record's count may lie, ``ZipFile`` reads the whole directory)."""
    end = zipfile._EndRecData(handle)  # noqa: SLF001 - the stdlib's own end-record finder
    if not end:
        raise zipfile.BadZipFile("no end of central directory")
    if end[zipfile._ECD_ENTRIES_TOTAL] > most:  # noqa: SLF001
        return end[zipfile._ECD_ENTRIES_TOTAL], True  # noqa: SLF001
    size, offset = end[zipfile._ECD_SIZE], end[zipfile._ECD_OFFSET]  # noqa: SLF001
    start = end[zipfile._ECD_LOCATION] - size  # noqa: SLF001 - data may precede the ZIP
    if end[zipfile._ECD_SIGNATURE] == zipfile.stringEndArchive64:  # noqa: SLF001
        start -= zipfile.sizeEndCentDir64 + zipfile.sizeEndCentDir64Locator
    if start < 0 or offset < 0:
        raise zipfile.BadZipFile("central directory out of the file")
    handle.seek(start)
    count = walked = 0
    while walked < size:
        if count > most:
            return count, False
        fixed = handle.read(46)
        if len(fixed) < 46 or fixed[:4] != zipfile.stringCentralDir:
            raise zipfile.BadZipFile("broken central directory")
        extra = sum(_CENTRAL_LENGTHS.unpack_from(fixed, 28))
        handle.seek(extra, io.SEEK_CUR)
        walked += 46 + extra
        count += 1
    return count, True


def _over(size: int, limit: int, key: str) -> str:
    return f"{format_size(size)}: larger than the {format_size(limit)} limit ({key} raises it)"


def _inflates(size: int, compressed: int, ratio: int) -> str:
    return (
        f"looks like a ZIP bomb: inflates {size // max(compressed, 1):,} times "
        f"({format_size(size)} from {format_size(compressed)}), over the {ratio} limit "
        "(limits.max-compression-ratio raises it)"
    )


class _MemberReader(BoundedReader):
    """A member's stream: stopped past its declared size (a lying header is how a ZIP
    bomb slips past the ratio check), corrupt data said as such, and the archive told
    when it is closed."""

    def __init__(self, archive: _Archive, inner: BinaryIO, member: zipfile.ZipInfo) -> None:
        what = f"archive member {member.filename!r} inflates past its declared size (ZIP bomb?)"
        super().__init__(inner, member.file_size, "limits.max-uncompressed-size", what)
        self.archive, self.name = archive, member.filename

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            return super().readinto(buffer)
        except _CORRUPT as error:
            raise InputError(
                f"archive member {self.name!r} is corrupt ({_os_reason(error)})"
            ) from None

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        if self.closed:
            return
        try:
            super().close()
        finally:
            self.archive.release()


# -- gzip-compressed lists (list.csv.gz) ----------------------------------------------------


def _read_gzip(path: Path, config: Config) -> ContactListDocument:
    """A gzip-compressed list (``list.csv.gz``), inflated as it is read, never to disk, and
    shown under its own path.

    The archive is opened as every input is (a regular file under
    ``limits.max-list-size``); what it inflates to is stopped at the smallest of
    ``limits.max-uncompressed-size``, ``limits.max-list-size`` and
    ``limits.max-compression-ratio`` times its size (not below :data:`RATIO_FLOOR`). The
    inflated bytes themselves are counted: the size a gzip trailer declares is modulo
    4 GiB and may lie. The name without ``.gz`` says the file's role and status."""
    limits = config.limits
    with _open_list(path, config):  # a FIFO, a device or an oversized archive: refused here
        pass
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError(_os_reason(error)) from None
    ratio = limits.max_compression_ratio
    cap, key = min(
        (limits.max_uncompressed_size, "limits.max-uncompressed-size"),
        (limits.max_list_size, "limits.max-list-size"),
        (max(ratio * size, RATIO_FLOOR), "limits.max-compression-ratio"),
    )
    if key == "limits.max-compression-ratio":
        what = (
            f"inflates more than {ratio} times its {format_size(size)} "
            f"(limits.max-compression-ratio raises it; gzip bomb?)"
        )
    else:
        what = f"larger than the {format_size(cap)} limit once uncompressed ({key} raises it)"

    def opener() -> BinaryIO:
        handle = _open_list(path, config)
        return io.BufferedReader(_GzipReader(handle, cap, key, what))

    inner = str(path.with_suffix(""))
    return open_contact_list(path, display_path(path), config, opener, member_name=inner)


class _GzipReader(BoundedReader):
    """The inflated bytes of a ``.gz``: stopped past ``limit``, and a corrupt or truncated
    archive said in one line (gzip raises ``EOFError``, ``zlib.error`` or ``OSError``)."""

    def __init__(self, handle: BinaryIO, limit: int, limit_name: str, what: str) -> None:
        super().__init__(gzip.GzipFile(fileobj=handle, mode="rb"), limit, limit_name, what)
        self.handle = handle

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            return super().readinto(buffer)
        except EOFError:
            raise InputError(
                "gzip archive is truncated (it ends before its end marker): "
                "download or compress it again"
            ) from None
        except (gzip.BadGzipFile, zlib.error) as error:
            # "Not a gzipped file (b'je')" would quote the file's first bytes: left out.
            reason = str(error).split(" (b", 1)[0]
            reason = reason[:1].lower() + reason[1:]
            raise InputError(f"not a valid gzip archive ({reason})") from None
        except OSError as error:
            raise InputError(_os_reason(error)) from None

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.handle.close()


# -- opening: encoding, dialect, header, provider, mapping ----------------------------------


def open_contact_list(
    path: Path, display: str, config: Config, opener, member_name: str | None = None
) -> ContactListDocument:
    """Sniff encoding, dialect, header and provider; return a lazily-read document.

    Encoding and delimiter are sniffed on the first :data:`SAMPLE_BYTES`; the header is
    read whole, however long, up to ``limits.max-record-size`` (:func:`_through_header`)."""
    limit = config.limits.max_record_size
    try:
        with opener() as handle:
            sample = handle.read(SAMPLE_BYTES)
            if not sample.strip():
                raise InputError("empty file")
            encoding = detect_encoding(sample)
            decoded = text = sample.decode(encoding, errors="replace")
            preamble = 0
            # Line ends may be "\r\n", "\n" or, from old Mac Excel ("CSV (Macintosh)"), "\r".
            first_line, *rest = LINE_END.split(text, maxsplit=1)
            sep = _SEP_LINE.match(first_line)
            if sep:  # Excel's "sep=;" hint line
                preamble = 1
                text = rest[0] if rest else ""
            whole = text  # the sample, or more of the file when the header goes on past it
            if len(sample) >= SAMPLE_BYTES:
                start = len(decoded) - len(text)  # where the header starts
                more = _through_header(handle, sample, encoding, start, preamble + 1, limit)
                if len(more) > len(sample):
                    whole = more.decode(encoding, errors="replace")[start:]
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(_os_reason(error)) from None
    delimiter = sep.group(1) if sep else sniff_delimiter(text)
    _allow_fields(limit)
    try:
        header = next(csv.reader(io.StringIO(whole, newline=""), delimiter=delimiter), [])
    except csv.Error as error:
        raise InputError(f"broken CSV header: {error}") from None
    text = whole
    header = [h.strip().lstrip("\ufeff") for h in header]
    if len(header) < 1 or not any(header):
        raise InputError("no header row")
    keywords = reader_keywords(config)
    headerless: Headerless | None = None
    if _is_data_row(header, config):
        # A first row that is a contact: every row is data, columns found by their values.
        rows = _sample_rows(text, delimiter, cut=len(sample) >= SAMPLE_BYTES) or [header]
        header = [f"column {i + 1}" for i in range(max(len(row) for row in rows))]
        headerless = Headerless(preamble + 1, _columns_by_values(rows, len(header), keywords))
    name_path = Path(member_name) if member_name else path
    archive = path if member_name else None
    provider, reason, contact_format = _provider(name_path, header, config, archive)
    columns = map_columns(header, contact_format, config)
    notes: list[str] = []
    if headerless is not None:
        found = []
        for canonical, (index, evidence) in headerless.found.items():
            if canonical not in columns and header[index] not in columns.values():
                columns[canonical] = header[index]
                found.append(f"{canonical} <- {header[index]} ({evidence})")
        headerless.found = {c: f for c, f in headerless.found.items() if columns.get(c)}
        notes.append(
            f"no header row (line {headerless.line} is a contact): every line is read as "
            f"a contact; columns found by their values: {'; '.join(found) or 'none'}"
        )
    role, role_reason = file_role(name_path, columns, config, keywords, contact_format)
    for canonical, source in config.columns.items():
        if canonical not in columns:
            notes.append(f"[columns] {canonical} = {source!r}: no such header in this file")
    if "email" not in columns and "email_hash" not in columns:
        notes.append('no e-mail column recognised: map one with [columns] email = "..."')
    doc = ContactListDocument(
        path=path,
        display_path=display,
        kind="contacts",
        provider=provider,
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        columns=columns,
        notes=notes,
        meta={
            "provider_reason": reason,
            "format": contact_format,
            "role": role,
            "role_reason": role_reason,
            "preamble_lines": preamble,
            "file_status": _status_from_name(name_path, keywords),
            "headerless": headerless,
            "max_record_size": config.limits.max_record_size,
        },
    )
    plan = _Plan.build(doc, contact_format, config, keywords)
    doc.meta["plan"] = plan
    doc.read_chunks = lambda: _chunks(doc, opener, plan)
    doc.meta["count_rows"] = lambda: count_rows(doc, opener)
    return doc


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
            raise InputError(record_too_long(line, limit, "a header"))
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


def _os_reason(error: Exception) -> str:
    """ "permission denied", not "[Errno 13] Permission denied: 'x.csv'" (the message
    already names the file)."""
    strerror = getattr(error, "strerror", None)
    return strerror[:1].lower() + strerror[1:] if strerror else str(error)


def _open_list(path: Path, config: Config):
    """A contact list, opened as every input is: regular files only, FIFO-safe, and never
    read past ``[limits] max-list-size``."""
    return open_input(path, config.limits.max_list_size, "limits.max-list-size")


#: An e-mail address as a whole cell: how a first row is told to be data, a column of
#: addresses is found by its values, and a line swallowed by a quote is seen to be a row.
_ADDRESS = re.compile(r"[^@\s\"'<>;,]+@[^@\s\"'<>;,]+\.[^@\s\"'<>;,.]{2,}")
#: Rows of the sample whose values find the columns of a list without a header row.
_VALUE_SAMPLE_ROWS = 200


@dataclass
class Headerless:
    """A list whose first row is a contact, not a header (``doc.meta["headerless"]``, for
    MC906 and ``inspect``): every row is read, the columns are named ``column 1`` ... and
    found by their values."""

    line: int  # the physical line of the first row
    #: canonical column -> (index, the evidence in words)
    found: dict[str, tuple[int, str]]


def _is_data_row(cells: list[str], config: Config) -> bool:
    """Whether a first row is a contact rather than a header: one of its cells is an
    e-mail address (no header holds one) and none names an e-mail column. Other column
    names are no evidence: values such as "Client" or "Source" are column names too."""
    if not any(_ADDRESS.fullmatch(cell) for cell in cells):
        return False
    names = {*column_synonyms()["email"], *(fold(s) for s in config.columns.values())}
    return not any(fold(cell) in names for cell in cells if cell)


def _sample_rows(text: str, delimiter: str, cut: bool) -> list[list[str]]:
    """The first rows of the sample (its last one left out when the sample ``cut`` it)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [row for row in islice(reader, _VALUE_SAMPLE_ROWS + 1) if any(row)]
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
) -> dict[str, tuple[int, str]]:
    """Columns of a list without a header, found by their values: the addresses (the
    column with the most), and a status (every value a status word, not only yes/no).
    Dates are left out: without a header, an opt-in date cannot be told from a birth
    date or a last purchase."""
    values = [
        [row[i].strip() for row in rows if i < len(row) and row[i].strip()] for i in range(width)
    ]
    found: dict[str, tuple[int, str]] = {}
    counts = [sum(1 for value in column if _ADDRESS.fullmatch(value)) for column in values]
    email = max(range(width), key=lambda i: counts[i])
    if counts[email]:
        found["email"] = (email, f"{counts[email]} of {len(values[email])} values are addresses")
    for index, column in enumerate(values):
        if index == email or not column or all(fold(v) in TRUTHY | FALSY for v in column):
            continue
        if all(_status_word(value, keywords) for value in column):
            words = ", ".join(sorted(set(column))[:3])
            evidence = f"{len(column)} of {len(column)} values are statuses: {words}"
            found["status"] = (index, evidence)
            break
    return found


def sniff_delimiter(text: str) -> str:
    lines = text.splitlines()[:20]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        first = lines[0] if lines else ""
        return max(",;\t|", key=first.count)


def _provider(path: Path, header: list[str], config: Config, archive: Path | None = None):
    """(provider, reason, ContactFormat) -- forced by config (a ``providers`` glob on the
    file, or on the ZIP holding it), else the best-scoring claim."""
    pm = config.pluginmanager
    forced = (
        (archive is not None and config.glob_value(config.providers, archive))
        or config.glob_value(config.providers, path)
        or config.provider
    )
    if forced:
        provider, reason = forced, "forced in config"
    else:
        matches: list[ProviderMatch] = (
            [
                m
                for m in pm.hook.mailcheck_detect_provider(path=path, header=header, config=config)
                if m
            ]
            if pm
            else []
        )
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


def map_columns(
    header: list[str], contact_format: ContactFormat | None, config: Config
) -> dict[str, str]:
    """Canonical column -> source header (config, then provider format, then synonyms)."""
    present = {h: fold(h) for h in header}
    mapping: dict[str, str] = {}
    for canonical, source in config.columns.items():
        if source in present:
            mapping[canonical] = source
        else:  # tolerate case/accent differences in a hand-written config
            for header_name, folded in present.items():
                if folded == fold(source):
                    mapping[canonical] = header_name
                    break
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
        for synonym in synonyms:  # the synonym order is the preference order
            source = next((s for s, f in present.items() if f == synonym and s not in used), None)
            if source is not None:
                mapping[canonical] = source
                used.add(source)
                break
    return mapping


@cache
def _keywords_for(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> Keywords:
    return Keywords([{name: list(terms) for name, terms in extra}])


def reader_keywords(config: Config) -> Keywords:
    """The run's keyword lists (built-ins + plugins + config), as rules see them."""
    merged: dict[str, list[str]] = {}
    pm = config.pluginmanager
    extensions = [*(pm.hook.mailcheck_keywords() if pm else []), config.keywords]
    for extension in extensions:
        for name, terms in (extension or {}).items():
            merged.setdefault(name, []).extend(terms)
    return _keywords_for(tuple(sorted((k, tuple(v)) for k, v in merged.items())))


def _status_from_name(path: Path, keywords: Keywords) -> str | None:
    """A status word in the file name (``unsubscribed_members_export_x.csv``,
    ``desinscrits.csv``): the status of every row when the file has no status column."""
    name = fold(re.sub(r"[_.\-]+", " ", path.stem))
    for status in ("unknown", "blocklisted", "unsubscribed", "cleaned", "pending", "subscribed"):
        if keywords[f"status_{status}"].search_folded(name):
            return status
    return None


def file_role(
    path: Path,
    columns: dict[str, str],
    config: Config,
    keywords: Keywords,
    contact_format: ContactFormat | None = None,
) -> tuple[str, str]:
    """What the file is for the cross-file rules, and why (shown by ``inspect``)."""
    forced = config.glob_value(getattr(config, "contact_roles", {}) or {}, path)
    if forced:
        return forced, "forced in config (contact-roles)"
    if contact_format is not None and contact_format.role is not None:
        if contact_format.role not in CONTACT_ROLES:
            raise InputError(
                f"the {contact_format.provider} plugin gives the role "
                f"{contact_format.role!r}, not one of {', '.join(CONTACT_ROLES)}"
            )
        return contact_format.role, f"{contact_format.provider} export layout"
    name = fold(re.sub(r"[_.\-]+", " ", path.stem))
    if "email_hash" in columns and "email" not in columns:
        return "suppression", f"hashed addresses in column {columns['email_hash']!r}"
    hit = keywords["suppression_file"].search_folded(name)
    if hit:
        return "suppression", f"file name says {hit!r}"
    if "sent_at" in columns:
        return "send-log", f"send timestamps in column {columns['sent_at']!r}"
    hit = keywords["send_list_file"].search_folded(name)
    if hit:
        return "send-list", f"file name says {hit!r}"
    return "audience", "a contact list"


# -- the canonical plan: how raw string columns become the canonical frame ------------------


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

        formats = {c: _formats(c, contact_format, config) for c in DATE_COLUMNS}
        constants = dict(contact_format.constants) if contact_format else {}
        file_status = doc.meta.get("file_status")
        if "status" not in sources and "status" not in constants:
            if doc.meta.get("role") == "suppression":
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
        )

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
            array = raw[index]
            if pa.types.is_timestamp(array.type):  # converted by the parser already
                data[canonical] = array.cast(pa.timestamp("s")).to_pandas()
                continue
            if array.null_count:
                array = pc.fill_null(array, "")
            array = trim_whitespace(array)
            if canonical in DATE_COLUMNS:
                parsed, missed = parse_date_column(array, self.date_formats[canonical])
                if missed is not None:
                    rows = np.flatnonzero(missed.to_numpy(zero_copy_only=False))
                    first = array.take(pa.array(rows[:3]))
                    unreadable.add(canonical, self.header[index], lines[rows], first)
                data[canonical] = parsed.to_pandas()
            elif canonical == "status":
                data[canonical] = _map_unique(array, self.status_map)
            elif canonical == "legal_basis":
                data[canonical] = _map_unique(array, self.basis_map)
            elif canonical in FLAG_COLUMNS:
                data[canonical] = _map_unique(array, lambda v: fold(v) in TRUTHY)
            elif canonical == "accepts_marketing":
                data[canonical] = _map_unique(array, _yes_no)
            else:
                data[canonical] = array.to_pandas()
            if canonical == "email":
                key = pc.ascii_lower(array) if _is_ascii(array) else pc.utf8_lower(array)
                data["email_key"] = key.to_pandas()
                data["key_hash"] = hash_strings(key)
                data["domain"] = domain_of(key).to_pandas()
        frame = pd.DataFrame(data)
        for canonical, value in self.constants.items():
            if canonical in ("status", "legal_basis") and canonical in self.sources:
                continue
            frame[canonical] = value
        if "status" not in frame:
            frame["status"] = "unknown"
        if "accepts_marketing" in frame:
            # A shop's "Accepts Email Marketing" yes/no: the status, when no column says it.
            answer = frame.pop("accepts_marketing")
            unknown = frame["status"] == "unknown"
            frame.loc[unknown & (answer == "yes"), "status"] = "subscribed"
            frame.loc[unknown & (answer == "no"), "status"] = "nonsubscribed"
        if "opted_out" in frame:
            frame.loc[
                frame["opted_out"] & frame["status"].isin(["subscribed", "unknown"]), "status"
            ] = "unsubscribed"
        if "unsubscribed_at" in frame:
            # No status, but an unsubscribe date not followed by a new opt-in: unsubscribed.
            since = frame["unsubscribed_at"]
            later = pd.Series(False, index=frame.index)
            for column in ("consent_at", "confirmed_at"):
                if column in frame:
                    later |= frame[column] > since
            unsubscribed = since.notna() & ~later & (frame["status"] == "unknown")
            if unsubscribed.any():
                frame.loc[unsubscribed, "status"] = "unsubscribed"
        if "legal_basis" not in frame:
            frame["legal_basis"] = "unknown"
        for flag, basis in (("is_customer", "customer"), ("is_b2b", "b2b")):
            if flag in frame:
                frame.loc[frame[flag] & (frame["legal_basis"] == "unknown"), "legal_basis"] = basis
        if self.normalize is not None:
            frame = self.normalize(frame)
        return frame


def _string_buffers(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of a ``string`` array, as numpy views (no copy)."""
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)
    offsets = offsets[array.offset : array.offset + len(array) + 1]
    data = np.zeros(0, np.uint8) if buffers[2] is None else np.frombuffer(buffers[2], np.uint8)
    return offsets, data


def trim_whitespace(array: pa.Array) -> pa.Array:
    """``utf8_trim_whitespace``, skipped when it would change nothing (exports rarely pad
    their values; the trim copies every column).

    A value whose first and last bytes are printable ASCII (``!`` to ``~``) has nothing to
    trim. Only the others (space, control or non-ASCII bytes, such as a no-break space or
    a final ``é``) are trimmed to find out, and the whole array when one of them shrinks:
    what is whitespace stays Arrow's own definition."""
    if array.type != pa.string():
        return pc.utf8_trim_whitespace(array)
    offsets, data = _string_buffers(array)
    if offsets[-1] == offsets[0]:
        return array  # only empty values
    # An empty value reads a neighbour's byte (or slack past the end): at worst a
    # needless look, never a missed one.
    first = data.take(offsets[:-1], mode="clip")
    last = data.take(offsets[1:] - 1, mode="clip")
    doubtful = np.flatnonzero(
        (first <= _SPACE) | (first >= _DEL) | (last <= _SPACE) | (last >= _DEL)
    )
    if not len(doubtful):
        return array
    looked = array.take(pa.array(doubtful))
    if pc.utf8_length(pc.utf8_trim_whitespace(looked)).equals(pc.utf8_length(looked)):
        return array
    return pc.utf8_trim_whitespace(array)


def _is_ascii(array: pa.Array) -> bool:
    """Whether every value is ASCII (one look at the bytes: ``ascii_lower`` is 10x faster
    than ``utf8_lower``)."""
    if array.type != pa.string() or not len(array):
        return False
    offsets, data = _string_buffers(array)
    used = data[offsets[0] : offsets[-1]]
    return not len(used) or int(used.max()) < 0x80


def domain_of(keys: pa.Array) -> pa.Array:
    """What follows the last ``@`` (the whole value when there is none). The regex
    ``^.*@`` stays for values with a newline (``.`` does not cross it)."""
    offsets, data = _string_buffers(keys)
    used = data[offsets[0] : offsets[-1]]
    if _LF in used:
        return pc.replace_substring_regex(keys, "^.*@", "")
    at_signs = np.flatnonzero(used == _AT) + offsets[0]
    if not len(at_signs) or keys.null_count:
        parts = pc.split_pattern(keys, "@", max_splits=1, reverse=True)
        return parts.values.take(pa.array(parts.offsets.to_numpy()[1:] - 1))
    # Each value cut at its last "@" into two pieces over the same bytes (the pieces
    # follow each other, so one offsets buffer describes them all); the domains are
    # every second piece. 1.7x faster than a split, which copies every piece.
    starts, ends = offsets[:-1], offsets[1:]
    last = np.searchsorted(at_signs, ends) - 1  # the last "@" before each end
    last_at = at_signs[np.maximum(last, 0)]
    bounds = np.empty(2 * len(keys) + 1, dtype=np.int32)
    bounds[0::2] = offsets
    bounds[1::2] = np.where((last >= 0) & (last_at >= starts), last_at + 1, starts)
    pieces = pa.StringArray.from_buffers(2 * len(keys), pa.py_buffer(bounds), keys.buffers()[2])
    return pieces.take(pa.array(np.arange(1, 2 * len(keys), 2)))


#: Values up to this many bytes are hashed by :func:`_hash_short` (longer ones by pandas).
_SHORT_BYTES = 64
_M1, _M2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def hash_strings(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit hash of each string.

    Rules keep compact per-address state (duplicates, cross-file suppression) as these
    hashes instead of the strings: 8 bytes a row, collisions negligible. Addresses are
    hashed straight from the Arrow buffers, 8 bytes at a time (:func:`_hash_short`, no
    Python string per row); the rare value longer than ``_SHORT_BYTES`` by pandas'
    SipHash (equal strings have equal lengths, so they always meet the same hash)."""
    if len(array) == 0:
        return np.zeros(0, dtype=np.uint64)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = pc.fill_null(array, "")
    if array.type != pa.string():
        array = array.cast(pa.string())
    offsets, data = _string_buffers(array)
    lengths = np.diff(offsets).astype(np.int64)
    result = _hash_short(data, offsets[:-1].astype(np.int64), np.minimum(lengths, _SHORT_BYTES))
    long = np.flatnonzero(lengths > _SHORT_BYTES)
    if len(long):
        values = array.take(pa.array(long)).to_numpy(zero_copy_only=False)
        result[long] = pd.util.hash_array(values, categorize=False)
    return result


def _fmix(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser (a bijection that mixes every bit), in place."""
    h ^= h >> np.uint64(33)
    h *= _M1
    h ^= h >> np.uint64(33)
    h *= _M2
    h ^= h >> np.uint64(33)
    return h


def _hash_short(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Hash the byte strings ``data[start:start + length]``: the length, then each 8-byte
    little-endian word (zero-padded), chained through :func:`_fmix`."""
    padded = np.zeros(len(data) + 8, dtype=np.uint8)
    padded[: len(data)] = data
    # An unaligned view: words[i] is the 8 bytes starting at byte i.
    words = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
    with np.errstate(over="ignore"):
        h = _fmix(lengths.astype(np.uint64) * _GOLDEN + _GOLDEN)
        for word in range(int(lengths.max(initial=0) + 7) // 8):
            remaining = lengths - 8 * word
            live = remaining > 0
            value = words[np.where(live, starts + 8 * word, 0)]
            keep = np.where(
                remaining >= 8,
                np.uint64(0xFFFFFFFFFFFFFFFF),
                (np.uint64(1) << (np.clip(remaining, 0, 7).astype(np.uint64) * np.uint64(8)))
                - np.uint64(1),
            )
            h = np.where(live, _fmix(h ^ (value & keep)), h)
    return h


def _yes_no(value: str) -> str:
    """``"yes"``, ``"no"`` or ``""`` (neither: empty or another word)."""
    folded = fold(value)
    return "yes" if folded in TRUTHY else "no" if folded in FALSY else ""


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


def _formats(column: str, contact_format: ContactFormat | None, config: Config) -> list[str]:
    formats: list[str] = []
    for source in (contact_format.date_formats if contact_format else {}, config.date_formats):
        formats += source.get(column, []) + source.get("*", [])
    return formats + [f for f in DEFAULT_DATE_FORMATS if f not in formats]


# -- pass 1: exact physical lines ------------------------------------------------------------


@dataclass
class RecordScan:
    """Where each data record of a whole file starts (1-based physical line), and what the
    bytes hold (:func:`scan_records`; the reader itself scans block by block).

    The start lines are kept per scanned block as the first line and the steps between
    records (one byte each when every step fits, as it does unless a field spans 255
    lines): 1 byte a row instead of 4. :meth:`take` rebuilds them."""

    #: (index of the block's first record, header = 0; its line; steps to the next ones)
    blocks: list[tuple[int, int, np.ndarray]]
    count: int  # data records (header excluded)
    quoted_newlines: bool
    stray_quotes: bool
    header_records: int = 1  # 0 for a list without a header row

    @property
    def lines(self) -> np.ndarray:
        """Every data record's start line (``int32``)."""
        return self.take(0, self.count)

    def take(self, start: int, stop: int) -> np.ndarray:
        """Start lines of data records ``start`` to ``stop`` (excluded), as ``int32``."""
        # record 0 is the header, if there is one
        first, last = start + self.header_records, min(stop, self.count) + self.header_records
        parts = []
        for index, line, steps in self.blocks:
            size = len(steps) + 1
            if index + size <= first or index >= last:
                continue
            lines = np.empty(size, dtype=np.int64)
            lines[0] = line
            np.cumsum(steps, dtype=np.int64, out=lines[1:])
            lines[1:] += line
            parts.append(lines[max(first - index, 0) : min(last - index, size)])
        if not parts:
            return np.zeros(0, dtype=np.int32)
        return np.concatenate(parts).astype(np.int32)


def _compact(starts: np.ndarray, index: int) -> tuple[int, int, np.ndarray]:
    steps = np.diff(starts)
    narrow = steps.astype(np.uint8)
    return index, int(starts[0]), narrow if (narrow == steps).all() else steps.astype(np.int32)


def _fast_path_possible(encoding: str) -> bool:
    return encoding.lower().replace("-", "_") in {e.replace("-", "_") for e in _FAST_ENCODINGS}


class RecordScanner:
    """Finds where records start, one block of raw bytes at a time (see the module
    docstring): a newline ends a record when the number of ``"`` before it is even.

    :meth:`feed` returns the start line of each non-empty record that ends in the block
    (the header is the first record); :attr:`cut` is the byte offset just after the last
    record-ending newline, where the bytes read so far can be cut for parsing.

    A ``"`` that is neither at the start nor at the end of a field (``Jean "JJ" Dupont``)
    breaks quote parity for a CSV parser too, but not in the same way: it sets
    :attr:`stray_quotes`, and such bytes are read by the exact slow path instead. So does
    a line inside a quoted field that looks like a row of its own (a quote that never
    closes swallows the rows after it: see :meth:`_swallows_rows`). ``width`` is the
    header's number of fields.

    A record (the header included) longer than ``max_record`` bytes raises
    :class:`~mailcheck.errors.InputError` (see :func:`record_too_long`): the reader holds
    a record whole until it ends, so a file without line breaks, or a quote that never
    closes, would otherwise grow it without bound. Not once the quotes are stray: the
    parity then says nothing of where records end, and the exact reader decides."""

    def __init__(
        self,
        delimiter: str,
        preamble_lines: int = 0,
        width: int = 2,
        max_record: int = Limits.max_record_size,
    ) -> None:
        self.delimiter = delimiter.encode("ascii")[0]
        self.max_record = max_record
        self._row_delimiters = _row_delimiters(width)
        #: (quotes, "@", delimiters) so far of a line inside a quoted field that goes on
        #: into the next block.
        self._open_line: np.ndarray | None = None
        #: Bytes a blank line may hold (the delimiter makes fields, so it is not one).
        self._is_blank_byte = np.zeros(256, dtype=bool)
        self._is_blank_byte[[b for b in (_SPACE, _TAB, _CR) if b != self.delimiter]] = True
        self.records = 0  # non-empty records that ended so far, header included
        self.quoted_newlines = False
        self.stray_quotes = False
        self._skip_lines = preamble_lines
        self._parity = 0
        self._newlines_before = 0  # line breaks in previous blocks
        self._last_terminator = -1  # global byte offset of the last record-ending newline
        self._last_terminator_line = 0  # its index among all newlines (0-based)
        self._prev_byte = -1
        self._offset = 0
        #: Whether every byte read since the last record end is blank (see _blank).
        self._tail_blank = True

    @property
    def cut(self) -> int:
        return self._last_terminator + 1

    def feed(self, data: bytes) -> np.ndarray:
        """Scan the next block (read with :func:`read_block`: it never ends inside a
        ``\\r\\n``)."""
        buf = np.frombuffer(data, dtype=np.uint8)
        offset = self._offset
        nl = _line_breaks(buf)
        quotes = np.flatnonzero(buf == _QUOTE)
        if len(quotes) and not self.stray_quotes:
            before = np.empty(len(quotes), dtype=np.int16)
            before[1:] = buf[quotes[1:] - 1]
            before[0] = buf[quotes[0] - 1] if quotes[0] > 0 else self._prev_byte
            after = np.full(len(quotes), -1, dtype=np.int16)
            inside = quotes + 1 < len(buf)
            after[inside] = buf[quotes[inside] + 1]
            edge = (self.delimiter, _LF, _CR, _QUOTE, -1)
            self.stray_quotes = not (np.isin(before, edge) | np.isin(after, edge)).all()
        starts = np.zeros(0, dtype=np.int64)
        odd = np.zeros(0, dtype=bool)
        if len(nl):
            odd = (self._parity + np.searchsorted(quotes, nl)) % 2 == 1
            if odd.any():
                self.quoted_newlines = True
        if (self._open_line is not None or odd.any()) and not self.stray_quotes:
            self.stray_quotes = self._swallows_rows(buf, nl, odd, quotes)
        term_local = np.flatnonzero(~odd) if len(nl) else nl
        if not self.stray_quotes:
            self._check_lengths(nl, term_local, len(buf))
        if len(nl):
            term_pos = nl[term_local] + offset
            term_line = term_local + self._newlines_before
            if self._skip_lines:
                keep = term_line >= self._skip_lines
                if not keep.all():
                    self._last_terminator = int(term_pos[~keep][-1])
                    self._last_terminator_line = int(term_line[~keep][-1])
                term_pos, term_line = term_pos[keep], term_line[keep]
                if len(term_pos):
                    self._skip_lines = 0
            if len(term_pos):
                prev_pos = np.empty_like(term_pos)
                prev_pos[0] = self._last_terminator
                prev_pos[1:] = term_pos[:-1]
                prev_line = np.empty_like(term_line)
                prev_line[0] = self._last_terminator_line - (self._last_terminator < 0)
                prev_line[1:] = term_line[:-1]
                blank = self._blank(buf, prev_pos, term_pos)
                # 1-based line just after the previous terminator
                starts = (prev_line + 2)[~blank]
                self.records += len(starts)
                self._last_terminator = int(term_pos[-1])
                self._last_terminator_line = int(term_line[-1])
        if self._last_terminator >= offset:  # a record ended in this block
            self._tail_blank = self._all_blank(buf[self._last_terminator + 1 - offset :])
        else:
            self._tail_blank = self._tail_blank and self._all_blank(buf)
        self._parity = (self._parity + len(quotes)) % 2
        self._newlines_before += len(nl)
        self._prev_byte = int(buf[-1]) if len(buf) else self._prev_byte
        self._offset += len(buf)
        return starts

    def _check_lengths(self, nl: np.ndarray, breaks: np.ndarray, size: int) -> None:
        """Refuse the first record of the block longer than ``max_record`` bytes (its
        line break included), or the record still open at the block's end (``breaks``:
        the record ends, as indices into ``nl``). Its line is the one after the previous
        record's end. Only the first record can be longer than a block: the others are
        measured only when the block itself is longer than the limit."""
        offset, limit = self._offset, self.max_record
        last, index = self._last_terminator, self._last_terminator_line
        if len(breaks):
            if size > limit:
                ends = nl[breaks] + offset
                longer = np.flatnonzero(np.diff(ends, prepend=last) > limit)
                first = int(longer[0]) if len(longer) else -1
            else:
                first = 0 if int(nl[breaks[0]]) + offset - last > limit else -1
            if first > 0:
                last = int(nl[breaks[first - 1]]) + offset
                index = int(breaks[first - 1]) + self._newlines_before
            if first >= 0:
                raise InputError(record_too_long(index + 2 if last >= 0 else 1, limit))
            last = int(nl[breaks[-1]]) + offset
            index = int(breaks[-1]) + self._newlines_before
        if offset + size - (last + 1) > limit:
            raise InputError(record_too_long(index + 2 if last >= 0 else 1, limit))

    def _swallows_rows(
        self, buf: np.ndarray, nl: np.ndarray, odd: np.ndarray, quotes: np.ndarray
    ) -> bool:
        """Whether a line that starts inside a quoted field looks like a row of its own:
        no ``"``, an ``@`` and the delimiters of half a row. A quote that never closes
        (``"marie@exemple.fr;Marie;...``) makes every row after it part of one field,
        which a parser reads without a word; a note quoting a row is rare, and the exact
        reader tells them apart (:func:`_slow_records`). Only lines after a quoted line
        break are looked at (a legitimate note's last line holds its closing quote), so
        an export with multi-line notes costs two searches per block."""
        ends_all = np.append(nl, len(buf))
        inside = np.flatnonzero(odd)
        starts, ends = nl[inside] + 1, ends_all[inside + 1]
        if self._open_line is not None:  # the line goes on from the previous block
            starts, ends = np.append(0, starts), np.append(ends_all[0], ends)
        counts = np.zeros((3, len(starts)), dtype=np.int64)  # quotes, "@", delimiters
        counts[0] = np.searchsorted(quotes, ends) - np.searchsorted(quotes, starts)
        free = (counts[0] == 0) & (ends > starts)
        if free.any():
            for row, byte in ((1, _AT), (2, self.delimiter)):
                found = np.flatnonzero(buf == byte)
                counts[row, free] = np.searchsorted(found, ends[free]) - np.searchsorted(
                    found, starts[free]
                )
        if self._open_line is not None:
            counts[:, 0] += self._open_line
        self._open_line = counts[:, -1].copy() if ends[-1] == len(buf) else None
        rows = (counts[0] == 0) & (counts[1] > 0) & (counts[2] >= self._row_delimiters)
        return bool(rows.any())

    def _blank(self, buf: np.ndarray, prev_pos: np.ndarray, term_pos: np.ndarray) -> np.ndarray:
        """Records that are no record: empty, or only spaces, tabs and the ``\\r`` of a
        ``\\r\\n`` (as the exact reader skips them). A record can only be blank if its first
        byte is: those few are looked at, the first ``_BLANK_SPAN`` bytes of all of them in
        one gather, then the rare longer ones whole."""
        span = term_pos - prev_pos  # content bytes + the terminator
        blank = span == 1
        first = prev_pos + 1 - self._offset  # local start of each record
        inside = first >= 0  # else it began in an earlier block
        if not inside[0] and span[0] > 1:  # its bytes before this block were all blank?
            blank[0] = self._tail_blank and self._all_blank(buf[: term_pos[0] - self._offset])
        leading = self._is_blank_byte[buf[np.maximum(first, 0)]]
        leading[0] &= bool(inside[0])
        candidates = np.flatnonzero(leading & (span >= 2))
        if not len(candidates):
            return blank
        start, length = first[candidates], span[candidates] - 1
        width = np.arange(_BLANK_SPAN - 1)
        used = width < length[:, None]
        content = np.where(used, buf[np.where(used, start[:, None] + width, 0)], _SPACE)
        blank[candidates] = self._is_blank_byte[content].all(axis=1)
        for record in candidates[blank[candidates] & (length >= _BLANK_SPAN)]:
            end = term_pos[record] - self._offset
            blank[record] = self._all_blank(buf[first[record] : end])
        return blank

    def _all_blank(self, data: np.ndarray) -> bool:
        return not len(data) or (
            bool(self._is_blank_byte[data[0]]) and bool(self._is_blank_byte[data].all())
        )

    def finish(self) -> np.ndarray:
        """The start line of a last record without a final newline (or nothing)."""
        tail = self._offset - 1 - self._last_terminator
        if tail <= 0 or self._tail_blank or self._skip_lines:
            return np.zeros(0, dtype=np.int64)
        self.records += 1
        first_line = self._last_terminator_line + 2 if self._last_terminator >= 0 else 1
        return np.array([first_line], dtype=np.int64)


def _row_delimiters(width: int) -> int:
    """Delimiters a line needs to look like a row of a list whose header has ``width``
    fields: half a row's (Excel leaves out the empty fields at the end of a row)."""
    return 0 if width <= 1 else max(1, (width - 1) // 2)


def _line_breaks(buf: np.ndarray) -> np.ndarray:
    """Positions of the line breaks of a block: ``\\n``, and ``\\r`` not followed by
    ``\\n`` (old Mac files; Excel Mac writes ``\\n`` inside cells and ``\\r`` between
    rows). Lines are counted as editors and Python's universal newlines count them.

    Positions, not masks: a lone ``\\r`` is rare, so a ``\\r\\n`` file is settled by
    counting its ``\\r`` against the ``\\n`` that follow one (3x cheaper than masks)."""
    line_feeds = np.flatnonzero(buf == _LF)
    if not len(line_feeds):
        return np.flatnonzero(buf == _CR)  # every \r is a break by itself
    carriage_returns = int(np.count_nonzero(buf == _CR))
    if not carriage_returns:
        return line_feeds
    inside = line_feeds[1:] if len(line_feeds) and line_feeds[0] == 0 else line_feeds
    if int(np.count_nonzero(buf[inside - 1] == _CR)) == carriage_returns:
        return line_feeds  # every \r is the first half of a \r\n
    cr = np.flatnonzero(buf == _CR)
    after = np.minimum(cr + 1, len(buf) - 1)
    # A block's last \r is a break by itself (read_block never splits a \r\n).
    lone = cr[(cr + 1 == len(buf)) | (buf[after] != _LF)]
    return np.sort(np.concatenate([line_feeds, lone]))


def record_too_long(line: int, limit: int, what: str = "a record") -> str:
    """The one-line reason a record (or the header) passing ``limits.max-record-size``
    is refused with: where it starts, what it may be, the key that raises the limit."""
    return (
        f"line {line}: {what} longer than {format_size(limit)} (a file without line "
        "breaks, or a quote that never closes?); limits.max-record-size raises it"
    )


def read_block(handle, size: int) -> bytes:
    """Up to ``size`` bytes, one more if needed so as not to end between ``\\r`` and
    ``\\n`` (a block's last ``\\r`` is then a line break by itself).

    The byte after a final ``\\r`` is peeked at, not read: reading on while the block
    ends with ``\\r`` made a run of them (an old Mac file of empty lines) one block of
    any size, grown a byte at a time (a copy of the block per byte: it never ended)."""
    data = handle.read(size)
    if not data.endswith(b"\r"):
        return data
    peek = getattr(handle, "peek", None)
    if peek is not None:  # every opener here gives a BufferedReader
        return data + handle.read(1) if peek(1)[:1] == b"\n" else data
    grown = bytearray(data)  # without peek: read on, a byte at a time
    while grown.endswith(b"\r") and (more := handle.read(1)):
        grown += more
    return bytes(grown)


#: Line breaks one block may hold: a block of 8 MiB of empty or near-empty records
#: (``;;;`` rows, a file of blank lines) is otherwise millions of records whose per-line
#: arrays, frames and rule masks took 1.7 GB; past this it is cut into smaller blocks.
MAX_BLOCK_LINES = 1 << 18


def read_blocks(handle, size: int = BLOCK_BYTES) -> Iterator[bytes]:
    """The blocks of :func:`read_block`, each cut into pieces of about
    :data:`MAX_BLOCK_LINES` line breaks when it holds more (never between ``\r`` and
    ``\n``), so that the work per block stays bounded however short the records are. A
    typical export (about 100 bytes a record) is never cut."""
    while data := read_block(handle, size):
        breaks = data.count(b"\n")
        if breaks << 12 < len(data):  # hardly a \n: an old Mac file counts its \r
            breaks = max(breaks, data.count(b"\r"))
        if breaks <= MAX_BLOCK_LINES:
            yield data
            continue
        step = max(len(data) * MAX_BLOCK_LINES // breaks, 1)
        start = 0
        while start < len(data):
            end = min(start + step, len(data))
            if data[end - 1 : end] == b"\r" and data[end : end + 1] == b"\n":
                end += 1
            yield data[start:end]
            start = end


def scan_records(
    opener,
    delimiter: str,
    preamble_lines: int = 0,
    block: int = BLOCK_BYTES,
    width: int = 2,
    header_records: int = 1,
    max_record: int = Limits.max_record_size,
) -> RecordScan:
    """Start line of every non-empty record of the file after the header (if any:
    ``header_records``), without parsing (what ``mailcheck inspect`` counts); a record
    longer than ``max_record`` bytes is refused, as the reader refuses it."""
    scanner = RecordScanner(delimiter, preamble_lines, width, max_record)
    blocks: list[tuple[int, int, np.ndarray]] = []
    with opener() as handle:
        for data in read_blocks(handle, block):
            starts = scanner.feed(data)
            if len(starts):
                blocks.append(_compact(starts, scanner.records - len(starts)))
    starts = scanner.finish()
    if len(starts):
        blocks.append(_compact(starts, scanner.records - 1))
    count = max(scanner.records - header_records, 0)  # the first record is the header
    return RecordScan(blocks, count, scanner.quoted_newlines, scanner.stray_quotes, header_records)


def count_rows(doc: ContactListDocument, opener) -> int:
    """Data records in the file (what ``mailcheck inspect`` shows), without parsing."""
    if doc.row_count is not None:
        return doc.row_count
    if _fast_path_possible(doc.encoding):
        scan = scan_records(
            opener,
            doc.delimiter,
            doc.meta.get("preamble_lines", 0),
            width=len(doc.header),
            header_records=0 if doc.meta.get("headerless") else 1,
            max_record=_max_record(doc),
        )
        if not scan.stray_quotes:
            return scan.count
    return sum(len(lines) for _, lines in _slow_records(doc, opener, 0))


def _max_record(doc: ContactListDocument) -> int:
    """``limits.max-record-size`` of the config the document was opened with."""
    return doc.meta.get("max_record_size", Limits.max_record_size)


# -- pass 2: parsing -------------------------------------------------------------------------


def _chunks(doc: ContactListDocument, opener, plan: _Plan) -> Iterator[pd.DataFrame]:
    """The canonical chunks, read ahead in a background thread (see :func:`prefetch`)."""
    return prefetch(_read_frames(doc, opener, plan))


def prefetch(frames: Iterator[pd.DataFrame], depth: int = 1) -> Iterator[pd.DataFrame]:
    """Run ``frames`` in a reader thread, at most ``depth`` chunks ahead of the rules.

    Parsing (pyarrow), the line scan (numpy) and most of the canonical conversion
    (Arrow compute) release the GIL, so reading the next block overlaps with the rules
    checking this one: two cores instead of one, for a chunk or two more of memory (a
    second queued chunk measured no faster, 15 MB bigger). An error
    in the reader is raised in the consumer, where the engine turns it into MC900."""
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for frame in frames:
                if not put(("frame", frame)):
                    return
            put(("done", None))
        except BaseException as error:  # noqa: BLE001 - handed over to the consumer
            put(("error", error))
        finally:
            frames.close()

    thread = threading.Thread(target=produce, name="mailcheck-csv-reader", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = handoff.get()
            if kind == "frame":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        stop.set()
        thread.join()


def _read_frames(doc: ContactListDocument, opener, plan: _Plan) -> Iterator[pd.DataFrame]:
    delivered = 0
    # Counted afresh on each read (a cross-file rule may read the list a second time).
    unreadable = doc.meta["unreadable_dates"] = UnreadableDates()
    doc.meta["fast_path"] = fast = _fast_path_possible(doc.encoding)
    if fast:
        try:
            for raw, lines in _arrow_batches(doc, opener, plan):
                delivered += len(lines)
                yield plan.frame(raw, lines, unreadable)
            doc.row_count = delivered
            return
        except _NotFast:
            pass  # ragged rows, stray quotes, whitespace-only lines: the exact path takes over
        except (OSError, zipfile.BadZipFile) as error:
            raise InputError(_os_reason(error)) from None
        doc.meta["fast_path"] = False
    for raw, lines in _slow_records(doc, opener, delivered):
        delivered += len(lines)
        yield plan.frame(raw, lines, unreadable)
    doc.row_count = delivered


@dataclass
class WideRows:
    """Rows of a file with more fields than its header (``doc.meta["wide_rows"]``)."""

    header_fields: int
    count: int = 0
    most_fields: int = 0
    first_lines: list[int] = field(default_factory=list)

    def add(self, line: int, fields: int) -> None:
        self.count += 1
        self.most_fields = max(self.most_fields, fields)
        if len(self.first_lines) < 5:
            self.first_lines.append(line)


class _NotFast(Exception):
    """The fast path cannot prove it reads the rest exactly."""


def _arrow_batches(
    doc: ContactListDocument, opener, plan: _Plan
) -> Iterator[tuple[dict[int, pa.Array], np.ndarray]]:
    """Read ``BLOCK_BYTES`` at a time, scan the block for record starts, and parse with
    pyarrow's ``read_csv`` the bytes up to the last record end; the rest is carried over
    to the next block. One read of the file, parsing from the first block on, memory
    bounded by a block (pyarrow's streaming reader reads the whole input ahead: +200 MB
    of RSS at 1M rows). Raises :class:`_NotFast` before yielding anything it
    cannot vouch for: stray quotes in a block, or pyarrow finding another row count."""
    names = [f"c{i}" for i in range(len(doc.header))]
    wanted = plan.indices
    encoding = doc.encoding.lower().replace("_", "-")
    encoding = "utf8" if encoding in ("utf-8", "utf-8-sig", "ascii") else encoding
    iso_dates = plan.iso_date_indices

    def convert_options() -> pacsv.ConvertOptions:
        return pacsv.ConvertOptions(
            include_columns=[names[i] for i in wanted] or [names[0]],
            column_types={
                names[i]: pa.timestamp("s") if i in iso_dates else pa.string()
                for i in range(len(names))
            },
            timestamp_parsers=[pacsv.ISO8601],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )

    options = convert_options()
    preamble = doc.meta.get("preamble_lines", 0)

    def read_options(segment_bytes: int) -> pacsv.ReadOptions:
        # The segment as one pyarrow block, on this thread: pyarrow's threads bought no
        # wall time on 8 MB (the rules use the other core) for a third more CPU; one block
        # makes one chunk per column (no combine_chunks copy) and takes a record of any
        # length (the default 1 MB block refuses a longer one: "straddles two blocks").
        return pacsv.ReadOptions(
            column_names=names,
            skip_rows=preamble if first else 0,
            skip_rows_after_names=1 if first and has_header else 0,
            encoding=encoding,
            use_threads=False,
            block_size=segment_bytes + 1,
        )

    has_header = not doc.meta.get("headerless")
    # A record is held (``carry``) until its end is read: the scanner refuses one longer
    # than limits.max-record-size, so ``carry`` stays under it plus a block.
    scanner = RecordScanner(doc.delimiter, preamble, len(doc.header), _max_record(doc))
    carry, carry_start = b"", 0  # bytes read but not parsed yet, and their file offset
    pending: list[np.ndarray] = []  # start lines of the records in those bytes
    first = True

    def parse(segment) -> Iterator[tuple[dict[int, pa.Array], np.ndarray]]:
        nonlocal first, options
        lines = np.concatenate(pending) if len(pending) > 1 else pending[0]
        pending.clear()
        if first and has_header:
            lines = lines[1:]  # the header
        parse_options = pacsv.ParseOptions(
            delimiter=doc.delimiter, newlines_in_values=scanner.quoted_newlines
        )
        while True:
            try:
                table = pacsv.read_csv(
                    pa.py_buffer(segment),
                    read_options=read_options(len(segment)),
                    parse_options=parse_options,
                    convert_options=options,
                )
                break
            except pa.ArrowInvalid as error:
                # A date column with another format: read it as text (the frame parses
                # it with the explicit formats) from here to the end of the file.
                failed = _CONVERSION_ERROR.match(str(error))
                if failed is None or int(failed.group(1)) not in iso_dates:
                    raise
                iso_dates.discard(int(failed.group(1)))
                options = convert_options()
        first = False
        if table.num_rows != len(lines):
            raise _NotFast("segment rows differ from the scan")
        if len(lines):
            raw = {i: _single_array(table.column(names[i])) for i in wanted}
            yield raw, lines.astype(np.int32)
        # mimalloc's freed pages are not given back after each segment: the next one
        # reuses them (releasing them saved 30 MB of RSS, at 1M rows as at 10M, and cost
        # 10% of the reader's CPU in page faults).
        del table

    with opener() as handle:
        for data in read_blocks(handle, BLOCK_BYTES):
            starts = scanner.feed(data)
            if scanner.stray_quotes:
                raise _NotFast("a quote inside an unquoted field")
            buffer = carry + data if carry else data
            if len(starts):
                pending.append(starts)
                end = scanner.cut - carry_start
                try:
                    yield from parse(memoryview(buffer)[:end])
                except pa.ArrowInvalid as error:
                    raise _NotFast(str(error)) from None
                buffer, carry_start = buffer[end:], scanner.cut
            elif not first and scanner.cut > carry_start:
                # Only blank records ended (no start): nothing to parse, as the exact
                # reader skips them; kept, a file of empty lines grew ``carry`` to its size.
                buffer, carry_start = buffer[scanner.cut - carry_start :], scanner.cut
            carry = buffer
    starts = scanner.finish()
    if len(starts):
        pending.append(starts)
    if pending:
        try:
            yield from parse(carry)
        except pa.ArrowInvalid as error:
            raise _NotFast(str(error)) from None


def _single_array(column: pa.ChunkedArray) -> pa.Array:
    """The one chunk of a column as it is (``combine_chunks`` copies even a lone chunk)."""
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


@dataclass
class RunawayQuotes:
    """Quoted fields that never close (``doc.meta["runaway_quotes"]``, for MC905).

    A ``"`` opening a field that has no closing quote (``"marie@exemple.fr;Marie;...``)
    makes a CSV parser read every line after it as that one field, up to the next ``"``
    in the file or its end: thousands of contacts silently unchecked. The exact reader
    stops at the first swallowed line that looks like a row, reads the line where the
    quote opened with that quote taken literally, and the lines after it as rows."""

    line: int  # the physical line where the first such field opens
    #: Lines it would have swallowed: up to the next line holding a quote, or the end.
    swallowed: int = 0
    closed: bool = False  # whether such a line was found (else: to the end of the file)
    count: int = 1  # such fields in the file

    def watch(self, line: str) -> bool:
        """Count one more line it would swallow; whether it would still go on after it."""
        self.swallowed += 1
        self.closed = '"' in line
        return not self.closed


class _Runaway(Exception):
    """A line inside a quoted field looks like a row of its own (see RunawayQuotes)."""


class _TooLong(Exception):
    """A record read by the exact path goes on past ``limits.max-record-size``."""


def _allow_fields(limit: int) -> None:
    """Let Python's csv module take a field as long as a record may be (its default is
    128 KiB; an export's notes may be longer). The setting is the module's, for every
    thread: it is only ever raised, and records are bounded before the module sees them."""
    csv.field_size_limit(max(csv.field_size_limit(), limit))


def _row_detector(delimiter: str, width: int, email: int | None) -> Callable[[str], bool]:
    """Whether a line read inside a quoted field is a row of its own: no quote, the
    delimiters of half a row, and an address where the e-mail column is (anywhere when
    none is known). Only continuation lines are looked at, so it costs nothing on rows."""
    need = _row_delimiters(width)

    def looks_like_row(line: str) -> bool:
        if '"' in line or "@" not in line or line.count(delimiter) < need:
            return False
        cells = line.rstrip("\r\n").split(delimiter)
        if email is not None:
            return email < len(cells) and _ADDRESS.fullmatch(cells[email].strip()) is not None
        return any(_ADDRESS.fullmatch(cell.strip()) for cell in cells)

    return looks_like_row


def _literal_row(line: str, delimiter: str) -> list[str]:
    """The fields of a line whose last field opens a quote that does not close on it,
    that quote taken literally (the fields before it are read as CSV): how a
    spreadsheet shows the line, and the address a provider would refuse."""
    text = line.rstrip("\r\n")
    fields = next(csv.reader([text], delimiter=delimiter), [""])
    last = fields[-1]
    opener = len(text) - len(last) - 1
    if opener >= 0 and text[opener] == '"' and text[opener + 1 :] == last:
        return fields[:-1] + text[opener:].split(delimiter)
    return text.split(delimiter)


def _slow_records(
    doc: ContactListDocument, opener, skip: int
) -> Iterator[tuple[dict[int, pa.Array], np.ndarray]]:
    """The exact path: Python's csv module and its ``line_num``; skips ``skip`` records.

    The csv reader is fed the physical lines of the record it is reading (kept until
    the record ends): a quoted field that swallows rows is caught on its first such
    line (see :class:`RunawayQuotes`) and the reading starts again after the line where
    it opened, so the rows are checked and their lines stay exact.

    Lines are read at most ``limits.max-record-size`` characters at a time, and a
    record whose lines pass it in all is refused (:class:`_TooLong`): a line of 1 GB is
    never held whole, nor a quoted field that never closes."""
    plan: _Plan = doc.meta["plan"]
    wanted = plan.indices
    delimiter = doc.delimiter
    limit = _max_record(doc)
    try:
        raw_handle = opener()
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(_os_reason(error)) from None
    with (
        raw_handle,
        io.TextIOWrapper(raw_handle, encoding=doc.encoding, errors="strict", newline="") as text,
    ):
        physical = iter(partial(text.readline, limit + 1), "")
        for _ in range(doc.meta.get("preamble_lines", 0)):
            next(physical, "")
        _allow_fields(limit)
        base = doc.meta.get("preamble_lines", 0)  # physical lines before the reader's
        previous = 0  # the reader's line where the last record ended
        chars = 0  # of the physical lines of the record being read
        if doc.meta.get("headerless"):
            width = len(doc.header)
        else:

            def header_lines() -> Iterator[str]:
                nonlocal chars
                for line in physical:
                    chars += len(line)
                    if chars > limit:
                        raise _TooLong
                    yield line

            header = csv.reader(header_lines(), delimiter=delimiter)
            try:
                width = len(next(header))
            except StopIteration:
                return
            except csv.Error as error:
                raise InputError(f"broken CSV header: {error}") from None
            except _TooLong:
                raise InputError(record_too_long(base + 1, limit, "a header")) from None
            except UnicodeDecodeError as error:  # the sample was plain ASCII, the header not
                line = _line_of_undecodable_byte(opener, doc.encoding) or base + 1
                raise InputError(
                    f"not valid {doc.encoding} near line {line} ({error.reason})"
                ) from None
            base += header.line_num
            chars = 0
        # Rows with more fields than the header, for MC903 (their extra fields are not
        # read, and the others may be shifted); a row with fewer is Excel dropping the
        # empty fields at the end, which loses nothing.
        wide = doc.meta.setdefault("wide_rows", WideRows(width))
        looks_like_row = _row_detector(delimiter, width, plan.sources.get("email"))
        kept: list[str] = []  # the physical lines of the record being read

        def physical_lines(again: list[str], runaway: RunawayQuotes | None) -> Iterator[str]:
            nonlocal chars
            for line in chain(again, physical) if again else physical:
                if len(line) > limit:  # a line cut at the limit: no row of its own
                    raise _TooLong
                if runaway is not None and not runaway.watch(line):
                    runaway = None
                if kept and looks_like_row(line):
                    kept.append(line)
                    raise _Runaway
                kept.append(line)
                chars += len(line)
                if chars > limit:
                    raise _TooLong
                yield line

        columns: dict[int, list[str]] = {i: [] for i in wanted}
        lines: list[int] = []
        seen = 0
        runaway: RunawayQuotes | None = None
        reader = csv.reader(physical_lines([], None), delimiter=delimiter)
        try:
            while reader is not None:
                current, reader = reader, None
                try:
                    for record in current:
                        start = previous + 1
                        previous = current.line_num
                        kept.clear()
                        chars = 0
                        if not record or (len(record) == 1 and not record[0].strip()):
                            continue
                        seen += 1
                        if seen <= skip:
                            continue
                        if len(record) > width:
                            wide.add(start + base, len(record))
                        for i, values in columns.items():
                            values.append(record[i] if i < len(record) else "")
                        lines.append(start + base)
                        if len(lines) >= CHUNK_ROWS:
                            yield _arrays(columns), np.asarray(lines, dtype=np.int32)
                            columns = {i: [] for i in wanted}
                            lines = []
                except _Runaway:
                    opened = base + previous + 1
                    record, again = _literal_row(kept[0], delimiter), kept[1:]
                    kept.clear()
                    chars = 0
                    seen += 1
                    if seen > skip:
                        if len(record) > width:
                            wide.add(opened, len(record))
                        for i, values in columns.items():
                            values.append(record[i] if i < len(record) else "")
                        lines.append(opened)
                    watch = None
                    if runaway is None:
                        watch = runaway = doc.meta["runaway_quotes"] = RunawayQuotes(opened)
                    else:
                        runaway.count += 1
                    # Read again from the line after the one where the quote opened.
                    base, previous = opened, 0
                    reader = csv.reader(physical_lines(again, watch), delimiter=delimiter)
        except UnicodeDecodeError as error:
            # The text layer decodes ahead of the csv reader: its line is not the byte's.
            line = _line_of_undecodable_byte(opener, doc.encoding) or previous + 1 + base
            raise InputError(
                f"not valid {doc.encoding} near line {line} ({error.reason})"
            ) from None
        except csv.Error as error:
            raise InputError(f"broken CSV near line {previous + 1 + base}: {error}") from None
        except _TooLong:
            raise InputError(record_too_long(previous + 1 + base, limit)) from None
        if lines:
            yield _arrays(columns), np.asarray(lines, dtype=np.int32)


def _line_of_undecodable_byte(opener, encoding: str) -> int | None:
    """The physical line of the first byte ``encoding`` cannot decode (``None`` if all
    decode): the file is decoded again, block by block, counting the line breaks of the
    text decoded before it (``\\r\\n``, ``\\n`` or a lone ``\\r``)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines, ended_with_cr = 1, False
    try:
        with opener() as handle:
            while block := handle.read(BLOCK_BYTES):
                try:
                    text, bad = decoder.decode(block), False
                except UnicodeDecodeError as error:
                    text, bad = block[: max(error.start, 0)].decode(encoding, "ignore"), True
                lines += len(LINE_END.findall(text))
                if ended_with_cr and text.startswith("\n"):
                    lines -= 1  # one "\r\n" split across two blocks
                if bad:
                    return lines
                ended_with_cr = text.endswith("\r")
    except (OSError, zipfile.BadZipFile):
        return None
    return None


def _arrays(columns: dict[int, list[str]]) -> dict[int, pa.Array]:
    return {i: pa.array(values, pa.string()) for i, values in columns.items()}
