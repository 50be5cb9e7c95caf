"""Where a finding of a spreadsheet is: the sheet and the row.

Each contact sheet of a workbook is linted as one contact list whose display path is
``<workbook>:<sheet>`` (``contacts.xlsx:Feuil1``) and whose lines are the sheet's rows.
Machine formats keep that path and ``line`` = the row; the human formats show the cell
as a spreadsheet user names it, ``contacts.xlsx:Feuil1!A57`` (the column letter is the
finding's column: ``A`` when the finding is about the whole row).

The form is told from the path alone (no registry of documents is needed where
findings are printed, in this process or another): a workbook suffix followed by ``:``
and a sheet name. Excel forbids ``:`` ``/`` ``\\`` in sheet names and no file on disk
is named ``x.xlsx:y`` (Windows cannot hold one), so the form is unambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The workbook files read as contact lists (``.xlsm``: a macro-enabled ``.xlsx``).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

_SHEET_PATH = re.compile(
    r"^(?P<workbook>.+\.(?:xlsx|xlsm|xls|ods)):(?P<sheet>[^:/\\]+)$", re.IGNORECASE
)


@dataclass(frozen=True)
class SheetPath:
    """A display path ``<workbook>:<sheet>`` taken apart."""

    workbook: str
    sheet: str


def sheet_display_path(workbook: str, sheet: str) -> str:
    """The display path of one sheet of the workbook shown as ``workbook``."""
    return f"{workbook}:{sheet}"


def split_sheet_path(path: str) -> SheetPath | None:
    """The workbook and sheet of a sheet's display path; ``None`` for any other path."""
    if ":" not in path:
        return None
    match = _SHEET_PATH.match(path)
    return SheetPath(match["workbook"], match["sheet"]) if match else None


def file_of(path: str) -> str:
    """The file on disk a display path is in: the workbook of a sheet, the archive of a
    ZIP member (``exports.zip!list.csv``), else the path itself."""
    sheet = split_sheet_path(path)
    return (sheet.workbook if sheet else path).split("!", 1)[0]


def column_letters(column: int) -> str:
    """A 1-based column number as a spreadsheet names it: 1 -> A, 27 -> AA."""
    letters = ""
    column = max(1, column)
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def human_location(path: str, line: int, column: int) -> str:
    """``path:line:column``, or for a sheet the cell: ``contacts.xlsx:Feuil1!A57``."""
    if split_sheet_path(path) is None:
        return f"{path}:{line}:{column}"
    return f"{path}!{column_letters(column)}{max(1, line)}"
