"""Spreadsheet cells as the text an export would hold.

calamine hands over typed cells (``str``, ``float``, ``int``, ``bool``, ``datetime``,
``date``, ``time``, ``timedelta``). The contact-list reader works on text, as it reads
from a CSV, so each cell becomes the string a CSV export of the sheet would show, in a
shape the reader parses without guessing:

* a date cell: ISO 8601, ``2024-03-14`` (midnight) or ``2024-03-14 10:30:00``, never a
  locale's day/month order, so a date read from a sheet is never ambiguous;
* a number: an integer without ``.0`` (a phone number, a postcode, a count), any other
  number as Python writes it (``1.5``);
* a boolean: ``TRUE`` / ``FALSE``, as Excel shows them (the yes/no columns read both);
* a line break inside a cell: a space. A CSV would quote the cell and spread the record
  over several physical lines; here one sheet row must stay one line, so that the line
  of a finding is the row of the sheet.
"""

from __future__ import annotations

import datetime as dt
import re

#: Integers a float holds exactly (beyond 2**53 a float is no longer an integer count).
_EXACT_INTEGER = 2**53

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def cell_text(value: object) -> str:
    """The export text of one calamine cell value."""
    if isinstance(value, str):
        return _LINE_BREAK.sub(" ", value) if ("\n" in value or "\r" in value) else value
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: a bool is an int in Python
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_INTEGER:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):  # before date: a datetime is a date
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return _LINE_BREAK.sub(" ", str(value))


def row_texts(row: list[object]) -> list[str]:
    """The export texts of one row of cells, in place (calamine gives a new list per
    row). Most cells are plain text already: they are only looked at."""
    for index, value in enumerate(row):
        if type(value) is not str or "\n" in value or "\r" in value:
            row[index] = cell_text(value)
    return row  # type: ignore[return-value]
