"""Reading a contact list: CSV, ZIP, gzip or spreadsheet
(:mod:`mailcheck.readers.spreadsheet`). The hook is :mod:`mailcheck.readers.csv`'s,
registered last (``trylast``) so that a provider plugin's reader goes first; it imports
this module with the first list.
"""

from __future__ import annotations

from pathlib import Path

from mailcheck.config import Config
from mailcheck.documents import ContactListDocument
from mailcheck.files import display_path
from mailcheck.readers.csv.archives import _read_gzip, _read_zip
from mailcheck.readers.csv.header import open_contact_list
from mailcheck.readers.csv.source import _open_list
from mailcheck.readers.spreadsheet.locations import WORKBOOK_SUFFIXES
from mailcheck.readers.spreadsheet.workbook import read_workbook


def mailcheck_read_document(
    path: Path, kind: str, config: Config
) -> list[ContactListDocument] | None:
    if kind != "contacts":
        return None
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return read_workbook(path, config)
    if path.suffix.lower() == ".zip":
        return list(_read_zip(path, config))
    if path.suffix.lower() == ".gz":
        return [_read_gzip(path, config)]
    return [open_contact_list(path, display_path(path), config, lambda: _open_list(path, config))]
