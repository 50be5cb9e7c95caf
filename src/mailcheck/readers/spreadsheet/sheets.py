"""Which sheets of a workbook hold a contact list, and on which row their header is.

A workbook often holds more than the list: a "Notes" sheet, a pivot table, a chart.
A sheet is read as a contact list when, among its first :data:`HEAD_ROWS` rows, a row
names an e-mail column (``Adresse e-mail``, ``Email 1``, ``Courriel`` ..., hashed
addresses ``sha256``, or the column ``[columns] email`` maps) -- that row is the
header, and rows above it (a title, "Export du 12/03/2026", blank rows) are left out --
or a row holds an address before any such header (a list without a header row, whose
columns are then found by their values as in a CSV). Any other sheet is left alone, and
the reader says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from mailcheck.config import Config
from mailcheck.i18n import Text, t
from mailcheck.keywords import fold
from mailcheck.readers.csv.columns import _ADDRESS, column_synonyms
from mailcheck.readers.spreadsheet.cells import row_texts

#: Rows looked at, from the top of a sheet, for a header or an address.
HEAD_ROWS = 200

#: Rows (from the header on) kept to open the list: what the CSV reader samples.
SAMPLE_ROWS = 1000
SAMPLE_CHARS = 256 * 1024

#: An e-mail column named with more words ("Email 1", "Adresse e-mail pro", "E-mail
#: (travail)"); a short cell only, in a row of at least two cells (not a title).
_EMAIL_WORD = re.compile(r"\b(?:e ?mail|email|courriel|correo|mail)\b")
_LONGEST_HEADER = 40


@dataclass
class SheetHead:
    """The first rows of one sheet, and what they say about it."""

    name: str
    #: 1-based row of the header (or of the first contact, when ``headerless``);
    #: ``None``: not a contact list.
    header_row: int | None = None
    headerless: bool = False
    #: Rows from ``header_row`` on, as export texts (``None`` for an empty row), up to
    #: :data:`SAMPLE_ROWS` rows or :data:`SAMPLE_CHARS` characters.
    sample: list[list[str] | None] = field(default_factory=list)
    #: Why the sheet is not read, in words.
    reason: str | Text = ""


def email_header_names(config: Config) -> frozenset[str]:
    """The folded names that make a cell the header of an address column: an e-mail
    column, or hashed addresses (a suppression list), by synonym or by ``[columns]``."""
    synonyms = column_synonyms()
    names = {*synonyms["email"], *synonyms.get("email_hash", [])}
    names.update(fold(config.columns[c]) for c in ("email", "email_hash") if c in config.columns)
    return frozenset(names)


def names_email_column(cells: list[str], names: frozenset[str], loose: bool) -> bool:
    """Whether a row is a header naming an e-mail column: a cell is one of ``names``, or
    (``loose``) a short cell with an e-mail word in a row of two cells or more."""
    filled = [cell for cell in cells if cell.strip()]
    if any(fold(cell) in names for cell in filled):
        return True
    return (
        loose
        and len(filled) > 1
        and any(len(cell) <= _LONGEST_HEADER and _EMAIL_WORD.search(fold(cell)) for cell in filled)
    )


def holds_address(cells: list[str]) -> bool:
    return any(_ADDRESS.fullmatch(cell.strip()) for cell in cells if "@" in cell)


def read_head(name: str, rows: Iterable[list[object]], config: Config) -> SheetHead:
    """Look at the first rows of sheet ``name`` (calamine rows, from row 1)."""
    head = SheetHead(name)
    names = email_header_names(config)
    iterator = iter(rows)
    filled = False
    for number, row in enumerate(iterator, start=1):
        if number > HEAD_ROWS:
            break
        cells = row_texts(row)
        if not any(cell.strip() for cell in cells):
            continue
        filled = True
        # A row of addresses is a contact even if a cell says "mail" ("Newsletter mail").
        if names_email_column(cells, names, loose=False):
            head.header_row = number
        elif holds_address(cells):
            head.header_row, head.headerless = number, True
        elif names_email_column(cells, names, loose=True):
            head.header_row = number
        else:
            continue
        _keep_sample(head, cells, iterator)
        return head
    head.reason = (
        t("no e-mail column nor address in its first {count} rows", count=HEAD_ROWS)
        if filled
        else t("empty")
    )
    return head


def _keep_sample(head: SheetHead, first: list[str], rest) -> None:
    """The header (or first contact) and the rows after it, up to the sample's size."""
    head.sample.append(first)
    chars = sum(map(len, first))
    for row in rest:
        if len(head.sample) >= SAMPLE_ROWS or chars >= SAMPLE_CHARS:
            return
        cells = row_texts(row)
        if any(cells):
            head.sample.append(cells)
            chars += sum(map(len, cells))
        else:
            head.sample.append(None)
