"""Reading a workbook (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``) as contact lists, one per
sheet that holds one.

python-calamine reads the three formats (Rust, fast). Before it sees a byte:

* the file is opened as every input is (a regular file, under ``limits.max-list-size``);
* a ZIP container (``.xlsx``, ``.xlsm``, ``.ods``) goes through the export-ZIP checks of
  :mod:`mailcheck.readers.csv.archives` (entry count, declared sizes against
  ``limits.max-uncompressed-size``, ``limits.max-compression-ratio``, member names,
  encryption), then every member is inflated once as a stream, stopped past its
  declared size: a ZIP bomb, lying headers included, is refused before calamine
  inflates anything;
* an ``.xlsx`` that is an OLE2 container holding an ``EncryptedPackage`` is a
  password-protected workbook, said as such;
* a text file named ``.xls`` (many web apps export a tab-separated "Excel" file) is read
  by the CSV reader, as it is.

Then each sheet's first rows say whether it holds a contact list
(:mod:`~mailcheck.readers.spreadsheet.sheets`); each such sheet becomes one
:class:`~mailcheck.documents.ContactListDocument` shown as ``contacts.xlsx:Feuil1``,
opened and read by the CSV reader from the sheet's rows
(:mod:`~mailcheck.readers.spreadsheet.stream`), so that the same rows give the same
findings as their CSV export. The other sheets are named in a warning.

Memory: calamine holds one sheet's cells while it is read (it has no streaming API);
the rows are turned into chunks a block at a time, as a CSV's are.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import python_calamine

from mailcheck.config import Config
from mailcheck.documents import ContactListDocument
from mailcheck.errors import InputError, message_of
from mailcheck.files import display_path, read_head
from mailcheck.i18n import Text, t
from mailcheck.readers.classify import looks_like_contact_header
from mailcheck.readers.csv.archives import _CORRUPT, _Archive
from mailcheck.readers.csv.header import SAMPLE_BYTES, open_contact_list
from mailcheck.readers.csv.source import _open_list, _os_reason
from mailcheck.readers.spreadsheet.cells import row_texts
from mailcheck.readers.spreadsheet.locations import sheet_display_path
from mailcheck.readers.spreadsheet.sheets import SheetHead
from mailcheck.readers.spreadsheet.sheets import read_head as read_sheet_head
from mailcheck.readers.spreadsheet.stream import (
    DELIMITER,
    csv_lines,
    export_rows,
    open_text,
    preamble_line,
)

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_INFLATE_STEP = 1 << 20

_FORMATS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}


@dataclass(frozen=True)
class Workbook:
    """A workbook file that passed the container checks."""

    path: Path
    config: Config
    #: What its suffix says it is (``xlsx``, ``xls``, ``ods``), for messages.
    format: str

    def load(self) -> python_calamine.CalamineWorkbook:
        """The calamine workbook; a broken file is an :class:`InputError` in one line."""
        try:
            with _open_list(self.path, self.config) as handle:
                return python_calamine.CalamineWorkbook.from_filelike(handle)
        except InputError:
            raise
        except OSError as error:
            raise InputError(_os_reason(error)) from None
        except python_calamine.PasswordError:
            raise InputError(_password_protected(self.format)) from None
        except Exception as error:  # noqa: BLE001 - calamine's errors, any of them
            raise InputError(_unreadable(self.format, error)) from None

    def sheet_rows(self, workbook: python_calamine.CalamineWorkbook, name: str) -> Iterator[list]:
        """The rows of sheet ``name`` of a loaded ``workbook``, from row 1."""
        try:
            return workbook.get_sheet_by_name(name).iter_rows()
        except python_calamine.PasswordError:
            raise InputError(_password_protected(self.format)) from None
        except Exception as error:  # noqa: BLE001 - calamine's errors, any of them
            raise InputError(
                t(
                    "sheet '{name}': {problem}",
                    name=name,
                    problem=_unreadable(self.format, error),
                )
            ) from None


def _password_protected(kind: str) -> Text:
    return t("password-protected {kind} workbook: save it again without a password", kind=kind)


def _unreadable(kind: str, error: Exception) -> Text:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return t(
        "not a readable {kind} workbook, corrupt or truncated ({reason})",
        kind=kind,
        reason=reason,
    )


def read_workbook(path: Path, config: Config) -> list[ContactListDocument]:
    """One contact list per sheet that holds one; :class:`InputError` when none does or
    the file cannot be read."""
    kind = _FORMATS.get(path.suffix.lower(), "spreadsheet")
    head = read_head(path, SAMPLE_BYTES)
    if head.startswith(_ZIP_MAGIC):
        check_zip_container(path, config, kind)
    elif head.startswith(_OLE2_MAGIC):
        if kind in ("xlsx", "ods") and _encrypted_package(path, config):
            raise InputError(_password_protected(kind))
    elif looks_like_contact_header(head):
        # A tab- or ;-separated text file saved under an Excel name: read as it is.
        return [
            open_contact_list(path, display_path(path), config, lambda: _open_list(path, config))
        ]
    else:
        raise InputError(
            t(
                "not an {kind} workbook, nor a CSV export (an HTML page saved under a "
                "spreadsheet name?): open it in a spreadsheet and save it as .xlsx or CSV",
                kind=kind,
            )
        )
    book = Workbook(path, config, kind)
    workbook = book.load()
    heads: list[SheetHead] = []
    skipped: list[Text] = []
    try:
        for sheet in workbook.sheets_metadata:
            if str(sheet.typ).rsplit(".", 1)[-1].lower() != "worksheet":
                skipped.append(t("'{name}' (a chart or macro sheet)", name=sheet.name))
                continue
            rows = book.sheet_rows(workbook, sheet.name)
            sheet_head = read_sheet_head(sheet.name, rows, config)
            if sheet_head.header_row is None:
                skipped.append(t("'{name}' ({reason})", name=sheet.name, reason=sheet_head.reason))
            else:
                heads.append(sheet_head)
    finally:
        workbook.close()
    if not heads:
        raise InputError(
            t(
                "no sheet holds a contact list (an e-mail column or addresses): {sheets}",
                sheets=_listed(skipped) if skipped else t("the workbook has no sheet"),
            )
        )
    several = len(heads) > 1
    documents = [open_sheet(book, sheet_head, several) for sheet_head in heads]
    if skipped:
        warning = t("sheets left alone, not contact lists: {sheets}", sheets=_listed(skipped))
        for document in documents:
            document.notes.append(warning)
            document.warnings.append(warning)
    return documents


def open_sheet(book: Workbook, head: SheetHead, several: bool) -> ContactListDocument:
    """One sheet as a contact list, opened by the CSV reader from its rows.

    The sheet's name enters the name the provider, the role and the status are read
    from (``Désinscrits``) only when the workbook holds several lists: a one-sheet
    export keeps its file name as the provider named it."""
    path = book.path
    source = SheetSource(book, head)
    display = sheet_display_path(display_path(path), head.name)
    member = str(path.with_name(f"{path.stem} {head.name}{path.suffix}")) if several else None
    doc = open_contact_list(path, display, book.config, source, member_name=member)
    source.sniffing = False
    header_row = head.header_row or 1
    doc.preamble_lines = header_row - 1
    if doc.headerless is not None:
        opened_at = doc.headerless.line
        doc.headerless.line = header_row
        doc.notes = [_renumbered(note, opened_at, header_row) for note in doc.notes]
    where = (
        t(
            "sheet '{name}' of an {kind} workbook, first contact (no header row) on row {row}",
            name=head.name,
            kind=book.format,
            row=str(header_row),
        )
        if head.headerless
        else t(
            "sheet '{name}' of an {kind} workbook, header on row {row}",
            name=head.name,
            kind=book.format,
            row=str(header_row),
        )
    )
    doc.notes.insert(0, where)
    return doc


def _renumbered(note: str | Text, was: int, line: int) -> str | Text:
    """A note of the CSV reader naming the line of the first row as it was read while
    the list was opened (after the ``sep=;`` line) with the sheet's row instead."""
    if isinstance(note, Text):
        if note.params.get("line") == str(was):
            return Text(note.msgid, {**note.params, "line": str(line)})
        return note
    return re.sub(rf"\bline {was}\b", f"line {line}", note, count=1)


def _listed(texts: list[Text]) -> Text:
    """Texts joined with commas, each in the report's language."""
    listed = texts[-1]
    for text in reversed(texts[:-1]):
        listed = Text("{first}, {rest}", {"first": text, "rest": listed})
    return listed


class SheetSource:
    """The opener of one sheet's bytes (see :mod:`~mailcheck.readers.spreadsheet.stream`):
    the sample rows behind a ``sep=;`` line while the list is being opened, then the
    whole sheet, read again from the workbook on each call (a rule may read a list
    twice)."""

    def __init__(self, book: Workbook, head: SheetHead) -> None:
        self.book, self.head = book, head
        self.sniffing = True

    def __call__(self) -> BinaryIO:
        if self.sniffing:
            return open_text(self._sample)
        return open_text(self._sheet)

    def _sample(self) -> Iterator[str]:
        yield f"sep={DELIMITER}\n"
        yield from csv_lines(self.head.sample)

    def _sheet(self) -> Iterator[str]:
        book = self.book
        workbook = book.load()
        try:
            rows = iter(book.sheet_rows(workbook, self.head.name))
            header_row = self.head.header_row or 1
            preamble = []
            for _ in range(header_row - 1):
                row = next(rows, None)
                preamble.append(preamble_line(row_texts(row) if row is not None else []))
            yield "".join(preamble)
            yield from csv_lines(export_rows(rows))
        finally:
            workbook.close()


def check_zip_container(path: Path, config: Config, kind: str) -> None:
    """The ZIP of an ``.xlsx`` / ``.ods`` checked as an export ZIP is, then every member
    inflated once as a stream, stopped past its declared size (a lying header)."""
    try:
        archive = _Archive(path, config)
    except InputError as error:
        if str(error).startswith("not a valid ZIP archive"):
            raise InputError(
                t(
                    "not a readable {kind} workbook, corrupt or truncated: {error}",
                    kind=kind,
                    error=message_of(error),
                )
            ) from None
        raise InputError(
            t("{kind} workbook: {error}", kind=kind, error=message_of(error))
        ) from None
    try:
        for member in archive.members:
            with archive.open(member) as stream:
                while stream.read(_INFLATE_STEP):
                    pass
    except InputError as error:
        raise InputError(
            t("{kind} workbook: {error}", kind=kind, error=message_of(error))
        ) from None
    except _CORRUPT as error:
        raise InputError(_unreadable(kind, error)) from None
    finally:
        archive.release()


def _encrypted_package(path: Path, config: Config) -> bool:
    """Whether an OLE2 file holds an ``EncryptedPackage`` stream: how Excel and
    LibreOffice save a password-protected ``.xlsx``."""
    try:
        with _open_list(path, config) as handle:
            return _ENCRYPTED_PACKAGE in handle.read()
    except (OSError, zipfile.BadZipFile):
        return False
