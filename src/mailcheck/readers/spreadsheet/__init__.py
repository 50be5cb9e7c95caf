"""Spreadsheet exports (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``) read as contact lists.

Every sheet that holds a contact list is one list, read by the CSV reader from the
sheet's rows, so the same rows give the same findings as their CSV export; findings are
located by sheet and row (``contacts.xlsx:Feuil1!A57`` in the human formats).

One module per job:

* :mod:`~mailcheck.readers.spreadsheet.workbook`: opening a workbook safely, one
  document per contact sheet;
* :mod:`~mailcheck.readers.spreadsheet.sheets`: which sheets hold a list, where the
  header is;
* :mod:`~mailcheck.readers.spreadsheet.cells`: typed cells as the texts of an export;
* :mod:`~mailcheck.readers.spreadsheet.stream`: a sheet's rows as CSV bytes, the seam
  with the CSV reader;
* :mod:`~mailcheck.readers.spreadsheet.locations`: the ``workbook:sheet`` display path
  and the cell a human format shows.

Only :mod:`~mailcheck.readers.spreadsheet.locations` is imported here: reporters use it
without loading the reader.
"""

from mailcheck.readers.spreadsheet.locations import (
    WORKBOOK_SUFFIXES,
    file_of,
    human_location,
    split_sheet_path,
)

__all__ = ["WORKBOOK_SUFFIXES", "file_of", "human_location", "split_sheet_path"]
