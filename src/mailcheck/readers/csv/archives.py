"""Compressed lists: ZIP exports (members streamed, never extracted) and ``list.csv.gz``.

Everything that can make an archive cost too much is refused before a byte is inflated
(entry count, declared sizes, compression ratio, absolute or ``..`` member names,
encryption), and a stream that inflates past what it declared is stopped while it is
read. Each CSV member is then opened as any list (:func:`open_contact_list`).
"""

from __future__ import annotations

import gzip
import io
import lzma
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from mailcheck.config import Config, format_size
from mailcheck.documents import ContactListDocument
from mailcheck.errors import InputError
from mailcheck.files import BoundedReader, display_path, open_input
from mailcheck.i18n import Text, t
from mailcheck.readers.classify import looks_like_contact_header
from mailcheck.readers.csv.header import SAMPLE_BYTES, open_contact_list
from mailcheck.readers.csv.source import _open_list, _os_reason

_MEMBER_SUFFIXES = (".csv", ".tsv", ".txt")


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
            raise InputError(t("the archive holds no CSV file"))
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
                raise InputError(
                    t(
                        "the archive holds {count} entries, over the {limit} limit "
                        "(limits.max-zip-members raises it)",
                        count=entries,
                        limit=most,
                    )
                    if exact
                    else t(
                        "the archive holds more than {limit} entries, over the {limit} limit "
                        "(limits.max-zip-members raises it)",
                        limit=most,
                    )
                )
            return zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise InputError(
                t("not a valid ZIP archive ({reason})", reason=_os_reason(error))
            ) from None

    def _checked_members(self) -> list[zipfile.ZipInfo]:
        limits = self.limits
        ratio = limits.max_compression_ratio
        members = [m for m in self.zip.infolist() if not m.is_dir()]
        total = 0
        for member in members:
            name = PurePosixPath(member.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
                raise InputError(
                    t("archive member '{name}' escapes the archive", name=member.filename)
                )
            if member.flag_bits & 0x1:  # zipfile would ask for the password
                raise InputError(
                    t(
                        "archive member '{name}' is encrypted (password-protected): export it "
                        "again without a password",
                        name=member.filename,
                    )
                )
            if member.compress_type not in _METHODS:
                raise InputError(
                    t(
                        "archive member '{name}' uses an unsupported compression method "
                        "({method}): export it again as a plain ZIP",
                        name=member.filename,
                        method=str(member.compress_type),
                    )
                )
            if member.file_size > limits.max_list_size:
                raise InputError(
                    t(
                        "archive member '{name}': {problem}",
                        name=member.filename,
                        problem=_over(
                            member.file_size, limits.max_list_size, "limits.max-list-size"
                        ),
                    )
                )
            if member.file_size >= RATIO_FLOOR and member.file_size > ratio * max(
                member.compress_size, 1
            ):
                raise InputError(
                    t(
                        "archive member '{name}' {problem}",
                        name=member.filename,
                        problem=_inflates(member.file_size, member.compress_size, ratio),
                    )
                )
            total += member.file_size
        if total > limits.max_uncompressed_size:
            raise InputError(
                t(
                    "the archive is {size} once uncompressed, over the {limit} limit "
                    "(limits.max-uncompressed-size raises it; ZIP bomb?)",
                    size=format_size(total),
                    limit=format_size(limits.max_uncompressed_size),
                )
            )
        if total >= RATIO_FLOOR and total > ratio * max(self.size, 1):
            raise InputError(t("the archive {problem}", problem=_inflates(total, self.size, ratio)))
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
                t(
                    "archive member '{name}' cannot be read ({reason})",
                    name=member.filename,
                    reason=_os_reason(error),
                )
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


def _over(size: int, limit: int, key: str) -> Text:
    return t(
        "{size}: larger than the {limit} limit ({key} raises it)",
        size=format_size(size),
        limit=format_size(limit),
        key=key,
    )


def _inflates(size: int, compressed: int, ratio: int) -> Text:
    return t(
        "looks like a ZIP bomb: inflates {times} times ({size} from {compressed}), over the "
        "{ratio} limit (limits.max-compression-ratio raises it)",
        times=size // max(compressed, 1),
        size=format_size(size),
        compressed=format_size(compressed),
        ratio=ratio,
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
                t(
                    "archive member '{name}' is corrupt ({reason})",
                    name=self.name,
                    reason=_os_reason(error),
                )
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
    what: Text
    if key == "limits.max-compression-ratio":
        what = t(
            "inflates more than {ratio} times its {size} (limits.max-compression-ratio "
            "raises it; gzip bomb?)",
            ratio=ratio,
            size=format_size(size),
        )
    else:
        what = t(
            "larger than the {limit} limit once uncompressed ({key} raises it)",
            limit=format_size(cap),
            key=key,
        )

    def opener() -> BinaryIO:
        handle = _open_list(path, config)
        return io.BufferedReader(_GzipReader(handle, cap, key, what))

    inner = str(path.with_suffix(""))
    return open_contact_list(path, display_path(path), config, opener, member_name=inner)


class _GzipReader(BoundedReader):
    """The inflated bytes of a ``.gz``: stopped past ``limit``, and a corrupt or truncated
    archive said in one line (gzip raises ``EOFError``, ``zlib.error`` or ``OSError``)."""

    def __init__(self, handle: BinaryIO, limit: int, limit_name: str, what: Text) -> None:
        super().__init__(gzip.GzipFile(fileobj=handle, mode="rb"), limit, limit_name, what)
        self.handle = handle

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            return super().readinto(buffer)
        except EOFError:
            raise InputError(
                t(
                    "the gzip archive is truncated (it ends before its end marker): download "
                    "or compress it again"
                )
            ) from None
        except (gzip.BadGzipFile, zlib.error) as error:
            # "Not a gzipped file (b'je')" would quote the file's first bytes: left out.
            reason = str(error).split(" (b", 1)[0]
            reason = reason[:1].lower() + reason[1:]
            raise InputError(t("not a valid gzip archive ({reason})", reason=reason)) from None
        except OSError as error:
            raise InputError(_os_reason(error)) from None

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.handle.close()
